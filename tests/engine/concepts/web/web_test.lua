-- Lua tests of lab.web: CORS (Fetch standard), CSP (CSP3), cookies
-- (RFC 6265bis), CSRF, SSRF, output encoding and SQL injection.

local W = lab.web
local unhex = lab.crypto.unhex

local APP, API = "https://app.example", "https://api.example/v1/items"

test("web/cors_same_origin_and_simple", function()
  local r = W.cors{request = {url = "https://app.example/x", origin = APP}, policy = {}}
  eq(r.same_origin, true); eq(r.allowed, true); eq(r.preflight, false)
  -- a simple GET is sent even when the response may not be read
  r = W.cors{request = {url = API, origin = APP}, policy = {}}
  eq(r.preflight, false); eq(r.sent, true); eq(r.allowed, false)
  truthy(r.reason:find("no Access%-Control%-Allow%-Origin"))
  r = W.cors{request = {url = API, origin = APP}, policy = {origins = {APP}}}
  eq(r.allowed, true); eq(r.response_headers["Access-Control-Allow-Origin"], APP)
  r = W.cors{request = {url = API, origin = APP}, policy = {origins = "*"}}
  eq(r.allowed, true); eq(r.response_headers["Access-Control-Allow-Origin"], "*")
  -- a safelisted Content-Type keeps a POST simple (Fetch 2.2.2)
  r = W.cors{request = {url = API, origin = APP, method = "POST",
    headers = {["Content-Type"] = "text/plain;charset=UTF-8"}}, policy = {}}
  eq(r.preflight, false); eq(r.sent, true)
end)

-- Fetch's "normalize a method": get/put/... are upper-cased, other methods
-- (patch) are kept as written and compared case-sensitively.
test("web/cors_method_normalized", function()
  local r = W.cors{request = {url = API, origin = APP, method = "get"}, policy = {}}
  eq(r.preflight, false); eq(r.sent, true)
  r = W.cors{request = {url = API, origin = APP, method = "put"},
    policy = {origins = {APP}, methods = {"PUT"}}}
  eq(r.preflight, true); eq(r.preflight_request["Access-Control-Request-Method"], "PUT")
  eq(r.allowed, true)
  r = W.cors{request = {url = API, origin = APP, method = "patch"},
    policy = {origins = {APP}, methods = {"PATCH"}}}
  eq(r.preflight, true); eq(r.preflight_request["Access-Control-Request-Method"], "patch")
  eq(r.allowed, false)
end)

test("web/cors_preflight", function()
  local req = {url = API, origin = APP, method = "PUT",
    headers = {["Content-Type"] = "application/json", ["X-Trace"] = "1"}}
  local r = W.cors{request = req, policy = {origins = {APP}}}
  eq(r.preflight, true); truthy(r.why_preflight:find("PUT"))
  eq(r.preflight_request["Access-Control-Request-Method"], "PUT")
  eq(r.preflight_request["Access-Control-Request-Headers"], "content-type,x-trace")
  eq(r.allowed, false); eq(r.sent, false)
  truthy(r.reason:find("method PUT"))
  r = W.cors{request = req, policy = {origins = {APP}, methods = {"PUT"}, headers = {"Content-Type"}}}
  eq(r.allowed, false); truthy(r.reason:find("x%-trace"))
  r = W.cors{request = req, policy = {origins = {APP}, methods = {"PUT"},
    headers = {"content-type", "X-Trace"}}}
  eq(r.allowed, true); eq(r.sent, true)
  -- '*' covers headers without credentials, never Authorization
  r = W.cors{request = {url = API, origin = APP, headers = {Authorization = "Bearer x"}},
    policy = {origins = "*", headers = {"*"}}}
  eq(r.allowed, false); truthy(r.reason:find("never covers Authorization"))
end)

