-- feedback: majority
-- No votes at all: a node that hears no leader claims leadership, and the
-- lower id wins a claim clash; terms are unique per node (t % 5 == id % 5)
-- so no two leaders ever share one. A node cut off with a minority leads.
local Node = {}
local ELECTION, HEARTBEAT = 0.15, 0.05
local function reset_election(n)
  if n.et then n:cancel_timer(n.et) end
  n.et = n:set_timer(ELECTION * (1 + n:random()), "election")
end
local function heartbeat(n)
  for _, p in ipairs(n.peers) do
    n:send(p, {t = "ae", term = n.term, pi = 0, pt = 0, c = 0, e = {}})
  end
end
local function become_follower(n)
  if n.ht then n:cancel_timer(n.ht) n.ht = nil end
  n.role, n.claiming = "follower", nil
  reset_election(n)
end
function Node.start(n)
  n.term, n.vote, n.role = 0, nil, "follower"
  reset_election(n)
end
function Node.timer(n, tag)
  if tag == "election" then
    n.et = nil
    if n.role == "leader" then return end
    n.claiming = true
    for _, p in ipairs(n.peers) do n:send(p, {t = "claim", term = n.term}) end
    n:set_timer(0.03, "claim")
  elseif tag == "claim" then
    if not n.claiming then return end
    n.claiming = nil
    local t = n.term + 1
    while t % n.nodes ~= n.id % n.nodes do t = t + 1 end
    n.role, n.term, n.vote = "leader", t, n.id
    heartbeat(n)
    n.ht = n:set_timer(HEARTBEAT, "heartbeat")
  elseif tag == "heartbeat" and n.role == "leader" then
    heartbeat(n)
    n.ht = n:set_timer(HEARTBEAT, "heartbeat")
  end
end
function Node.receive(n, from, m)
  if type(m) ~= "table" or type(m.term) ~= "number" then return end
  if m.t == "claim" then
    if n.claiming and from < n.id then n.claiming = nil reset_election(n) end
    return
  end
  if m.term > n.term then n.term = m.term become_follower(n) end
  if m.t == "ae" then
    if m.term < n.term then
      return n:send(from, {t = "aer", term = n.term, ok = false, h = 0})
    end
    if n.role ~= "leader" then become_follower(n) end
    n:send(from, {t = "aer", term = n.term, ok = true, m = 0})
  elseif m.t == "rv" then
    n:send(from, {t = "rvr", term = n.term, ok = false})
  end
end
function Node.request(n, op, id) n:fail(id, "not leader") end
return Node
