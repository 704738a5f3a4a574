-- feedback: is not available to your code
-- lab.cache's TTLs do the caching; only the flights are the learner's
local F = {}
F.__index = F
function F.new(ttl, nttl, loader)
  local now = 0
  return setmetatable({ttl = ttl, nttl = nttl, loader = loader, flights = {},
    setnow = function(t) now = t end,
    cache = lab.cache.new{capacity = 100, clock = function() return now end}}, F)
end
function F:get(now, key)
  self.setnow(now)
  local f = self.flights[key]
  if f and f.ready <= now then
    self.flights[key] = nil
    local left = f.ready + (f.value == nil and self.nttl or self.ttl) - now
    if left > 0 then self.cache:put(key, {f.value}, left) end
    f = nil
  end
  if f then return "wait", f.value, f.ready end
  local box = self.cache:get(key)
  if box then return "hit", box[1], now end
  local value, seconds = self.loader(key)
  self.flights[key] = {value = value, ready = now + seconds}
  return "load", value, now + seconds
end
function F:forget(now, key)
  self.setnow(now); self.flights[key] = nil; self.cache:delete(key)
end
return F
