-- feedback: went to
-- Reads the balance, then takes the version in a second call: another
-- teller may write in between, and the append passes on a stale balance.
return {withdraw = function(es, a, amount)
  while true do
    local b = 0
    for _, e in ipairs(es:read(a)) do
      local n = tonumber(e.data)
      b = b + (e.type == "deposited" and n or -n)
    end
    if b < amount then return false end
    local v = es:version(a)
    if es:append(a, v, {{type = "withdrawn", data = tostring(amount)}}) then
      return true
    end
  end
end}
