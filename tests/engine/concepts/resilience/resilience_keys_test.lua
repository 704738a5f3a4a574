-- Lua tests of lab.resilience's keys, ops, caches, routes by key, async
-- calls and utilization (issue 20, design-api.md section 1): each against
-- an independent count (the key stream lab.resilience.keys returns, a
-- plain-Lua LRU, exact arithmetic on deterministic runs).

-- H(n, s) = sum of 1/k^s for k = 1..n.
local function harmonic(n, s)
  local h = 0
  for k = 1, n do h = h + k ^ -s end
  return h
end

-- The shares of key 1 and of keys 1..10 in a sample of keys.
local function shares(keys)
  local one, top = 0, 0
  for _, k in ipairs(keys) do
    if k == 1 then one = one + 1 end
    if k <= 10 then top = top + 1 end
  end
  return one / #keys, top / #keys
end

-- Within 5 standard deviations of a binomial share P over N draws.
local function share_near(got, p, n, msg)
  near(got, p, 5 * math.sqrt(p * (1 - p) / n), msg)
end

test("keys/zipf_law", function()
  local n = 200000
  for _, case in ipairs{{1000, 0.99}, {1000, 1}, {100000, 0.5}, {1000000, 1.2}, {50, 3}} do
    local keys, s = case[1], case[2]
    local h = harmonic(keys, s)
    local got = lab.resilience.keys{keys = keys, skew = s, n = n, seed = 11}
    eq(#got, n)
    local one, top = shares(got)
    share_near(one, 1 / h, n, ("key 1, %d keys, skew %g"):format(keys, s))
    share_near(top, harmonic(10, s) / h, n, ("top 10, %d keys, skew %g"):format(keys, s))
    for i = 1, n, 997 do
      truthy(got[i] >= 1 and got[i] <= keys and math.type(got[i]) == "integer", "in range")
    end
  end
  -- a billion keys, skew 2: H(1e9, 2) is pi^2/6 to 1e-9
  local one, top = shares(lab.resilience.keys{keys = 1000000000, skew = 2, n = n, seed = 5})
  local zeta2 = math.pi ^ 2 / 6
  share_near(one, 1 / zeta2, n, "key 1 of 1e9, skew 2")
  share_near(top, harmonic(10, 2) / zeta2, n, "top 10 of 1e9, skew 2")
  -- skew 0: uniform (mean (keys + 1) / 2, every key drawn)
  local u = lab.resilience.keys{keys = 20, skew = 0, n = n, seed = 2}
  local seen, sum = {}, 0
  for _, k in ipairs(u) do seen[k] = (seen[k] or 0) + 1; sum = sum + k end
  for k = 1, 20 do share_near(seen[k] / n, 1 / 20, n, "uniform key " .. k) end
  near(sum / n, 10.5, 0.05, "uniform mean")
end)

test("keys/stream_replays_and_ops", function()
  local a = lab.resilience.keys{keys = 100, n = 50, seed = 9}
  local b = lab.resilience.keys{keys = 100, n = 50, seed = 9}
  same(a, b)
  local c, ops = lab.resilience.keys{keys = 100, n = 20000, seed = 9, writes = 0.25}
  for i = 1, 50 do eq(c[i], a[i], "the ops do not change the keys") end
  local w = 0
  for _, op in ipairs(ops) do if op == "write" then w = w + 1 end end
  share_near(w / #ops, 0.25, #ops, "writes")
  eq(select("#", lab.resilience.keys{keys = 5, n = 3}), 1, "no ops without writes")
  raises(function() lab.resilience.keys{keys = 0} end, "keys")
  raises(function() lab.resilience.keys{keys = 10, skew = 6} end, "skew")
end)

test("keys/shard", function()
  for n = 1, 7 do
    for key = 0, 200 do
      local s = lab.resilience.shard(key, n)
      truthy(s >= 1 and s <= n, "in range")
      eq(lab.resilience.shard(key, n), s, "fixed")
    end
  end
  -- splitmix64's output function (documented on the page), written again
  -- here: key 0 mixes to 0xe220a8397b1dcdaf, splitmix64's first output from 0
  local function mix(k)
    local z = k + 0x9e3779b97f4a7c15
    z = (z ~ (z >> 30)) * 0xbf58476d1ce4e5b9
    z = (z ~ (z >> 27)) * 0x94d049bb133111eb
    return z ~ (z >> 31)
  end
  eq(mix(0), 0xe220a8397b1dcdaf)
  local function umod(x, n) return (2 * ((x >> 1) % n) + (x & 1)) % n end
  for _, n in ipairs{1, 2, 3, 7, 10, 1000, 999983} do
    for key = 0, 300 do
      eq(lab.resilience.shard(key, n), 1 + umod(mix(key), n), ("shard(%d, %d)"):format(key, n))
    end
  end
  raises(function() lab.resilience.shard(-1, 2) end, "key")
  raises(function() lab.resilience.shard(1, 0) end, "n")
end)

-- A plain-Lua LRU of CAP keys: a map of key -> node in a doubly linked list.
local function lru(cap)
  local map, head, tail, count = {}, nil, nil, 0
  local function unlink(n)
    if n.prev then n.prev.next = n.next else head = n.next end
    if n.next then n.next.prev = n.prev else tail = n.prev end
  end
  local function front(n)
    n.prev, n.next = nil, head
    if head then head.prev = n end
    head = n
    if not tail then tail = n end
  end
  local c = {}
  function c.hit(k)
    local n = map[k]
    if not n then return false end
    unlink(n); front(n)
    return true
  end
  function c.delete(k)
    local n = map[k]
    if n then unlink(n); map[k] = nil; count = count - 1 end
  end
  function c.insert(k)
    if c.hit(k) then return end
    if count == cap then c.delete(tail.key) end
    local n = {key = k}
    map[k] = n; front(n); count = count + 1
  end
  return c
end

-- One service with a cache and no dependency, deterministic work and
-- workers to spare: requests end their work in the order they came, so
-- the cache sees the key stream in order, as a sequential LRU would.
test("keys/cache_hit_ratio_matches_a_plain_lru", function()
  for _, case in ipairs{{200, 1000, 0.99, 0}, {50, 5000, 1.1, 0.2}, {1000, 100000, 0.7, 0.05}} do
    local cap, keys, skew, writes = case[1], case[2], case[3], case[4]
    local r = lab.resilience.simulate{duration = 60, drain = 5, seed = 4,
      services = {{name = "c", workers = 1000, queue = 0, latency = 0.001,
                   dist = "deterministic", cache = cap}},
      client = {rate = 500, keys = keys, skew = skew, writes = writes}}
    eq(r.failed, 0)
    local stream, ops = lab.resilience.keys{keys = keys, skew = skew, n = r.requests, seed = 4,
                                            writes = writes}
    local l, hits, misses = lru(cap), 0, 0
    for i, k in ipairs(stream) do
      if ops and ops[i] == "write" then
        l.delete(k)
      elseif l.hit(k) then
        hits = hits + 1
      else
        misses = misses + 1
        l.insert(k)
      end
    end
    local s = r.services.c
    eq(s.hits, hits, "hits")
    eq(s.misses, misses, "misses")
    eq(s.hit_ratio, hits / (hits + misses), "hit_ratio")
    eq(s.reads + s.writes, r.requests)
    eq(s.writes, r.writes)
    truthy(hits > 0 and misses > 0, "both")
  end
end)

test("keys/cache_in_front_of_a_database", function()
  local r = lab.resilience.simulate{duration = 30, drain = 5, seed = 2,
    services = {{name = "c", workers = 200, latency = 0.001, cache = 100,
                 calls = {{to = "db"}}},
                {name = "db", workers = 200, latency = 0.005}},
    client = {rate = 400, keys = 2000, skew = 1, writes = 0.1}}
  eq(r.failed, 0)
  local c, db = r.services.c, r.services.db
  eq(c.hits + c.misses, c.reads, "every read hits or misses")
  eq(db.arrivals, c.misses + c.writes, "a hit calls nothing; a write calls through")
  truthy(c.hit_ratio > 0.3 and c.hit_ratio < 0.9, "a partial hit ratio: " .. c.hit_ratio)
  -- without keys, no read ever hits
  local n = lab.resilience.simulate{duration = 5, seed = 2,
    services = {{name = "c", cache = 100, calls = {{to = "db"}}}, {name = "db"}},
    client = {rate = 100}}
  eq(n.services.c.hits, 0)
  eq(n.services.c.misses, n.services.c.reads)
  eq(n.services.db.arrivals, n.requests)
end)

test("keys/down_empties_the_cache", function()
  -- one key: every read hits but the first, and the first after the restart
  local r = lab.resilience.simulate{duration = 10, drain = 1, seed = 3,
    services = {{name = "c", workers = 50, latency = 0.001, dist = "deterministic",
                 cache = 10, calls = {{to = "db"}}},
                {name = "db", workers = 50, latency = 0.001, dist = "deterministic"}},
    client = {rate = 100, keys = 1},
    faults = {{service = "c", at = 4, ["until"] = 5, mode = "down"}}}
  eq(r.services.c.misses, 2)
  eq(r.services.db.arrivals, 2)
  eq(r.services.c.hits, r.services.c.ok - 2)
end)

test("keys/ops_route_reads_and_writes", function()
  local r = lab.resilience.simulate{duration = 20, drain = 5, seed = 6,
    services = {{name = "app", workers = 100, latency = 0.001,
                 calls = {{to = "primary", ops = "write"}, {to = "replica", ops = "read"}}},
                {name = "primary", workers = 50, latency = 0.002},
                {name = "replica", workers = 50, latency = 0.002}},
    client = {rate = 300, keys = 100, writes = 0.3}}
  eq(r.failed, 0)
  eq(r.reads + r.writes, r.requests)
  eq(r.services.replica.arrivals, r.reads, "a replica's arrivals are the reads")
  eq(r.services.primary.arrivals, r.writes, "the primary's are the writes")
  eq(r.services.replica.writes, 0)
  eq(r.services.primary.reads, 0)
  eq(r.services.app.reads, r.reads)
  share_near(r.writes / r.requests, 0.3, r.requests, "writes share")
  eq(r.read_success, 1)
  eq(r.write_success, 1)
  -- route "one" among the eligible only; a job with none eligible replies
  local o = lab.resilience.simulate{duration = 20, drain = 5, seed = 6,
    services = {{name = "app", route = "one", workers = 100, latency = 0.001,
                 calls = {{to = "a", ops = "read", weight = 1}, {to = "b", ops = "read", weight = 3},
                          {to = "w", ops = "write"}}},
                {name = "a"}, {name = "b"}, {name = "w"}},
    client = {rate = 300, writes = 0.5}}
  eq(o.services.a.arrivals + o.services.b.arrivals, o.reads)
  eq(o.services.w.arrivals, o.writes)
  near(o.services.b.arrivals / o.reads, 0.75, 0.05, "weights among the eligible")
  local none = lab.resilience.simulate{duration = 5, seed = 1,
    services = {{name = "app", calls = {{to = "w", ops = "write"}}}, {name = "w"}},
    client = {rate = 100}}
  eq(none.services.w.arrivals, 0)
  eq(none.ok, none.requests)
end)

test("keys/read_only_refuses_writes", function()
  local r = lab.resilience.simulate{duration = 20, drain = 5, seed = 8,
    services = {{name = "replica", workers = 50, latency = 0.002, read_only = true}},
    client = {rate = 200, writes = 0.2}}
  local s = r.services.replica
  eq(s.errors, r.writes, "every write an error")
  eq(s.ok, r.reads)
  eq(r.write_success, 0)
  eq(r.read_success, 1)
  truthy(r.writes > 0)
end)

test("keys/route_key_shards", function()
  local keys, shards = 500, 3
  local r = lab.resilience.simulate{duration = 20, drain = 5, seed = 12,
    services = {{name = "router", route = "key", workers = 100, latency = 0.001,
                 calls = {{to = "s1"}, {to = "s2"}, {to = "s3"}}},
                {name = "s1", cache = 1000}, {name = "s2", cache = 1000},
                {name = "s3", cache = 1000}},
    client = {rate = 300, keys = keys, skew = 0.9}}
  eq(r.failed, 0)
  local stream = lab.resilience.keys{keys = keys, skew = 0.9, n = r.requests, seed = 12}
  local want, distinct, seen = {0, 0, 0}, {0, 0, 0}, {}
  for _, k in ipairs(stream) do
    local s = lab.resilience.shard(k, shards)
    want[s] = want[s] + 1
    if not seen[k] then seen[k] = true; distinct[s] = distinct[s] + 1 end
  end
  for i = 1, shards do
    local s = r.services["s" .. i]
    eq(s.arrivals, want[i], "s" .. i .. " arrivals")
    -- each key goes to one shard only: a shard's misses are its distinct keys
    -- (its cache holds them all), not more
    eq(s.misses, distinct[i], "s" .. i .. " distinct keys")
  end
end)

test("keys/write_latency", function()
  local r = lab.resilience.simulate{duration = 20, drain = 5, seed = 1,
    services = {{name = "db", workers = 1000, latency = 0.01, write_latency = 0.05,
                 dist = "deterministic"}},
    client = {rate = 100, writes = 0.5}}
  near(r.read_p99, 0.01, 1e-9)
  near(r.write_p99, 0.05, 1e-9)
  near(r.p99, 0.05, 1e-9)
  near(r.services.db.busy_time, r.reads * 0.01 + r.writes * 0.05, 1e-6)
  local w = lab.resilience.simulate{duration = 5, seed = 1,
    services = {{name = "db", latency = 0.02, dist = "deterministic"}},
    client = {rate = 50, writes = 1}}
  near(w.write_p99, 0.02, 1e-9, "write_latency defaults to latency")
  eq(w.read_p99, nil)
  eq(w.reads, 0)
end)

test("keys/async", function()
  -- the caller's latency excludes the callee's work
  local r = lab.resilience.simulate{duration = 20, drain = 30, seed = 1,
    services = {{name = "api", workers = 100, latency = 0.01, dist = "deterministic",
                 calls = {{to = "worker", async = true, timeout = 0.001}}},
                {name = "worker", workers = 100, queue = 100000, latency = 1,
                 dist = "deterministic"}},
    client = {rate = 20}}
  near(r.p99, 0.01, 1e-9, "the client waits for the api's work only")
  eq(r.calls[2].timeouts, 0, "no timeout on an async call")
  local w = r.services.worker
  eq(w.async_jobs, r.requests)
  near(w.lag_p50, 1, 1e-9)
  near(w.lag_max, 1, 1e-9)
  -- lag = queue wait + work; a full queue rejects at once
  local q = lab.resilience.simulate{duration = 1, drain = 10, seed = 1,
    services = {{name = "api", workers = 10, latency = 0.01, dist = "deterministic",
                 calls = {{to = "worker", async = true}}},
                {name = "worker", workers = 1, queue = 1, latency = 1, dist = "deterministic"}},
    client = {rate = 0, bursts = {{at = 0, count = 3}}}}
  eq(q.requests, 3)
  eq(q.failed, 1, "the third finds the queue full")
  eq(q.services.worker.rejected, 1)
  eq(q.services.worker.async_jobs, 2)
  near(q.services.worker.lag_p50, 1, 1e-9)
  near(q.services.worker.lag_max, 2, 1e-9)
  near(q.p99, 0.01, 1e-9, "the rejection comes at once")
  -- a rejected async attempt is retried
  local t = lab.resilience.simulate{duration = 1, drain = 10, seed = 1,
    services = {{name = "api", workers = 10, latency = 0.01, dist = "deterministic",
                 calls = {{to = "worker", async = true, retries = 1, backoff = 1.5}}},
                {name = "worker", workers = 1, queue = 1, latency = 1, dist = "deterministic"}},
    client = {rate = 0, bursts = {{at = 0, count = 3}}}}
  eq(t.failed, 0)
  eq(t.calls[2].retries, 1)
  eq(t.services.worker.async_jobs, 3)
  -- no async job: lags are 0
  eq(r.services.api.lag_p99, 0)
  eq(r.services.worker.async_failed, 0)
  eq(r.services.worker.async_unfinished, 0)
  -- admitted async jobs end their work, fail after admission, or are
  -- still inside at the end: 10 admitted, one at a time for 1 s each
  local function backlog(faults, drain)
    return lab.resilience.simulate{duration = 1, drain = drain, seed = 1, faults = faults,
      services = {{name = "api", workers = 20, latency = 0.01, dist = "deterministic",
                   calls = {{to = "worker", async = true}}},
                  {name = "worker", workers = 1, queue = 100, latency = 1,
                   dist = "deterministic"}},
      client = {rate = 0, bursts = {{at = 0, count = 10}}}}
  end
  local u = backlog(nil, 4.5)
  eq(u.ok, 10, "the callers were answered at admission")
  eq(u.services.worker.async_jobs, 5)       -- done at 1.01, 2.01, ..., 5.01 (the end: 5.5)
  eq(u.services.worker.async_unfinished, 5)
  eq(u.services.worker.async_failed, 0)
  local d = backlog({{service = "worker", at = 2.5, ["until"] = 3, mode = "down"}}, 9)
  eq(d.services.worker.async_jobs, 2)
  eq(d.services.worker.async_failed, 8, "crashed with the worker: accepted, then lost")
  eq(d.services.worker.async_unfinished, 0)
  eq(d.ok, 10)
end)

test("keys/utilization", function()
  -- 10 requests of 0.1 s on 2 workers in a 10 s run: 1 worker-second
  local r = lab.resilience.simulate{duration = 1, drain = 9, seed = 1,
    services = {{name = "s", workers = 2, latency = 0.1, dist = "deterministic"}},
    client = {rate = 0, bursts = {{at = 0.5, count = 10}}}}
  near(r.services.s.busy_time, 1, 1e-9)
  near(r.services.s.utilization, 1 / (2 * 10), 1e-12)
  -- a blocking caller is busy while it waits: 0.01 + 0.02 a request
  local b = lab.resilience.simulate{duration = 10, drain = 1, seed = 1,
    services = {{name = "api", workers = 100, latency = 0.01, dist = "deterministic",
                 calls = {{to = "db"}}},
                {name = "db", workers = 100, latency = 0.02, dist = "deterministic"}},
    client = {rate = 50}}
  near(b.services.api.busy_time, b.requests * 0.03, 1e-6)
  near(b.services.db.busy_time, b.requests * 0.02, 1e-6)
  -- Little's law: busy workers on average = arrival rate x time in service
  local p = lab.resilience.simulate{duration = 200, drain = 0.0001, seed = 5,
    services = {{name = "s", workers = 10, queue = 100000, latency = 0.05}},
    client = {rate = 100}}
  near(p.services.s.utilization, 100 * 0.05 / 10, 0.02, "rho = lambda S / c")
end)

test("keys/neutral_options_change_nothing", function()
  local function run(client, svc)
    local c = {rate = 300, timeout = 0.2, retries = 2, jitter = "full"}
    for k, v in pairs(client or {}) do c[k] = v end
    local api = {name = "api", workers = 20, latency = 0.005,
                 calls = {{to = "db", timeout = 0.05, retries = 1, jitter = "full"}}}
    for k, v in pairs(svc or {}) do api[k] = v end
    return lab.resilience.simulate{duration = 20, seed = 3,
      services = {api, {name = "db", workers = 5, latency = 0.02}},
      client = c,
      faults = {{service = "db", at = 5, ["until"] = 8, mode = "error", rate = 0.4}}}
  end
  local base = run()
  for _, case in ipairs{{{keys = 1000, skew = 1.2}}, {{writes = 0}, {route = "all"}},
                        {{keys = 50}, {route = "key"}}} do
    local r = run(case[1], case[2])
    eq(r.events, base.events, "events")
    eq(r.p99, base.p99, "p99")
    eq(r.ok, base.ok, "ok")
    local function shown(t)
      local o = {}
      for i, v in ipairs(t) do o[i] = ("%.17g"):format(v) end
      return o
    end
    same(shown(r.series.p99), shown(base.series.p99), "series")
    same(r.service_series.db.arrivals, base.service_series.db.arrivals, "db series")
  end
  eq(base.reads, base.requests)
  eq(base.read_p99, base.p99)
  eq(base.write_p99, nil)
end)
