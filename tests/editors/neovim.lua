-- A headless Neovim session against `pir lsp`, run by tests/lsp.rs: open
-- Issue 2's Discord write-up, move an entry past midnight without saving,
-- take the quick fix, hover, complete after @, list the outline. Each step
-- is written to $PIR_LOG for the test to read. Works with Neovim 0.7 and
-- later (vim.lsp.start_client; 0.8 adds vim.lsp.start, as the README shows).
local root = os.getenv("PIR_ROOT")
local out = io.open(os.getenv("PIR_LOG"), "w")
local function say(...) out:write(table.concat({ ... }, " ") .. "\n"); out:flush() end
local function show(label)
  local ds = vim.diagnostic.get(0)
  say(label .. ": " .. #ds .. " diagnostic(s)")
  for _, d in ipairs(ds) do
    say(string.format("  %d:%d-%d:%d %s %s", d.lnum + 1, d.col + 1, d.end_lnum + 1, d.end_col + 1, d.code or "", (d.message:gsub("\n", " | "))))
  end
end
local function settle(pred) vim.wait(5000, pred, 20) end

local ok, err = pcall(function()

vim.cmd("edit " .. root .. "/issues/march-2020/discord.md")
local id = vim.lsp.start_client({ name = "pir", cmd = { os.getenv("PIR_BIN"), "lsp" }, root_dir = root })
vim.lsp.buf_attach_client(0, id)
settle(function() return #vim.diagnostic.get(0) > 0 end)
show("opened discord.md")

local lnum = vim.fn.search("\\[23:00\\]")
vim.api.nvim_buf_set_text(0, lnum - 1, 3, lnum - 1, 8, { "01:00" })
say("typed: line " .. lnum .. " is now: " .. vim.api.nvim_buf_get_lines(0, lnum - 1, lnum, false)[1]:sub(1, 40) .. "...")
settle(function() for _, d in ipairs(vim.diagnostic.get(0)) do if d.code == "E304" then return true end end end)
show("after the edit (not saved)")

local e304
for _, d in ipairs(vim.diagnostic.get(0)) do if d.code == "E304" then e304 = d end end
local params = { textDocument = { uri = vim.uri_from_bufnr(0) },
  range = { start = { line = e304.lnum, character = e304.col }, ["end"] = { line = e304.end_lnum, character = e304.end_col } },
  context = { diagnostics = {} } }
local answers = vim.lsp.buf_request_sync(0, "textDocument/codeAction", params, 3000)
for _, a in pairs(answers) do
  for _, action in ipairs(a.result or {}) do
    say("code action: " .. action.title)
    vim.lsp.util.apply_workspace_edit(action.edit, "utf-16")
  end
end
say("applied: line " .. lnum .. " is now: " .. vim.api.nvim_buf_get_lines(0, lnum - 1, lnum, false)[1]:sub(1, 40) .. "...")
settle(function() for _, d in ipairs(vim.diagnostic.get(0)) do if d.code == "E304" then return false end end return true end)
show("after the quick fix")

local l2 = vim.fn.search("\\[14:21\\]", "w")
local hover = vim.lsp.buf_request_sync(0, "textDocument/hover",
  { textDocument = { uri = vim.uri_from_bufnr(0) }, position = { line = l2 - 1, character = 5 } }, 3000)
for _, h in pairs(hover) do say("hover on [14:21]: " .. (h.result.contents.value:gsub("\n", " | "))) end

local l3 = vim.fn.search("@responders declare", "w")
local col = vim.fn.col(".")
local items = vim.lsp.buf_request_sync(0, "textDocument/completion",
  { textDocument = { uri = vim.uri_from_bufnr(0) }, position = { line = l3 - 1, character = col } }, 3000)
for _, c in pairs(items) do
  for _, it in ipairs(c.result or {}) do say("completion after @: " .. it.label .. " (" .. (it.detail or "") .. ")") end
end

local syms = vim.lsp.buf_request_sync(0, "textDocument/documentSymbol", { textDocument = { uri = vim.uri_from_bufnr(0) } }, 3000)
for _, s in pairs(syms) do
  for _, sym in ipairs(s.result or {}) do say("outline: " .. sym.name .. " (" .. #(sym.children or {}) .. " children)") end
end

vim.lsp.stop_client(id)
vim.wait(2000, function() return vim.lsp.get_client_by_id(id) == nil end, 20)
say("client stopped: " .. tostring(vim.lsp.get_client_by_id(id) == nil))
end)
if not ok then say("error: " .. tostring(err)) end
out:close()
vim.cmd("qall!")
