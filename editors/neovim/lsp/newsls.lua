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

---@type vim.lsp.Config
return {
  cmd = { 'newsls', '--stdio' },
  filetypes = { 'markdown', 'text' },
  -- Neovim's `text` filetype (*.txt) goes out as the LSP languageId
  -- `plaintext`; everything else keeps its filetype name.
  get_language_id = function(_, filetype)
    return filetype == 'text' and 'plaintext' or filetype
  end,
  -- Flat list (not nested) so it also works on 0.11.0-0.11.2: the first
  -- marker found walking upwards wins, project config before the repo root.
  -- With no marker at all the server still starts, for the single file.
  root_markers = { 'newsls.toml', '.newsls.toml', '.git' },
}
