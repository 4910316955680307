-- Driven by neovim.test.ts: opens a fixture in headless Neovim (0.7+), attaches the
-- language server with the built-in client, records the diagnostics Neovim received,
-- a hover, then applies the "disable for this line" code action and records the buffer
-- and the diagnostics after it. Results go to $LANDLOCK_NVIM_OUT as JSON.
local out_path = os.getenv("LANDLOCK_NVIM_OUT")
local file = os.getenv("LANDLOCK_NVIM_FILE")
local server = os.getenv("LANDLOCK_SERVER_MAIN")
local node = os.getenv("LANDLOCK_NODE")
local root = os.getenv("LANDLOCK_NVIM_ROOT")
local result = { steps = {} }

local function finish()
  local f = io.open(out_path, "w")
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd("qa!")
end

local ok, err = pcall(function()
  vim.cmd("edit " .. vim.fn.fnameescape(file))
  vim.bo.filetype = "c"
  local bufnr = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    name = "landlock",
    cmd = { node, server, "--stdio" },
    root_dir = root,
    init_options = { debounceMs = 5 },
  })
  assert(client_id, "start_client failed")
  vim.lsp.buf_attach_client(bufnr, client_id)
  table.insert(result.steps, "attached")

  local got = vim.wait(30000, function() return #vim.diagnostic.get(bufnr) > 0 end, 50)
  table.insert(result.steps, got and "diagnostics" or "no diagnostics")
  result.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = (d.user_data or {}).lsp or {}
    table.insert(result.diagnostics, {
      lnum = d.lnum, col = d.col, end_col = d.end_col, severity = d.severity,
      message = d.message, source = d.source, code = lsp.code or d.code,
    })
  end
  if not got then return end
  local first = vim.diagnostic.get(bufnr)[1]

  local hover = vim.lsp.buf_request_sync(bufnr, "textDocument/hover", {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = first.lnum, character = first.col },
  }, 10000)
  for _, r in pairs(hover or {}) do
    if r.result then result.hover = r.result.contents.value end
  end

  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = { start = { line = first.lnum, character = first.col }, ["end"] = { line = first.end_lnum or first.lnum, character = first.end_col } },
    context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(bufnr, first.lnum) },
  }
  local responses = vim.lsp.buf_request_sync(bufnr, "textDocument/codeAction", params, 10000)
  result.actions = {}
  local chosen
  for _, r in pairs(responses or {}) do
    for _, action in ipairs(r.result or {}) do
      table.insert(result.actions, action.title)
      if action.title:match("^Disable .* for this line$") then chosen = action end
    end
  end
  if not chosen then return end
  vim.lsp.util.apply_workspace_edit(chosen.edit, "utf-16")
  table.insert(result.steps, "applied")
  local cleared = vim.wait(30000, function() return #vim.diagnostic.get(bufnr) == 0 end, 50)
  table.insert(result.steps, cleared and "cleared" or "not cleared")
  result.after = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  vim.lsp.stop_client(client_id)
end)
if not ok then result.error = tostring(err) end
finish()
