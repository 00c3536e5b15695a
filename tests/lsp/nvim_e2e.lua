-- Neovim as chanlint's LSP client, end to end (nvim_e2e_test.py runs it):
--   nvim --headless --noplugin -n -i NONE -u nvim_e2e.lua
-- with CHANLINT_E2E_* in the environment. Written for Neovim 0.7 (Debian
-- 12): vim.lsp.start_client + buf_attach_client, not 0.8's vim.lsp.start.
--
-- Starts chanlint as docs/editors.md configures it for 0.7 (root_dir the
-- working directory, no database setting), opens the file, waits for
-- chanlint's diagnostic, asks for code actions with the cursor at the start
-- of its line (as vim.lsp.buf.code_action() asks: the line's diagnostics in
-- the context), applies the quick fix with the UTF-16 offset encoding,
-- writes the buffer, waits for the diagnostics to clear, stops the server.
-- Whatever happens, it writes what it saw to CHANLINT_E2E_OUT as JSON and
-- quits: status 0 if every step passed, 1 otherwise.
local env = vim.env
local chanlint = env.CHANLINT_E2E_CHANLINT
local file = env.CHANLINT_E2E_FILE
local out_path = env.CHANLINT_E2E_OUT
local timeout = tonumber(env.CHANLINT_E2E_TIMEOUT_MS or '60000')

local report = { steps = {} }

local function step(name)
  table.insert(report.steps, name)
end

local function finish(ok, err)
  report.ok = ok
  report.error = err
  local f = assert(io.open(out_path, 'w'))
  f:write(vim.fn.json_encode(report))
  f:close()
  if ok then
    vim.cmd('qall!')
  else
    vim.cmd('cquit 1')
  end
end

local function simplify(diagnostics)
  local out = {}
  for _, d in ipairs(diagnostics) do
    table.insert(out, {
      lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
      severity = d.severity, message = d.message, source = d.source, code = d.code,
    })
  end
  return out
end

local function run()
  vim.lsp.set_log_level('debug')
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  step('opened')

  local exit_code
  local client_id = vim.lsp.start_client({
    name = 'chanlint',
    cmd = { chanlint, '--lsp' },
    root_dir = vim.fn.getcwd(),
    init_options = { fallbackFlags = {}, debounceMs = 50 },
    flags = { debounce_text_changes = 20 },
    on_exit = function(code, _signal)
      exit_code = code
    end,
  })
  assert(client_id, 'vim.lsp.start_client returned nil')
  assert(vim.lsp.buf_attach_client(bufnr, client_id), 'buf_attach_client failed')
  step('attached')

  local started = vim.loop.hrtime()
  local got = vim.wait(timeout, function()
    return #vim.diagnostic.get(bufnr) > 0
  end, 20)
  assert(got, 'no diagnostic within ' .. timeout .. ' ms')
  report.latency_ms = (vim.loop.hrtime() - started) / 1e6
  local diagnostics = vim.diagnostic.get(bufnr)
  report.diagnostics = simplify(diagnostics)
  step('diagnostic')

  local client = vim.lsp.get_client_by_id(client_id)
  report.offset_encoding = client.offset_encoding

  -- The cursor at the start of the diagnostic's line, before its range:
  -- the fix is found through the line's diagnostics in the context. The
  -- request's range is built from the cursor in the server's encoding.
  local d = diagnostics[1]
  vim.api.nvim_win_set_cursor(0, { d.lnum + 1, 0 })
  report.cursor = vim.api.nvim_win_get_cursor(0)
  local params = vim.lsp.util.make_range_params(0, 'utf-16')
  params.context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(bufnr) }
  local responses, err = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, timeout)
  assert(responses, 'codeAction: ' .. tostring(err))
  local response = responses[client_id]
  assert(response and response.result, 'codeAction: no result: ' .. vim.inspect(responses))
  report.actions = {}
  local fix
  for _, action in ipairs(response.result) do
    table.insert(report.actions, { title = action.title, kind = action.kind })
    if action.kind == 'quickfix' and action.edit and not fix then
      fix = action
    end
  end
  assert(fix, 'no quick fix among ' .. vim.inspect(report.actions))
  step('code action')

  vim.lsp.util.apply_workspace_edit(fix.edit, 'utf-16')
  vim.cmd('write')
  step('fix applied and written')

  local cleared = vim.wait(timeout, function()
    return #vim.diagnostic.get(bufnr) == 0
  end, 20)
  report.diagnostics_after_fix = simplify(vim.diagnostic.get(bufnr))
  assert(cleared, 'the diagnostic did not go away after the fix')
  step('diagnostics cleared')

  vim.lsp.stop_client(client_id)
  local exited = vim.wait(10000, function()
    return exit_code ~= nil
  end, 20)
  report.server_exit_code = exit_code
  assert(exited, 'the server did not exit after shutdown/exit')
  step('server stopped')
end

local ok, err = xpcall(run, debug.traceback)
finish(ok, err)
