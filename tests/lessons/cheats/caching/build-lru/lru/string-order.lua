-- feedback: slows down as it grows
-- An LRU whose recency order lives in one string, "|k1|k2|...|", oldest
-- first, rewritten with find, sub and .. on every call: O(n) work per call
-- done inside C functions, a few Lua instructions each. Keys are written
-- with their type ("i5", "sb") so that 1 and "1" stay apart.
local LRU = {}
LRU.__index = LRU

function LRU.new(capacity)
  return setmetatable({cap = capacity, n = 0, vals = {}, order = "|"}, LRU)
end

local function enc(key)
  return (math.type(key) == "integer" and "i" or "s") .. key
end

local function dec(s)
  if s:sub(1, 1) == "i" then return math.tointeger(tonumber(s:sub(2))) end
  return s:sub(2)
end

-- moves key to the recent end of the order
local function touch(self, key)
  local mark = "|" .. enc(key) .. "|"
  local at = self.order:find(mark, 1, true)
  self.order = self.order:sub(1, at) .. self.order:sub(at + #mark) .. enc(key) .. "|"
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
    evicted = dec(self.order:sub(2, stop - 1))
    self.order = self.order:sub(stop)
    self.vals[evicted] = nil
    self.n = self.n - 1
  end
  self.vals[key] = value
  self.n = self.n + 1
  self.order = self.order .. enc(key) .. "|"
  return evicted
end

return LRU
