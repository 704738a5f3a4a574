-- The numbers the security lessons quote from their own examples, and the
-- answers their typed exercises hold: each is produced here by the lab (or
-- the example itself) and found in the lesson, so prose, answers and lab
-- cannot drift apart. The published vectors these rest on are checked
-- against their RFCs in tests/engine/concepts/*/ (crypto: RFC 4231, 6070,
-- 7914, 1321, FIPS 180-4; otp: RFC 4226, 6238; tls: RFC 8448; oauth:
-- RFC 7636; see each data/SOURCES.md). See tests/lessons/figures.lua.
dofile("tests/lessons/figures.lua")

local function read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("a")
  f:close()
  return s
end

-- TEXT appears in the lesson file anywhere (a hidden block included).
local function holds(path, text)
  truthy(read(path):find(text, 1, true), ("%s does not hold %q"):format(path, text))
end

local S = "lessons/07-security/"

test("figures/security/mfa", function()
  local L = lesson(S .. "02-mfa.md")
  local out = L:run(1)
  -- RFC 4226 appendix D: HMAC of counter 0, dynamic truncation, 755224
  local mac = out:match("(%x+)%s*$")
  eq(#mac, 40)
  L:says("The first HMAC ends in `...b0`")
  eq(mac:sub(-2), "b0")
  local off = tonumber(mac:sub(-1), 16)
  eq(off, 0)
  L:says("offset `0` picks bytes `cc93cf18`")
  eq(mac:sub(2 * off + 1, 2 * off + 8), "cc93cf18")
  local bin = tonumber(mac:sub(1, 8), 16) & 0x7fffffff
  L:says(("top bit cleared `%08x` = %d"):format(bin, bin))
  L:says(("its last 6 digits, `%06d`"):format(bin % 1000000))
  truthy(out:find("0\t" .. ("%06d"):format(bin % 1000000), 1, true))
  -- the replay exercise's step is the step the example accepts
  out = L:run(3)
  local step = tonumber(out:match("^(%d+)"))
  eq(step, 1111111111 // 30)
  holds(S .. "02-mfa.md", ("TOTP code for step %d was just accepted"):format(step))
  truthy(out:find("nil\treplayed", 1, true))
end)

test("figures/security/hashing", function()
  local L = lesson(S .. "03-hashing.md")
  local out = L:run(2)
  -- the padding example: 55 bytes fit one block, 56 and 64 need two
  truthy(out:find("55 bytes -> 1 block(s)", 1, true))
  truthy(out:find("56 bytes -> 2 block(s)", 1, true))
  truthy(out:find("64 bytes -> 2 block(s)", 1, true))
  eq(#lab.crypto.sha512(""), 128)              -- hexlen's answer
end)

test("figures/security/asymmetric", function()
  local L = lesson(S .. "10-asymmetric.md")
  local out = L:run(1)
  local first = out:match("^([^\n]*)")
  holds(S .. "10-asymmetric.md", "-- " .. first:gsub("\t", " "))   -- 4 10 18 18
  local d = lab.pubkey.dh{p = 23, g = 5, a = 4, b = 3}
  eq(first, ("%d\t%d\t%d\t%d"):format(d.A, d.B, d.alice, d.bob))
  eq(d.alice, d.bob)
  out = L:run(2)
  local line1, line2 = out:match("^([^\n]*)\n([^\n]*)")
  holds(S .. "10-asymmetric.md", "-- " .. line1:gsub("\t", " "))   -- 3233 17 2753
  holds(S .. "10-asymmetric.md", "-- " .. line2:gsub("\t", " "))   -- 2790 65
  local k = lab.pubkey.rsa(61, 53, 17)
  eq(line1, ("%d\t%d\t%d"):format(k.n, k.e, k.d))
  eq(line2, ("%d\t65"):format(lab.pubkey.encrypt(65, k)))
  out = L:run(3)
  truthy(out:find("^200\n"), "the malleability example prints 200")
  -- dh: 5^6, 5^15 and the shared secret mod 23
  local P = lab.pubkey
  local A, B = P.powmod(5, 6, 23), P.powmod(5, 15, 23)
  eq(P.powmod(B, 6, 23), P.powmod(A, 15, 23))
  holds(S .. "10-asymmetric.md", ("if v == %d then fail(\"%d is Alice's"):format(A, A))
  holds(S .. "10-asymmetric.md", ("if v == %d then fail(\"%d is Bob's"):format(B, B))
  holds(S .. "10-asymmetric.md", ("expect(v):equals(%d,"):format(P.powmod(B, 6, 23)))
  -- break-rsa: factor, invert, decrypt
  local n, e, cipher = 1000036000099, 65537, 598195729194
  local p, q = P.factor(n)
  local dd = P.invmod(e, (p - 1) * (q - 1))
  holds(S .. "10-asymmetric.md", ("if v == %d then"):format(dd))
  holds(S .. "10-asymmetric.md", ("expect(v):equals(%d,"):format(P.powmod(cipher, dd, n)))
end)

test("figures/security/tls", function()
  local L = lesson(S .. "11-tls.md")
  local out = L:run(2)
  local early, derived, hs = out:match("^(%x+)\n(%x+)\n(%x+)")
  holds(S .. "11-tls.md", "-- RFC 8448: " .. early:sub(1, 8) .. "...")
  holds(S .. "11-tls.md", "-- " .. derived:sub(1, 8) .. "...")
  L:says("(`" .. hs:sub(1, 8) .. "...`)")
  -- the master exercise: the secret it gives, the answer, and two wrongs
  holds(S .. "11-tls.md", "handshake secret is\n`" .. hs .. "`")
  local unhex = lab.crypto.unhex
  local want = lab.tls.derive_secret(unhex(hs), "derived", "")
  holds(S .. "11-tls.md", 'local want = "' .. want .. '"')
  holds(S .. "11-tls.md", "```solution\n" .. want .. "\n```")
  holds(S .. "11-tls.md", "```wrong as bytes\n" .. lab.tls.derive_secret(hs, "derived", ""))
  holds(S .. "11-tls.md", "```wrong the early secret\n" .. derived)
  local master = lab.crypto.hkdf_extract("sha256", unhex(want), ("\0"):rep(32))
  holds(S .. "11-tls.md", "```wrong the master secret itself\n" .. master)
end)

test("figures/security/passwords", function()
  -- the guesses exercise: 10^10 compressions / (2 x 600,000)
  holds(S .. "05-passwords.md", "expect(v):near(1e10 / 1.2e6,")
  holds(S .. "05-passwords.md", "about " .. ("%d"):format(1e10 / 1.2e6 // 100 * 100)
    :gsub("^(%d)(%d%d%d)$", "%1,%2"))
  -- the bcrypt string the example prints: $2b$, cost 06, 22 + 31 characters
  local L = lesson(S .. "05-passwords.md")
  local out = L:run(1)
  local h = out:match("(%$2b%$06%$[./%w]+)")
  eq(#h, 7 + 22 + 31)
  L:says("`$2b$` (the version), `06$` (the cost), 22 characters of salt, 31 of hash")
end)
