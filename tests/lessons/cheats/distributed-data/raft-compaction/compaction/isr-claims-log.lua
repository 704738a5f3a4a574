-- feedback: it matches the leader up to its last included index
-- InstallSnapshot answered with the follower's last index (m = last(n)), which
-- claims the entries it kept after the snapshot match the leader's
-- A Raft node: election (§5.2, §5.4.1), replication (§5.3, §5.4.2),
-- persistence, snapshots and InstallSnapshot (§7), a key-value store.
local Node = {}
local ELECTION, HEARTBEAT, SNAP_EVERY = 0.15, 0.05, 10

-- the snapshot's last included index and term (0, 0 before the first)
local function base(n)
  local snap = n.store.snapshot
  if snap then return snap.index, snap.term end
  return 0, 0
end

-- the term of entry i: from the snapshot for its last index, nil if
-- compacted or beyond the log
local function term_at(n, i)
  local b, bt = base(n)
  if i == b then return bt end
  local e = n.store.entries[i - b]
  return e and e.term
end

local function last(n)
  local b, bt = base(n)
  local log = n.store.entries
  return b + #log, #log > 0 and log[#log].term or bt
end

local function copy(t)
  local c = {}
  for k, v in pairs(t) do c[k] = v end
  return c
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
  n.store.entries = n.store.entries or {}
  local b = base(n)
  n.role, n.commit, n.applied = "follower", b, b
  n.kv = n.store.snapshot and copy(n.store.snapshot.kv) or {}
  n.waiting = {}
  reset_election(n)
end

local function send_append(n, p)
  local b, bt = base(n)
  local ni = n.next[p]
  if ni <= b then   -- the entry it needs is gone: send the snapshot (§7)
    return n:send(p, {t = "is", term = n.store.term, li = b, lt = bt,
                      data = n.store.snapshot.kv})
  end
  local log, e = n.store.entries, {}
  for i = ni, math.min(b + #log, ni + 3) do
    e[#e + 1] = {log[i - b].term, log[i - b].op}
  end
  local pi = ni - 1
  n:send(p, {t = "ae", term = n.store.term, pi = pi, pt = term_at(n, pi),
             c = n.commit, e = e})
end

-- once SNAP_EVERY entries are applied past the snapshot: snapshot the
-- state machine at the last applied entry, then drop the log up to it
local function compact(n)
  local b = base(n)
  if n.applied - b < SNAP_EVERY then return end
  local upto, log = n.applied, n.store.entries
  n.store.snapshot = {index = upto, term = term_at(n, upto), kv = copy(n.kv)}
  local rest = {}
  for k = upto - b + 1, #log do rest[#rest + 1] = log[k] end
  n.store.entries = rest
end

local function apply(n)
  while n.applied < n.commit do
    n.applied = n.applied + 1
    local b = base(n)
    local e = n.store.entries[n.applied - b]
    local op, result = e.op, nil
    if type(op) == "table" then
      if op.f == "put" then n.kv[op.key] = op.value
      elseif op.f == "get" then result = n.kv[op.key] end
    end
    local w = n.waiting[n.applied]
    if w then
      n.waiting[n.applied] = nil
      if w.term == e.term then n:reply(w.id, result) end
    end
  end
  compact(n)
end

local function advance_commit(n)
  for i = last(n), n.commit + 1, -1 do
    if term_at(n, i) ~= n.store.term then break end   -- §5.4.2
    local have = 1
    for _, p in ipairs(n.peers) do
      if n.match[p] >= i then have = have + 1 end
    end
    if 2 * have > n.nodes then n.commit = i apply(n) return end
  end
end

local function become_leader(n)
  n.role = "leader"
  if n.et then n:cancel_timer(n.et) n.et = nil end
  local log = n.store.entries
  log[#log + 1] = {term = n.store.term, op = false}   -- a no-op (§8)
  local li = last(n)
  n.next, n.match = {}, {}
  for _, p in ipairs(n.peers) do n.next[p], n.match[p] = li + 1, 0 end
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
  local b, li = base(n), last(n)
  -- §5.3; an index inside the snapshot matches: it is committed
  if not (m.pi < b or (m.pi <= li and term_at(n, m.pi) == m.pt)) then
    return n:send(from, {t = "aer", term = s.term, ok = false,
                         h = math.min(m.pi, li + 1)})
  end
  local log = s.entries
  for k, x in ipairs(m.e) do
    local j = m.pi + k - b                  -- its place after the snapshot
    if j >= 1 then
      if log[j] and log[j].term ~= x[1] then
        for q = #log, j, -1 do log[q] = nil end     -- a conflict: cut
      end
      if not log[j] then log[j] = {term = x[1], op = x[2]} end
    end
  end
  local newest = m.pi + #m.e
  if m.c > n.commit then
    n.commit = math.max(n.commit, math.min(m.c, newest))
    apply(n)
  end
  n:send(from, {t = "aer", term = s.term, ok = true, m = newest})
end

-- InstallSnapshot (Figure 13, in one message)
function handle.is(n, from, m)
  local s = n.store
  if m.term < s.term then
    return n:send(from, {t = "isr", term = s.term, m = 0})
  end
  become_follower(n)
  reset_election(n)
  if m.li > n.commit then
    local b = base(n)
    local rest = {}
    if term_at(n, m.li) == m.lt then     -- rule 6: keep what follows
      for k = m.li - b + 1, #s.entries do rest[#rest + 1] = s.entries[k] end
    end                                   -- rule 7: else drop it all
    s.snapshot = {index = m.li, term = m.lt, kv = copy(m.data)}
    s.entries = rest
    n.kv = copy(m.data)                   -- rule 8
    n.commit, n.applied = m.li, m.li
  end
  n:send(from, {t = "isr", term = s.term, m = last(n)})
end

function handle.isr(n, from, m)
  if n.role ~= "leader" or m.term ~= n.store.term then return end
  n.match[from] = math.max(n.match[from], m.m)
  n.next[from] = n.match[from] + 1
  if n.next[from] <= last(n) then send_append(n, from) end
end

function handle.aer(n, from, m)
  if n.role ~= "leader" or m.term ~= n.store.term then return end
  if m.ok then
    n.match[from] = math.max(n.match[from], m.m)
    n.next[from] = n.match[from] + 1
    advance_commit(n)
    if n.next[from] <= last(n) then send_append(n, from) end
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
  local log = n.store.entries
  log[#log + 1] = {term = n.store.term, op = op}
  n.waiting[last(n)] = {id = id, term = n.store.term}
  for _, p in ipairs(n.peers) do send_append(n, p) end
end

return Node
