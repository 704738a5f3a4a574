-- feedback: the reference returned
-- decodes continuation bytes for ever: no 32-bit bound, no length bound
local M = {}
function M.read_integer(bytes, prefix)
  local max = (1 << prefix) - 1
  local first = bytes:byte(1)
  if not first then return nil end
  local value = first & max
  if value < max then return value, 1 end
  local shift, i = 0, 1
  while true do
    i = i + 1
    local b = bytes:byte(i)
    if not b then return nil end
    value = value + ((b & 0x7F) << shift)
    shift = shift + 7
    if b & 0x80 == 0 then return value, i end
  end
end
return M
