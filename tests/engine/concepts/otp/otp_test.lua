-- Lua tests of lab.otp against RFC 4226 and RFC 6238, and the verifier's
-- window and replay rules.

local O = lab.otp

local function rows(path)
  local out = {}
  for line in io.lines(path) do
    if line:sub(1, 1) ~= "#" and line ~= "" then
      local f = {}
      for x in (line .. "\t"):gmatch("([^\t]*)\t") do f[#f + 1] = x end
      out[#out + 1] = f
    end
  end
  return out
end

local SEED = "12345678901234567890"

test("otp/rfc4226_hotp", function()
  local n = 0
  for _, f in ipairs(rows("tests/engine/concepts/otp/data/hotp_rfc4226.tsv")) do
    eq(O.hotp(SEED, tonumber(f[1])), f[5], "counter " .. f[1])
    -- the 31-bit truncated value, as the table gives it, mod 10^8
    eq(O.hotp(SEED, tonumber(f[1]), 10), ("%010d"):format(tonumber(f[4])))
    n = n + 1
  end
  eq(n, 10)
end)

test("otp/rfc6238_totp", function()
  local seeds = {SHA1 = SEED, SHA256 = SEED .. "123456789012",
                 SHA512 = SEED:rep(3) .. "1234"}
  local n = 0
  for _, f in ipairs(rows("tests/engine/concepts/otp/data/totp_rfc6238.tsv")) do
    local alg = f[4]:lower()
    eq(#seeds[f[4]], ({SHA1 = 20, SHA256 = 32, SHA512 = 64})[f[4]])
    eq(O.totp(seeds[f[4]], tonumber(f[1]), 30, 8, alg), f[5], f[1] .. " " .. f[4])
    n = n + 1
  end
  eq(n, 18)
end)

test("otp/defaults_and_leading_zeros", function()
  eq(O.totp(SEED, 59), "287082")                -- 6 digits, sha1, 30 s
  eq(O.totp(SEED, 1111111109, 30, 8), "07081804")
  eq(O.hotp(SEED, 7, 6), "162583")
  raises(function() O.totp(SEED, 59, 30, 6, "md5") end, "sha1, sha256 or sha512")
  raises(function() O.hotp(SEED, -1) end, "negative")
  raises(function() O.totp(SEED, 59, 0) end, "step")
  raises(function() O.hotp(SEED, 1, 11) end, "digits")
end)

test("otp/verify_window_and_replay", function()
  local t = 1111111111                          -- step 37037037
  local step = t // 30
  eq(O.verify(SEED, O.totp(SEED, t), t), step)
  eq(O.verify(SEED, O.totp(SEED, t - 30), t), step - 1)     -- a slow phone
  eq(O.verify(SEED, O.totp(SEED, t + 30), t), step + 1)     -- a fast one
  local c, why = O.verify(SEED, O.totp(SEED, t - 60), t)
  eq(c, nil); eq(why, "wrong_code")
  eq(O.verify(SEED, O.totp(SEED, t - 60), t, {window = 2}), step - 2)
  c, why = O.verify(SEED, O.totp(SEED, t - 30), t, {window = 0})
  eq(why, "wrong_code")
  -- the same code a second time: replayed
  c, why = O.verify(SEED, O.totp(SEED, t), t + 5, {last = step})
  eq(c, nil); eq(why, "replayed")
  -- an older code after a newer one: replayed too
  c, why = O.verify(SEED, O.totp(SEED, t - 30), t, {last = step})
  eq(why, "replayed")
  eq(O.verify(SEED, O.totp(SEED, t + 30), t, {last = step}), step + 1)
  eq(select(2, O.verify(SEED, "12345", t)), "wrong_code")
  raises(function() O.verify(SEED, "1", t, {windows = 1}) end, "did you mean 'window'")
end)

test("otp/verify_hotp_look_ahead", function()
  eq(O.verify_hotp(SEED, "755224", 0), 1)
  eq(O.verify_hotp(SEED, "520489", 0), 10)       -- counter 9: within look-ahead 10
  eq(O.verify_hotp(SEED, "520489", 0, {look_ahead = 5}), nil)
  eq(O.verify_hotp(SEED, "755224", 1), nil)       -- counter 0 is used up
end)

test("otp/base32_rfc4648", function()
  local n = 0
  for _, f in ipairs(rows("tests/engine/concepts/otp/data/base_rfc4648.tsv")) do
    local input = f[2] == "<empty>" and "" or f[1]
    local want = f[3] == "<empty>" and "" or f[3]
    eq(O.base32(input), want)
    eq(O.base32_decode(want), input)
    n = n + 1
  end
  eq(n, 7)
  eq(O.base32_decode("gezdgnbvgy3tqojqgezdgnbvgy3tqojq"), SEED)
  eq((O.base32_decode("MZ1W")), nil)
end)
