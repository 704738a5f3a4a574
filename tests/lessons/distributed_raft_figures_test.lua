-- The claims lessons 16-19 of distributed data (consensus and Raft) make
-- about their own examples: the audited nemesis run, the latency that
-- stretches elections, the follower's rule, Figure 7 repaired, the
-- commitment rule, the forgotten vote, InstallSnapshot. Each is checked
-- against the example's own output. See tests/lessons/figures.lua.
dofile("tests/lessons/figures.lua")

local M = "lessons/04-distributed-data/"

-- the line of OUT that starts with WORD, without WORD
local function line(out, word)
  for l in out:gmatch("[^\n]+") do
    if l:sub(1, #word) == word then return l:sub(#word + 1) end
  end
  error(("no line %q in:\n%s"):format(word, out), 2)
end

test("figures/distributed-data/consensus", function()
  local L = lesson(M .. "16-consensus.md")
  local out = L:run(1)
  eq(out:match("^(%a+)"), "true")
  L:says("`r.ok` says the auditor found no broken safety rule")
  -- "Leaders come and go as faults hit"
  truthy(grab(out, "(%d+) leaders") > 1)
  L:says("Leaders come and go as faults hit")
end)

test("figures/distributed-data/raft-election", function()
  local L = lesson(M .. "17-raft-election.md")
  local out = L:run(1)
  -- the example watches an election: someone becomes leader in those steps
  truthy(out:find(" leader ", 1, true), "a leader within the 8 steps")
  out = L:run(2)
  local function at(lat)
    local l = line(out, ("latency %.3f s: "):format(lat))
    return grab(l, "term (%d+)"), grab(l, "(%d+) writes ok")
  end
  local t1, w1 = at(0.005)
  local t2, w2 = at(0.05)
  local t3, w3 = at(0.12)
  eq(t1, 1)
  eq(t2, 1)
  -- a latency close to the timeout: more terms, fewer writes
  truthy(t3 > t2 and w3 < w2, "latency 0.12 s: elections stretch")
  L:says("a latency close to the timeout shows it")
end)

test("figures/distributed-data/raft-replication", function()
  local L = lesson(M .. "18-raft-replication.md")
  local out = L:run(1)
  eq(out, "true\t1 1 3 3\nfalse")
  out = L:run(2)
  -- before the run: Figure 7's logs; after it: every log is the leader's
  truthy(out:find("n7    follower   3     -     0       0         1x3 2x3 3x5", 1, true),
    "follower (f) as in Figure 7")
  local after = out:match("t = 1%.000 s\n(.*)")
  local n = 0
  for l in after:gmatch("n%d[^\n]*") do
    if l:find("leader") or l:find("follower") then
      eq(l:match("(%S+)$"), "8", l)
      truthy(l:find("1x3 4x2 5x2 6x3 8", 1, true), l)
      n = n + 1
    end
  end
  eq(n, 7)
  L:says("the leader first adds an entry of its own term")
  -- the refusals per follower are Figure 7's: nextIndex backs off by one
  local want = {a = {2, 0}, b = {7, 0}, c = {1, 1}, d = {1, 2}, e = {6, 2}, f = {8, 8}}
  for k, w in pairs(want) do
    local l = line(out, k .. ": ")
    eq(grab(l, "(%d+) refusals"), w[1], k)
    eq(grab(l, "(%d+) entries cut"), w[2], k)
  end
  -- the exercise's follower (g) is not one of the printed ones
  out = L:run(3)
  eq(out, "0\n3")
end)

test("figures/distributed-data/raft-persistence", function()
  local L = lesson(M .. "19-raft-persistence.md")
  local out = L:run(1)
  eq(line(out, "none\t"), "no violation in 100 runs")
  truthy(line(out, "vote\t"):find("^election safety: two leaders in term"))
  L:says("a forgotten vote elects two leaders")
  out = L:run(2)
  -- n3 was down while the others snapshotted past its log: it comes back
  -- with the leader's snapshot (InstallSnapshot), not by replaying entries
  local down = out:match("t = 3%.900 s\n(.-)\n\n")
  truthy(down:find("n3    down", 1, true), "n3 down at 3.9 s")
  local last = out:match("t = 6%.000 s\n(.*)$")
  local base1 = grab(last, "n1%s+leader%s+%d+%s+%S+%s+%d+%s+(%d+)")
  local base3 = grab(last, "n3%s+follower%s+%d+%s+%S+%s+%d+%s+(%d+)")
  truthy(base1 > 8)
  eq(base3, base1)
end)
