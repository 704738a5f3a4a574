-- The numbers the traffic lessons quote from their own examples: each is
-- produced here by the example itself, and found in the prose, so prose and
-- simulation cannot drift apart. See tests/lessons/figures.lua.
dofile("tests/lessons/figures.lua")

local function pct(x) return math.floor(x * 100 + 0.5) end
local words = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
  "ten", "eleven", "twelve"}
local function count(s, word)
  local n = 0
  for w in s:gmatch("%S+") do if w == word then n = n + 1 end end
  return n
end

test("figures/traffic/balancing", function()
  local L = lesson("lessons/08-traffic/02-balancing.md")
  local out = L:run(1)
  local rnd = out:match("random:%s*([^\n]+)")
  L:says(("in these twelve picks `b` got %s and `a` %s"):format(words[count(rnd, "b")],
    words[count(rnd, "a")]))
  out = L:run(4)
  local first_slow
  local k = 0
  for w in out:gmatch("%S+") do
    k = k + 1
    if w == "slow" then first_slow = first_slow or k end
  end
  L:says(("`fast` takes %s requests before `slow` gets one"):format(words[first_slow - 1]))
  out = L:run(5)
  local b = grab(out, "b%s+outstanding (%d+)")
  local c = grab(out, "c%s+outstanding (%d+)")
  local d = grab(out, "d%s+outstanding (%d+)")
  L:says(("The 30 requests land as %d, %d and %d"):format(b, c, d))
  eq(grab(out, "b%s+outstanding %d+%s+picks (%d+)"), 0)
  L:says("`b`, the busiest, loses every comparison")
  out = L:run(6)
  L:says("when `c` fails only `c`'s clients move")
  out = L:run(7)
  near(grab(out, "([%d.]+)%% of the clients moved") / 100, 0.75, 0.02)
end)

test("figures/traffic/tail_latency", function()
  local L = lesson("lessons/08-traffic/03-tail-latency.md")
  local out = L:run(2)
  local busy = grab(out, "busy (%d+)%% of the time") / 100
  L:says("450 of the 500 it can serve: it is 90% busy")
  near(busy, 0.9, 0.02)
  out = L:run(3)
  local function share(st) return grab(out, st .. "%s+[%d.]+%s+[%d.]+%s+[%d.]+%s+([%d.]+)") end
  L:says("send it about a sixth of the traffic instead")
  near(share("lc"), 1 / 6, 0.02); near(share("p2c"), 1 / 6, 0.02)
  L:says("least response time sends it almost nothing")
  truthy(share("lrt") < 0.03)
  out = L:run(4)
  local rr = grab(out, "rr%s+c busy ([%d.]+)")
  L:says(("from %.2f busy at 1350 a second to %.2f at 1400"):format(busy, rr))
  L:says(("round robin's p99 at %d ms against p2c's %d ms"):format(
    math.floor(grab(out, "rr%s+c busy [%d.]+, p99 ([%d.]+)") + 0.5),
    math.floor(grab(out, "p2c c busy [%d.]+, p99 ([%d.]+)") + 0.5)))
  truthy(grab(out, "p2c c busy ([%d.]+)") < 0.5)
  -- the overload choice's feedback: at 1500, rr gives c 0.98 of its time,
  -- p2c keeps it near half busy, a and b about 30%
  local r = L.env.run("rr", {rate = 1500})
  local p = L.env.run("p2c", {rate = 1500})
  L:says("(utilisation 0.98)")
  L:says("`a` and `b` were only about 30% busy")
  eq(("%.2f"):format(r.backends[3].utilisation), "0.98")
  near(p.backends[3].utilisation, 0.5, 0.05)
  near(p.backends[1].utilisation, 0.3, 0.03)
  out = L:run(5)
  local p2c = grab(out, "p2c%s+no weights p99 ([%d.]+)")
  local swrr = grab(out, "swrr 4, 4, 1%s+p99 ([%d.]+)")
  local p2cw = grab(out, "p2c%s+4, 4, 1%s+p99 ([%d.]+)")
  L:says("plain weighted round robin beats unweighted p2c, and p2c with the same weights")
  truthy(swrr < p2c and p2cw < swrr)
end)

