-- An option a function does not take is an error, everywhere, in one
-- format, with the option it probably meant (issue 9):
--   lab.lb.new: unknown option 'stratgy' (did you mean 'strategy'?)

local store = lab.cache.store{}

-- function, the options it is called with (a typo among them), the
-- message's who, the typo and the suggestion; calls with a first argument
-- that is not the options give it as `arg`.
local cases = {
  {lab.lb.new, {stratgy = "p2c", backends = {"a"}}, "lab.lb.new", "stratgy", "strategy"},
  {lab.hash.ring, {vnode = 10}, "lab.hash.ring", "vnode", "vnodes"},
  {lab.cache.new, {capacity = 2, polcy = "lru"}, "lab.cache.new", "polcy", "policy"},
  {lab.cache.simulate, {requets = 10}, "lab.cache.simulate", "requets", "requests"},
  {lab.cache.trace, {key = 10}, "lab.cache.trace", "key", "keys"},
  {lab.cache.store, {latncy = 1}, "lab.cache.store", "latncy", "latency"},
  {lab.cache.writer, {store = store, capacty = 3}, "lab.cache.writer", "capacty", "capacity"},
  {lab.cache.stampede, {stratgy = "none"}, "lab.cache.stampede", "stratgy", "strategy"},
  {lab.hash.movement, {shceme = "ring"}, "lab.hash.movement", "shceme", "scheme"},
  {lab.hash.rendezvous, {node = {"a"}}, "lab.hash.rendezvous", "node", "nodes"},
  {lab.hash.maglev, {sise = 7}, "lab.hash.maglev", "sise", "size"},
  {lab.httpcache.evaluate, {response = {}, shard = true}, "lab.httpcache.evaluate", "shard", "shared"},
  {lab.httpcache.evaluate, {response = {headres = {}}}, "lab.httpcache.evaluate: response",
   "headres", "headers"},
  {lab.httpcache.origin, {etg = '"a"'}, "lab.httpcache.origin", "etg", "etag"},
  {lab.lb.new, {backends = {{"a", wieght = 2}}}, "lab.lb.new: backends[1]", "wieght", "weight"},
  {lab.lb.simulate, {backends = {{}}, rates = 5}, "lab.lb.simulate", "rates", "rate"},
  {lab.lb.simulate, {backends = {{capacty = 2}}}, "lab.lb.simulate: backends[1]", "capacty", "capacity"},
  {lab.lb.simulate, {backends = {{service = {mena = 1}}}}, "lab.lb.simulate: backends[1].service",
   "mena", "mean"},
  {lab.lb.simulate, {backends = {{}}, health = {fal = 2}}, "lab.lb.simulate: health", "fal", "fall"},
  {lab.lb.simulate, {backends = {{}}, events = {{at = 1, backend = 1, dwn = true}}},
   "lab.lb.simulate: events[1]", "dwn", "down"},
  {lab.pool.simulate, {rate = 1, pool_size = 4}, "lab.pool.simulate", "pool_size", "size"},
  {lab.pool.new, {rate = 1, cors = 4}, "lab.pool.new", "cors", "cores"},
  {lab.pool.sweep, {rate = 1, sizes = {1}, size = 2}, "lab.pool.sweep", "size", "sizes"},
  {lab.ratelimit.token_bucket, {rate = 1, burst = 1, brust = 2}, "lab.ratelimit.token_bucket",
   "brust", "burst"},
  {lab.ratelimit.new, {algorithm = "sliding_log", limit = 1, windw = 1}, "lab.ratelimit.new",
   "windw", "window"},
  {lab.ratelimit.simulate, {limiter = {algorithm = "gcra", rate = 1, burst = 1}, arrivals = {1},
   intervals = 2}, "lab.ratelimit.simulate", "intervals", "interval"},
  {lab.ratelimit.simulate, {limiter = {algorithm = "gcra", rate = 1, burst = 1},
   arrivals = {pattern = "poisson", rate = 1, duration = 1, seeed = 2}},
   "lab.ratelimit.simulate: arrivals (poisson)", "seeed", "seed"},
  {lab.net.nat, {maping = "address"}, "lab.net.nat", "maping", "mapping"},
  -- second-argument options
  {lab.plot.bars, {widht = 40}, "lab.plot.bars", "widht", "width", arg = {a = 1}},
  {lab.plot.histogram, {bns = 3}, "lab.plot.histogram", "bns", "bins", arg = {1}},
  {lab.plot.bins, {rnage = {0, 1}}, "lab.plot.bins", "rnage", "range", arg = {1}},
  {lab.plot.sparkline, {tilte = "x"}, "lab.plot.sparkline", "tilte", "title", arg = {1}},
  {lab.plot.ticks, {mx = 3}, "lab.plot.ticks", "mx", "max", args = {1, 10}},
  {lab.plot.lines, {series = {{1, 2}}, xlable = "x"}, "lab.plot.lines", "xlable", "xlabel"},
  {lab.plot.scatter, {series = {{y = {1}, nmae = "a"}}}, "lab.plot: series 1", "nmae", "name"},
  {lab.pool.capacity, {coers = 2}, "lab.pool.capacity", "coers", "cores", arg = 4},
}

test("unknown_options/one_format_with_a_suggestion", function()
  for i, c in ipairs(cases) do
    local fn, opts, who, typo, meant = c[1], c[2], c[3], c[4], c[5]
    local ok, err
    if c.args then
      ok, err = pcall(fn, c.args[1], c.args[2], opts)
    elseif c.arg ~= nil then
      ok, err = pcall(fn, c.arg, opts)
    else
      ok, err = pcall(fn, opts)
    end
    truthy(not ok, "case " .. i .. " (" .. who .. ") was accepted")
    local want = who .. ": unknown option '" .. typo .. "' (did you mean '" .. meant .. "'?)"
    truthy(tostring(err):find(want, 1, true),
      ("case %d: %q does not hold %q"):format(i, tostring(err), want))
  end
end)

test("unknown_options/without_a_near_name", function()
  raises(function() lab.cache.new{capacity = 2, zzzzzz = 1} end,
    "^[^:]*:%d+: lab.cache.new: unknown option 'zzzzzz'$")
  raises(function() lab.cache.new{capacity = 2, [5] = 1} end, "lab.cache.new: unknown option %[5%]")
  raises(function() lab.cache.new{capacity = 2, [true] = 1} end,
    "lab.cache.new: unknown option of type boolean")
end)
