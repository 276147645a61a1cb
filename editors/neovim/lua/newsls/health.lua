-- :checkhealth newsls
local M = {}

local health = vim.health

local function server_cmd()
  local ok, cfg = pcall(function()
    return vim.lsp.config.newsls
  end)
  if not ok or type(cfg) ~= 'table' then
    return nil
  end
  return cfg.cmd
end

function M.check()
  health.start('newsls')

  if vim.fn.has('nvim-0.11') == 1 then
    health.ok('Neovim ' .. tostring(vim.version()))
  else
    health.error('Neovim ' .. tostring(vim.version()) .. ' is too old', { 'newsls needs Neovim 0.11 or later' })
    return
  end

  local cmd = server_cmd()
  if cmd == nil then
    health.error('no LSP config named `newsls`', {
      'Put the editors/neovim folder on runtimepath (or install it with a plugin manager)',
    })
    return
  end
  if type(cmd) == 'function' then
    health.info('cmd is a function (custom transport): binary not checked')
    return
  end
  health.info('cmd: `' .. table.concat(cmd, ' ') .. '`')

  if vim.lsp.is_enabled then
    if vim.lsp.is_enabled('newsls') then
      health.ok('enabled (vim.lsp.enable)')
    else
      health.warn('not enabled', { "Add vim.lsp.enable('newsls') to your config" })
    end
  end

  local exe = cmd[1]
  local path = vim.fn.exepath(exe)
  if path == '' then
    health.error('`' .. exe .. '` not found on PATH', {
      'Build it with `cargo build --release` and put target/release/newsls on PATH',
      "or point the config at it: vim.lsp.config('newsls', { cmd = { '/path/to/newsls', '--stdio' } })",
    })
    return
  end
  health.ok('binary: ' .. path)

  local ok, res = pcall(function()
    return vim.system({ path, '--version' }, { text = true }):wait(5000)
  end)
  if not ok then
    health.error('`' .. exe .. ' --version` could not run: ' .. tostring(res))
  elseif res.code ~= 0 then
    health.error(('`%s --version` exited %s: %s'):format(exe, tostring(res.code), vim.trim(res.stderr or '')))
  elseif vim.trim(res.stdout or '') == '' then
    health.error('`' .. exe .. ' --version` printed nothing: is this the newsls server?')
  else
    health.ok('version: ' .. vim.trim(res.stdout))
  end

  local clients = vim.lsp.get_clients({ name = 'newsls' })
  if #clients == 0 then
    health.info('no running newsls client (open a Markdown or .txt article to start one)')
  end
  for _, client in ipairs(clients) do
    health.info(('client %d: root %s, position encoding %s, %d buffer(s)'):format(
      client.id,
      client.root_dir or '(single file)',
      client.offset_encoding,
      vim.tbl_count(client.attached_buffers)
    ))
  end
end

return M