test("web/cors_credentials", function()
  local req = {url = API, origin = APP, credentials = true}
  local r = W.cors{request = req, policy = {origins = "*", credentials = true}}
  eq(r.allowed, false); truthy(r.reason:find("'%*'"))
  r = W.cors{request = req, policy = {origins = {APP}}}
  eq(r.allowed, false); truthy(r.reason:find("Allow%-Credentials"))
  r = W.cors{request = req, policy = {origins = {APP}, credentials = true}}
  eq(r.allowed, true)
  -- the reflecting bug: any origin can read a logged-in user's data
  r = W.cors{request = {url = API, origin = "https://evil.example", credentials = true},
    policy = {origins = "reflect", credentials = true}}
  eq(r.allowed, true)
  r = W.cors{request = {url = API, origin = "https://evil.example"}, policy = {origins = {APP}}}
  eq(r.allowed, false)
  raises(function() W.cors{request = {url = "nope", origin = APP}, policy = {}} end, "absolute URLs")
end)

local PAGE = "https://shop.example/checkout"

local function csp(policy, req)
  req.page = req.page or PAGE
  local ok, why, dir = W.csp(policy, req)
  return ok, why, dir
end

test("web/csp_sources", function()
  local p = "default-src 'self'; script-src 'self' https://cdn.example/js/; img-src *"
  eq((csp(p, {url = "https://shop.example/app.js"})), true)
  eq((csp(p, {url = "https://cdn.example/js/lib.js"})), true)
  eq((csp(p, {url = "https://cdn.example/other.js"})), false)     -- path prefix
  eq((csp(p, {url = "https://evil.example/x.js"})), false)
  eq((csp(p, {kind = "img", url = "https://any.example/i.png"})), true)
  eq((csp(p, {kind = "img", url = "data:image/png;base64,AA"})), false)  -- * excludes data:
  local ok, _, dir = csp(p, {kind = "connect", url = "https://api.example/"})
  eq(ok, false); eq(dir, "default-src")
  eq((csp("script-src *.example.com", {url = "https://a.b.example.com/x.js"})), true)
  eq((csp("script-src *.example.com", {url = "https://example.com/x.js"})), false)
  eq((csp("script-src https:", {url = "http://cdn.example/x.js"})), false)
  eq((csp("script-src http:", {url = "https://cdn.example/x.js"})), true)  -- upgrade
  eq((csp("script-src 'none'", {url = "https://shop.example/a.js"})), false)
  eq((csp("img-src 'none'", {url = "https://x.example/a.js"})), true)    -- no script rule
end)

test("web/csp_inline_nonce_hash", function()
  local code = "alert(1)"
  local h = lab.crypto.base64(unhex(lab.crypto.sha256(code)))
  eq((csp("script-src 'self'", {content = code})), false)
  eq((csp("script-src 'unsafe-inline'", {content = code})), true)
  eq((csp("script-src 'nonce-r4nd0m'", {content = code, nonce = "r4nd0m"})), true)
  eq((csp("script-src 'nonce-r4nd0m'", {content = code, nonce = "guess"})), false)
  eq((csp("script-src 'sha256-" .. h .. "'", {content = code})), true)
  eq((csp("script-src 'sha256-" .. h .. "'", {content = code .. " "})), false)
  local ok, why = csp("script-src 'unsafe-inline' 'nonce-abc'", {content = code})
  eq(ok, false); truthy(why:find("ignored when a nonce"))
  -- strict-dynamic: hosts ignored, trusted scripts' children allowed
  local sd = "script-src 'nonce-abc' 'strict-dynamic' https://cdn.example"
  eq((csp(sd, {url = "https://cdn.example/a.js"})), false)
  eq((csp(sd, {url = "https://cdn.example/a.js", nonce = "abc"})), true)
  eq((csp(sd, {url = "https://other.example/b.js", dynamic = true})), true)
  eq((csp("script-src 'self'", {kind = "eval"})), false)
  eq((csp("script-src 'self' 'unsafe-eval'", {kind = "eval"})), true)
  eq((csp("style-src 'self'", {kind = "style-attr", content = "color:red"})), false)
  -- two policies: both must allow
  eq((csp("script-src *, script-src 'self'", {url = "https://evil.example/x.js"})), false)
end)