test("figures/traffic/failover", function()
  local L = lesson("lessons/08-traffic/04-failover.md")
  local out = L:run(1)
  local none = grab(out, "no health checks:%s+(%d+)")
  L:says("about 10 s x 333 = 3300 failures")
  near(none, 3300, 100)
  L:says("With checks every second it notices at t = 13.0 and loses about 900")
  eq(grab(out, "interval 1, fall 3:.-c marked down at t = ([%d.]+)"), 13.0)
  near(grab(out, "interval 1, fall 3:%s+(%d+)"), 900, 30)
  L:says("With checks every 5 s it never notices")
  eq(grab(out, "interval 5, fall 3:%s+(%d+)"), none)
  -- the losses exercise: the run near the prediction
  local r = L.env.outage{interval = 1.5, fall = 2, rise = 2}
  near(r.failed, 1000 / 3 * 1.7, 1000 / 3 * 1.7 * 0.05)
  out = L:run(2)
  local f30 = grab(out, "ejection 30 s: (%d+) requests failed")
  L:says(("%s requests fail instead of 900"):format(({"One", "Two", "Three", "Four",
    "Five", "Six"})[f30]))
  local at = grab(out, "c ejected at t = ([%d.]+)")
  L:says(("`c` is out of rotation %d ms after it dies"):format(math.floor((at - 10.3) * 1000 + 0.5)))
  L:says(("With 30 s of ejection `c` rejoins only at %.1f s"):format(
    grab(out, "ejected at t = [%d.]+ until t = ([%d.]+)")))
  local ends = {}
  for e in out:match("ejection 2 s:.*"):gmatch("until t = ([%d.]+)") do ends[#ends + 1] = tonumber(e) end
  L:says(("tried again at %.1f, %.1f and %.1f s"):format(ends[1], ends[2], ends[3]))
  eq(grab(out, "ejection 2 s: (%d+) requests failed"), 3 * 5)
  out = L:run(3)
  L:says(("The standby served nothing until the primary was *marked* down at %.1f"):format(
    grab(out, "primary marked down at t = ([%d.]+)")))
  L:says(("then everything until the primary was marked up again at %.1f"):format(
    grab(out, "primary marked up at t = ([%d.]+)")))
  L:says("The 2.5 s in between cost about 500 requests")
  near(grab(out, "primary%s+served %d+%s+failed (%d+)"), 500, 20)
  out = L:run(4)
  L:says("backup 200 waited 3 + 56/256 s")
  near(grab(out, "t = ([%d.]+): backup 200"), 5 + 3 + 56 / 256, 0.0005)
end)

test("figures/traffic/web_servers", function()
  local L = lesson("lessons/08-traffic/05-web-servers.md")
  local out = L:run(1)
  L:says("a quarter of the requests turned away, or none")
  near(grab(out, "held 2.005 s:%s+(%d+) rejected") / 20000, 0.25, 0.02)
  eq(grab(out, "held 0.005 s:%s+(%d+) rejected"), 0)
end)

test("figures/traffic/consistent_hashing", function()
  local L = lesson("lessons/08-traffic/06-consistent-hashing.md")
  local out = L:run(1)
  L:says(("About %d%% of the keys change server when an eleventh joins"):format(
    pct(grab(out, "10 %-> 11 servers:%s+([%d.]+)"))))
  L:run(2)
  -- before d joined, c owned more than half of the circle
  local r = lab.hash.ring{vnodes = 1, nodes = {"a", "b", "c"}}
  local share
  for _, n in ipairs(r:snapshot().nodes) do if n.name == "c" then share = n.share end end
  L:says("with one point each, `c` owned more than half of the circle")
  truthy(share > 0.5)
  out = L:run(3)
  -- the estimate of the exercise is close to the measured curve
  for v, got in out:gmatch("(%d+) points per node: busiest node ([%d.]+)") do
    v, got = tonumber(v), tonumber(got)
    if v >= 8 then near(got, 1 + 1.5 / math.sqrt(v), 0.15) end
  end
  local m = lab.hash.movement{scheme = "ring", nodes = 10, vnodes = 225}
  near(m.max_mean_before, 1.1, 0.03)
end)

test("figures/traffic/hash_schemes", function()
  local L = lesson("lessons/08-traffic/07-hash-schemes.md")
  local out = L:run(1)
  for n, mine, lab_ in out:gmatch("(%d+)\t(%d+)\t(%d+)") do eq(mine, lab_) end
  L:says("with 7 backends (`b1` to `b7`) and 65 537 entries, removing `b4` moves about 0.2% " ..
    "of the others' entries")
  local names = {"b1", "b2", "b3", "b4", "b5", "b6", "b7"}
  local m = lab.hash.maglev{nodes = names, size = 65537}
  local before = m:table()
  m:remove("b4")
  local after = m:table()
  local moved, others = 0, 0
  for i = 1, #before do
    if before[i] ~= "b4" then
      others = others + 1
      if before[i] ~= after[i] then moved = moved + 1 end
    end
  end
  near(moved / others, 0.002, 0.0005)
  out = L:run(4)
  -- jump's balance is as even as chance allows: the busiest bucket within 1%
  truthy(grab(out, "jump%s+[%d.]+%s+([%d.]+)") < 1.01)
  -- the tenth node: modulo near 9/10, the others near 1/10
  for sc, want in pairs{modulo = 0.9, ring = 0.1, jump = 0.1} do
    near(lab.hash.movement{scheme = sc, nodes = 9}.fraction, want, 0.015)
  end
end)

test("figures/traffic/rate_limiting", function()
  local L = lesson("lessons/08-traffic/08-rate-limiting.md")
  local out = L:run(2)
  eq(grab(out, "fixed_window%s+allowed (%d+)"), 20)
  local edge = L.env.edge
  L:says(("The fixed window let all 20 through within %.2f s"):format(edge[#edge] - edge[1]))
  out = L:run(8)
  L:says("(you will see 11 in one second below)")
  eq(grab(out, "sliding_window%s+allowed %d+ of %d+, at most (%d+)"), 11)
  L:says("The buckets allow up to 19 in a second")
  for _, a in ipairs{"token_bucket", "leaky_bucket", "gcra"} do
    eq(grab(out, a .. "%s+allowed %d+ of %d+, at most (%d+)"), 19)
  end
  L:says("except the fixed window (20 at an edge)")
  eq(grab(out, "fixed_window%s+allowed %d+ of %d+, at most (%d+)"), 20)
  -- the counter under overload: 10 + 59 x 9 within 2%
  near(grab(out, "sliding_window%s+allowed (%d+)"), 541, 541 * 0.02)
end)

test("figures/traffic/token_bucket", function()
  local L = lesson("lessons/08-traffic/09-token-bucket.md")
  local out = L:run(2)
  L:says("a bucket of 1 lets one request of each spike through, and a bucket of 20 lets 20")
  eq(out:match("burst  1: .-series ([%d ]+)"):match("^(%d+)"), "1")
  eq(out:match("burst 20: .-series ([%d ]+)"):match("^(%d+)"), "20")
  out = L:run(3)
  L:says("GCRA allows exactly the requests the token bucket allows")
  eq(grab(out, "same decision%s+(%d+)%s+times of 10000"), 10000)
  out = L:run(5)
  eq(grab(out, "local%s+limits, spread traffic:%s+(%d+)"), grab(out, "spread traffic:%s+%d+ of (%d+)"))
  L:says("(about 4,860 requests)")
  near(grab(out, "sticky traffic:%s+%d+ of (%d+)"), 4860, 5)
  near(grab(out, "local%s+limits, sticky traffic:%s+(%d+)"), 1525, 1525 * 0.02)
  out = L:run(4)
  local one = grab(out, "round trip 1 ms: GET%+SET allows (%d+)")
  local five = grab(out, "round trip 5 ms: GET%+SET allows (%d+)")
  L:says(("With a round trip of 1 ms the two-step counter lets %d through a limit of 100, " ..
    "with 5 ms %d; `INCR` holds at 100"):format(one, five))
  for n in out:gmatch("INCR allows (%d+)") do eq(tonumber(n), 100) end
  out = L:run(6)
  L:says("The float bucket is short by 1e-16 of a token")
  eq(out:match("^(%S+) tokens"), "0.99999999999999989")
end)

test("figures/traffic/cdn", function()
  local L = lesson("lessons/08-traffic/10-cdn.md")
  L:run(1)
  local d, e = L.env.ttfb(0.9)
  table.sort(d); table.sort(e)
  L:says("the edge's median is about a tenth of the direct one")
  near(e[5000] / d[5000], 0.1, 0.02)
  d, e = L.env.ttfb(0.6)
  table.sort(e)
  near(e[5000], 1 + 45 * math.log(6), (1 + 45 * math.log(6)) * 0.05)
  truthy(e[5000] < 1 + 45 * math.log(6), "a little lower, as the hint says")
end)

test("figures/traffic/pooling", function()
  local L = lesson("lessons/08-traffic/11-pooling.md")
  local out = L:run(1)
  L:says("the database peaks at 800 queries a second with 4 running, and *falls*")
  local best, at = 0, nil
  for a, q in out:gmatch("(%d+)%s+(%d+)\n?") do
    if tonumber(q) > best then best, at = tonumber(q), tonumber(a) end
  end
  eq(best, 800); eq(at, 4)
  out = L:run(2)
  local row = {}
  for size, served, refused, mean, p99, running in out:gmatch(
      "(%d+)%s+(%d+)%s+(%d+)%s+([%d.]+)%s+([%d.]+)%s+([%d.]+)") do
    row[tonumber(size)] = {served = tonumber(served), refused = tonumber(refused),
      running = tonumber(running)}
  end
  L:says("about a hundred pile onto the database")
  near(row[0].running, 100, 5)
  L:says("it serves fewer than 150 a second while turning most requests away")
  truthy(row[0].served < 150 and row[0].refused > 0.5 * 600 * 60)
  L:says("about 333 a second, less than the 600 arriving")
  near(row[32].served, 333, 5)
  L:run(4)
  out = L:run(5)
  local t_unb = grab(out, "max_waiting false .-p99 ([%d.]+) s")
  local t_20 = grab(out, "max_waiting 20 .-p99 ([%d.]+) s")
  L:says("requests wait up to the full 1 s timeout before failing, and the served ones " ..
    "wait nearly as long")
  truthy(t_unb > 0.9)
  L:says("those served are fast")
  truthy(t_20 < 0.05)
end)

test("figures/traffic/long_lived", function()
  local L = lesson("lessons/08-traffic/12-long-lived.md")
  local out = L:run(1)
  local rows = {}
  for t, a, b, c, la, lb, lc in out:gmatch("(%d+)%s+(%d+)%s+(%d+)%s+(%d+)%s+(%d+)%s+(%d+)%s+(%d+)") do
    rows[tonumber(t)] = {tonumber(a), tonumber(b), tonumber(c), tonumber(la), tonumber(lb), tonumber(lc)}
  end
  L:says("about 86% at t = 600")
  eq(pct(1 - math.exp(-2)), 86)
  local r585 = rows[585]
  L:says(("Just before the restart (585 s) each backend holds %d to %d streams"):format(
    math.min(r585[1], r585[2], r585[3]), math.max(r585[1], r585[2], r585[3])))
  L:says("`a` and `b` hold about 1,300 each")
  near(rows[615][1], 1300, 30); near(rows[615][2], 1300, 30)
  L:says(("%d streams at 720 s, %d at 900 s"):format(rows[720][3], rows[900][3]))
  L:says("level with the others only around 1,800 s")
  truthy(rows[1200][3] < rows[1200][1] - 100)
  truthy(math.abs(rows[1800][3] - rows[1800][1]) < 50)
  L:says(("%d each by 720 s"):format(rows[720][6]))
  eq(rows[720][4], rows[720][6]); eq(rows[720][5], rows[720][6])
  -- the exercise's formulas agree with the run within 5%
  near(rows[720][3], 10 / 3 * 300 * (1 - math.exp(-110 / 300)), 0.05 * 307)
  near(rows[720][6], 1000 * (1 - math.exp(-2.4)), 0.05 * 909)
end)
