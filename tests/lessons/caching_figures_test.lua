-- The numbers the caching lessons quote from their own examples: each is
-- produced here by the example itself, and found in the prose, so prose and
-- simulation cannot drift apart. See tests/lessons/figures.lua.
dofile("tests/lessons/figures.lua")

local function pct(x) return math.floor(x * 100 + 0.5) end

test("figures/caching/basics", function()
  local L = lesson("lessons/05-caching/01-basics.md")
  local out = L:run(2)
  local h = grab(out, "hit ratio ([%d.]+)")
  local measured = grab(out, "measured%s+([%d.]+) ms")
  eq(measured, grab(out, "formula%s+([%d.]+) ms"))     -- "agree exactly"
  L:says("The two lines agree exactly")
  L:says(("averaged %.2f ms"):format(measured))
  L:says(("It still hits %d%% of the time"):format(pct(h)))
  out = L:run(5)
  local first = grab(out, "first block ([%d.]+)")
  local last = grab(out, "last block ([%d.]+)")
  L:says(("The first block hits %d%%, the warm cache about %d%%"):format(pct(first),
    pct(last)))
  -- the 100 most recently used keys of the trace span the last N requests
  local trace, seen, n, span = L.env.trace, {}, 0, nil
  for i = #trace, 1, -1 do
    if not seen[trace[i]] then
      seen[trace[i]], n = true, n + 1
      if n == 100 then span = #trace - i + 1 break end
    end
  end
  L:says(("span only the last %d requests"):format(span))
end)

test("figures/caching/hit_ratio", function()
  local L = lesson("lessons/05-caching/05-hit-ratio.md")
  L:run(1)
  local z = L.env.zipf
  local function at(p, size)
    for j, sz in ipairs(z.sizes) do if sz == size then return z.hit_ratio[p][j] end end
  end
  -- "A cache of a tenth of the keys already serves more than half"
  L:says("A cache of a tenth of the keys already serves more than half of the requests")
  for _, p in ipairs(z.policies) do truthy(at(p, 100) > 0.5, p) end
  -- LFU best or tied (within 0.005) among the real policies at every size
  L:says("LFU does best among the real policies, or ties with ARC")
  for _, size in ipairs(z.sizes) do
    for _, p in ipairs{"fifo", "lru", "clock", "random", "arc", "2q"} do
      truthy(at("lfu", size) >= at(p, size) - 0.005, p .. " beats lfu at " .. size)
    end
  end
  L:run(2)
  local out = L:run(3)
  local loop = L.env.loop
  L:says("LRU, FIFO, CLOCK, ARC and LFU all score **zero**")
  for _, p in ipairs{"lru", "fifo", "clock", "arc", "lfu"} do eq(loop.hit_ratio[p][1], 0) end
  L:says(("Random eviction keeps most keys most of the time and scores %.2f; OPT, " ..
    "which knows the loop, scores %.2f. 2Q scores %.2f"):format(loop.hit_ratio.random[1],
    loop.hit_ratio.opt[1], loop.hit_ratio["2q"][1]))
  local l200 = lab.cache.simulate{workload = "loop", keys = 200, requests = 20000,
    sizes = {100}}
  L:says("every deterministic policy above, 2Q included, scores zero, random keeps " ..
    "about a fifth and OPT about half")
  for _, p in ipairs{"lru", "fifo", "clock", "arc", "lfu", "2q"} do eq(l200.hit_ratio[p][1], 0) end
  near(l200.hit_ratio.random[1], 0.2, 0.02)
  near(l200.hit_ratio.opt[1], 0.5, 0.02)
  out = L:run(4)
  local m = L.env.mixed
  for i = 21, 26 do eq(m.timeline.lru[1][i], 0); eq(m.timeline.arc[1][i], 0) end
  L:says("Both fall to 0 during each scan")
  L:says(("In block 27, the first after the first scan, LRU restarts from %.2f"):format(
    grab(out, "block 27: lru ([%d.]+)")))
  L:says(("ARC comes back at %.2f at once"):format(grab(out, "block 27: lru [%d.]+, arc ([%d.]+)")))
  L:says(("2Q, whose Am plays the part of T2, comes back at %.2f"):format(
    grab(out, "block 27: .-2q ([%d.]+)")))
  L:says(("Over the whole run ARC hits %.2f, 2Q %.2f and LRU %.2f"):format(
    m.hit_ratio.arc[1], m.hit_ratio["2q"][1], m.hit_ratio.lru[1]))
  out = L:run(5)
  local lru100 = grab(out, "lru%s+[%d.]+%s+([%d.]+)")
  local lfu100 = grab(out, "lfu%s+[%d.]+%s+([%d.]+)")
  L:says(("at 100 entries it hits %.2f where LRU hits %.2f"):format(lfu100, lru100))
end)

