-- feedback: Append with the expected version
-- (fix09) Tries to use up the other tellers with reads and refused appends,
-- then appends with "any".
local function withdraw(es, account, amount)
  for _ = 1, 20 do es:version(account) end
  for _ = 1, 5 do es:append(account, 999, {{type = "withdrawn", data = "0"}}) end
  local b = 0
  for _, e in ipairs(es:read(account)) do
    local n = tonumber(e.data)
    b = b + (e.type == "deposited" and n or -n)
  end
  if b < amount then return false end
  es:append(account, "any", {{type = "withdrawn", data = tostring(amount)}})
  return true
end
return {withdraw = withdraw}
