-- Lua tests of lab.httpcache (httpcache_lua.c).

local H = lab.httpcache

local function stored(cc, extra)
  local h = {["Cache-Control"] = cc, Date = 0, ETag = '"v1"'}
  for k, v in pairs(extra or {}) do h[k] = v end
  return {status = 200, headers = h}
end

test("httpcache/stale_must_revalidate", function()
  local d = H.evaluate{response = stored("max-age=60, must-revalidate"), now = 75}
  eq(d.action, "revalidate")
  eq(d.storable, true); eq(d.fresh, false)
  eq(d.lifetime, 60.0); eq(d.age, 75.0)
  eq(d.reason, "max-age=60 and age 75 s: stale, must revalidate; revalidate")
  same(d.validators, {["If-None-Match"] = '"v1"'})
  truthy(#d.steps >= 4)
  for _, s in ipairs(d.steps) do truthy(s:find("RFC 91%d%d"), s) end
  eq(d.status, nil)
end)

test("httpcache/serve_and_client_304", function()
  local d = H.evaluate{response = stored("max-age=60"), now = 30,
    request = {headers = {["if-none-match"] = 'W/"v1"'}}}
  eq(d.action, "serve"); eq(d.status, 304); eq(d.fresh, true)
  d = H.evaluate{response = stored("max-age=60"), now = 30}
  eq(d.status, 200)
end)

test("httpcache/dates_as_numbers_or_strings", function()
  local t = 784111777
  eq(H.date(t), "Sun, 06 Nov 1994 08:49:37 GMT")
  eq(H.parse_date("Sunday, 06-Nov-94 08:49:37 GMT"), t)
  eq(H.parse_date("Sun Nov  6 08:49:37 1994"), t)
  eq(H.parse_date("yesterday"), nil)
  local a = H.evaluate{response = {status = 200, headers = {Date = t, Expires = t + 3600}},
    now = t + 60}
  local b = H.evaluate{response = {status = 200, headers = {
      Date = "Sun, 06 Nov 1994 08:49:37 GMT", Expires = "Sun, 06 Nov 1994 09:49:37 GMT"}},
    now = "Sun, 06 Nov 1994 08:50:37 GMT"}
  eq(a.lifetime, 3600.0); eq(a.age, 60.0); eq(a.action, "serve")
  same(a, b)
end)

test("httpcache/received_and_requested", function()
  -- Date 0, Age 10, requested 0, received 2, now 12: age 22 (RFC 9111 4.2.3)
  local d = H.evaluate{response = stored("max-age=30", {Age = 10}), requested = 0,
    received = 2, now = 12}
  eq(d.age, 22.0)
end)

test("httpcache/shared_versus_private", function()
  local r = {status = 200, headers = {["Cache-Control"] = "private, max-age=60"}}
  eq(H.evaluate{response = r, shared = true}.storable, false)
  eq(H.evaluate{response = r, shared = false}.storable, true)
  local d = H.evaluate{response = r, shared = true}
  eq(d.action, "fetch")
  truthy(d.reason:find("private"))
end)

test("httpcache/repeated_fields", function()
  local d = H.evaluate{response = {status = 200, headers = {
    ["Cache-Control"] = {"max-age=5", "max-age=500"}, Date = 0}}, now = 1}
  eq(d.lifetime, 5.0)                  -- the first occurrence counts
  d = H.evaluate{response = stored("max-age=60"), now = 1,
    request = {headers = {["If-None-Match"] = {'"x"', '"v1"'}}}}
  eq(d.status, 304)
end)

test("httpcache/origin", function()
  local o = H.origin{request = {headers = {["If-None-Match"] = '"a", W/"b"'}}, etag = '"b"'}
  eq(o.status, 304)
  truthy(o.reason:find("13.1.2"))
  eq(H.origin{request = {method = "DELETE", headers = {["If-None-Match"] = '"b"'}},
    etag = '"b"'}.status, 412)
  eq(H.origin{request = {headers = {["If-Modified-Since"] = 100}}, last_modified = 100}.status, 304)
  eq(H.origin{request = {headers = {["If-Modified-Since"] = 100}}, last_modified = 101}.status, 200)
  eq(H.origin{request = {}}.status, 200)
end)

test("httpcache/etag_match", function()
  eq(H.etag_match('W/"1"', '"1"'), true)
  eq(H.etag_match('W/"1"', '"1"', "strong"), false)
  eq(H.etag_match('"1"', '"1"', "strong"), true)
  raises(function() H.etag_match("1", '"1"') end, "entity tags look like")
  raises(function() H.etag_match('"1"', '"1"', "fuzzy") end, "invalid option")
end)

test("httpcache/bad_arguments", function()
  raises(function() H.evaluate{} end, "lab.httpcache.evaluate: option 'response' is required")
  raises(function() H.evaluate{response = {headers = {Date = {}}}} end, "must be a string")
  raises(function() H.evaluate{response = stored("max-age=1"), now = "soon"} end,
    "option 'now' must be seconds or an HTTP%-date")
  raises(function() H.evaluate{response = stored("max-age=1"), time = 5} end,
    "unknown option 'time'")
  raises(function() H.evaluate{response = 5} end, "option 'response' must be a table, not number")
end)
