-- Lua tests of lab.crypto.timing (timing.c): the leak is there, an attack
-- recovers the secret through it, and the constant-time server does not leak.

local HEX = "0123456789abcdef"

-- The attack of the lessons: for each position, the candidate whose best
-- (smallest) time over SAMPLES tries is largest has the longest right prefix.
local function attack(server, len, samples)
  local known = ""
  for pos = 1, len do
    local best, best_t
    for i = 1, #HEX do
      local c = HEX:sub(i, i)
      local guess = known .. c .. ("0"):rep(len - pos)
      local t = math.huge
      for _ = 1, samples do
        local ok, ns = server:check(guess)
        if ok then return guess end
        t = math.min(t, ns)
      end
      if not best_t or t > best_t then best, best_t = c, t end
    end
    known = known .. best
  end
  return known
end

test("timing/times_are_seeded", function()
  local a = lab.crypto.timing{secret = "abcd", seed = 5}
  local b = lab.crypto.timing{secret = "abcd", seed = 5}
  for _ = 1, 20 do
    local _, ta = a:check("abzz")
    local _, tb = b:check("abzz")
    eq(ta, tb)
  end
  eq(a:calls(), 20)
end)

test("timing/leaky_time_grows_with_the_right_prefix", function()
  local s = lab.crypto.timing{secret = "abcd", noise = 0, base = 1000, per_byte = 10}
  local _, t0 = s:check("zzzz")
  local _, t2 = s:check("abzz")
  local _, tl = s:check("abc")       -- wrong length: answered before any byte
  local ok, t4 = s:check("abcd")
  eq(t0, 1010); eq(t2, 1030); eq(tl, 1000); eq(t4, 1040); eq(ok, true)
end)

test("timing/constant_time_is_flat", function()
  local s = lab.crypto.timing{secret = "abcd", compare = "constant", noise = 0}
  local _, t0 = s:check("zzzz")
  local _, t2 = s:check("abzz")
  local _, tl = s:check("ab")
  local ok, t4 = s:check("abcd")
  eq(t0, t2); eq(t2, tl); eq(tl, t4); eq(ok, true)
end)

test("timing/attack_recovers_the_secret_from_the_leaky_server", function()
  for seed = 1, 20 do
    local secret = ""
    local r = lab.rand.new(seed)
    for _ = 1, 8 do local k = r:int(1, 16); secret = secret .. HEX:sub(k, k) end
    local s = lab.crypto.timing{secret = secret, seed = seed}
    eq(attack(s, 8, 25), secret, "seed " .. seed)
    truthy(s:calls() <= 8 * 16 * 25)
  end
end)

test("timing/attack_fails_on_the_constant_time_server", function()
  local hits = 0
  for seed = 1, 20 do
    local s = lab.crypto.timing{secret = "9e3779b9", compare = "constant", seed = seed}
    if attack(s, 8, 15) == "9e3779b9" then hits = hits + 1 end
  end
  eq(hits, 0)
end)

test("timing/options", function()
  raises(function() lab.crypto.timing{} end, "secret")
  raises(function() lab.crypto.timing{secret = "x", compare = "fast"} end, "leaky constant")
  raises(function() lab.crypto.timing{secret = "x", noise = -1} end, "noise")
  eq(tostring(lab.crypto.timing{secret = "ab"}), "lab.crypto.timing(leaky, 2-byte secret, 0 calls)")
end)
