-- Lua tests of lab.bloom.counting: after random adds and removes (of keys
-- added), the nonzero counters are exactly the bits a plain lab.bloom of
-- the keys still present sets (so no false negatives, and the same rate);
-- counters stick at 2^c - 1; a key never added is refused.

test("counting/equals_plain_filter_of_present_keys", function()
  for seed = 1, 15 do
    local r = lab.rand.new(seed)
    local m, k = r:int(50, 2000), r:int(1, 8)
    local c = lab.bloom.counting{counters = m, hashes = k, counter_bits = 8}
    local present = {}                     -- key -> times added and not removed
    for _ = 1, 600 do
      local key = r:int(1, 300)
      if (present[key] or 0) > 0 and r:uniform() < 0.4 then
        eq(c:remove(key), true)
        present[key] = present[key] - 1
      else
        c:add(key)
        present[key] = (present[key] or 0) + 1
      end
    end
    local plain, n = lab.bloom.new{bits = m, hashes = k}, 0
    for key, times in pairs(present) do
      if times > 0 then plain:add(key); n = n + times end
      if times > 0 then eq(c:has(key), true, "false negative") end
    end
    eq(#c, n)
    local st = c:stats()
    if st.saturated == 0 then
      for i = 0, m - 1 do eq(c:counter(i) > 0, plain:bit(i), ("seed %d counter %d"):format(seed, i)) end
      for key = 301, 2000 do eq(c:has(key), plain:has(key)) end
    end
  end
end)

test("counting/sticky_counters", function()
  local c = lab.bloom.counting{counters = 64, hashes = 3, counter_bits = 1}
  eq(c:add("x") >= 1, true)               -- 1-bit counters saturate at once
  eq(c:stats().max, 1)
  eq(c:remove("x"), true)
  eq(c:has("x"), true)                    -- a saturated counter is never decremented
  local d = lab.bloom.counting{counters = 10, hashes = 2, counter_bits = 2}
  for i = 1, 50 do d:add(i) end
  local st = d:stats()
  eq(st.max, 3)
  truthy(st.saturated > 0)
  for i = 1, 50 do d:remove(i) end
  for i = 1, 50 do eq(d:has(i), true, "key " .. i) end  -- stuck counters keep every key
end)

test("counting/refuses_keys_never_added", function()
  local c = lab.bloom.counting{counters = 1000, hashes = 4}
  c:add("a")
  eq(c:remove("b"), false)
  eq(c:stats().removed, 0)
  eq(c:stats().counter_bits, 4)
  raises(function() lab.bloom.counting{counters = 0, hashes = 1} end, "counters")
  raises(function() lab.bloom.counting{counters = 10, hashes = 1, counter_bits = 9} end, "counter_bits")
  raises(function() c:counter(1000) end, "numbered")
end)
