-- Pinned runs of lab.sim seen from Lua: the SHA-256 of everything a run
-- shows (s:records, s:trace, s:diagram, s:timeline, s:history,
-- s:draw_history, s:stats) for fixed seeds, in a cluster of C nodes
-- (lab.gossip's SWIM) and Lua nodes under the nemesis. Written down when
-- the trace was first built: a change to the simulator's insides must
-- leave them as they are. (tests/engine/concepts/sim/test_sim_pinned.c
-- does the same from C; a libm that rounds log or cos differently could
-- change a latency, so look before repinning on another platform.)

-- A canonical text for a value: table keys sorted, floats exact.
local function ser(v, out)
  local t = type(v)
  if t == "table" then
    local keys = {}
    for k in pairs(v) do keys[#keys + 1] = k end
    table.sort(keys, function(a, b)
      if type(a) ~= type(b) then return type(a) < type(b) end
      return a < b
    end)
    out[#out + 1] = "{"
    for _, k in ipairs(keys) do
      ser(k, out) out[#out + 1] = "=" ser(v[k], out) out[#out + 1] = ","
    end
    out[#out + 1] = "}"
  elseif t == "number" then
    out[#out + 1] = math.type(v) == "integer" and tostring(v) or string.format("%a", v)
  elseif t == "string" then
    out[#out + 1] = string.format("%q", v)
  else
    out[#out + 1] = tostring(v)
  end
  return out
end

local function text(v) return table.concat(ser(v, {})) end

-- A Lua node: keeps a durable count of what it got, relays a few messages
-- on, ticks on a tagged timer, cancels a spare one, answers requests.
local function talker(id)
  return {
    start = function(n, restarted)
      n.got = 0
      n:log("start", restarted, n.store.total or 0)
      n:set_timer(0.05 + 0.05 * n:random(), {tick = 1, pad = "p" .. n.id})
    end,
    receive = function(n, from, msg)
      n.got = n.got + 1
      n.store.total = (n.store.total or 0) + 1
      if type(msg) == "table" and msg.hops and msg.hops < 3 then
        n:send(n:random(n.nodes), {hops = msg.hops + 1, from = n.id, seen = {from, n.got}})
      end
    end,
    timer = function(n, tag)
      if tag == "spare" then n:log("spare fired") return end
      n:send(n:random(n.nodes), {hops = 0, from = n.id, t = n:now() > 0})
      local spare = n:set_timer(0.5, "spare")
      if n:random(2) == 1 then n:cancel_timer(spare) end
      n:set_timer(0.005 + 0.02 * n:random(), {tick = tag.tick + 1, pad = string.rep("x", tag.tick % 7)})
    end,
    request = function(n, op, id)
      if op.f == "slow" then return end
      if op.f == "no" then n:fail(id, "refused by " .. n.id) return end
      n:reply(id, {total = n.store.total or 0, got = n.got})
    end,
  }
end

local function run(seed)
  local s = lab.sim.new{nodes = 6, seed = seed, loss = 0.05, dup = 0.03, reorder = 0.05,
    latency = {dist = "exponential", mean = 0.01, min = 0.002},
    clock_skew = 0.05, clock_drift = 1e-4,
    faults = {{at = 1, block = {from = {5}, to = {1, 2}}}, {at = 1.5, unblock = {from = {5}, to = {1, 2}}},
              {at = 2, crash = 6}, {at = 2.5, restart = 6}, {at = 3, clock = 5, jump = -0.2},
              {at = 3.2, latency = {dist = "normal", mean = 0.02, sd = 0.01}}},
    nemesis = {faults = "all", start = 4, stop = 9, interval = 0.5, duration = 0.5}}
  s:node({1, 2, 3, 4}, lab.gossip.node("swim", {interval = 0.1, timeout = 0.05}))
  s:node(talker)
  local ops = {"read", "slow", "no", "read"}
  for i = 1, 40 do
    s:request{at = 0.25 * i, node = 5 + i % 2, client = 1 + i % 3,
              op = {f = ops[1 + i % 4], n = i}, timeout = 0.1}
  end
  s:run(10)
  return s
end

local function digest(s)
  local parts = {
    text(s:records{}),
    s:trace{kinds = "all", limit = 1e7},
    s:diagram{limit = 300},
    s:diagram{last = true, limit = 100, nodes = {5, 6}},
    s:timeline(),
    text(s:history()),
    s:draw_history(),
    text(s:stats()),
  }
  return lab.digest.sha256(table.concat(parts, "\0"))
end

test("sim/pinned/lua_and_c_nodes", function()
  local a = run(7)
  local st = a:stats()
  truthy(st.events > 5000 and st.lost > 0 and st.cut > 0 and st.duplicated > 0, "a busy run")
  eq(digest(a), "b69cfdbd759acd449b7eb02a38a98a36f572af9eb349da11223158c8269f9e25")
  eq(digest(run(2026)), "06c14e767fe0ddefd22faaad68db2e7a5b11d70aa8b54d018d95331bbfe11865")
end)
