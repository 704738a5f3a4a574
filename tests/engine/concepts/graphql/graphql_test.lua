-- Lua tests of lab.graphql (engine/concepts/graphql/graphql_lua.c).

local DEEP = "{ users { id name posts { id title author { name } " ..
  "comments { body author { name } post { id } } } } }"

test("graphql/same_data_both_ways", function()
  for seed = 1, 12 do
    local g = lab.graphql.new{users = 15, seed = seed}
    local a = g:execute(DEEP)
    local b = g:execute(DEEP, {batch = true})
    same(a, b, "seed " .. seed)
  end
end)

test("graphql/counts", function()
  local g = lab.graphql.new{users = 10, seed = 1}
  local posts = #g:fetch("posts", "id", nil)
  local comments = #g:fetch("comments", "id", nil)
  eq(posts, 19); eq(comments, 31)
  local _, naive = g:execute(DEEP)
  -- 1 for users, 1 per user (posts), 1 per post (author, comments),
  -- 1 per comment (author, post)
  eq(naive.queries, 1 + 10 + 2 * posts + 2 * comments)
  local _, batched = g:execute(DEEP, {batch = true})
  eq(batched.queries, 6)          -- one per field and level
  eq(#batched.log, 6)
  eq(batched.log[2]:match("^SELECT %* FROM posts WHERE author_id IN"), "SELECT * FROM posts WHERE author_id IN")
  -- first limits per parent, in both ways
  local d1 = g:execute("{ users(first: 3) { posts(first: 1) { id } } }")
  local d2, s2 = g:execute("{ users(first: 3) { posts(first: 1) { id } } }", {batch = true})
  same(d1, d2)
  for _, u in ipairs(d1.users) do truthy(#u.posts <= 1) end
  eq(#d1.users, 3)
  eq(s2.queries, 2)
end)

test("graphql/fetch", function()
  local g = lab.graphql.new{users = 4, seed = 2}
  g:reset()
  local rows = g:fetch("posts", "author_id", {2, 1})
  for i = 2, #rows do truthy(rows[i - 1].id < rows[i].id) end
  for _, r in ipairs(rows) do truthy(r.author_id == 1 or r.author_id == 2) end
  eq(#g:fetch("users", "id", {3}), 1)
  eq(g:fetch("users", "id", {3})[1].name, "Alan")
  eq(#g:fetch("users", "id", nil, 2), 2)
  eq(g:stats().queries, 4)
  raises(function() g:fetch("users", "email", {}) end, "no column")
  raises(function() g:fetch("orders", "id", {}) end, "invalid option")
  raises(function() g:fetch("users", "id", {"x"}) end, "not an integer")
end)

test("graphql/errors", function()
  local g = lab.graphql.new{}
  local cases = {
    {"{ users { email } }", "Cannot query field 'email' on type 'User'"},
    {"{ users { posts } }", "must have a selection"},
    {"{ users { name { x } } }", "scalar"},
    {"{ user { name } }", "needs the argument 'id'"},
    {"{ users(last: 2) { name } }", "Unknown argument 'last'"},
    {"{ users(first: \"2\") { name } }", "takes an Int"},
    {"{ users { name name } }", "selected twice"},
    {"{ users { n: name } }", "aliases"},
    {"{ users { ...f } }", "fragments"},
    {"query Q($n: Int) { users { name } }", "variables"},
    {"mutation { x }", "only queries"},
    {"{ users { name }", "without '}'"},
    {"{ users(first: 1.5) { name } }", "integer"},
    {"{ users { name } } x", "text after"},
    {"{ }", "at least one field"},
  }
  for _, c in ipairs(cases) do
    local d, err = g:execute(c[1])
    eq(d, nil, c[1])
    truthy(err:find(c[2], 1, true), c[1] .. " -> " .. tostring(err))
    truthy(err:find("byte offset %d+"), err)
  end
  eq(select(2, g:execute("{ users { emai } }")):match("offset (%d+)"), "10")
  local deep = ("{ users { posts { author " ):rep(20)
  truthy(select(2, g:execute(deep)):find("deeper than 32"))
end)

test("graphql/parse", function()
  local f = lab.graphql.parse("query Q { users(first: 2, active: true) { name } # c\n }")
  eq(f[1].name, "users")
  eq(f[1].args.first, 2)
  eq(f[1].args.active, true)
  eq(f[1].fields[1].name, "name")
  eq(lab.graphql.parse("{ a(s: \"x y\") { b } }")[1].args.s, "x y")
  eq(lab.graphql.parse("{"), nil)
  eq(lab.graphql.new{users = 0}:execute("{ users { name } }").users[1], nil)
  eq(select(2, lab.graphql.new{users = 0}:execute("{ user(id: 3) { name } }")).queries, 1)
end)