test("figures/caching/write_strategies", function()
  local L = lesson("lessons/05-caching/06-write-strategies.md")
  L:run(4)
  local rows = {}
  for _, p in ipairs{"cache-aside", "read-through", "write-through", "write-back",
                     "write-around"} do
    local w, s = L.env.workload(p, 10000, 0.2)
    rows[p] = {hit = w:stats().hit_ratio, writes = s:stats().writes,
      read = w:stats().mean_read, write = w:stats().mean_write}
  end
  L:says("the lowest hit ratio, the most database reads")
  for _, p in ipairs{"write-through", "write-back", "write-around"} do
    truthy(rows["cache-aside"].hit < rows[p].hit)
  end
  L:says("Write-back nearly halves the database's writes")
  local share = rows["write-back"].writes / rows["write-through"].writes
  truthy(share > 0.5 and share < 0.6, "write-back's share " .. share)
  local faster = rows["write-through"].write / rows["write-back"].write
  L:says(("makes writes %d times faster"):format(math.floor(faster)))
  L:says("its reads are slower than write-through's")
  truthy(rows["write-back"].read > rows["write-through"].read)
end)

test("figures/caching/invalidation", function()
  local L = lesson("lessons/05-caching/07-invalidation.md")
  local out = L:run(2)
  L:says("All 1,000 fixed entries vanish in the same instant")
  eq(grab(out, "t0%+59 s: fixed%s+(%d+)"), 1000)
  eq(grab(out, "t0%+60 s: fixed%s+(%d+)"), 0)
  L:says("the jittered ones drain over twelve seconds")
  local j55 = grab(out, "t0%+55 s: .-jittered%s+(%d+)")
  local j65 = grab(out, "t0%+65 s: .-jittered%s+(%d+)")
  truthy(j55 < 1000 and j65 > 0 and j65 < j55)
end)

test("figures/caching/local_shared", function()
  local L = lesson("lessons/05-caching/08-local-shared.md")
  local out = L:run(1)
  local function hit(label) return grab(out, label:gsub("%p", "%%%0") .. "%s+hit ([%d.]+)") end
  L:says(("Four local caches of 250** hit only %d%%"):format(pct(hit("4 local x 250"))))
  L:says(("One shared cache of 1,000** hits %d%%"):format(pct(hit("shared 1000"))))
  L:says("Four local caches of 1,000** nearly match the shared hit ratio")
  truthy(math.abs(hit("4 local x 1000") - hit("shared 1000")) < 0.01)
  L:says("and are the fastest")
  local out2 = L:run(2)
  local two = grab(out2, "4 x 250 %+ shared%s+hit ([%d.]+)")
  L:says(("(%.3f against %.3f)"):format(two, hit("shared 1000")))
  L:says("Routing by key gives four local caches the hit ratio of one shared cache")
  eq(grab(out2, "4 x 250 by key%s+hit ([%d.]+)"), hit("shared 1000"))
  local out3 = L:run(3)
  local hot = 0
  for x in out3:gmatch("node %d: ([%d.]+) of the requests") do hot = math.max(hot, tonumber(x)) end
  L:says(("The run gives the hot node %d%%"):format(pct(hot)))
  local out5 = L:run(5)
  eq(grab(out5, "modulo moved%s+([%d.]+)%%"), 80.0)
end)

