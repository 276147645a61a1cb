-- End-to-end test of newsls in real (headless) Neovim >= 0.11, through the
-- plugin in editors/neovim. Run by scripts/editors/neovim-e2e.sh as
--
--   nvim --headless --clean -u tests/editors/neovim/init.lua \
--     -c 'luafile tests/editors/neovim/e2e.lua'
--
-- Each feature is one named entry in `checks` below: a function that raises
-- an error on failure. A check whose `needs` failed fails too (it is never
-- skipped silently). The run ends with the line `N passed, N failed` and
-- exits non-zero on any failure.
--
-- Env: NEWSLS_E2E_TIMEOUT_MS (per wait, default 10000), NEWSLS_E2E_ONLY (Lua
-- patterns on check names, comma-separated).

local api = vim.api
local uv = vim.uv

local root = assert(vim.g.newsls_repo, 'run with -u tests/editors/neovim/init.lua')
local TIMEOUT = tonumber(vim.env.NEWSLS_E2E_TIMEOUT_MS) or 10000

local REF = vim.fs.normalize(root .. '/examples/alaska-summit-ar.txt')
local MD = vim.fs.normalize(root .. '/examples/harbour-strike-en.md')

------------------------------------------------------------------------------
-- Output and small helpers
------------------------------------------------------------------------------

local function out(fmt, ...)
  io.stdout:write(string.format(fmt, ...) .. '\n')
  io.stdout:flush()
end

local function ms_since(t0)
  return (uv.hrtime() - t0) / 1e6
end

local function fail(fmt, ...)
  error(string.format(fmt, ...), 0)
end

local function expect(cond, fmt, ...)
  if not cond then
    fail(fmt, ...)
  end
end

