-- feedback: went to
-- Appends with "any", then hopes a second read catches an overdraft.
local function balance(es, a)
  local b = 0
  for _, e in ipairs(es:read(a)) do
    local n = tonumber(e.data)
    b = b + (e.type == "deposited" and n or -n)
  end
  return b
end
return {withdraw = function(es, a, amount)
  if balance(es, a) < amount then return false end
  es:append(a, "any", {{type = "withdrawn", data = tostring(amount)}})
  return true
end}
