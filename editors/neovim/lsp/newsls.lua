-- newsls: language server for news articles (Markdown and plain text,
-- Arabic and English). Neovim >= 0.11 reads this file for
-- `vim.lsp.config.newsls`, so a user only writes:
--
--   vim.lsp.enable('newsls')
--
-- Override any field with vim.lsp.config('newsls', { ... }), e.g. a cmd
-- pointing at a locally built binary, or server settings:
--
--   vim.lsp.config('newsls', {
--     init_options = { rules = { ['table-flattened'] = 'off' } },
--     settings = { newsls = { rules = { ['table-flattened'] = 'off' } } },
--   })

--- The configuration files newsls reads (and checks when they are open).
local CONFIG_FILES = { ['newsls.toml'] = true, ['.newsls.toml'] = true }

---@type vim.lsp.Config
return {
  cmd = { 'newsls', '--stdio' },
  -- `toml` for newsls.toml only (see root_dir): the server shows what is
  -- wrong with the configuration as diagnostics on the file.
  filetypes = { 'markdown', 'text', 'toml' },
  -- Neovim's `text` filetype (*.txt) goes out as the LSP languageId
  -- `plaintext`; everything else keeps its filetype name.
  get_language_id = function(_, filetype)
    return filetype == 'text' and 'plaintext' or filetype
  end,
  -- Flat list (not nested) so it also works on 0.11.0-0.11.2: the first
  -- marker found walking upwards wins, project config before the repo root.
  -- With no marker at all the server still starts, for the single file.
  root_markers = { 'newsls.toml', '.newsls.toml', '.git' },
  -- The root from root_markers (as set now, overrides included), for every
  -- buffer but a TOML file that is not newsls's own: newsls stays off
  -- Cargo.toml, pyproject.toml and the like.
  root_dir = function(bufnr, on_dir)
    local name = vim.fs.basename(vim.api.nvim_buf_get_name(bufnr))
    if vim.bo[bufnr].filetype == 'toml' and not CONFIG_FILES[name] then
      return
    end
    local markers = vim.lsp.config.newsls and vim.lsp.config.newsls.root_markers
      or { 'newsls.toml', '.newsls.toml', '.git' }
    on_dir(vim.fs.root(bufnr, markers))
  end,
}
