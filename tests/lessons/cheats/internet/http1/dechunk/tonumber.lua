-- feedback: the reference returned
-- reads the size with tonumber(s, 16), which forgives spaces around it
local M = {}
function M.dechunk(bytes)
  local pos, out = 1, {}
  while true do
    local line_end = bytes:find("\r\n", pos, true)
    if not line_end then return nil end
    local text = bytes:sub(pos, line_end - 1):gsub(";.*", "")
    if #text > 15 then return nil end             -- (no wrap-around)
    local size = tonumber(text, 16)
    if not size then return nil end
    pos = line_end + 2
    if size == 0 then break end
    if bytes:sub(pos + size, pos + size + 1) ~= "\r\n" then return nil end
    out[#out + 1] = bytes:sub(pos, pos + size - 1)
    pos = pos + size + 2
  end
  while true do                                   -- trailer fields
    local line_end = bytes:find("\r\n", pos, true)
    if not line_end then return nil end
    if line_end == pos then pos = pos + 2 break end
    pos = line_end + 2
  end
  return table.concat(out), pos - 1
end
return M
