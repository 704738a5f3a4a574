-- Lua tests of lab.bloom (engine/concepts/bloom/bloom_lua.c).

local B = lab.bloom

test("bloom/api", function()
  local b = B.new{bits = 1000, hashes = 5}
  for i = 1, 100 do b:add(i); b:add("k" .. i) end
  for i = 1, 100 do eq(b:has(i), true); eq(b:has("k" .. i), true) end
  eq(b:has(3.0), true)
  eq(#b, 200)
  local s = b:stats()
  eq(s.bits, 1000)
  eq(s.hashes, 5)
  eq(s.added, 200)
  near(s.fill, s.ones / 1000, 1e-12)
  near(s.fp_rate, (1 - math.exp(-5 * 200 / 1000)) ^ 5, 1e-12)
  eq(tostring(b), "lab.bloom(1000 bits, 5 hashes, 200 added)")
  raises(function() b:add(1.5) end, "not a fraction")
  raises(function() b:add({}) end, "not table")
  raises(function() B.new{bits = 10} end, "'hashes' is required")
  raises(function() B.new{bits = 0, hashes = 1} end, "bits")
end)

-- The positions the page documents, computed in Lua, are the bits set.
test("bloom/positions_reproduced_in_lua", function()
  local m, k = 211, 6
  local b = B.new{bits = m, hashes = k}
  local mine = {}
  for _, x in ipairs{"apple", "pear", 42, -7, ""} do
    b:add(x)
    local h1, h2 = B.hash(x)
    truthy(h1 >= 0 and h1 < 2^32 and h2 >= 1 and h2 < 2^32 and h2 % 2 == 1)
    for i = 0, k - 1 do mine[(h1 + i * h2) % m] = true end
  end
  for i = 0, m - 1 do eq(b:bit(i), mine[i] == true, "bit " .. i) end
end)

test("bloom/size", function()
  local m, k = B.size(1000000, 0.01)
  eq(m, 9585059)
  eq(k, 7)
  m, k = B.size(1000, 0.001)
  eq(k, 10)
  near(B.fp_rate(m, k, 1000), 0.001, 0.0001)
end)

test("bloom/measured_rate", function()
  local r = lab.rand.new(5)
  local n, m, k = 2000, 16000, 6
  local b = B.new{bits = m, hashes = k}
  for _ = 1, n do b:add(r:int(1, 2^40)) end
  local fp = 0
  for _ = 1, 50000 do if b:has(-r:int(1, 2^40)) then fp = fp + 1 end end
  local p = B.fp_rate(m, k, n)
  near(fp / 50000, p, 5 * math.sqrt(p * (1 - p) / 50000) + 0.05 * p)
end)
