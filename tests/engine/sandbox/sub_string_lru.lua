-- what: an LRU that keeps its order in a string, rewritten with find, sub and .. on every call (O(n) inside C functions)
-- expect: fail
-- check: lru_check.lua
-- feedback: slows down as it
local LRU = {}
LRU.__index = LRU

function LRU.new(capacity)
  return setmetatable({cap = capacity, n = 0, vals = {}, order = "|"}, LRU)
end

-- moves key to the recent end of the order
local function touch(self, key)
  local mark = "|" .. key .. "|"
  local at = self.order:find(mark, 1, true)
  self.order = self.order:sub(1, at) .. self.order:sub(at + #mark) .. key .. "|"
end

function LRU:get(key)
  local v = self.vals[key]
  if v == nil then return nil end
  touch(self, key)
  return v
end

function LRU:put(key, value)
  if self.vals[key] ~= nil then
    self.vals[key] = value
    touch(self, key)
    return nil
  end
  local evicted
  if self.n == self.cap then
    local stop = self.order:find("|", 2, true)
    evicted = tonumber(self.order:sub(2, stop - 1))
    self.order = self.order:sub(stop)
    self.vals[evicted] = nil
    self.n = self.n - 1
  end
  self.vals[key] = value
  self.n = self.n + 1
  self.order = self.order .. key .. "|"
  return evicted
end

return LRU
