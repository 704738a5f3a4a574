-- The claims the distributed-data lessons make about their own examples
-- ("writes time out with sync", "with R + W > N there are none", "the add
-- wins"...): each is checked here against the example's own output, so
-- prose and simulation cannot drift apart. See tests/lessons/figures.lua.
dofile("tests/lessons/figures.lua")

local M = "lessons/04-distributed-data/"

-- the numbers on the line of OUT that starts with WORD
local function line(out, word)
  for l in out:gmatch("[^\n]+") do
    if l:sub(1, #word) == word then
      local t = {}
      for x in l:sub(#word + 1):gmatch("%-?[%d.]+") do t[#t + 1] = tonumber(x) end
      return t
    end
  end
  error(("no line %q in:\n%s"):format(word, out), 2)
end

test("figures/distributed-data/scaling", function()
  local L = lesson(M .. "01-scaling.md")
  local out = L:run(1)
  L:says("The client got `info`")
  assert(out:find("client sees:\tinfo", 1, true), out)
  assert(out:find("node 2 holds:\t42", 1, true), out)
end)

test("figures/distributed-data/replication", function()
  local L = lesson(M .. "03-replication.md")
  local out = L:run(1)
  L:says("With `sync`, writes time out while node 3 is cut off")
  L:says("The other two modes do not care")
  truthy(line(out, "sync")[2] > 0)
  eq(line(out, "async")[2], 0)
  eq(line(out, "semisync")[2], 0)
  out = L:run(2)
  L:says("With asynchronous replication, writes the old leader confirmed")
  truthy(line(out, "async")[1] > 0)
  eq(line(out, "sync")[1], 0)
  out = L:run(4)
  -- each fix removes the anomaly it is named after
  eq(line(out, "leader")[1], 0)
  eq(line(out, "leader")[2], 0)
  eq(line(out, "sticky")[2], 0)
  eq(line(out, "ryw")[1], 0)
  truthy(line(out, "any")[1] > 0 and line(out, "any")[2] > 0)
end)

test("figures/distributed-data/quorums", function()
  local L = lesson(M .. "04-quorums.md")
  local out = L:run(1)
  L:says("With `R + W > N` there are none, but some operations *fail*")
  L:says("With `R = W = 1` everything succeeds, and some reads are stale")
  local strict, one = line(out, "r=2 w=2"), line(out, "r=1 w=1")
  eq(strict[1], 0)
  truthy(strict[2] > 0)
  truthy(one[1] > 0)
  eq(one[2], 0)
  out = L:run(2)
  truthy(grab(out, "hints (%d+)") > 0)
  truthy(grab(out, "handed off (%d+)") > 0)
end)

test("figures/distributed-data/rebalancing", function()
  local L = lesson(M .. "06-rebalancing.md")
  local out = L:run(1)
  -- "4 values of h mod 20 out of 20" stay
  near(grab(out, "moved (%d+) of") / grab(out, "of (%d+) MB"), 0.8, 0.01)
  eq(grab(out, "ideal: (%d+)%%"), 20)
  L:says("at least 20% of the bytes must travel")
end)

test("figures/distributed-data/cap", function()
  local L = lesson(M .. "07-cap-pacelc.md")
  local out = L:run(1)
  L:says("refuse, or answer stale")
  truthy(grab(out, "strict quorums: failed (%d+)") > 0)
  eq(grab(out, "strict quorums: failed %d+, stale (%d+)"), 0)
  eq(grab(out, "R = W = 1: +failed (%d+)"), 0)
  truthy(grab(out, "R = W = 1: +failed %d+, stale (%d+)") > 0)
end)

test("figures/distributed-data/clocks", function()
  local L = lesson(M .. "09-clocks.md")
  local out = L:run(1)
  eq(grab(out, "skew up to 0.00 s: (%d+)"), 0)
  truthy(grab(out, "skew up to 0.50 s: (%d+)") > 0)
  out = L:run(2)
  eq(out, "3")                            -- max(2, 2) + 1
  out = L:run(3)
  eq(out, "before\nconcurrent")
  out = L:run(4)
  -- vectors classify every pair right; Lamport never contradicts causality
  eq(grab(out, "Lamport right:\t(%d+)"), grab(out, "ordered pairs:\t(%d+)"))
  eq(grab(out, "by vectors:\t(%d+)"), grab(out, "of\t(%d+)"))
  -- the misleading exercise's answer, 96.4%, read as 96% too
  near(grab(out, "anyway:\t(%d+)") / grab(out, "concurrent pairs:\t(%d+)"), 0.964, 0.0005)
  out = L:run(5)
  eq(out, "10.0\t0\n10.0\t1\n12.0\t5")
end)

test("figures/distributed-data/crdts", function()
  local L = lesson(M .. "11-crdts.md")
  eq(L:run(1), "9\t9")
  local out = L:run(2)
  eq(out:match("^[^\n]+"), "true\ttrue")
  out = L:run(3)
  for l in out:gmatch("[^\n]+") do       -- every law holds in every case
    local t, a, b, c, d, e = l:match("^(%S+)\t(%d+)\t(%d+)\t(%d+)\t(%d+)\t(%d+)$")
    truthy(t, l)
    eq(a, b) eq(b, c) eq(c, d) eq(d, e)
  end
end)

test("figures/distributed-data/anti-entropy", function()
  local L = lesson(M .. "12-anti-entropy.md")
  local out = L:run(1)
  eq(out:match("^[^\n]+"), "key42 key7000")
  -- about 1 + k x fanout x depth hashes for k = 2 differences
  local h = grab(out, "hashes sent:\t(%d+)")
  truthy(h <= 1 + 2 * 2 * 10, h)
  L:says("about `1 + k × fanout × depth` hashes")
end)

test("figures/distributed-data/gossip", function()
  local L = lesson(M .. "13-gossip.md")
  local out = L:run(1)
  L:says("A larger fanout finishes sooner but sends more")
  local last_r, last_m = math.huge, 0
  for f = 1, 4 do
    local r = grab(out, ("fanout %d: everyone after ([%%d.]+) rounds"):format(f))
    local m = grab(out, ("fanout %d: everyone after [%%d.]+ rounds, (%%d+) messages"):format(f))
    truthy(r < last_r and m > last_m, out)
    last_r, last_m = r, m
  end
  out = L:run(2)
  truthy(grab(out, "push%-pull:\t(%d+)") > grab(out, "push, 3 rounds each:\t(%d+)"), out)
end)

test("figures/distributed-data/failure-detection", function()
  local L = lesson(M .. "14-failure-detection.md")
  local out = L:run(1)
  -- a longer timeout: fewer false suspicions, later detection
  local f1 = grab(out, "timeout 1.5 s: detected after [%d.]+ s, (%d+)")
  local f5 = grab(out, "timeout 5.0 s: detected after [%d.]+ s, (%d+)")
  truthy(f5 < f1)
  truthy(grab(out, "timeout 5.0 s: detected after ([%d.]+)") >
    grab(out, "timeout 1.5 s: detected after ([%d.]+)"))
  out = L:run(2)
  eq(out, "8.0\n12")                     -- 4 x log10(100) x 1 s; 4 x ceil(log10(101))
  out = L:run(3)
  -- the Lifeguard exercise: fewer false suspicions and deaths (none), slower
  local off = line(out, "lifeguard false")
  local on = line(out, "lifeguard true ")
  truthy(on[2] < off[2])
  truthy(on[3] < off[3])
  eq(on[3], 0)
  truthy(on[1] > off[1])
end)

test("figures/distributed-data/service-discovery", function()
  local L = lesson(M .. "15-service-discovery.md")
  local out = L:run(1)
  -- long TTL: the dead listed about a TTL, and live ones missing longer
  local t1, t10 = line(out, "ttl  1 s"), line(out, "ttl 10 s")
  near(t1[1], 1, 0.25)
  near(t10[1], 10, 1.5)
  truthy(t10[2] > t1[2])
  truthy(t10[3] > t1[3])
  L:says("The live ones are missing more often with a *long* TTL")
end)

test("figures/distributed-data/raft-compaction", function()
  local L = lesson(M .. "20-raft-compaction.md")
  local out = L:run(1)
  -- "every N: n1 snapshot up to B, K entries after it; nX got S snapshot(s)"
  local function row(every)
    local b, k, s = out:match(("every%%s+%d: n1 snapshot up to%%s+(%%d+),%%s+(%%d+) " ..
      "entries after it; n%%d got (%%d+) snapshot"):format(every))
    assert(b, out)
    return tonumber(b), tonumber(k), tonumber(s)
  end
  L:says("Without compaction, n1's log holds all 201 entries (200 writes and the leader's no-op)")
  local b, k, s = row(0)
  eq(b, 0) eq(k, 201) eq(s, 0)
  -- with compaction: a handful of entries, one snapshot and fewer entries
  -- for the follower
  L:says("received one snapshot and fewer entries")
  b, k, s = row(16)
  eq(b + k, 201) truthy(k < 16) eq(s, 1)
  local function sent(every)
    return tonumber(out:match(("every%%s+%d: .- and (%%d+) entries"):format(every)))
  end
  truthy(sent(16) < sent(0) and sent(50) < sent(0), out)
  L:says("with `snapshot_every = 50`, the last snapshot of n1 covers the entries up to 200")
  b, k, s = row(50)
  eq(b, 200) eq(k, 1) eq(s, 1)
  -- example 1 changed as an exercise says: what it prints then
  local function variant(from, to)
    local src, k = L.examples[1]:gsub(from, to)
    eq(k, 1)
    local mark = #L.out
    assert(load(src, "example 1 changed", "t", L.env))()
    return table.concat(L.out, "\n", mark + 1)
  end
  -- the "after" exercise's answer: with 30, snapshots at multiples of 30
  local with30 = variant("\nrun%(0%)[^\n]*", "\nrun(30)")
  eq(tonumber(with30:match("every%s+30: n1 snapshot up to%s+(%d+)")), 180)
  eq(tonumber(with30:match("every%s+30: n1 snapshot up to%s+%d+,%s+(%d+)")), 21)
  -- the "measure" exercise: back at 2.5 s, a snapshot with 16, none with 50
  local soon = variant("local BACK = 6 ", "local BACK = 2.5 ")
  truthy(soon:find("every   16: .- got 1 snapshot%(s%)"), soon)
  truthy(soon:find("every   50: .- got 0 snapshot%(s%)"), soon)
  L:says("the follower stops near entry 25, and at 2.5 s the leader is near entry 37")
  for _, every in ipairs{16, 50} do   -- the numbers the prose and feedback give
    local sim = lab.sim.new{nodes = 3, seed = 7, latency = 0.002}
    sim:node(lab.raft.node{snapshot_every = every})
    for i = 1, 200 do
      for id = 1, 3 do
        sim:request{at = 1 + i * 0.04, node = id, client = id, timeout = 1,
          op = {f = "put", key = "k" .. i % 4, value = tostring(i)}}
      end
    end
    sim:run(2)
    local lag = lab.raft.view(sim, 1).role == "leader" and 2 or 1
    sim:fault{at = 2, crash = lag}
    sim:fault{at = 2.5, restart = lag}
    sim:run(2.001)
    eq(lab.raft.view(sim, lag).last, 25)
    sim:run(2.499)
    local l = lab.raft.view(sim, lag == 1 and 2 or 1)
    eq(l.role, "leader")
    near(l.last, 37, 1)
    eq(l.base, every == 16 and 32 or 0)
  end
  -- the step example: n3 back with its own snapshot at 4, gets the leader's at 12
  out = L:run(2)
  L:says("n3 returns with its own snapshot up to 4 and nothing after; the leader's log starts after 12")
  truthy(out:find("n3    follower   1     n1    4       4", 1, true), out)
  truthy(out:find("li = 12, lt = 1, t = \"is\"", 1, true), out)
  truthy(out:find("n3    follower   1     n1    12      12", 1, true), out)
  truthy(out:find("{m = 12, ok = true, t = \"isr\"", 1, true), out)
end)