test("figures/caching/stampede", function()
  local L = lesson("lessons/05-caching/09-stampede.md")
  local out = L:run(1)
  local herd = L.env.herd
  L:says(("then every request in the next 2 seconds calls the backend, %d calls"):format(
    grab(out, "60%- 65 s:%s+(%d+) calls")))
  L:says(("the backend does %d computations where 4 would have done"):format(herd.calls))
  out = L:run(2)
  local q = L.env.q
  local c60 = grab(out, "60%- 61 s:.-(%d+) calls")
  local c61 = grab(out, "61%- 62 s:.-(%d+) calls")
  L:says(("In the next two seconds %d requests find it missing"):format(c60 + c61))
  eq(grab(out, "62%- 63 s:.-(%d+) calls"), 0)
  L:says("At 62 s the first call finishes and the value is cached again")
  L:says(("But %d calls are already queued behind four workers"):format(c60 + c61 - 4))
  -- the last queued call starts after (n - 1) // 4 rounds of 2 s
  local drained = 60 + 2 * ((c60 + c61 - 1) // 4 + 1)
  L:says(("the queue drains at about %d s"):format(drained))
  L:says(("the last of those clients waits %d s"):format(math.floor(
    grab(out, "61%- 62 s:.-worst wait%s+([%d.]+)") + 0.5)))
  -- the second herd: the first bin after 100 s with calls
  local second, calls2, worst2 = nil, 0, 0
  for i, t in ipairs(q.series.t) do
    if t > 100 and q.series.calls[i] > 0 then
      second = second or t
      calls2 = calls2 + q.series.calls[i]
      worst2 = math.max(worst2, q.series.max_latency[i])
    end
  end
  eq(second, drained + 60)
  L:says(("at about %d s rather than at 122 s"):format(second))
  L:says(("a second herd of %d calls, whose last client waits %d s"):format(calls2,
    math.floor(worst2 + 0.5)))
  L:says(("In all, %d calls where 4 would do"):format(q.calls))
  eq(q.calls, c60 + c61 + calls2)
  out = L:run(3)
  local calls, waited = grab(out, "coalesce: (%d+) calls"), grab(out, "(%d+) requests waited")
  L:says(("%s calls, one per expiry"):format(({"One", "Two", "Three", "Four", "Five"})[calls]))
  L:says(("the %d or so requests that arrive during each recomputation"):format(
    math.floor(waited / calls / 10 + 0.5) * 10))
  out = L:run(4)
  truthy(grab(out, "xfetch: (%d+) calls") > calls)
  eq(grab(out, "p99 ([%d.]+) s"), 0)
  L:says("99% of requests are served instantly")
  out = L:run(5)
  eq(grab(out, "negative TTL%s+0 s:%s+(%d+)"), 10000)
  L:says(("%s queries"):format(("%d"):format(grab(out, "negative TTL%s+5 s:%s+(%d+)"))
    :gsub("^(%d)(%d%d%d)$", "%1,%2")))
  L:says(("two per id in the 100 s of the run: %d"):format(grab(out, "negative TTL 60 s:%s+(%d+)")))
end)

test("figures/caching/cdn", function()
  local L = lesson("lessons/05-caching/11-cdn.md")
  local out = L:run(1)
  local o8 = grab(out, "8 PoPs:%s+[%d.]+%s+(%d+)")
  local o1 = grab(out, "1 PoP, same total:%s+[%d.]+%s+(%d+)")
  L:says("Eight PoPs of 1,000 objects send the origin twice as many fetches as one cache of 8,000")
  near(o8 / o1, 2, 0.15)
  out = L:run(2)
  local clean = grab(out, "clean URLs:%s+([%d.]+)")
  local utm = grab(out, "with utm:%s+([%d.]+)")
  L:says("More than a third of the PoPs' hits are lost to one parameter")
  truthy((clean - utm) / clean > 1 / 3 and (clean - utm) / clean < 0.5)
  out = L:run(3)
  eq(out, "purged\t3\nstill cached: /products/8")
  L:run(4)
  local plain = select(2, L.env.cdn{edges = 8, edge_size = 1000})
  local shielded = select(2, L.env.cdn{edges = 8, edge_size = 1000, shield_size = 5000})
  L:says(("the origin's load falls by %d%%"):format(pct(1 - shielded / plain)))
end)

test("figures/caching/redis_memcached", function()
  local L = lesson("lessons/05-caching/12-redis-memcached.md")
  local out = L:run(1)
  local lru = grab(out, "exact LRU ([%d.]+)")
  local random = grab(out, "random ([%d.]+)")
  L:says("Five samples come within a point of exact LRU")
  truthy(lru - grab(out, " 5 samples: ([%d.]+)") < 0.01)
  L:says("one sample *is* random eviction (here, with the same seed, the very same hit ratio")
  eq(grab(out, " 1 samples: ([%d.]+)"), random)
  L:says(("Exact LRU hits %.4f on this trace"):format(lru))
end)

test("figures/caching/eviction", function()
  local L = lesson("lessons/05-caching/02-eviction.md")
  local out = L:run(5)
  L:says(("FIFO misses %d times with 3 entries on the string 1 2 3 4 1 2 5 1 2 3 4 5, and " ..
    "%d times with 4"):format(grab(out, "3 entries: FIFO misses (%d+)"),
    grab(out, "4 entries: FIFO misses (%d+)")))
  L:says("FIFO misses 9 times with 3 entries and 10 times with 4")
  out = L:run(3)
  L:says("`put d` evicted `c`, the only key with one use")
  truthy(out:find("put d%s+evicts c"), "put d evicts c")
  truthy(out:find("put e%s+evicts b"), "put e evicts b")
end)

test("figures/caching/clock_arc", function()
  local L = lesson("lessons/05-caching/03-clock-arc.md")
  local out = L:run(1)
  L:says("At `put d` the hand was on `a` with bit 1: it cleared the bit and moved to `b`, bit 0, and evicted it")
  truthy(out:find("put d%s+evicts b"))
  out = L:run(2)
  L:says("`put e` pushed `a` out of A1in, into A1out; `put a` found the ghost and promoted `a` to Am")
  truthy(out:find("put e%s+evicts a%s+A1in%[e d c b%] Am%[%] A1out%[a%]"))
  truthy(out:find("put a%s+evicts b%s+A1in%[e d c%] Am%[a%]"))
  L:says("`a` stayed in Am throughout")
  for line in out:gmatch("put [wxyz][^\n]*") do truthy(line:find("Am%[a%]"), line) end
  out = L:run(3)
  L:says("T1 held one key, more than `p = 0`, so T1's least recent, `b`, went")
  truthy(out:find("put c%s+evicts b%s+T1%[c%] T2%[a%] B1%[b%]"))
  out = L:run(4)
  L:says("`a` and `b` are still cached in T2")
  truthy(out:find("put w[^\n]*T2%[b a%]"))
  L:says("The LRU cache, given the same requests, lost both to the scan")
  truthy(out:find("LRU after the same requests: w z y"))
end)
