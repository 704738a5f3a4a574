-- Lua tests of lab.jwt: the RFC 7515/7520 vectors (HS256, RS256, ES256,
-- ES512), verification rules, and every lab target's bug and its attack.

local J = lab.jwt
local b64 = lab.crypto.base64url

local function lines(path)
  local out = {}
  for line in io.lines(path) do
    if line:sub(1, 1) ~= "#" and line ~= "" then
      local f = {}
      for x in line:gmatch("[^\t]+") do f[#f + 1] = x end
      out[#out + 1] = f
    end
  end
  return out
end

local function asym_vectors()
  local f = assert(io.open("tests/engine/concepts/jwt/data/jws_rs256_es256_vectors.json"))
  local text = f:read("a")
  f:close()
  local list = {}
  for obj in text:match('"vectors": (%b[])'):gmatch("%b{}") do
    if obj:find('"compact"') then
      local v = {jwk = {}}
      for k, val in obj:gmatch('"(%w+)": "([^"]*)"') do v[k] = val end
      for k, val in obj:match('"jwk": (%b{})'):gmatch('"(%w+)": "([^"]*)"') do v.jwk[k] = val end
      v.deterministic = obj:find('"deterministic": true') ~= nil
      list[#list + 1] = v
    end
  end
  return list
end

test("jwt/rfc_hs256_vectors", function()
  local n = 0
  for _, f in ipairs(lines("tests/engine/concepts/jwt/data/jws_hs256_vectors.tsv")) do
    local key = {kty = "oct", k = f[2]}
    local claims, why = J.verify_jws(f[3], key, {algorithms = {"HS256"}})
    if f[4] == "valid" then
      truthy(claims, f[1] .. ": " .. tostring(why))
      -- re-signing the same bytes gives the same signature
      local input = f[3]:match("^(.*)%.")
      local mac = lab.crypto.hmac("sha256", lab.crypto.base64url_decode(f[2]), input)
      eq(input .. "." .. b64(lab.crypto.unhex(mac)), f[3])
    else
      eq(claims, nil); eq(why, "bad_signature")
    end
    n = n + 1
  end
  eq(n, 3)
  -- RFC 7515 A.1's claims
  local c = J.verify(lines("tests/engine/concepts/jwt/data/jws_hs256_vectors.tsv")[1][3],
    {kty = "oct", k = lines("tests/engine/concepts/jwt/data/jws_hs256_vectors.tsv")[1][2]},
    {algorithms = {"HS256"}, now = 1300819379})
  eq(c.iss, "joe"); eq(c.exp, 1300819380); eq(c["http://example.com/is_root"], true)
end)

test("jwt/rfc_rs256_es256_es512_vectors", function()
  local n, resigned = 0, 0
  for _, v in ipairs(asym_vectors()) do
    local payload, why = J.verify_jws(v.compact, v.jwk, {algorithms = {v.alg}})
    if v.expected == "valid" then
      truthy(payload, v.name .. ": " .. tostring(why))
    else
      eq(payload, nil, v.name); eq(why, "bad_signature", v.name)
    end
    if v.deterministic then
      -- RSASSA-PKCS1-v1_5 is deterministic: re-signing gives the RFC's bytes
      local input, sig = v.compact:match("^(.*)%.([^.]+)$")
      eq(J.signature(input, v.jwk, "RS256"), sig, v.name)
      resigned = resigned + 1
    end
    n = n + 1
  end
  eq(n, 6); eq(resigned, 2)
end)

test("jwt/sign_verify_round_trip", function()
  for _, alg in ipairs{"HS256", "HS384", "HS512"} do
    local t = J.sign({sub = "alice", exp = 100, aud = {"api", "web"}}, "k", alg)
    local c, why = J.verify(t, "k", {algorithms = {alg}, now = 50, audience = "web"})
    truthy(c, alg .. " " .. tostring(why))
    eq(c.sub, "alice"); same(c.aud, {"api", "web"})
    local h = J.decode(t)
    eq(h.alg, alg); eq(h.typ, "JWT")
  end
  local t = J.sign({sub = "a"}, "k", "HS256", {kid = "2024-01"})
  eq((J.decode(t)).kid, "2024-01")
  raises(function() J.sign({}, "k", "none") end, "alg must be")
  raises(function() J.sign({}, "k", "ES256") end, "verify only")
  raises(function() J.sign({}, {kty = "RSA", n = "AQAB", e = "AQAB"}, "RS256") end, "does not fit")
end)

local function reason(token, key, opts)
  local c, why, detail = J.verify(token, key, opts)
  eq(c, nil)
  truthy(type(detail) == "string")
  return why
end

test("jwt/verification_rules", function()
  local ok = {algorithms = {"HS256"}, now = 50}
  local t = J.sign({sub = "a", exp = 100, nbf = 40, iss = "auth", aud = "api"}, "k")
  truthy(J.verify(t, "k", ok))
  eq(reason(t, "wrong", ok), "bad_signature")
  eq(reason(t, "k", {algorithms = {"HS512"}, now = 50}), "alg_not_allowed")
  eq(reason(t, "k", {algorithms = {"HS256"}, now = 100}), "expired")      -- now == exp
  truthy(J.verify(t, "k", {algorithms = {"HS256"}, now = 100, leeway = 5}))
  eq(reason(t, "k", {algorithms = {"HS256"}, now = 30}), "not_yet_valid")
  truthy(J.verify(t, "k", {algorithms = {"HS256"}, now = 38, leeway = 2}))
  eq(reason(t, "k", {algorithms = {"HS256"}, now = 50, audience = "billing"}), "wrong_audience")
  eq(reason(t, "k", {algorithms = {"HS256"}, now = 50, issuer = "evil"}), "wrong_issuer")
  truthy(J.verify(t, "k", {algorithms = {"HS256"}, now = 50, issuer = "auth", audience = "api"}))
  local noexp = J.sign({sub = "a"}, "k")
  eq(reason(noexp, "k", ok), "missing_claim")
  truthy(J.verify(noexp, "k", {algorithms = {"HS256"}, now = 50, require = {}}))
  eq(reason("a.b", "k", ok), "malformed")
  eq(reason("a.b.c.d", "k", ok), "malformed")
  eq(reason(b64('{"alg":1}') .. "." .. b64("{}") .. ".", "k", ok), "bad_header")
  eq(reason(b64('{"alg":"HS256"}') .. "." .. b64("[1]") .. "." .. t:match("[^.]+$"), "k", ok),
     "bad_signature")
  raises(function() J.verify(t, "k", {now = 1}) end, "algorithms")
  raises(function() J.verify(t, "k", {algorithms = {"none"}, now = 1}) end, "never allowed")
end)

-- forged tokens, built by hand
local function forge(header, claims, sig)
  return b64(J.json(header)) .. "." .. b64(J.json(claims)) .. "." .. (sig or "")
end

local RSA = {}   -- RFC 7515 A.2's key (public data, so fine for a lab)
for _, v in ipairs(asym_vectors()) do
  if v.name == "rfc7515_A2" then RSA = v.jwk end
end
local PUB = {kty = "RSA", n = RSA.n, e = RSA.e}

test("jwt/target_alg_none", function()
  local opts = {algorithms = {"HS256"}, now = 50}
  local evil = forge({alg = "none"}, {sub = "admin", exp = 100})
  eq(reason(evil, "k", opts), "alg_none")
  local tgt = J.target{bug = "alg_none", key = "k", algorithms = {"HS256"}, now = 50}
  eq(tgt:verify(evil).sub, "admin")
  local good = J.target{bug = "none", key = "k", algorithms = {"HS256"}, now = 50}
  eq(good:verify(evil), nil)
end)

test("jwt/target_confusion", function()
  -- the server signs RS256 and publishes its public key (JWK JSON text)
  local pubtext = J.json(PUB)
  local legit = J.sign({sub = "alice", exp = 100}, RSA, "RS256")
  local tgt = J.target{bug = "confusion", key = pubtext, algorithms = {"RS256"}, now = 50}
  eq(tgt:verify(legit).sub, "alice")
  -- the attacker HMACs with the public key's text
  local header = b64(J.json{alg = "HS256", typ = "JWT"})
  local body = b64(J.json{sub = "admin", exp = 100})
  local mac = lab.crypto.unhex(lab.crypto.hmac("sha256", pubtext, header .. "." .. body))
  local evil = header .. "." .. body .. "." .. b64(mac)
  eq(tgt:verify(evil).sub, "admin")
  -- the correct verifier: HS256 not allowed, and a JWK is no HMAC secret
  eq(reason(evil, PUB, {algorithms = {"RS256"}, now = 50}), "alg_not_allowed")
  eq(reason(evil, PUB, {algorithms = {"RS256", "HS256"}, now = 50}), "key_mismatch")
  truthy(J.verify(legit, PUB, {algorithms = {"RS256"}, now = 50}))
end)

test("jwt/targets_missing_claim_checks", function()
  local expired = J.sign({sub = "a", exp = 10}, "k")
  local early = J.sign({sub = "a", exp = 1000, nbf = 900}, "k")
  local other = J.sign({sub = "a", exp = 1000, aud = "billing"}, "k")
  local function target(bug, audience)
    return J.target{bug = bug, key = "k", algorithms = {"HS256"}, now = 50, audience = audience}
  end
  eq(target("no_exp"):verify(expired).sub, "a")
  eq(target("none"):verify(expired), nil)
  eq(target("no_nbf"):verify(early).sub, "a")
  eq(target("none"):verify(early), nil)
  eq(target("no_aud", "api"):verify(other).sub, "a")
  local c, why = target("none", "api"):verify(other)
  eq(c, nil); eq(why, "wrong_audience")
end)

test("jwt/target_eq_compare_leaks_the_signature", function()
  local tgt = J.target{bug = "eq_compare", key = "server-secret", algorithms = {"HS256"},
    now = 50, seed = 3}
  local header = b64(J.json{alg = "HS256", typ = "JWT"})
  local body = b64(J.json{sub = "admin", exp = 100})
  local input = header .. "." .. body
  local ALPHA = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
  local known = ""
  for pos = 1, 43 do
    local best, best_t
    for i = 1, 64 do
      local c = ALPHA:sub(i, i)
      local sig = known .. c .. ("A"):rep(43 - pos)
      local t = math.huge
      for _ = 1, 9 do
        local ok, ns = tgt:check(input .. "." .. sig)
        if ok then best, best_t = c, math.huge break end
        t = math.min(t, ns)
      end
      if best_t == math.huge then break end
      if not best_t or t > best_t then best, best_t = c, t end
    end
    known = known .. best
  end
  local claims = tgt:verify(input .. "." .. known)
  truthy(claims, "the recovered signature should verify")
  eq(claims.sub, "admin")
  -- a constant-time verifier's check times do not depend on the guess
  local safe = J.target{bug = "none", key = "server-secret", algorithms = {"HS256"}, now = 50}
  local _, a = safe:check(input .. "." .. ("A"):rep(43))
  local _, b = safe:check(input .. "." .. known:sub(1, 42) .. "A")
  truthy(math.abs(a - b) < 1000)
end)

test("jwt/json", function()
  eq(J.json{b = 1, a = {true, false}, c = "x"}, '{"a":[true,false],"b":1,"c":"x"}')
  eq(J.json{}, "{}")
  eq(J.json("\1"), '"\\u0001"')
  eq(J.json(0.5), "0.5")
  raises(function() J.json{[true] = 1} end, "keys must be strings")
  local t = {}; t.t = t
  raises(function() J.json(t) end, "nested")
  raises(function() J.json(0/0) end, "NaN")
  local big = {}
  for i = 1, 3000 do big["k" .. i] = ("v"):rep(20) end
  truthy(#J.json(big) > 60000)
end)

test("jwt/decode_strict_json", function()
  local function tok(h, p) return b64(h) .. "." .. b64(p) .. ".AA" end
  eq(select(2, J.decode(tok('{"alg":"HS256","alg":"none"}', "{}"))), "bad_header")
  eq(select(2, J.decode(tok('{"alg":"HS256"}', '{"a":1,}'))), "bad_claims")
  local h, c = J.decode(tok('{"alg":"HS256"}', '{"n":1.5,"s":"\\ud83d\\ude00","i":12}'))
  eq(h.alg, "HS256"); eq(c.n, 1.5); eq(c.s, "\240\159\152\128"); eq(math.type(c.i), "integer")
end)
