-- feedback: 10000000000000001
-- reads the size with tonumber(s, 16) and no bound: past 64 bits the
-- value wraps around (0x10000000000000001 is read as 1), so this parser
-- and a strict one disagree on where the body ends
local M = {}
function M.dechunk(bytes)
  local body, pos = {}, 1
  while true do
    local size_text, after = bytes:match("^(%x+)\r\n()", pos)
    if not size_text then
      size_text, after = bytes:match("^(%x+);[^\r\n]*\r\n()", pos)
    end
    if not size_text then return nil end
    local size = tonumber(size_text, 16)
    if size == 0 then pos = after break end
    if bytes:sub(after + size, after + size + 1) ~= "\r\n" then return nil end
    body[#body + 1] = bytes:sub(after, after + size - 1)
    pos = after + size + 2
  end
  while bytes:sub(pos, pos + 1) ~= "\r\n" do
    local nxt = bytes:match("^[^\r\n]*\r\n()", pos)
    if not nxt then return nil end
    pos = nxt
  end
  return table.concat(body), pos + 1
end
return M
