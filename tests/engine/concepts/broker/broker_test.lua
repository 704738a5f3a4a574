-- Lua tests of lab.broker (engine/concepts/broker/broker_lua.c).

test("broker/page_example", function()
  local q = lab.broker.queue{ack_timeout = 30, max_deliveries = 2}
  q:publish("order 1"); q:publish("order 2")
  local c = q:consumer{prefetch = 1}
  local d = q:receive(c, 0)
  same(d, {tag = 1, id = 1, body = "order 1", deliveries = 1, redelivered = false})
  eq(q:receive(c, 0), nil)
  eq(q:nack(d.tag), true)
  d = q:receive(c, 1)
  eq(d.id, 1); eq(d.redelivered, true); eq(d.tag, 2)
  local e = q:receive(c, 40)                      -- 1 timed out at 31: dead
  eq(e.id, 2)
  same(q:dead(), {{id = 1, body = "order 1", deliveries = 2}})
  eq(q:ack(d.tag), false)
  same(q:stats(), {published = 2, delivered = 3, redelivered = 1, acked = 0, nacked = 1,
    expired = 1, crashed = 0, dead = 1, ready = 0, unacked = 1})
end)

-- Random operations on a queue: no acked message is ever delivered again,
-- and once drained every message is acked or dead (none lost).
test("broker/no_acked_message_lost", function()
  local r = lab.rand.new(5)
  for case = 1, 30 do
    local q = lab.broker.queue{ack_timeout = r:int(1, 5), max_deliveries = r:int(0, 4)}
    local cs = {}
    for i = 1, r:int(1, 3) do cs[i] = q:consumer{prefetch = r:int(0, 3)} end
    local n, acked, held, now = r:int(1, 40), {}, {}, 0
    for _ = 1, n do q:publish("m") end
    for _ = 1, 2000 do
      now = now + r:uniform()
      local c = cs[r:int(1, #cs)]
      local d = q:receive(c, now)
      if d then
        truthy(not acked[d.id], "case " .. case .. ": acked message " .. d.id .. " came back")
        held[#held + 1] = d
      end
      if #held > 0 and r:uniform() < 0.6 then
        local k = r:int(1, #held)
        local h = table.remove(held, k)
        local u = r:uniform()
        if u < 0.7 then
          if q:ack(h.tag) then acked[h.id] = true end
        elseif u < 0.9 then q:nack(h.tag, r:uniform() < 0.8)
        else q:crash(c); held = {} end
      end
    end
    -- drain with a consumer that acks everything
    local last = q:consumer{}
    for _ = 1, 10 * n do
      local d = q:receive(last, now + 1000)
      if not d then break end
      truthy(not acked[d.id], "case " .. case)
      if q:ack(d.tag) then acked[d.id] = true end
    end
    local dead = {}
    for _, m in ipairs(q:dead()) do dead[m.id] = true end
    for id = 1, n do truthy(acked[id] or dead[id], "case " .. case .. ": message " .. id .. " lost") end
    local s = q:stats()
    eq(s.acked + s.dead, n)
    eq(s.ready + s.unacked, 0)
  end
end)

test("broker/topic", function()
  local t = lab.broker.topic()
  local eu, all = lab.broker.queue{}, lab.broker.queue{}
  eq(t:subscribe(eu, {region = {"eu-west", "eu-north"}, kind = "order"}), 1)
  eq(t:subscribe(all), 2)
  eq(t:publish("o1", {region = "eu-west", kind = "order"}), 2)
  eq(t:publish("o2", {region = "us-east", kind = "order"}), 1)
  eq(t:publish("r1", {region = "eu-west"}), 1)
  eq(t:publish("r2"), 1)
  same(t:stats(), {published = 4, delivered = 5, matched = {1, 4}})
  local c = eu:consumer{}
  eq(eu:receive(c, 0).body, "o1")
  eq(eu:receive(c, 0), nil)
  collectgarbage(); collectgarbage()        -- the topic keeps its queues alive
  eq(t:publish("o3", {region = "eu-north", kind = "order"}), 2)
  raises(function() t:subscribe(eu, {region = 5}) end, "string or a list")
  raises(function() t:subscribe(eu, {region = {}}) end, "lists no value")
  raises(function() t:subscribe(eu, {region = {"a", 3}}) end, "must be a string")
  raises(function() t:publish("x", {n = 5}) end, "must be a string")
  raises(function() t:subscribe({}, {}) end, "lab.broker.queue")
end)

test("broker/simulate", function()
  local o = {messages = 500, consumers = 2, prefetch = 3, crash = 0.1, seed = 4}
  for _, mode in ipairs{"at-most-once", "at-least-once", "effectively-once"} do
    o.mode = mode
    local r = lab.broker.simulate(o)
    same(lab.broker.simulate(o), r)           -- the seed replays the run
    eq(r.mode, mode)
    eq(r.distinct + r.lost + 0, 500)
    if mode == "at-most-once" then truthy(r.lost > 0); eq(r.duplicates, 0) end
    if mode == "at-least-once" then eq(r.lost, 0); truthy(r.duplicates > 0) end
    if mode == "effectively-once" then eq(r.lost, 0); eq(r.duplicates, 0) end
  end
  local d = lab.broker.simulate{messages = 300, crash = 0.5, max_deliveries = 2, seed = 2}
  truthy(d.dead > 0)
  eq(d.lost, 0)
  raises(function() lab.broker.simulate{crash = 1} end, "crash")
  raises(function() lab.broker.simulate{mode = "exactly-once"} end, "one of")
end)

test("broker/errors", function()
  local q = lab.broker.queue{}
  raises(function() q:receive(1, 0) end, "no consumer 1")
  local c = q:consumer{}
  raises(function() q:receive(c, 0 / 0) end, "finite")
  raises(function() q:consumer{prefech = 1} end, "did you mean 'prefetch'")
  raises(function() lab.broker.queue{max_deliveries = -1} end, "max_deliveries")
  eq(q:ack(0), false); eq(q:ack(99), false); eq(q:nack(-3), false)
  eq(q:receive(c, 0), nil)
  eq(q:publish("a\0b"), 1)
  eq(q:receive(c, 0).body, "a\0b")
  truthy(tostring(q):find("1 unacked"))
end)
