-- Lua tests of lab.idem (engine/concepts/idem/idem_lua.c).

test("idem/lifecycle", function()
  local s = lab.idem.new{ttl = 100}
  eq(s:begin("a", "x=1", 0), "new")
  eq(s:begin("a", "x=1", 5), "conflict")
  eq(s:begin("a", "x=2", 6), "mismatch")          -- checked before in flight
  eq(s:finish("a", 500, "boom"), true)
  eq(s:finish("a", 200, "again"), false)          -- nothing in flight now
  local o, st, body = s:begin("a", "x=1", 99.5)
  eq(o, "replay"); eq(st, 500); eq(body, "boom")  -- errors replay too
  eq(s:begin("a", "x=2", 99.9), "mismatch")
  eq(s:begin("a", "x=2", 100), "new")             -- expired at created + ttl
  eq(s:begin("a", "x=2", 150), "conflict")
  same(s:stats(), {new = 2, replays = 1, conflicts = 2, mismatches = 2, expired = 1, keys = 1})
end)

test("idem/abandon", function()
  local s = lab.idem.new{}
  eq(s:abandon("k"), false)
  eq(s:begin("k", "", 0), "new")
  eq(s:abandon("k"), true)                        -- validation failed: forget it
  eq(s:begin("k", "other", 1), "new")             -- so another payload is fine
  s:finish("k", 201, "")
  eq(s:abandon("k"), false)                       -- a stored response stays
  eq(select(2, s:begin("k", "other", 2)), 201)
  eq(s:stats().keys, 1)
end)

test("idem/keys_are_bytes", function()
  local s = lab.idem.new{}
  eq(s:begin("a\0b", "1", 0), "new")
  eq(s:begin("a\0c", "1", 0), "new")
  eq(s:begin("a", "1", 0), "new")
  raises(function() s:begin("", "1", 0) end, "1 to 255 bytes")
  raises(function() s:begin(("k"):rep(256), "1", 0) end, "1 to 255 bytes")
  raises(function() s:begin("z", "1", 0 / 0) end, "finite")
  raises(function() s:finish("a", 42) end, "100 to 599")
  raises(function() lab.idem.new{ttl = 0} end, "ttl")
end)

test("idem/simulate", function()
  local r = lab.rand.new(11)
  for i = 1, 20 do
    local o = {payments = 300, loss = r:uniform() * 0.5, retries = r:int(0, 5),
      slow = r:uniform() * 0.3, seed = i}
    o.keys = true
    local with = lab.idem.simulate(o)
    eq(with.doubled, 0, "case " .. i)
    truthy(with.charges <= 300, "case " .. i)
    eq(with.confirmed + with.unconfirmed, 300)
    same(lab.idem.simulate(o), with)
  end
  local without = lab.idem.simulate{payments = 1000, loss = 0.1, slow = 0.05, keys = false}
  truthy(without.doubled > 50)
  eq(without.conflicts, 0)
  local none = lab.idem.simulate{payments = 100, loss = 0, keys = false}
  eq(none.charges, 100); eq(none.attempts, 100); eq(none.doubled, 0)
end)
