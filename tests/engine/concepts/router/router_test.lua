-- Lua tests of lab.router (engine/concepts/router/router_lua.c).

test("router/params_decoded", function()
  local r = lab.router.new():add("GET", "/users/{id}/posts/{post}", "p")
  local m = r:match("GET", "/users/a%2Fb/posts/%C3%A9")
  eq(m.status, 200)
  eq(m.route, "p")
  eq(m.params.id, "a/b")
  eq(m.params.post, "\u{e9}")
  eq(m.allow, "GET, HEAD")
end)

test("router/wildcard_rest", function()
  local r = lab.router.new():add("GET", "/static/*")
  same(r:match("GET", "/static/css/app.css").params, {["*"] = "css/app.css"})
  eq(r:match("GET", "/static/css/app.css").route, "GET /static/*")
end)

test("router/order_never_matters", function()
  -- every permutation of adding gives the same answers
  local routes = {"/a/b/c", "/a/{x}/c", "/a/*", "/{y}/b/{z}", "/a/b/{z}"}
  local paths = {"/a/b/c", "/a/q/c", "/a/b/q", "/q/b/c", "/a/q/q", "/a/", "/q/q/q"}
  local function answers(order)
    local r, out = lab.router.new(), {}
    for _, i in ipairs(order) do r:add("GET", routes[i], routes[i]) end
    for _, p in ipairs(paths) do out[#out + 1] = r:match("GET", p).route or "404" end
    return table.concat(out, " ")
  end
  local want = answers{1, 2, 3, 4, 5}
  eq(want, "/a/b/c /a/{x}/c /a/b/{z} /{y}/b/{z} /a/* /a/* 404")
  local rng = lab.rand.new(3)
  for _ = 1, 30 do
    local o = {1, 2, 3, 4, 5}
    for i = 5, 2, -1 do local j = rng:int(1, i); o[i], o[j] = o[j], o[i] end
    eq(answers(o), want)
  end
end)

test("router/errors", function()
  local r = lab.router.new()
  raises(function() r:add("GET", "nope") end, "starts with '/'")
  raises(function() r:add("GET", "/a/*/b") end, "last segment")
  raises(function() r:add("", "/a") end, "not a method")
  r:add("GET", "/a/{id}")
  raises(function() r:add("GET", "/a/{n}") end, "already there")
  eq(#r:routes(), 1)
  eq(r:match("GET", "no-slash").status, 404)
end)
