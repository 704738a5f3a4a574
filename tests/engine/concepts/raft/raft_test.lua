-- Lua tests of lab.raft: the rules against the paper's vectors (etcd's
-- transcription), Figure 7 repaired by real nodes, long audited runs under
-- the nemesis, and the auditor catching each classic bug with the
-- property it breaks.

local DATA = "tests/engine/concepts/raft/data/"

local function slurp(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("a")
  f:close()
  return s
end

local V = lab.json.decode(slurp(DATA .. "raft_paper_vectors.json"))

local function same_list(a, b, msg)
  eq(#a, #b, msg .. " (length)")
  for i = 1, #a do eq(a[i], b[i], msg .. " [" .. i .. "]") end
end

test("raft/vectors_vote", function()
  for i, c in ipairs(V.vote_up_to_date) do
    local vl = c.voter_log_terms
    eq(lab.raft.up_to_date(vl[#vl], #vl, c.candidate_last_log_term,
      c.candidate_last_log_index), c.grant, "vote row " .. i)
  end
  eq(#V.vote_up_to_date, 10)
end)

test("raft/vectors_append", function()
  for i, c in ipairs(V.append_entries) do
    local ok, log = lab.raft.append(c.follower_log_terms, c.prev_log_index,
      c.prev_log_term, c.entry_terms)
    eq(ok, c.accept, "append row " .. i)
    same_list(log, c.result_log_terms, "append row " .. i)
  end
  for i, c in ipairs(V.check_prev) do
    eq(lab.raft.prev_ok(c.follower_log_terms, c.prev_log_index, c.prev_log_term),
      c.accept, "check_prev row " .. i)
  end
end)

test("raft/vectors_commit", function()
  for i, c in ipairs(V.leader_ack_commit) do
    -- one entry of the leader's term; the acknowledging followers hold it
    local match = {}
    for f = 1, c.cluster_size - 1 do
      match[f] = f <= c.followers_acknowledging and 1 or 0
    end
    local ci = lab.raft.commit_index{log = {1}, match = match, term = 1}
    eq(ci == 1, c.committed, "ack row " .. i)
  end
  for i, c in ipairs(V.only_current_term_commit) do
    local match = {}
    for f = 1, c.cluster_size - 1 do match[f] = c.follower_match_index end
    eq(lab.raft.commit_index{log = c.leader_log_terms, match = match,
      term = c.current_term}, c.commit_index, "current-term row " .. i)
  end
end)

-- Figure 7: node 1 is the leader of term 8 (it starts in term 7 and stands
-- at once); nodes 2..7 hold the followers' logs a..f. Real nodes repair
-- them with AppendEntries, backing off by one per refusal.
test("raft/figure7_repair", function()
  local F = V.figure7_sync
  local s = lab.sim.new{nodes = 7, seed = 1, latency = 0.001}
  s:node(1, lab.raft.node{term = F.leader_term - 1,
    log = F.leader_log_terms_before_new_entry, campaign = true, backup = "one",
    election = 5})
  for k, f in ipairs(F.followers) do
    local last = f.log_terms[#f.log_terms]
    s:node(k + 1, lab.raft.node{term = math.min(last, F.leader_term - 1),
      log = f.log_terms, backup = "one", election = 5})
  end
  s:run(1)
  eq(lab.raft.view(s, 1).role, "leader")
  eq(lab.raft.view(s, 1).term, F.leader_term)
  for k, f in ipairs(F.followers) do
    local v = lab.raft.view(s, k + 1)
    local log = {}
    for i = 1, v.last do log[i] = v.log[i] end
    same_list(log, f.final_log_terms, "follower " .. f.follower)
    eq(v.rejects + 1, f.appendentries_probes_with_decrement_by_one,
      "probes of " .. f.follower)
    eq(v.removed, f.entries_removed, "removed from " .. f.follower)
    eq(v.added, f.entries_added, "added to " .. f.follower)
  end
end)

test("raft/replicates_and_compacts", function()
  local s = lab.sim.new{nodes = 3, seed = 4, latency = 0.002}
  s:node(lab.raft.node{snapshot_every = 8})
  s:run(1)
  local leader
  for id = 1, 3 do
    if lab.raft.view(s, id).role == "leader" then leader = id end
  end
  truthy(leader, "a leader within 1 s")
  for i = 1, 30 do
    s:request{at = 1 + i * 0.01, node = leader, client = 1,
      op = {f = "append", key = "x", value = tostring(i % 10), client = 1, seq = i},
      timeout = 1}
  end
  -- a retry of seq 30 must not apply twice (a session, §8)
  s:request{at = 1.5, node = leader, client = 1, timeout = 1,
    op = {f = "append", key = "x", value = "0", client = 1, seq = 30}}
  s:request{at = 1.6, node = leader, client = 2, timeout = 1,
    op = {f = "get", key = "x"}}
  s:run(3)
  local want = ("1234567890"):rep(3)
  local h = s:history()
  eq(h[#h].status, "ok")
  eq(h[#h].result, want)
  for id = 1, 3 do
    eq(lab.raft.get(s, id, "x"), want, "n" .. id)
    truthy(lab.raft.view(s, id).base >= 24, "n" .. id .. " took snapshots")
  end
  -- a follower down through many snapshots catches up by InstallSnapshot
  local f = leader % 3 + 1
  s:fault{at = 3.1, crash = f}
  for i = 31, 60 do
    s:request{at = 3.2 + i * 0.01, node = leader, client = 1, timeout = 1,
      op = {f = "put", key = "y" .. i % 4, value = "v" .. i, client = 1, seq = i}}
  end
  s:fault{at = 5, restart = f}
  s:run(7)
  eq(lab.raft.get(s, f, "y3"), "v59")
  eq(lab.raft.get(s, f, "x"), want)
  eq(lab.raft.view(s, f).commit, lab.raft.view(s, leader).commit)
  -- a follower refuses clients and names the leader
  s:request{at = 7.1, node = f, client = 3, op = {f = "get", key = "x"}}
  s:run(7.5)
  h = s:history()
  eq(h[#h].status, "fail")
  eq(h[#h].result.leader, leader)
end)

test("raft/persistence_survives_crashes", function()
  local s = lab.sim.new{nodes = 3, seed = 9, latency = 0.002}
  s:node(lab.raft.node{snapshot_every = 0})
  s:run(1)
  local before = {}
  for id = 1, 3 do before[id] = lab.raft.view(s, id) end
  for id = 1, 3 do s:fault{at = 1.1 + id * 0.01, crash = id} end
  for id = 1, 3 do s:fault{at = 1.5, restart = id} end
  s:run(1.4)
  for id = 1, 3 do
    local v = lab.raft.view(s, id)
    eq(v.role, "down")
    eq(v.term, before[id].term, "term kept on disk")
    eq(v.vote, before[id].vote, "vote kept on disk")
    eq(v.last, before[id].last, "log kept on disk")
  end
  s:run(3)
  local leaders = 0
  for id = 1, 3 do leaders = leaders + (lab.raft.view(s, id).role == "leader" and 1 or 0) end
  eq(leaders, 1)
end)

-- The done criterion: as many seeded nemesis runs as the suite affords,
-- each audited after every event. 1000 runs of 10 s of 5 nodes.
test("raft/nemesis_1000_runs", function()
  local bad, st = lab.raft.check{runs = 1000, seed = 1, time = 10}
  if bad then error(bad.violation .. " (seed " .. bad.seed .. ")") end
  eq(st.runs, 1000)
  truthy(st.ok_ops > 10000, "clients got answers: " .. st.ok_ops)
  -- the targeted faults too: voters and leaders killed at their worst
  bad = lab.raft.check{runs = 200, seed = 1, time = 10, nemesis = "partition",
    kill_voters = 1, fault_every = 0.1, fault_for = 0.5, loss = 0.1}
  if bad then error(bad.violation .. " (seed " .. bad.seed .. ")") end
  bad = lab.raft.check{runs = 200, seed = 1, time = 10, batch = 1, clients = 50,
    nemesis = "partition isolate", kill_leaders = 0.6, fault_for = 0.3}
  if bad then error(bad.violation .. " (seed " .. bad.seed .. ")") end
  bad = lab.raft.check{runs = 200, seed = 1, time = 5, nemesis = "", latency = 0.02}
  if bad then error(bad.violation .. " (seed " .. bad.seed .. ")") end
end)

-- The auditor is tested by the bugs it must catch, each by its property.
local BUGS = {
  {bug = "vote", property = "election safety", opts = {nemesis = "partition",
    kill_voters = 1, fault_every = 0.1, fault_for = 0.5, loss = 0.1}},
  {bug = "commit", property = "leader completeness", opts = {batch = 1, clients = 50,
    nemesis = "partition isolate", kill_leaders = 0.6, fault_for = 0.3}},
  {bug = "timer", property = "leader stability", opts = {nemesis = "", latency = 0.02,
    time = 5}},
  {bug = "check", property = "log matching", opts = {clients = 50,
    nemesis = "partition isolate", kill_leaders = 0.6, fault_for = 0.3}},
}

test("raft/auditor_catches_each_bug", function()
  for _, b in ipairs(BUGS) do
    local o = {runs = 200, seed = 1, time = 10, bug = b.bug}
    for k, v in pairs(b.opts) do o[k] = v end
    local bad = lab.raft.check(o)
    truthy(bad, b.bug .. ": no violation in 200 runs")
    eq(bad.property, b.property, b.bug)
    truthy(bad.violation:find(b.property, 1, true), bad.violation)
    -- the same seed replays the same violation
    o.seed, o.runs = bad.seed, 1
    local again = lab.raft.check(o)
    eq(again.violation, bad.violation, b.bug .. " replays")
  end
end)

test("raft/timeline_and_show", function()
  local r = lab.raft.run{nodes = 3, seed = 2, time = 4, keep = true}
  truthy(r.ok, r.violation)
  local t = lab.raft.timeline(r.sim, {width = 60})
  truthy(t:find("\nn1 "), t)
  truthy(t:find("L"), t)
  truthy(t:find("\nterm "), t)
  for line in t:gmatch("[^\n]+") do truthy(#line <= 80, line) end
  local sh = lab.raft.show(r.sim)
  truthy(sh:find("leader"), sh)
  -- step mode: one event at a time, looking inside between steps
  local s = lab.sim.new{nodes = 3, seed = 1}
  s:node(lab.raft.node{})
  local terms = {}
  for _ = 1, 200 do
    s:step(1)
    terms[#terms + 1] = lab.raft.view(s, 1).term
  end
  for i = 2, #terms do truthy(terms[i] >= terms[i - 1], "terms never go back") end
end)

test("raft/errors", function()
  raises(function() lab.raft.node{bug = "votes"} end, "one of")
  raises(function() lab.raft.node{term = 2, log = {1, 3}} end, "log%[2%]")
  raises(function() lab.raft.run{nemesis = "storm"} end, "nemesis kinds")
  raises(function() lab.raft.view(lab.sim.new{nodes = 2, seed = 1}, 1) end, "not a raft node")
  raises(function() lab.raft.commit_index{log = {1}, match = {3}, term = 1} end, "past")
  local a = lab.raft.auditor{nodes = 2}
  raises(function() a:observe(3, {}) end, "node ids")
end)

test("raft/auditor_on_tables", function()
  local a = lab.raft.auditor{nodes = 3}
  local e1 = {term = 1, op = {f = "put", key = "x", value = "1"}}
  eq(a:observe(1, {role = "leader", term = 1, log = {e1}, commit = 0}, 1), nil)
  eq(a:observe(2, {role = "follower", term = 1, log = {e1}, commit = 1}, 1.1), nil)
  local v = a:observe(3, {role = "leader", term = 1, log = {}, commit = 0}, 1.2)
  eq(v.property, "election safety")
  truthy(v.text:find("two leaders in term 1: n1 %(elected at 1.000 s%) and n3 %(1.200 s%)"),
    v.text)
  a = lab.raft.auditor{nodes = 3}
  a:observe(1, {role = "follower", term = 2, log = {e1}, commit = 1}, 1)
  v = a:observe(2, {role = "leader", term = 3, log = {{term = 2, op = "other"}}}, 2)
  eq(v.property, "leader completeness")
  a = lab.raft.auditor{nodes = 3}
  a:observe(1, {role = "follower", term = 2, log = {e1, {term = 2, op = 1}}}, 1)
  v = a:observe(2, {role = "follower", term = 2, log = {{term = 2, op = 0}, {term = 2, op = 1}}}, 2)
  eq(v.property, "log matching")
end)