--- Waits (processing events) until fn() returns a truthy value; returns it.
--- An error raised by fn ends the wait and is raised again as it was (not
--- wrapped in vim.wait's traceback).
local function wait_for(what, fn, timeout, interval)
  local value, err
  local ok = vim.wait(timeout or TIMEOUT, function()
    local fine, v = pcall(fn)
    if not fine then
      err = v
      return true
    end
    value = v
    return value ~= nil and value ~= false
  end, interval or 2)
  if err ~= nil then
    error(err, 0)
  end
  if not ok then
    fail('timed out after %d ms waiting for %s', timeout or TIMEOUT, what)
  end
  return value
end

local function short(s, n)
  n = n or 60
  if vim.fn.strchars(s) > n then
    return vim.fn.strcharpart(s, 0, n) .. '…'
  end
  return s
end

------------------------------------------------------------------------------
-- State shared by the checks: buffers, clients and timings per article
------------------------------------------------------------------------------

---@class E2EDoc
---@field path string
---@field buf? integer
---@field win? integer
---@field client? vim.lsp.Client
---@field t_open? integer hrtime just before :edit
---@field attach_ms? number
---@field outline_ms? number first non-empty documentSymbol answer
---@field diag_ms? number first newsls diagnostics published
---@field reused? boolean the client was already running (no server start)
local docs = {
  ref = { path = REF },
  md = { path = MD },
}

local group = api.nvim_create_augroup('newsls_e2e', { clear = true })

-- Server exits (crashes, or a binary that is no LSP server), to fail fast.
local exits = {} ---@type string[]
vim.lsp.config('newsls', {
  on_exit = function(code, signal)
    exits[#exits + 1] = ('exit code %s, signal %s'):format(tostring(code), tostring(signal))
  end,
})

-- Runs `:checkhealth newsls` with the server command set to `cmd`, then restores it.
-- Returns pcall's ok and the report's text (or the error).
local function checkhealth_with(cmd)
  local saved = vim.lsp.config.newsls.cmd
  vim.lsp.config('newsls', { cmd = cmd })
  local ok, text = pcall(function()
    vim.cmd('checkhealth newsls')
    return table.concat(api.nvim_buf_get_lines(0, 0, -1, false), '\n')
  end)
  vim.cmd('silent! tabclose')
  vim.lsp.config('newsls', { cmd = saved })
  return ok, text
end

local function newsls_diags(buf, code)
  local res = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.source == 'newsls' and (code == nil or d.code == code) then
      res[#res + 1] = d
    end
  end
  return res
end

api.nvim_create_autocmd('DiagnosticChanged', {
  group = group,
  callback = function(ev)
    for _, doc in pairs(docs) do
      if doc.buf == ev.buf and doc.t_open and not doc.diag_ms and #newsls_diags(ev.buf) > 0 then
        doc.diag_ms = ms_since(doc.t_open)
      end
    end
  end,
})

api.nvim_create_autocmd('LspAttach', {
  group = group,
  callback = function(ev)
    local client = vim.lsp.get_client_by_id(ev.data.client_id)
    if not client or client.name ~= 'newsls' then
      return
    end
    for _, doc in pairs(docs) do
      -- Match by name: a running client attaches during :edit itself.
      if api.nvim_buf_get_name(ev.buf) == doc.path and not doc.client then
        doc.buf = ev.buf
        doc.client = client
        doc.attach_ms = ms_since(doc.t_open)
        -- Ask for the outline at once, as an outline view would, to time it.
        local params = { textDocument = vim.lsp.util.make_text_document_params(ev.buf) }
        client:request('textDocument/documentSymbol', params, function(err, result)
          if not err and type(result) == 'table' and #result > 0 and not doc.outline_ms then
            doc.outline_ms = ms_since(doc.t_open)
          end
        end, ev.buf)
      end
    end
  end,
})

--- Opens an article in a fresh window and waits until newsls attaches.
local function open(doc)
  expect(vim.fn.filereadable(doc.path) == 1, 'article %s is missing', doc.path)
  vim.cmd('silent! only')
  local n_exits = #exits
  doc.reused = #vim.lsp.get_clients({ name = 'newsls' }) > 0
  doc.t_open = uv.hrtime()
  vim.cmd.edit(vim.fn.fnameescape(doc.path))
  doc.buf = api.nvim_get_current_buf()
  doc.win = api.nvim_get_current_win()
  -- Edits stay in the buffer (never written); a read-only file on disk
  -- would only add Vim's 1 s W10 pause to the first edit.
  vim.bo[doc.buf].readonly = false
  wait_for('newsls to attach to ' .. vim.fn.fnamemodify(doc.path, ':t'), function()
    if #exits > n_exits then
      fail('the server exited before attaching (%s); its stderr is in the LSP log', exits[#exits])
    end
    return doc.client ~= nil
  end)
  return doc
end

local function focus(doc)
  if api.nvim_win_is_valid(doc.win) then
    api.nvim_set_current_win(doc.win)
  end
  api.nvim_win_set_buf(0, doc.buf)
end

------------------------------------------------------------------------------
-- Outline helpers
------------------------------------------------------------------------------

--- documentSymbol for doc, flattened in document order: { line, name, depth }.
local function outline(doc)
  local params = { textDocument = vim.lsp.util.make_text_document_params(doc.buf) }
  local res, err = doc.client:request_sync('textDocument/documentSymbol', params, TIMEOUT, doc.buf)
  expect(res, 'documentSymbol request failed: %s', tostring(err))
  expect(not res.err, 'documentSymbol error: %s', vim.inspect(res.err))
  local result = res.result or {}
  local flat = {}
  -- Headline and sections only; the article's anatomy (lede, byline, fact boxes...) has
  -- its own check.
  local function walk(symbols, depth)
    for _, s in ipairs(symbols) do
      expect(s.range and s.selectionRange and not s.location,
        'expected hierarchical DocumentSymbol, got %s', vim.inspect(s))
      local section = s.detail == 'headline' or s.detail == 'title' or (s.detail or ''):match('^h%d$')
      if section then
        flat[#flat + 1] = { line = s.selectionRange.start.line, name = s.name, depth = depth }
      end
      walk(s.children or {}, section and depth + 1 or depth)
    end
  end
  walk(result, 0)
  table.sort(flat, function(a, b)
    return a.line < b.line
  end)
  return flat
end

local function describe(list)
  local parts = {}
  for _, e in ipairs(list) do
    parts[#parts + 1] = string.format('%d:%s%q', e.line, string.rep('  ', e.depth), short(e.name, 40))
  end
  return table.concat(parts, ', ')
end

--- nil when `got` matches `want` (line, name, depth), else the difference.
local function outline_diff(got, want)
  if #got ~= #want then
    return string.format('%d symbols, want %d:\n  got  %s\n  want %s', #got, #want, describe(got), describe(want))
  end
  for i, w in ipairs(want) do
    local g = got[i]
    if g.line ~= w.line or vim.trim(g.name) ~= vim.trim(w.name) or g.depth ~= w.depth then
      return string.format('symbol %d differs:\n  got  %s\n  want %s', i, describe({ g }), describe({ w }))
    end
  end
  return nil
end

--- Polls the outline (requests are made outside vim.wait's callback: a
--- request_sync nested in vim.wait stretches the outer timeout).
local function wait_outline(doc, want_fn, what)
  local deadline = uv.hrtime() + TIMEOUT * 1e6
  while true do
    local diff = outline_diff(outline(doc), want_fn())
    if diff == nil then
      return
    end
    if uv.hrtime() > deadline then
      fail('%s (after %d ms): %s', what, TIMEOUT, diff)
    end
    vim.wait(50)
  end
end

--- The reference outline: headline (line 0) with sections as children; each
--- symbol is named by its line's text.
local function ref_expected(section_lines)
  local lines = api.nvim_buf_get_lines(docs.ref.buf, 0, -1, false)
  local want = { { line = 0, name = lines[1], depth = 0 } }
  for _, l in ipairs(section_lines) do
    want[#want + 1] = { line = l, name = lines[l + 1], depth = 1 }
  end
  return want
end

--- Markdown headings derived from the buffer: ATX headings outside the front
--- matter and fenced code, nested by level.
local function md_expected(buf)
  local lines = api.nvim_buf_get_lines(buf, 0, -1, false)
  local want, stack = {}, {}
  local fence, i = nil, 1
  if lines[1] == '---' then
    for j = 2, #lines do
      if lines[j] == '---' or lines[j] == '...' then
        i = j + 1
        break
      end
    end
  end
  for n = i, #lines do
    local l = lines[n]
    local f = l:match('^ ? ? ?(```+)') or l:match('^ ? ? ?(~~~+)')
    if fence then
      if f and f:sub(1, 1) == fence:sub(1, 1) and #f >= #fence and l:match('^%s*[`~]+%s*$') then
        fence = nil
      end
    elseif f then
      fence = f
    else
      local hashes, text = l:match('^ ? ? ?(#+)%s+(.-)%s*$')
      if hashes and #hashes <= 6 then
        text = text:gsub('%s+#+$', '')
        local level = #hashes
        while #stack > 0 and stack[#stack] >= level do
          stack[#stack] = nil
        end
        want[#want + 1] = { line = n - 1, name = text, depth = #stack }
        stack[#stack + 1] = level
      end
    end
  end
  return want
end

--- Starts a separate newsls client with extra config (e.g. settings) on a
--- scratch copy of the reference article; returns the table-flattened codes
--- in its last published diagnostics, once it has answered a request.
local function flattened_with(extra)
  local lines = vim.fn.readfile(REF)
  local buf = api.nvim_create_buf(true, false)
  api.nvim_buf_set_name(buf, root .. '/examples/e2e-config-' .. buf .. '.txt')
  api.nvim_buf_set_lines(buf, 0, -1, false, lines)
  api.nvim_buf_call(buf, function()
    vim.cmd('noautocmd setlocal filetype=text') -- keep the main client off it
  end)
  local published
  local cfg = vim.tbl_extend('force', {
    name = 'newsls-e2e-config-' .. buf,
    cmd = { vim.g.newsls_bin, '--stdio' },
    root_dir = vim.fs.root(REF, { 'newsls.toml', '.newsls.toml', '.git' }),
    get_language_id = function()
      return 'plaintext'
    end,
    handlers = {
      ['textDocument/publishDiagnostics'] = function(err, result, ctx)
        published = result.diagnostics
        return vim.lsp.handlers['textDocument/publishDiagnostics'](err, result, ctx)
      end,
    },
  }, extra)
  local id = assert(vim.lsp.start(cfg, { bufnr = buf, reuse_client = function() return false end }))
  local client = assert(vim.lsp.get_client_by_id(id))
  local ok, err = pcall(function()
    wait_for('diagnostics from the configured client', function()
      return published ~= nil
    end)
    -- A round trip, then a little time for a re-publish after configuration.
    client:request_sync('textDocument/documentSymbol', { textDocument = { uri = vim.uri_from_bufnr(buf) } }, TIMEOUT, buf)
    vim.wait(200)
  end)
  client:stop(true)
  api.nvim_buf_delete(buf, { force = true })
  if not ok then
    error(err, 0)
  end
  return vim.tbl_filter(function(d)
    return d.code == 'table-flattened'
  end, published)
end

--- A desk of its own (a temporary directory): a newsls.toml that defers the
--- placeholder rule to save time and has a key newsls does not know, and an
--- article with a placeholder and a repeated word. Made once; its path.
local desk
local function save_desk()
  if desk then
    return desk
  end
  desk = vim.fs.normalize(vim.fn.tempname() .. '-desk')
  vim.fn.mkdir(desk, 'p')
  vim.fn.writefile({
    '# The desk checks placeholders when a story is saved.',
    '[rules.placeholder]',
    'when = "save"',
    '[files]',
    'exclud = ["drafts/**"]',
  }, desk .. '/newsls.toml')
  vim.fn.writefile({
    '# Council passes the budget',
    '',
    'The council passed the the budget on Tuesday. The mayor said TK.',
  }, desk .. '/story.md')
  return desk
end

------------------------------------------------------------------------------
-- The checks. Add a feature = add one entry.
------------------------------------------------------------------------------

local REF_TABLE = { first = 20, last = 24 } -- 0-based, flattened table
local REF_SECTIONS = { 4, 8, 12 }
local NEW_AR_HEADING = 'ردود الفعل الدولية على نتائج القمة'
local ref_sections = vim.deepcopy(REF_SECTIONS)
local ref_table_rows -- original lines 20-24, kept for the fix check

local checks = {
  {
    name = 'reference: newsls attaches to the .txt article (filetype text)',
    fn = function()
      local doc = open(docs.ref)
      expect(vim.bo[doc.buf].filetype == 'text', 'filetype is %q, want text', vim.bo[doc.buf].filetype)
      ref_table_rows = api.nvim_buf_get_lines(doc.buf, REF_TABLE.first, REF_TABLE.last + 1, false)
      return ('attached in %.0f ms'):format(doc.attach_ms)
    end,
  },
  {
    name = 'reference: utf-8 position encoding and incremental sync negotiated',
    needs = 'reference: newsls attaches',
    fn = function()
      local c = docs.ref.client
      expect(c.offset_encoding == 'utf-8', 'position encoding %s, want utf-8', c.offset_encoding)
      local sync = c.server_capabilities.textDocumentSync
      local change = type(sync) == 'table' and sync.change or sync
      expect(change == 2, 'textDocumentSync.change = %s, want 2 (incremental)', vim.inspect(change))
    end,
  },
  {
    name = "reference: the plugin's config is in force (cmd, filetypes, root markers)",
    needs = 'reference: newsls attaches',
    fn = function()
      local plugin = dofile(root .. '/editors/neovim/lsp/newsls.lua')
      expect(vim.deep_equal(plugin.cmd, { 'newsls', '--stdio' }), 'plugin cmd %s', vim.inspect(plugin.cmd))
      expect(vim.deep_equal(plugin.filetypes, { 'markdown', 'text', 'toml' }), 'filetypes %s', vim.inspect(plugin.filetypes))
      local markers = { 'newsls.toml', '.newsls.toml', '.git' }
      expect(vim.deep_equal(plugin.root_markers, markers), 'root markers %s', vim.inspect(plugin.root_markers))
      local c = docs.ref.client
      local want = vim.fs.root(REF, markers)
      expect(want and c.root_dir == want, 'client root %s, want %s', tostring(c.root_dir), tostring(want))
      expect(vim.deep_equal(c.config.filetypes, plugin.filetypes), 'client filetypes %s', vim.inspect(c.config.filetypes))
      return 'root ' .. vim.fn.fnamemodify(c.root_dir, ':~:.')
    end,
  },
  {
    name = 'reference: outline is the headline with sections at lines 4, 8, 12',
    needs = 'reference: newsls attaches',
    fn = function()
      wait_outline(docs.ref, function()
        return ref_expected(REF_SECTIONS)
      end, 'reference outline')
    end,
  },
  {
    name = 'reference: outline via vim.lsp.buf.document_symbol() in the location list',
    needs = 'reference: newsls attaches',
    fn = function()
      local doc = docs.ref
      focus(doc)
      vim.fn.setloclist(doc.win, {}, 'r', { title = '', items = {} })
      require('newsls').outline()
      local items = wait_for('location list items', function()
        local l = vim.fn.getloclist(doc.win)
        return #l > 0 and l or nil
      end)
      vim.cmd('silent! lclose')
      focus(doc)
      local got = {}
      for _, it in ipairs(items) do
        got[#got + 1] = it.lnum - 1
      end
      table.sort(got)
      -- The headline, the lede, the three sections and the bullet list (a fact box).
      local want = { 0, 2, 4, 8, 12, 16 }
      expect(vim.deep_equal(got, want), 'loclist lines %s, want %s', vim.inspect(got), vim.inspect(want))
    end,
  },
  {
    name = 'reference: the outline names the lede and the fact box (article anatomy)',
    needs = 'reference: newsls attaches',
    fn = function()
      local doc = docs.ref
      local params = { textDocument = vim.lsp.util.make_text_document_params(doc.buf) }
      local res = assert(doc.client:request_sync('textDocument/documentSymbol', params, TIMEOUT, doc.buf))
      local parts = {}
      local function walk(symbols)
        for _, s in ipairs(symbols) do
          if s.detail == 'lede' or s.detail == 'fact box' then
            parts[#parts + 1] = string.format('%s@%d kind=%d', s.detail, s.selectionRange.start.line, s.kind)
          end
          walk(s.children or {})
        end
      end
      walk(res.result or {})
      local want = { 'lede@2 kind=8', 'fact box@16 kind=23' }
      expect(vim.deep_equal(parts, want), 'anatomy %s, want %s', vim.inspect(parts), vim.inspect(want))
    end,
  },
  {
    name = 'reference: table-flattened warning on lines 20-24',
    needs = 'reference: newsls attaches',
    fn = function()
      local doc = docs.ref
      local d = wait_for('a table-flattened diagnostic', function()
        return newsls_diags(doc.buf, 'table-flattened')[1]
      end)
      local all = newsls_diags(doc.buf, 'table-flattened')
      expect(#all == 1, '%d table-flattened diagnostics, want 1', #all)
      expect(d.lnum == REF_TABLE.first and d.end_lnum >= REF_TABLE.last and d.end_lnum <= REF_TABLE.last + 1,
        'diagnostic covers lines %d-%d, want %d-%d', d.lnum, d.end_lnum, REF_TABLE.first, REF_TABLE.last)
      expect(d.severity == vim.diagnostic.severity.WARN, 'severity %s, want WARN', tostring(d.severity))
      return short(d.message, 70)
    end,
  },
  {
    name = "reference: require('newsls').diagnostics() puts the warning in the location list",
    needs = 'reference: table-flattened',
    fn = function()
      local doc = docs.ref
      focus(doc)
      require('newsls').diagnostics()
      local items = vim.fn.getloclist(doc.win)
      vim.cmd('silent! lclose')
      focus(doc)
      local hit = vim.tbl_filter(function(it)
        return it.lnum - 1 == REF_TABLE.first and it.type == 'W'
      end, items)
      expect(#hit == 1, 'want one W item at line %d, got %s', REF_TABLE.first, vim.inspect(items))
    end,
  },
  {
    name = 'reference: typing a new section heading updates the outline (incremental didChange)',
    needs = 'reference: outline is the headline',
    fn = function()
      local doc = docs.ref
      focus(doc)
      -- Line 25 (0-based) is the blank line before the closing paragraph:
      -- type `o<heading><CR><Esc>` there, a heading standing alone between
      -- blank lines and followed by body text.
      local blank = 25
      expect(api.nvim_buf_get_lines(doc.buf, blank, blank + 1, false)[1] == '', 'line %d is not blank', blank)
      api.nvim_win_set_cursor(doc.win, { blank + 1, 0 })
      local t0 = uv.hrtime()
      api.nvim_feedkeys('o' .. NEW_AR_HEADING .. '\r\27', 'nx', false)
      expect(api.nvim_buf_get_lines(doc.buf, blank + 1, blank + 2, false)[1] == NEW_AR_HEADING,
        'typing did not produce the heading line')
      ref_sections = { 4, 8, 12, blank + 1 }
      wait_outline(doc, function()
        return ref_expected(ref_sections)
      end, 'outline after typing')
      return ('outline updated in %.0f ms'):format(ms_since(t0))
    end,
  },
  {
    name = 'reference: quickfix "Convert to table" fixes the flattened table',
    needs = 'reference: table-flattened',
    fn = function()
      local doc = docs.ref
      focus(doc)
      local d = wait_for('the table-flattened diagnostic', function()
        return newsls_diags(doc.buf, 'table-flattened')[1]
      end)
      -- The action as offered (listed explicitly, for a clear message).
      local range = { start = { line = d.lnum, character = 0 }, ['end'] = { line = d.end_lnum, character = d.end_col } }
      local params = {
        textDocument = vim.lsp.util.make_text_document_params(doc.buf),
        range = range,
        context = { diagnostics = { d.user_data.lsp }, only = { 'quickfix' } },
      }
      local res = doc.client:request_sync('textDocument/codeAction', params, TIMEOUT, doc.buf)
      expect(res and not res.err, 'codeAction failed: %s', vim.inspect(res and res.err))
      local titles = {}
      local found
      for _, a in ipairs(res.result or {}) do
        titles[#titles + 1] = string.format('%s (%s)', a.title, tostring(a.kind))
        if a.kind == 'quickfix' and vim.startswith(a.title, 'Convert to table') then
          found = a
        end
      end
      expect(found, 'no quickfix titled "Convert to table…"; offered: %s', vim.inspect(titles))

      -- Apply it the way a user does: cursor on the table, code action.
      api.nvim_win_set_cursor(doc.win, { d.lnum + 1, 0 })
      local tick = api.nvim_buf_get_changedtick(doc.buf)
      vim.lsp.buf.code_action({
        context = { only = { 'quickfix' } },
        filter = function(a)
          return a.kind == 'quickfix' and vim.startswith(a.title, 'Convert to table')
        end,
        apply = true,
      })
      wait_for('the code action edit', function()
        return api.nvim_buf_get_changedtick(doc.buf) ~= tick
      end)

      -- Pipe rows replace the flattened lines, keeping every cell's text; the table
      -- gets a blank line of its own after the list it followed.
      local lines = api.nvim_buf_get_lines(doc.buf, d.lnum, -1, false)
      expect(vim.trim(lines[1]) == '', 'want a blank line before the table, got %q', lines[1])
      table.remove(lines, 1)
      local rows, sep = {}, 0
      for _, l in ipairs(lines) do
        if not vim.startswith(vim.trim(l), '|') then
          break
        end
        if l:match('^%s*|[%s:|%-]+|%s*$') and l:find('-', 1, true) then
          sep = sep + 1
        else
          rows[#rows + 1] = l
        end
      end
      expect(#rows == #ref_table_rows and sep == 1,
        'want %d pipe rows and 1 delimiter row at line %d, got %d and %d:\n%s', #ref_table_rows, d.lnum,
        #rows, sep, table.concat(vim.list_slice(lines, 1, #ref_table_rows + 2), '\n'))
      for i, orig in ipairs(ref_table_rows) do
        local a = orig:gsub('%s', '')
        local b = rows[i]:gsub('[|%s]', '')
        expect(a == b, 'row %d lost text:\n  was %s\n  now %s', i, orig, rows[i])
      end

      wait_for('the table-flattened diagnostic to disappear', function()
        return #newsls_diags(doc.buf, 'table-flattened') == 0
      end)
    end,
  },
  {
    name = 'reference: vim.lsp.buf.hover() on a name shows who it is; on a non-name, nothing',
    needs = 'reference: newsls attaches',
    fn = function()
      local doc = docs.ref
      focus(doc)
      local function floats()
        local res = {}
        for _, w in ipairs(api.nvim_list_wins()) do
          if api.nvim_win_get_config(w).relative ~= '' then
            res[#res + 1] = w
          end
        end
        return res
      end
      local function close_floats()
        for _, w in ipairs(floats()) do
          pcall(api.nvim_win_close, w, true)
        end
      end
      local line = api.nvim_buf_get_lines(doc.buf, 0, 1, false)[1]
      local putin = assert(line:find('بوتين', 1, true), 'no بوتين on line 1') - 1
      close_floats()
      api.nvim_win_set_cursor(doc.win, { 1, putin + 2 })
      vim.lsp.buf.hover()
      local text = wait_for('the hover float', function()
        local w = floats()[1]
        return w and table.concat(api.nvim_buf_get_lines(api.nvim_win_get_buf(w), 0, -1, false), '\n')
      end)
      close_floats()
      focus(doc)
      expect(text:find('person', 1, true) and text:find('Vladimir Putin', 1, true), 'hover text: %s', text)
      expect(text:find('رئيس روسيا', 1, true), 'no description in: %s', text)

      -- A common word: no hover (the server answers null, no float opens).
      local word = assert(line:find('القيادة', 1, true), 'no القيادة on line 1') - 1
      api.nvim_win_set_cursor(doc.win, { 1, word + 2 })
      local params = vim.lsp.util.make_position_params(doc.win, doc.client.offset_encoding)
      local res = doc.client:request_sync('textDocument/hover', params, TIMEOUT, doc.buf)
      expect(res and not res.err and res.result == nil, 'hover on a common word: %s', vim.inspect(res))
      vim.lsp.buf.hover()
      vim.wait(500)
      expect(#floats() == 0, 'a float opened on a common word')
      return short(text:gsub('%s+', ' '), 80)
    end,
  },
  {
    name = 'reference: references on a surname list every mention of the person',
    needs = 'reference: newsls attaches',
    fn = function()
      local doc = docs.ref
      focus(doc)
      local lines = api.nvim_buf_get_lines(doc.buf, 0, -1, false)
      local want, row, col = 0, nil, nil
      for i, l in ipairs(lines) do
        local from = 1
        while true do
          local s = l:find('ترامب', from, true)
          if not s then
            break
          end
          want = want + 1
          if not row and l:sub(s - 2, s - 1) == 'و' then
            row, col = i, s - 1
          end
          from = s + 1
        end
      end
      expect(row, 'no وترامب in the article')
      api.nvim_win_set_cursor(doc.win, { row, col + 2 })
      local items
      vim.lsp.buf.references(nil, {
        on_list = function(t)
          items = t.items
        end,
      })
      wait_for('the references list', function()
        return items
      end)
      expect(#items == want, 'want %d mentions, got %d: %s', want, #items, vim.inspect(items))
      for _, it in ipairs(items) do
        local l = lines[it.lnum]
        local at = l:sub(it.col, it.col + #'ترامب' - 1)
        local whole = l:sub(it.col)
        expect(at == 'ترامب' or whole:find('^دونالد%s+ترامب'), 'line %d col %d is not a mention: %s', it.lnum, it.col, whole:sub(1, 40))
      end
      return ('%d mentions'):format(#items)
    end,
  },
  {
    name = 'reference: the entity-misspelling quick fix turns ألكاسا into ألاسكا',
    needs = 'reference: newsls attaches',
    fn = function()
      local doc = docs.ref
      focus(doc)
      local d = wait_for('the entity-misspelling diagnostic', function()
        return newsls_diags(doc.buf, 'entity-misspelling')[1]
      end)
      local line = api.nvim_buf_get_lines(doc.buf, d.lnum, d.lnum + 1, false)[1]
      expect(line:sub(d.col + 1, d.end_col) == 'ألكاسا', 'the diagnostic covers %q', line:sub(d.col + 1, d.end_col))
      api.nvim_win_set_cursor(doc.win, { d.lnum + 1, d.col })
      local tick = api.nvim_buf_get_changedtick(doc.buf)
      vim.lsp.buf.code_action({
        context = { only = { 'quickfix' } },
        filter = function(a)
          return a.kind == 'quickfix' and a.title:find('ألاسكا', 1, true) ~= nil
        end,
        apply = true,
      })
      wait_for('the code action edit', function()
        return api.nvim_buf_get_changedtick(doc.buf) ~= tick
      end)
      local after = api.nvim_buf_get_lines(doc.buf, d.lnum, d.lnum + 1, false)[1]
      expect(not after:find('ألكاسا', 1, true) and after:find('ألاسكا', 1, true), 'line is now: %s', after)
      -- Only the misspelt word changed.
      expect(after == line:sub(1, d.col) .. 'ألاسكا' .. line:sub(d.end_col + 1), 'more than the word changed: %s', after)
      wait_for('the entity-misspelling diagnostic to go', function()
        return #newsls_diags(doc.buf, 'entity-misspelling') == 0
      end)
    end,
  },
  {
    name = 'markdown: newsls attaches to the .md article',
    fn = function()
      local doc = open(docs.md)
      expect(vim.bo[doc.buf].filetype == 'markdown', 'filetype is %q', vim.bo[doc.buf].filetype)
      return ('attached in %.0f ms'):format(doc.attach_ms)
    end,
  },
  {
    name = 'markdown: outline matches the file\'s headings outside code and front matter',
    needs = 'markdown: newsls attaches',
    fn = function()
      local want = md_expected(docs.md.buf)
      expect(#want >= 2, 'could not derive headings from %s', MD)
      wait_outline(docs.md, function()
        return want
      end, 'markdown outline')
      return ('%d headings'):format(#want)
    end,
  },
  {
    name = 'markdown: a heading added with nvim_buf_set_lines updates the outline',
    needs = 'markdown: outline',
    fn = function()
      local doc = docs.md
      local n = api.nvim_buf_line_count(doc.buf)
      api.nvim_buf_set_lines(doc.buf, n, n, false, {
        '',
        '## Reaction in Antwerp',
        '',
        'Antwerp port officials said they were ready to take diverted ships.',
      })
      local want = md_expected(doc.buf)
      expect(want[#want].name == 'Reaction in Antwerp', 'new heading not derived')
      wait_outline(doc, function()
        return want
      end, 'markdown outline after edit')
    end,
  },
  {
    name = 'config: init_options rules["table-flattened"] = "off" silences the rule',
    needs = 'reference: table-flattened',
    fn = function()
      local hits = flattened_with({ init_options = { rules = { ['table-flattened'] = 'off' } } })
      expect(#hits == 0, 'still %d table-flattened diagnostic(s)', #hits)
      local control = flattened_with({})
      expect(#control == 1, 'control client without config: %d table-flattened, want 1', #control)
    end,
  },
  {
    name = 'config: settings.newsls.rules["table-flattened"] = "off" silences the rule',
    needs = 'reference: table-flattened',
    fn = function()
      local hits = flattened_with({ settings = { newsls = { rules = { ['table-flattened'] = 'off' } } } })
      expect(#hits == 0, 'still %d table-flattened diagnostic(s)', #hits)
    end,
  },
  {
    name = 'save: a rule set `when = "save"` in newsls.toml reports when the article is written, and stays',
    fn = function()
      local dir = save_desk()
      vim.cmd('silent! only')
      vim.cmd.edit(vim.fn.fnameescape(dir .. '/story.md'))
      local buf = api.nvim_get_current_buf()
      local client = wait_for('newsls to attach to story.md', function()
        return vim.lsp.get_clients({ bufnr = buf, name = 'newsls' })[1]
      end)
      expect(client.root_dir == dir, 'root %s, want the desk %s (its newsls.toml)', tostring(client.root_dir), dir)
      -- A rule that runs as the writer types reports at once: the analysis is done.
      wait_for('repeated-word as the article opens', function()
        return #newsls_diags(buf, 'repeated-word') > 0
      end)
      expect(#newsls_diags(buf, 'placeholder') == 0, 'placeholder reported before a save')
      vim.cmd('silent write')
      local d = wait_for('placeholder after :write', function()
        return newsls_diags(buf, 'placeholder')[1]
      end)
      expect(d.lnum == 2, 'placeholder on line %d, want 2 (0-based)', d.lnum)
      -- Typing above it moves it; it is not recomputed until the next save.
      api.nvim_buf_set_lines(buf, 1, 1, false, { '' })
      local moved = wait_for('the placeholder moved with the text', function()
        local p = newsls_diags(buf, 'placeholder')[1]
        return p and p.lnum == 3 and p
      end)
      return ('placeholder at %d:%d after the save'):format(moved.lnum + 1, moved.col + 1)
    end,
  },
  {
    name = 'config: newsls.toml open in the editor shows an unknown key as a warning on its line',
    needs = 'save:',
    fn = function()
      local dir = save_desk()
      vim.cmd.edit(vim.fn.fnameescape(dir .. '/newsls.toml'))
      local buf = api.nvim_get_current_buf()
      expect(vim.bo[buf].filetype == 'toml', 'filetype %s', vim.bo[buf].filetype)
      local d = wait_for('a diagnostic on newsls.toml', function()
        return newsls_diags(buf, 'configuration')[1]
      end)
      expect(d.lnum == 4 and d.severity == vim.diagnostic.severity.WARN, 'diagnostic %s', vim.inspect(d))
      expect(d.message:find('unknown key `files.exclud`', 1, true), 'message %s', d.message)
      -- Other TOML files are none of newsls's business: the plugin does not start it there.
      local other = api.nvim_create_buf(true, false)
      api.nvim_buf_set_name(other, dir .. '/Cargo.toml')
      vim.bo[other].filetype = 'toml'
      local called = false
      vim.lsp.config.newsls.root_dir(other, function()
        called = true
      end)
      expect(not called, 'the plugin would start newsls on Cargo.toml')
      expect(#vim.lsp.get_clients({ bufnr = other, name = 'newsls' }) == 0, 'newsls attached to Cargo.toml')
      api.nvim_buf_delete(other, { force = true })
      return short(d.message)
    end,
  },
  {
    name = 'the server ran through all of the above without exiting',
    needs = 'reference: newsls attaches',
    fn = function()
      expect(#exits == 0, 'server exited: %s', table.concat(exits, '; '))
      expect(not docs.ref.client:is_stopped(), 'client stopped')
    end,
  },
  {
    name = ':checkhealth newsls reports the binary and its version',
    fn = function()
      vim.cmd('checkhealth newsls')
      local text = table.concat(api.nvim_buf_get_lines(0, 0, -1, false), '\n')
      vim.cmd('silent! tabclose')
      expect(text:find('binary: ' .. vim.g.newsls_bin, 1, true), 'binary path missing from report:\n%s', text)
      local version = text:match('version: ([^\n]+)')
      expect(version and version:find('%d+%.%d+'), 'no version in report:\n%s', text)
      expect(not text:find('ERROR'), 'report has errors:\n%s', text)
      return vim.trim(version)
    end,
  },
  {
    name = ":checkhealth newsls finds `newsls` on PATH with the plugin's default cmd",
    fn = function()
      local saved_path = vim.env.PATH
      vim.env.PATH = vim.fn.fnamemodify(vim.g.newsls_bin, ':h') .. ':' .. saved_path
      local ok, text = checkhealth_with({ 'newsls', '--stdio' })
      vim.env.PATH = saved_path
      expect(ok, '%s', tostring(text))
      expect(text:find('binary: ' .. vim.fn.exepath(vim.g.newsls_bin), 1, true) or text:find('binary: ' .. vim.g.newsls_bin, 1, true),
        'binary on PATH not reported:\n%s', text)
      expect(text:find('version: ', 1, true) and not text:find('ERROR'), 'report:\n%s', text)
    end,
  },
  {
    name = ':checkhealth newsls reports a missing binary',
    fn = function()
      local ok, text = checkhealth_with({ 'newsls-e2e-no-such-binary', '--stdio' })
      expect(ok, '%s', tostring(text))
      expect(text:find('not found on PATH', 1, true) and text:find('ERROR'), 'no error in report:\n%s', text)
    end,
  },
}


------------------------------------------------------------------------------
-- Runner
------------------------------------------------------------------------------

local passed, failed = 0, 0
local status = {} ---@type table<string, boolean>

local function deps_ok(needs)
  if not needs then
    return true
  end
  for name, ok in pairs(status) do
    if vim.startswith(name, needs) then
      return ok, name
    end
  end
  return false, needs .. ' (not run)'
end

out('newsls Neovim e2e: %s, server %s', tostring(vim.version()), vim.g.newsls_bin)
for _, check in ipairs(checks) do
  if vim.env.NEWSLS_E2E_ONLY then
    local hit = false
    for pat in vim.gsplit(vim.env.NEWSLS_E2E_ONLY, ',', { plain = true }) do
      hit = hit or check.name:find(pat) ~= nil
    end
    if not hit then
      goto continue
    end
  end
  do
    local t0 = uv.hrtime()
    local ok, msg
    local dok, dep = deps_ok(check.needs)
    if not dok then
      ok, msg = false, 'not run: needs "' .. dep .. '"'
    else
      ok, msg = xpcall(check.fn, function(e)
        if type(e) == 'string' and not e:find('\n') and e:find('%.lua:%d+:') then
          return debug.traceback(e, 2)
        end
        return tostring(e)
      end)
    end
    status[check.name] = ok
    local dt = ms_since(t0)
    if ok then
      passed = passed + 1
      out('ok   %s (%.0f ms)%s', check.name, dt, msg and ('  -- ' .. msg) or '')
    else
      failed = failed + 1
      out('FAIL %s (%.0f ms)\n     %s', check.name, dt, tostring(msg):gsub('\n', '\n     '))
    end
  end
  ::continue::
end

out('')
for _, kd in ipairs({ { 'reference (.txt)', docs.ref }, { 'markdown (.md)', docs.md } }) do
  local key, doc = kd[1], kd[2]
  local function f(v)
    return v and ('%.0f ms'):format(v) or 'n/a'
  end
  if doc.t_open then
    out('timing %-16s open -> attach %s, first outline %s, first diagnostics %s%s', key, f(doc.attach_ms),
      f(doc.outline_ms), f(doc.diag_ms), doc.reused and ' (server already running)' or ' (server started)')
  end
end

out('%d passed, %d failed', passed, failed)
vim.cmd((failed > 0 or passed == 0) and 'cquit 1' or 'qall!')
