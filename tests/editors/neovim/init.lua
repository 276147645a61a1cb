-- Minimal init for the Neovim end-to-end test (run with `nvim --headless
-- --clean -u tests/editors/neovim/init.lua`): the plugin from editors/neovim,
-- pointed at the freshly built server, and nothing else. It is also a usable
-- repro config: `nvim --clean -u tests/editors/neovim/init.lua examples/...`.
local this = vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p')
local root = vim.fn.fnamemodify(this, ':h:h:h:h')
vim.g.newsls_repo = root

vim.opt.runtimepath:prepend(root .. '/editors/neovim')
vim.opt.swapfile = false
vim.opt.shadafile = 'NONE'

local bin = vim.env.NEWSLS_BIN
if bin == nil or bin == '' then
  bin = root .. '/target/release/newsls'
end
vim.g.newsls_bin = bin

vim.lsp.config('newsls', { cmd = { bin, '--stdio' } })
vim.lsp.enable('newsls')
