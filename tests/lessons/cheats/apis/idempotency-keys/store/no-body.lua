-- feedback: the reference returned
-- replays the status without the body
local Store = {}
Store.__index = Store

function Store.new(ttl)
  return setmetatable({ttl = ttl, entries = {}}, Store)
end

function Store:begin(key, request, now)
  local e = self.entries[key]
  if e == nil or now >= e.first + self.ttl then
    self.entries[key] = {request = request, first = now, done = false}
    return "new"
  end
  if e.request ~= request then return "mismatch" end
  if not e.done then return "conflict" end
  return "replay", e.status
end

function Store:finish(key, status, body)
  local e = self.entries[key]
  if e == nil or e.done then return false end
  e.done, e.status, e.body = true, status, body
  return true
end

function Store:abandon(key)
  local e = self.entries[key]
  if e == nil or e.done then return false end
  self.entries[key] = nil
  return true
end

return Store