test("web/cookies_set_rules", function()
  local j = W.jar()
  local bank = {url = "https://bank.example/login", now = 0}
  eq(j:set("sid=1; Secure; HttpOnly; SameSite=Lax", bank), "stored")
  local function refused(line, ctx)
    local r, why = j:set(line, ctx or bank)
    eq(r, nil, line)
    return why
  end
  truthy(refused("a=1; Domain=com"):find("public suffix"))
  truthy(refused("a=1; Domain=other.example"):find("domain%-match"))
  truthy(refused("a=1; Secure", {url = "http://bank.example/", now = 0}):find("insecure"))
  truthy(refused("a=1; SameSite=None"):find("requires Secure"))
  truthy(refused("__Host-a=1; Secure; Domain=bank.example"):find("__Host"))
  truthy(refused("__Secure-a=1"):find("__Secure"))
  truthy(refused("b=1; HttpOnly", {url = "https://bank.example/", script = true, now = 0}):find("script"))
  truthy(refused("sid=2", {url = "http://bank.example/", now = 0}):find("shadow"))
  eq(j:set("c=1; Domain=bank.example; Path=/app", bank), "stored")
  eq(j:set("c=1; Domain=bank.example; Path=/app; Max-Age=0", bank), "deleted")
  eq(j:set("d=1; Expires=Wed, 21 Oct 2015 07:28:00 GMT", {url = "https://bank.example/", now = 2e9}), "deleted")
end)

