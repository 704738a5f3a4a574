-- Lua tests of lab.oauth: RFC 7636 vectors, the authorization-code flow,
-- the BCP's rules, the three attacks and OpenID Connect's ID token.

local OA = lab.oauth

test("oauth/rfc7636_vectors", function()
  local n = 0
  for line in io.lines("tests/engine/concepts/oauth/data/pkce_rfc7636.tsv") do
    if line:sub(1, 1) ~= "#" then
      local f = {}
      for x in line:gmatch("[^\t]+") do f[#f + 1] = x end
      local name, octets, verifier, method, sha, challenge, expected =
        f[1], f[2], f[3], f[4], f[5], f[6], f[7]
      if octets ~= "-" then eq(lab.crypto.base64url(lab.crypto.unhex(octets)), verifier) end
      if sha ~= "-" then eq(lab.crypto.sha256(verifier), sha) end
      local got, why = OA.challenge(verifier, method)
      if expected == "valid" then eq(got, challenge, name)
      elseif expected == "mismatch" then truthy(got ~= challenge, name)
      else eq(got, nil, name); eq(why, "invalid_verifier") end
      n = n + 1
    end
  end
  eq(n, 7)
  eq(#OA.verifier(1), 43)
  eq(OA.verifier(1), OA.verifier(1))
  truthy(OA.verifier(1) ~= OA.verifier(2))
end)

local APP_CB = "https://photos.example/cb"

local function world(opts)
  local o = {clients = {{id = "photos", redirect_uris = {APP_CB}},
                        {id = "backend", secret = "s3cret", redirect_uris = {"https://b.example/cb"}}},
             users = {alice = "wonderland", mallory = "evil"}}
  for k, v in pairs(opts or {}) do o[k] = v end
  return OA.server(o)
end

local function login(as, req, user, pw)
  local r = {}
  for k, v in pairs(req) do r[k] = v end
  r.user, r.password = user, pw
  return as:authorize(r)
end

test("oauth/happy_path_with_pkce_and_oidc", function()
  local as = world()
  local app = OA.app{server = as, client_id = "photos", redirect_uri = APP_CB, scope = "openid photos.read"}
  local req = app:start()
  eq(#req.code_challenge, 43)
  eq(req.code_challenge_method, "S256")
  local r = login(as, req, "alice", "wonderland")
  eq(r.status, 302); eq(r.state, req.state)
  truthy(r.location:find("^https://photos.example/cb%?code=" .. r.code:gsub("%-", "%%-")))
  local res = app:callback{code = r.code, state = r.state}
  eq(res.ok, true); eq(res.user, "alice"); eq(app:user(), "alice")
  eq(as:resource(res.access_token, "photos.read"), 200)
  local st, err = as:resource(res.access_token, "photos.write")
  eq(st, 403); eq(err, "insufficient_scope")
  eq(as:resource("nope", "photos.read"), 401)
  -- the ID token verifies with lab.jwt against the server's key
  local claims = lab.jwt.verify(res.id_token, as:jwks(), {algorithms = {"RS256"}, now = 10,
    audience = "photos", issuer = as:issuer()})
  truthy(claims)
  eq(claims.sub, "alice"); eq(claims.nonce, app:nonce())
  eq(as:introspect(res.access_token).sub, "alice")
  eq(as:introspect(res.access_token, 4000).active, false)     -- expired
end)

test("oauth/authorization_errors", function()
  local as = world()
  local base = {response_type = "code", client_id = "photos", redirect_uri = APP_CB,
    code_challenge = OA.challenge(OA.verifier(1)), code_challenge_method = "S256", state = "s"}
  local function with(k, v) local t = {} for a, b in pairs(base) do t[a] = b end t[k] = v return t end
  local r = login(as, with("client_id", "nobody"), "alice", "wonderland")
  eq(r.status, 400); eq(r.location, nil)
  r = login(as, with("redirect_uri", "https://evil.example/cb"), "alice", "wonderland")
  eq(r.status, 400)
  r = login(as, with("response_type", "token"), "alice", "wonderland")
  eq(r.status, 302); eq(r.error, "unsupported_response_type"); eq(r.code, nil)
  r = login(as, with("code_challenge", false and 1 or nil), "alice", "wonderland")
  eq(r.error, "invalid_request")                      -- public client without PKCE
  r = login(as, with("code_challenge_method", "plain"), "alice", "wonderland")
  eq(r.error, "invalid_request")
  r = login(as, base, "alice", "wrong")
  eq(r.error, "access_denied")
end)

test("oauth/token_rules", function()
  local as = world()
  local v = OA.verifier(5)
  local req = {response_type = "code", client_id = "photos", redirect_uri = APP_CB,
    code_challenge = OA.challenge(v), code_challenge_method = "S256", now = 0}
  local code = login(as, req, "alice", "wonderland").code
  local tok = {grant_type = "authorization_code", code = code, redirect_uri = APP_CB,
    client_id = "photos", code_verifier = v, now = 10}
  local function with(k, val) local t = {} for a, b in pairs(tok) do t[a] = b end t[k] = val return t end
  eq(as:token(with("code_verifier", OA.verifier(6))).error, "invalid_grant")
  eq(as:token(with("redirect_uri", "https://photos.example/other")).error, "invalid_grant")
  eq(as:token(with("now", 61)).error, "invalid_grant")          -- code_ttl 60
  eq(as:token(with("grant_type", "password")).error, "unsupported_grant_type")
  local first = as:token(tok)
  eq(first.status, 200)
  eq(as:resource(first.access_token, ""), 200)
  -- the same code again: refused, and the first token revoked
  local again = as:token(tok)
  eq(again.status, 400); eq(again.error, "invalid_grant")
  eq(as:resource(first.access_token, ""), 401)
  -- a confidential client must authenticate
  local bcode = login(as, {response_type = "code", client_id = "backend",
    redirect_uri = "https://b.example/cb"}, "alice", "wonderland").code
  local b = {grant_type = "authorization_code", code = bcode, client_id = "backend",
    redirect_uri = "https://b.example/cb"}
  eq(as:token(b).status, 401)
  b.client_secret = "s3cret"
  eq(as:token(b).status, 200)
  -- PKCE downgrade: a verifier for a code requested without a challenge
  local c2 = login(as, {response_type = "code", client_id = "backend",
    redirect_uri = "https://b.example/cb"}, "alice", "wonderland").code
  eq(as:token{grant_type = "authorization_code", code = c2, client_id = "backend",
    client_secret = "s3cret", redirect_uri = "https://b.example/cb",
    code_verifier = OA.verifier(9)}.error, "invalid_grant")
end)

test("oauth/attack_code_interception", function()
  -- without PKCE, whoever holds the code of a public client gets the token
  local weak = world{pkce = "off"}
  local app = OA.app{server = weak, client_id = "photos", redirect_uri = APP_CB, pkce = false}
  local r = login(weak, app:start(), "alice", "wonderland")
  local stolen = weak:token{grant_type = "authorization_code", code = r.code,
    redirect_uri = APP_CB, client_id = "photos"}
  eq(stolen.status, 200)
  eq(weak:introspect(stolen.access_token).sub, "alice")
  -- with PKCE the thief lacks the verifier
  local as = world()
  local app2 = OA.app{server = as, client_id = "photos", redirect_uri = APP_CB}
  local r2 = login(as, app2:start(), "alice", "wonderland")
  local t2 = as:token{grant_type = "authorization_code", code = r2.code,
    redirect_uri = APP_CB, client_id = "photos"}
  eq(t2.status, 400); eq(t2.error, "invalid_grant")
  eq(app2:callback{code = r2.code, state = r2.state}.ok, true)   -- the app still can
  -- an app whose exchange fails says so
  local bad = app2:callback{code = "not-a-code", state = app2:start().state}
  eq(bad.ok, false); eq(bad.error, "invalid_grant")
end)

test("oauth/attack_missing_state_login_csrf", function()
  for _, check in ipairs{false, true} do
    local as = world()
    local victim = OA.app{server = as, client_id = "photos", redirect_uri = APP_CB,
      check_state = check}
    -- Mallory starts a login of her own and keeps the callback instead of using it
    local mal = OA.app{server = as, client_id = "photos", redirect_uri = APP_CB, seed = 99}
    local r = login(as, mal:start(), "mallory", "evil")
    -- the victim's browser is made to load Mallory's callback; it has
    -- started a login of its own (or not: state must catch both)
    victim:start()
    local res = victim:callback{code = r.code, state = r.state}
    if check then
      eq(res.ok, false); truthy(res.error:find("state"))
      eq(victim:user(), nil)
    else
      -- without state and with PKCE on, the code is Mallory's: her verifier differs
      -- so the exchange fails; turn PKCE off to see the pure login CSRF
      local as2 = world{pkce = "off"}
      local v2 = OA.app{server = as2, client_id = "photos", redirect_uri = APP_CB,
        check_state = false, pkce = false}
      local m2 = login(as2, {response_type = "code", client_id = "photos",
        redirect_uri = APP_CB}, "mallory", "evil")
      local res2 = v2:callback{code = m2.code}
      eq(res2.ok, true)
      eq(v2:user(), "mallory")     -- the victim is now logged in as Mallory
    end
  end
end)

test("oauth/attack_open_redirect", function()
  local evil = APP_CB .. ".evil.example/steal"
  local loose = world{redirect_match = "prefix"}
  local r = login(loose, {response_type = "code", client_id = "photos", redirect_uri = evil,
    code_challenge = OA.challenge(OA.verifier(1)), code_challenge_method = "S256"},
    "alice", "wonderland")
  eq(r.status, 302); eq(r.redirect_uri, evil); truthy(r.code)
  local strict = world()
  local r2 = login(strict, {response_type = "code", client_id = "photos", redirect_uri = evil,
    code_challenge = OA.challenge(OA.verifier(1)), code_challenge_method = "S256"},
    "alice", "wonderland")
  eq(r2.status, 400); eq(r2.code, nil)
end)

test("oauth/options", function()
  raises(function() OA.server{} end, "clients")
  raises(function() OA.server{clients = {{redirect_uris = {"x"}}}} end, "needs an id")
  raises(function() OA.server{clients = {{id = "a"}}} end, "redirect_uris")
  raises(function() OA.app{server = {}, client_id = "a", redirect_uri = "b"} end, "lab.oauth.server")
  raises(function() OA.challenge(OA.verifier(1), "S512") end, "S256 or plain")
end)
