-- Lua tests of lab.ratelimit (engine/concepts/ratelimit/ratelimit_lua.c).

local R = lab.ratelimit

local function params(a)
  if a:find("window") or a:find("log") then return {limit = 3, window = 1} end
  if a:find("leaky") then return {rate = 2, capacity = 3} end
  return {rate = 2, burst = 3}
end

test("ratelimit/constructors", function()
  eq(#R.algorithms, 7)
  for _, a in ipairs(R.algorithms) do
    local p = params(a)
    local x = R[a](p)
    p.algorithm = a
    local y = R.new(p)
    eq(x:snapshot().algorithm, a)
    same(x:snapshot(), y:snapshot())
    truthy(tostring(x):find("^lab%.ratelimit%." .. a .. "{"), tostring(x))
    truthy(tostring(x):find("idle"), tostring(x))
    eq(getmetatable(x), false)
  end
end)

test("ratelimit/option_errors", function()
  raises(function() R.token_bucket{rate = 1} end, "lab.ratelimit.token_bucket: option 'burst' is required")
  raises(function() R.token_bucket{rate = 1, burst = 2, window = 1} end,
    "lab.ratelimit.token_bucket: unknown option 'window'")
  raises(function() R.fixed_window{limit = 1, windw = 1} end,
    "lab.ratelimit.fixed_window: unknown option 'windw' %(did you mean 'window'%?%)")
  raises(function() R.token_bucket{rate = 0, burst = 1} end, "rate must be")
  raises(function() R.token_bucket{rate = 1, burst = 1.5} end, "burst' must be an integer")
  raises(function() R.gcra() end, "needs a table of options")
  raises(function() R.new{rate = 1, burst = 1} end, "option 'algorithm' must be one of: token_bucket")
  raises(function() R.new{algorithm = "leaky", rate = 1} end, "must be one of")
  raises(function() R.sliding_log{limit = 20000000, window = 1} end, "1e7")
end)

test("ratelimit/allow_returns", function()
  -- rate 2 (a token each 0.5 s), burst 3, starts full
  local tb = R.token_bucket{rate = 2, burst = 3}
  local ok, rem, retry = tb:allow(0, 3)
  eq(ok, true); eq(rem, 0); eq(retry, 0.0)
  ok, rem, retry = tb:allow(0.1)
  eq(ok, false); eq(rem, 0); near(retry, 0.4, 1e-12)
  ok, rem, retry = tb:allow(0.5)             -- exactly when the token is whole
  eq(ok, true)
  ok, rem, retry = tb:allow(0.5, 4)
  eq(ok, false); eq(retry, math.huge)        -- more than the burst: never
  eq(tb:allow(0.5, 0), true)                 -- n = 0 always passes
  raises(function() tb:allow(0.5, -1) end, "non%-negative")
  raises(function() tb:allow(0.5, 1.5) end, "integer")
  raises(function() tb:allow("soon") end, "number expected")
end)

test("ratelimit/time_backwards_names_both_times", function()
  local g = R.gcra{rate = 1, burst = 2}
  g:allow(2.5)
  g:allow(2.5)                               -- the same time again is fine
  raises(function() g:allow(1.25) end, "now 1%.25 is earlier than the last call at 2%.5")
  raises(function() g:peek(1) end, "earlier than the last call")
  raises(function() g:allow(0 / 0) end, "finite")
  eq(g:snapshot().allowed, 2)                -- errors changed nothing
end)

test("ratelimit/detail_peek", function()
  local q = R.leaky_queue{rate = 1, capacity = 2}
  eq(q:detail(), nil)
  q:allow(0); q:allow(0)
  local d = q:detail()
  same(d, {allowed = true, now = 0.0, n = 1, limit = 3, remaining = 1, retry_after = 0.0,
           reset_after = 2.0, delay = 1.0})
  local p = q:peek(0, 2)
  eq(p.allowed, false); eq(p.retry_after, 1.0)
  eq(q:snapshot().allowed, 2)                -- peek changed nothing
  same(q:snapshot().releases, {1.0})
  eq(R.gcra{rate = 1, burst = 1}:peek(0).delay, nil) -- delay only for the queue
end)

test("ratelimit/snapshots", function()
  local tb = R.token_bucket{rate = 2, burst = 3}
  tb:allow(0, 3); tb:allow(0.25)          -- empty, then half a token: denied
  same(tb:snapshot(), {algorithm = "token_bucket", rate = 2.0, burst = 3, started = true,
                       last = 0.25, allowed = 1, denied = 1, tokens = 0.5})
  local sl = R.sliding_log{limit = 3, window = 1}
  sl:allow(0.2); sl:allow(0.5, 2); sl:allow(1.2)
  same(sl:snapshot().log, {0.5, 0.5, 1.2})
  local sw = R.sliding_window{limit = 10, window = 1}
  sw:allow(0.5, 8); sw:allow(1.25, 4)
  local s = sw:snapshot()
  eq(s.previous, 8); eq(s.count, 4); eq(s.weight, 0.75); eq(s.estimate, 10.0)
  eq(s.window_start, 1.0)
  truthy(tostring(sw):find("estimate 10 %(4 now, 8 before%)"), tostring(sw))
  local g = R.gcra{rate = 1, burst = 5}
  g:allow(0, 2)
  eq(g:snapshot().tat, 2.0)
  g:reset()
  eq(g:snapshot().started, false)
end)

-- The redis-cell trace, through the binding. Its -1 ms retry_after stands for
-- "not limited" (our 0) and "never" (our math.huge).
test("ratelimit/gcra_redis_cell", function()
  local f = assert(io.open("tests/engine/concepts/ratelimit/data/gcra_redis_cell.tsv"))
  local g = R.new{algorithm = "gcra", rate = 1, burst = 5}
  local cases = 0
  for line in f:lines() do
    if not line:find("^#") then
      local c = {}
      for x in line:gmatch("%S+") do c[#c + 1] = tonumber(x) end
      local ok, remaining = g:allow(c[2] / 1000, c[3])
      local d = g:detail()
      eq(ok, c[4] == 0, "case " .. c[1])
      eq(d.limit, c[5], "case " .. c[1])
      eq(remaining, c[6], "case " .. c[1])
      eq(math.floor(d.reset_after * 1000 + 0.5), c[7], "case " .. c[1])
      local retry = (d.retry_after == 0 or d.retry_after == math.huge) and -1
        or math.floor(d.retry_after * 1000 + 0.5)
      eq(retry, c[8], "case " .. c[1])
      cases = cases + 1
    end
  end
  f:close()
  eq(cases, 15)
end)

-- A pure-Lua token bucket, as a learner would write it, agrees with the
-- reference on times chosen away from exact token boundaries.
test("ratelimit/differential_token_bucket", function()
  local function lua_bucket(rate, burst)
    local tokens, last = burst, nil
    return function(now, n)
      if last then tokens = math.min(burst, tokens + (now - last) * rate) end
      last = now
      if n <= tokens then tokens = tokens - n; return true end
      return false
    end
  end
  local r = lab.rand.new(5)
  for _ = 1, 20 do
    local rate, burst = r:int(1, 20), r:int(1, 10)
    local ref, mine = R.token_bucket{rate = rate, burst = burst}, lua_bucket(rate, burst)
    local now = 0
    for _ = 1, 300 do
      now = now + r:exponential(rate) + 1e-7  -- never exactly on a boundary
      local n = r:int(0, burst)
      eq(mine(now, n), (ref:allow(now, n)))
    end
  end
end)

test("ratelimit/simulate_shapes", function()
  local s = R.simulate{limiter = {algorithm = "fixed_window", limit = 10, window = 1},
                      arrivals = {pattern = "constant", rate = 20, duration = 5}}
  eq(s.algorithm, "fixed_window")
  eq(s.requests, 100); eq(s.allowed, 50); eq(s.denied, 50)
  same(s.series.time, {0.0, 1.0, 2.0, 3.0, 4.0})
  same(s.series.allowed, {10, 10, 10, 10, 10})
  same(s.series.denied, {10, 10, 10, 10, 10})
  eq(s.peak_window, 1.0)
  -- a limiter object as the template: the object itself is untouched
  local q = R.leaky_queue{rate = 5, capacity = 4}
  local t = R.simulate{limiter = q, arrivals = {0, 0, 0, 0, 0, 0, 0}, interval = 0.5}
  eq(t.allowed, 5); eq(t.delay_max, 0.8); eq(q:snapshot().started, false)
  -- same seed, same run
  local a = R.simulate{limiter = {algorithm = "gcra", rate = 5, burst = 2},
                       arrivals = {pattern = "poisson", rate = 30, duration = 20, seed = 9}}
  local b = R.simulate{limiter = {algorithm = "gcra", rate = 5, burst = 2},
                       arrivals = {pattern = "poisson", rate = 30, duration = 20, seed = 9}}
  same(a, b)
end)

test("ratelimit/simulate_window_edge", function()
  -- 10 requests just before the edge at t = 1 and 10 at it
  local times = {}
  for i = 1, 10 do times[#times + 1] = 0.99 end
  for i = 1, 10 do times[#times + 1] = 1.0 end
  local fixed = R.simulate{limiter = {algorithm = "fixed_window", limit = 10, window = 1},
                           arrivals = {pattern = "trace", times = times}}
  local log = R.simulate{limiter = {algorithm = "sliding_log", limit = 10, window = 1},
                         arrivals = times}
  eq(fixed.peak, 20); eq(log.peak, 10)
end)

test("ratelimit/simulate_errors", function()
  local lim = {algorithm = "gcra", rate = 1, burst = 1}
  raises(function() R.simulate{limiter = lim} end, "lab.ratelimit.simulate: option 'arrivals' is required")
  raises(function() R.simulate{arrivals = {1}} end, "option 'limiter' is required")
  raises(function() R.simulate{arrivals = {1}, limiter = 5} end, "option 'limiter' must be")
  raises(function() R.simulate{limiter = lim, arrivals = {rate = 5, duration = 1}} end,
    "list of times, or a table with pattern")
  raises(function() R.simulate{limiter = lim, arrivals = {pattern = "poisson", rate = 5,
    duration = 1, every = 2}} end, "arrivals %(poisson%): unknown option 'every'")
  raises(function() R.simulate{limiter = lim, arrivals = {pattern = "wave"}} end, "arrivals: pattern must be one of: constant poisson burst trace %(got 'wave'%)")
  raises(function() R.simulate{limiter = lim, arrivals = {1, "x"}} end, "arrivals%[2%] is a string, expected a number")
  raises(function() R.simulate{limiter = lim, arrivals = {pattern = "constant", duration = 1}} end,
    "rate must be")
  raises(function() R.simulate{limiter = lim, arrivals = {1}, intervals = 2} end,
    "unknown option 'intervals' %(did you mean 'interval'%?%)")
  raises(function() R.simulate{limiter = lim, arrivals = {-1}} end, "between 0 and 1e9")
end)
