-- The numbers and claims lessons 10 to 16 of module 06 (apis) quote from
-- their own examples, and the keyword facts lesson 14 states: each is
-- produced here by the example or by lab, and found in the prose. See
-- tests/lessons/figures.lua. (Also lesson 04's JSONTestSuite counts, and
-- lesson 15's dataset sizes.)
dofile("tests/lessons/figures.lua")

test("figures/apis/routing", function()
  local L = lesson("lessons/06-apis/10-routing.md")
  local out = L:run(2)
  eq(out, "/files/readme\treadme\n/files/a.txt\tone_file\n/files/a/b.txt\tany_file")
  out = L:run(3)
  truthy(out:find("PATCH\t/orders/9\t405\tDELETE, GET, HEAD, PUT", 1, true), out)
  truthy(out:find("GET\t/order/9\t404", 1, true), out)
  L:says("`HEAD` is served by the `GET` route")
  -- Echo issue 875's routes: lab.router falls back to the parameter route
  local r = lab.router.new()
  r:add("GET", "/users/{id}/comments", "a")
  r:add("GET", "/{kind}/{id}", "b")
  eq(r:match("GET", "/users/1").route, "b")
  L:says("`lab.router` compares whole routes, so it falls back")
end)

test("figures/apis/pagination", function()
  local L = lesson("lessons/06-apis/11-pagination.md")
  local out = L:run(2)
  eq(out, "offset 5:\t8 7 6 5 4\ncursor:  \t7 6 5 4 3")
  L:says("Offset pagination returned key 8 twice")
  out = L:run(3)
  local od, os = out:match("offset\tpages\t%d+\tdups\t(%d+)\tskipped\t(%d+)")
  truthy(tonumber(od) > 0 and tonumber(os) > 0, out)   -- "both repeats and loses rows"
  truthy(out:find("cursor\tpages\t%d+\tdups\t0\tskipped\t0"), out)
  L:says("the offset walk both repeats and loses rows, the cursor walk neither")
  for seed = 1, 5 do                                    -- "stay at zero"
    local w = lab.paging.walk{rows = 200, limit = 20, mode = "cursor",
      inserts = 5, deletes = 0, seed = seed}
    eq(#w.duplicated + #w.skipped, 0)
  end
  L:says("while the cursor's counts stay at zero")
end)

test("figures/apis/idempotency", function()
  local L = lesson("lessons/06-apis/12-idempotency-keys.md")
  local out = L:run(2)
  local n1 = grab(out, "none.-unconfirmed\t(%d+)")
  local n2 = grab(out, "keys.-unconfirmed\t(%d+)")
  eq(n1, n2)
  L:says("the same payments stay unconfirmed")
  eq(grab(out, "keys\tcharges\t%d+\tcharged twice%+\t(%d+)"), 0)
  L:says("a payment is charged at most once")
end)

test("figures/apis/validation", function()
  local L = lesson("lessons/06-apis/14-openapi-validation.md")
  L:run(1)
  local js = lab.jsonschema
  eq(js.validate({type = "integer"}, 40.0), true)
  L:says("`type = \"integer\"` accepts `40.0`")
  eq(js.validate({minLength = 3, maxLength = 3}, "Zo\u{eb}"), true)
  L:says("`\"Zoë\"` has length 3")
  eq(js.validate({pattern = "[0-9]{5}"}, "abc123456"), true)
  L:says("`\"[0-9]{5}\"` accepts `\"abc123456\"`")
  eq(js.validate({minimum = 1}, "zero"), true)
  L:says("`{minimum = 1}` accepts `\"zero\"`")
  local out = L:run(2)                       -- [] passes, {} fails, a bare {} passes
  truthy(out:match("^true\nfalse\ttable: [^\n]+\ntrue$"), out)
  L:says("a decoded `{}` is an object and fails `type = \"array\"`")
end)

test("figures/apis/json_suite", function()
  local L = lesson("lessons/06-apis/04-json.md")
  local counts = {y = 0, n = 0, i = 0}
  for name in io.lines("tests/engine/concepts/json/data/test_parsing.txt") do
    local k = name:sub(1, 1)
    counts[k] = counts[k] + 1
  end
  L:says(("sorts %d\ndocuments into"):format(counts.y + counts.n + counts.i))
  L:says(("accepts all %d `y_`"):format(counts.y))
  L:says(("rejects all %d `n_`"):format(counts.n))
  L:says(("each of the %d `i_`"):format(counts.i))
end)

test("figures/apis/graphql", function()
  local L = lesson("lessons/06-apis/15-graphql.md")
  -- the dataset the exercise predict-deep describes
  local g10 = lab.graphql.new{users = 10, seed = 1}
  eq(#g10:fetch("posts", "id", nil), 19)
  eq(#g10:fetch("comments", "id", nil), 31)
  L:says("it holds 19 posts and 31 comments")
  local out = L:run(2)
  eq(grab(out, "(%d+)\tqueries"), 6)                  -- N+1 for N = 5
  L:says("One query for the list, then one per user: **N+1** queries")
  out = L:run(3)
  eq(grab(out, "batched\t(%d+)\tqueries"), 4)
  L:says("4 here however many users there are")
  for _, n in ipairs{0, 3, 50, 200} do
    local g = lab.graphql.new{users = n, seed = 9}
    local _, st = g:execute(L.env.q, {batch = true})
    truthy(st.queries <= 4, "users " .. n)
  end
  local plain = grab(out, "plain\t%d+\tqueries\t(%d+)\trows")
  local batched = grab(out, "batched\t%d+\tqueries\t(%d+)\trows")
  local pq = grab(out, "plain\t(%d+)\tqueries")
  truthy(batched < plain and plain / batched < pq / 4, out)
  L:says("The rows fetched drop much less than the queries")
end)
