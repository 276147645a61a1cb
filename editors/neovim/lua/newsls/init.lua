-- Small helpers around the built-in LSP client for newsls. Nothing here is
-- needed to use the server: `vim.lsp.enable('newsls')` is enough.
local M = {}

--- Outline of the current article (headline and sections) in the location
--- list: the same as `vim.lsp.buf.document_symbol()`.
---@param opts? vim.lsp.ListOpts
function M.outline(opts)
  vim.lsp.buf.document_symbol(opts)
end

--- newsls diagnostics of the current buffer in the location list.
function M.diagnostics()
  local items = vim.tbl_filter(function(d)
    return d.source == 'newsls'
  end, vim.diagnostic.get(0))
  vim.fn.setloclist(0, {}, ' ', {
    title = 'newsls diagnostics',
    items = vim.diagnostic.toqflist(items),
  })
  vim.cmd.lopen()
end

--- Quick fixes (e.g. "Convert to table") for the cursor line or the visual
--- range; applied directly when there is exactly one.
function M.fix()
  vim.lsp.buf.code_action({
    context = { only = { 'quickfix' } },
    apply = true,
  })
end

return M
