-- feedback: Append with the expected version
-- (find09 C6) One versioned try; on a conflict, re-reads and appends with
-- "any": the race the exercise is about (it used to pass on some seeds).
local function bal(es, a)
  local b, v = 0, 0
  for _, e in ipairs(es:read(a)) do
    local n = tonumber(e.data); b = b + (e.type == "deposited" and n or -n); v = e.version
  end
  return b, v
end
local function withdraw(es, account, amount)
  local b, v = bal(es, account)
  if b < amount then return false end
  if es:append(account, v, {{type = "withdrawn", data = tostring(amount)}}) then return true end
  b = bal(es, account)
  if b < amount then return false end
  es:append(account, "any", {{type = "withdrawn", data = tostring(amount)}})
  return true
end
return {withdraw = withdraw}
