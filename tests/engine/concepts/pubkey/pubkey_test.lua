-- Lua tests of lab.pubkey (engine/concepts/pubkey/toy.c): textbook values,
-- Python's integers on random 62-bit numbers (data/generated_numbers.tsv),
-- and the attacks the lessons run.

local P = lab.pubkey

test("pubkey/generated_numbers", function()
  local n = 0
  for line in io.lines("tests/engine/concepts/pubkey/data/generated_numbers.tsv") do
    if line:sub(1, 1) ~= "#" then
      local f = {}
      for x in line:gmatch("[^\t]+") do f[#f + 1] = x end
      local v = {}
      for i = 2, #f do v[i - 1] = math.tointeger(tonumber(f[i])) end
      if f[1] == "powmod" then eq(P.powmod(v[1], v[2], v[3]), v[4], line)
      elseif f[1] == "invmod" then eq(P.invmod(v[1], v[2]), v[3] ~= 0 and v[3] or nil, line)
      elseif f[1] == "gcd" then eq(P.gcd(v[1], v[2]), v[3], line)
      else eq(P.is_prime(v[1]), v[2] == 1, line) end
      n = n + 1
    end
  end
  eq(n, 900)
end)

test("pubkey/textbook_rsa", function()
  local k = P.rsa(61, 53, 17)
  eq(k.n, 3233); eq(k.phi, 3120); eq(k.d, 2753); eq(k.toy, true)
  eq(P.encrypt(65, k), 2790)
  eq(P.decrypt(2790, k), 65)
  local s = P.sign(65, k)
  truthy(P.verify(65, s, k))
  eq(P.verify(66, s, k), false)
  raises(function() P.rsa(61, 61) end, "differ")
  raises(function() P.rsa(60, 53) end, "prime")
  raises(function() P.rsa(61, 53, 3) end, "coprime")   -- 3 divides 3120
  raises(function() P.encrypt(5000, k) end, "below n")
  raises(function() P.encrypt(5, {n = 3233}) end, "field 'e'")
end)

test("pubkey/mulmod", function()
  eq(P.mulmod(1 << 61, 3, (1 << 62) - 57), 2305843009213694009)  -- Python: (2**61 * 3) % (2**62 - 57)
  eq(P.mulmod(4611686018427387847, 4611686018427387846, 4611686018427387847), 0)
end)

test("pubkey/textbook_dh", function()
  local d = P.dh{p = 23, g = 5, a = 4, b = 3}
  eq(d.A, 4); eq(d.B, 10); eq(d.alice, 18); eq(d.bob, 18)
  raises(function() P.dh{p = 24, g = 5, a = 4, b = 3} end, "prime")
  raises(function() P.dh{p = 23, g = 5, a = 4} end, "'b' is required")
end)

test("pubkey/primes", function()
  truthy(P.is_prime((1 << 61) - 1))                 -- a Mersenne prime
  eq(P.is_prime(3215031751), false)            -- strong pseudoprime to 2, 3, 5, 7
  eq(P.is_prime(561), false)                   -- Carmichael
  eq(P.is_prime(1), false); eq(P.is_prime(2), true)
  eq(P.next_prime(1000000000), 1000000007)
end)

test("pubkey/breaking_toy_keys", function()
  local p, q = P.factor(1000000007 * 1000000009)
  eq(p, 1000000007); eq(q, 1000000009)
  eq(P.factor(1000000007), nil)
  -- factor n, recompute d: the private key from the public one
  local k = P.rsa(1000003, 1000033)
  local a, b = P.factor(k.n)
  eq(P.invmod(k.e, (a - 1) * (b - 1)), k.d)
  -- a discrete log in a 31-bit group
  local x = P.dlog(7, P.powmod(7, 123456789, 2147483647), 2147483647)
  eq(P.powmod(7, x, 2147483647), P.powmod(7, 123456789, 2147483647))
  eq(P.dlog(2, 3, 7), nil)                       -- 2 generates {1, 2, 4} mod 7
  raises(function() P.dlog(2, 3, 2^41 + 15) end, "below 2%^40")
end)

test("pubkey/textbook_rsa_is_malleable_padding_is_not", function()
  local k = P.rsa(1500000001, 1500000041)      -- n ~ 2^61
  local c = P.encrypt(100, k)
  local c2 = P.mulmod(c, P.encrypt(2, k), k.n)
  eq(P.decrypt(c2, k), 200)                      -- the attacker doubled the amount
  local x = P.pad(100, 0xdeadbeef)
  local pc = P.encrypt(x, k)
  eq(P.unpad(P.decrypt(pc, k)), 100)
  local forged = P.mulmod(pc, P.encrypt(2, k), k.n)
  eq(P.unpad(P.decrypt(forged, k)), nil)
  -- deterministic without padding, randomised with it
  eq(P.encrypt(100, k), P.encrypt(100, k))
  truthy(P.encrypt(P.pad(100, 1), k) ~= P.encrypt(P.pad(100, 2), k))
end)
