-- lab.ratelimit against straightforward pure-Lua limiters doing the same work.
local N = 1000000

-- The same interface in pure Lua, as a learner would write it: an object
-- with an allow(now [, n]) method, a float for the tokens, lazy refill.
local TokenBucket = {}
TokenBucket.__index = TokenBucket
function TokenBucket.new(rate, burst)
  return setmetatable({rate = rate, burst = burst, tokens = burst}, TokenBucket)
end
function TokenBucket:allow(now, n)
  n = n or 1
  if self.last then
    self.tokens = math.min(self.burst, self.tokens + (now - self.last) * self.rate)
  end
  self.last = now
  if n <= self.tokens then self.tokens = self.tokens - n; return true end
  return false
end

-- A sliding log: a queue of allowed times in a table.
local SlidingLog = {}
SlidingLog.__index = SlidingLog
function SlidingLog.new(limit, window)
  return setmetatable({limit = limit, window = window, log = {}, head = 1, tail = 0}, SlidingLog)
end
function SlidingLog:allow(now)
  local log = self.log
  while self.head <= self.tail and log[self.head] <= now - self.window do
    log[self.head] = nil; self.head = self.head + 1
  end
  if self.tail - self.head + 1 < self.limit then
    self.tail = self.tail + 1; log[self.tail] = now; return true
  end
  return false
end

print("lab.ratelimit (" .. N .. " allow calls at twice the limit)")
compare("token bucket allow()", N, function()
  local tb = lab.ratelimit.token_bucket{rate = 10, burst = 10}
  for i = 1, N do tb:allow(i * 0.05) end
end, function()
  local tb = TokenBucket.new(10, 10)
  for i = 1, N do tb:allow(i * 0.05) end
end)
compare("sliding log allow()", N, function()
  local sl = lab.ratelimit.sliding_log{limit = 10, window = 1}
  for i = 1, N do sl:allow(i * 0.05) end
end, function()
  local sl = SlidingLog.new(10, 1)
  for i = 1, N do sl:allow(i * 0.05) end
end)

-- simulate: Poisson arrivals into a token bucket, counted per second, with
-- the most allowed in any 1 s span; in C, and the same loop in Lua.
local D, RATE = 1000, 1000
compare("simulate (Poisson -> token bucket, series)", D * RATE, function()
  lab.ratelimit.simulate{limiter = {algorithm = "token_bucket", rate = 100, burst = 20},
                         arrivals = {pattern = "poisson", rate = RATE, duration = D, seed = 1}}
end, function()
  local tb = TokenBucket.new(100, 20)
  local allowed, denied = {}, {}
  for i = 1, D do allowed[i] = 0; denied[i] = 0 end
  local recent, head, tail, peak = {}, 1, 0, 0
  local t, random, log = 0, math.random, math.log
  math.randomseed(1)
  while true do
    t = t - log(1 - random()) / RATE
    if t >= D then break end
    local i = t // 1 + 1
    if tb:allow(t) then
      allowed[i] = allowed[i] + 1
      while head <= tail and recent[head] <= t - 1 do recent[head] = nil; head = head + 1 end
      tail = tail + 1; recent[tail] = t
      if tail - head + 1 > peak then peak = tail - head + 1 end
    else
      denied[i] = denied[i] + 1
    end
  end
end)