test("web/cookies_sending_rules", function()
  local j = W.jar()
  local at = {url = "https://bank.example/login", now = 0}
  j:set("strict=1; Secure; SameSite=Strict; Path=/", at)
  j:set("lax=1; Secure; SameSite=Lax; Path=/", at)
  j:set("none=1; Secure; SameSite=None; Path=/", at)
  j:set("unset=1; Secure; Path=/", at)
  j:set("deep=1; Secure; SameSite=None; Path=/app", at)
  j:set("http=1; Secure; HttpOnly; SameSite=None; Path=/", at)
  local function send(t)
    t.now = t.now or 10
    return (j:header(t))
  end
  eq(send{url = "https://bank.example/app/x"}, "deep=1; strict=1; lax=1; none=1; unset=1; http=1")
  eq(send{url = "https://bank.example/", site = "https://evil.example", method = "POST"},
     "none=1; http=1")                                    -- cross-site POST navigation
  eq(send{url = "https://bank.example/", site = "https://evil.example"},
     "lax=1; none=1; unset=1; http=1")                    -- cross-site top-level GET
  eq(send{url = "https://bank.example/", site = "https://evil.example", top_level = false},
     "none=1; http=1")                                    -- an <img>
  eq(send{url = "https://bank.example/", script = true}, "strict=1; lax=1; none=1; unset=1")
  eq(send{url = "http://bank.example/"}, "")              -- all Secure
  eq(send{url = "https://www.bank.example/"}, "")         -- host-only
  eq(send{url = "https://bank.example/", site = "https://login.bank.example"},
     "strict=1; lax=1; none=1; unset=1; http=1")          -- same site
  local _, why = j:header{url = "https://bank.example/", site = "https://evil.example", method = "POST", now = 1}
  truthy(why:find("strict: SameSite=Strict"))
  eq(#j:list(), 6)
end)

test("web/csrf_matrix", function()
  local function play(t) return W.csrf(t) end
  -- the classic: no SameSite protection, no defence
  local r = play{samesite = "None", attack = "form_post"}
  eq(r.cookie_sent, true); eq(r.transferred, true)
  -- Lax by default stops the cross-site POST...
  eq(play{attack = "form_post"}.transferred, false)
  eq(play{samesite = "Lax", attack = "form_post"}.cookie_sent, false)
  -- ...but not a GET that changes state
  eq(play{samesite = "Lax", attack = "link_get", get_changes_state = true}.transferred, true)
  eq(play{samesite = "Strict", attack = "link_get", get_changes_state = true}.transferred, false)
  eq(play{samesite = "None", attack = "img_get", get_changes_state = true}.transferred, true)
  eq(play{samesite = "Lax", attack = "img_get", get_changes_state = true}.transferred, false)
  -- defences that do not depend on the cookie
  eq(play{samesite = "None", attack = "form_post", defense = "token"}.transferred, false)
  eq(play{samesite = "None", attack = "form_post", defense = "origin"}.transferred, false)
  eq(play{samesite = "None", attack = "link_get", defense = "origin", get_changes_state = true}.transferred, true)
  -- fetch: a simple POST goes through; a JSON one needs a preflight
  eq(play{samesite = "None", attack = "fetch_form"}.transferred, true)
  r = play{samesite = "None", attack = "fetch_json"}
  eq(r.request_sent, false); eq(r.transferred, false)
end)

test("web/ssrf_addresses", function()
  for _, h in ipairs{"127.0.0.1", "127.1", "2130706433", "0x7f000001", "0177.0.0.1", "0x7f.1", "127.0.0.1."} do
    local ip, internal = W.address(h)
    eq(ip, "127.0.0.1", h); eq(internal, true)
  end
  eq(select(2, W.address("[::ffff:169.254.169.254]")), true)
  eq(select(2, W.address("[::1]")), true)
  eq(select(2, W.address("93.184.215.14")), false)
  eq(W.address("example.com"), nil)
  eq(W.address("256.1.1.1"), nil)
  eq(W.address("1.2.3.4.5"), nil)
end)

local META = "http://169.254.169.254/latest/meta-data/iam/security-credentials/app-role"

test("web/ssrf_guards", function()
  local r = W.fetch(META)
  eq(r.status, 200); eq(r.internal, true); truthy(r.body:find("SecretAccessKey"))
  eq(W.fetch(META, {guard = "blocklist"}).blocked ~= nil, true)
  -- blocklist bypasses: other spellings, a DNS name, a redirect
  eq(W.fetch("http://2130706433:8080/admin", {guard = "blocklist"}).internal, true)
  eq(W.fetch("http://[::ffff:a9fe:a9fe]" .. META:match("//[^/]+(/.*)"), {guard = "blocklist"}).internal, true)
  eq(W.fetch("http://metadata.attacker.example" .. META:match("//[^/]+(/.*)"), {guard = "blocklist"}).internal, true)
  eq(W.fetch("http://attacker.example/to-metadata", {guard = "blocklist"}).internal, true)
  -- allowlist: the open redirect of an allowed host
  local via = "http://example.com/redirect?to=" .. META
  eq(W.fetch("http://attacker.example/", {guard = "allowlist", allow = {"example.com"}}).blocked ~= nil, true)
  eq(W.fetch(via, {guard = "allowlist", allow = {"example.com"}}).internal, true)
  -- resolve-and-check, then connect by resolving again: DNS rebinding
  local path = META:match("//[^/]+(/.*)")
  r = W.fetch("http://rebind.attacker.example" .. path, {guard = "resolve"})
  eq(r.internal, true)
  eq(W.fetch("http://metadata.attacker.example" .. path, {guard = "resolve"}).blocked ~= nil, true)
  -- the safe guard holds against every one of them
  for _, u in ipairs{META, "http://2130706433:8080/admin", "http://metadata.attacker.example" .. path,
                      "http://attacker.example/to-metadata", via, "http://rebind.attacker.example" .. path,
                      "http://[::1]:8080/admin", "gopher://10.0.0.5:6379/_FLUSHALL"} do
    r = W.fetch(u, {guard = "safe"})
    eq(r.internal, false, u)
    truthy(r.blocked or r.error or r.body:find("attacker's page"), u)
  end
  -- rebinding against the safe guard: it connects to the address it checked
  r = W.fetch("http://rebind.attacker.example" .. path, {guard = "safe"})
  eq(r.status, 200); truthy(r.body:find("attacker's page")); truthy(r.hops[1]:find("203.0.113.66"))
  eq(W.fetch("http://example.com/", {guard = "safe"}).status, 200)
  eq(W.fetch("http://attacker.example/to-metadata", {follow = false}).status, 302)
end)

test("web/escape_vs_python", function()
  local n = 0
  for line in io.lines("tests/engine/concepts/web/data/generated_escape.tsv") do
    if line:sub(1, 1) ~= "#" then
      local f = {}
      for x in line:gmatch("[^\t]+") do f[#f + 1] = x == "-" and "" or unhex(x) end
      eq(W.escape("html", f[1]), f[2])
      eq(W.escape("url", f[1]), f[3])
      eq(W.decode("html", f[2]), f[1])
      eq(W.decode("url", f[3]), f[1])
      n = n + 1
    end
  end
  eq(n, 300)
end)

local PAYLOADS = {
  "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "' onmouseover='alert(1)",
  "';alert(1);//", "\\';alert(1);//", "</script><script>alert(1)</script>",
  "javascript:alert(1)", "  JaVaScRiPt:alert(1)", "&#106;avascript:alert(1)",
  "java\tscript:alert(1)", "red;background:url(javascript:alert(1))", "expression(alert(1))",
  "\u{2028}alert(1)", "x\ny",
}

test("web/escape_every_context_is_safe_and_reversible", function()
  for _, ctx in ipairs{"html", "attr", "js", "css"} do
    for _, p in ipairs(PAYLOADS) do
      local e = W.escape(ctx, p)
      eq(W.breakout(ctx, e), false, ctx .. ": " .. p)
      eq(W.decode(ctx, e), p, ctx .. " round trip: " .. p)
    end
  end
  eq(W.escape("js", "a'b"), "a\\x27b")
  eq(W.escape("css", "a;b"), "a\\3B b")
  -- escaping is not enough in a URL attribute: the scheme matters
  eq(W.breakout("url", W.escape("attr", "javascript:alert(1)")), true)
  eq(W.breakout("url", "&#106;avascript:alert(1)"), true)
  eq(W.breakout("url", "https://example.com/?q=1"), false)
  -- raw payloads do break out
  eq(W.breakout("html", PAYLOADS[1]), true)
  eq(W.breakout("attr", PAYLOADS[2]), true)
  eq(W.breakout("js", PAYLOADS[4]), true)
  eq(W.breakout("js", PAYLOADS[6]), true)
  eq(W.breakout("js", "x\\"), true)
  eq(W.breakout("css", PAYLOADS[11]), true)
  raises(function() W.escape("sql", "x") end, "context")
end)

test("web/sql_injection", function()
  local db = W.db(1)
  local users = db:query("SELECT name, role FROM users ORDER BY id")
  eq(#users, 4); eq(users[1].name, "alice"); eq(users[1].role, "admin")
  -- the login bypass: comment out the password check
  local row = db:login("alice' --", "anything", "concat")
  truthy(row); eq(row.name, "alice"); eq(row.role, "admin")
  eq(db:login("alice' --", "anything", "params"), nil)
  eq(db:login("' OR 1=1 --", "x", "concat").name, "alice")      -- the first row
  eq(db:login("' OR 1=1 --", "x", "params"), nil)
  eq(db:login("' OR '1'='1", "x", "concat"), nil)   -- AND binds tighter than OR
  -- UNION-based extraction through the search box
  local rows = db:search("zzz' UNION SELECT label, value FROM secrets --", "concat")
  eq(#rows, 2)
  local labels = {rows[1].name, rows[2].name}
  table.sort(labels)
  same(labels, {"jwt_secret", "stripe_key"})
  eq(#db:search("zzz' UNION SELECT label, value FROM secrets --", "params"), 0)
  eq(#db:search("o", "params"), 2)      -- bob, carol
  -- stacked queries need a driver that runs several statements
  local none, err = db:query("SELECT 1; DROP TABLE users")
  eq(none, nil); truthy(err:find("one statement"))
  db:exec("DELETE FROM orders WHERE 1; SELECT 1")
  eq(#db:query("SELECT * FROM orders"), 0)
  -- parameters and quoting
  eq(db:query("SELECT ? AS v", {"it's"})[1].v, "it's")
  eq(W.sql_quote("it's"), "'it''s'"); eq(W.sql_quote(nil), "NULL"); eq(W.sql_quote(42), "42")
  eq(db:query("SELECT " .. W.sql_quote("a'b") .. " AS v")[1].v, "a'b")
  raises(function() W.sql_quote("a\0b") end, "NUL")
  local _, e2 = db:query("SELECT ?", {})
  truthy(e2:find("placeholders"))
  local _, e3 = db:query("SELECT * FROM nope")
  truthy(e3:find("no such table"))
  -- the same seed, the same passwords
  eq(W.db(1):query("SELECT password_sha256 FROM users")[1].password_sha256,
     db:query("SELECT password_sha256 FROM users")[1].password_sha256)
end)
