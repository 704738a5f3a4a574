-- Lua tests of lab.logs: logfmt and JSON lines parsed (values, escapes,
-- bare keys, nesting, errors with line and column), queries (conditions,
-- grouping, aggregates), deterministic and trace-consistent sampling, and
-- label cardinality against a count made in Lua.

test("logs/logfmt", function()
  local r = lab.logs.parse('a=1 b="x \\"y\\" z" c d= e=\\\n\n  f=2\t g=h=')
  eq(r, nil)
  r = lab.logs.parse('a=1 b="x \\"y\\"\\nz" flag empty= path=/a/b?c\n\n  f=2\tg="t=1"')
  eq(#r, 2)
  same(r[1], {a = "1", b = 'x "y"\nz', flag = true, empty = "", path = "/a/b?c"})
  same(r[2], {f = "2", g = "t=1"})
  -- a key given twice keeps the last value
  eq(lab.logs.parse("a=1 a=2")[1].a, "2")
  local cases = {
    {'a="open', "line 1, column 3: a quoted value has no closing quote"},
    {'ok=1\nb=x"y', "line 2, column 4: a quote inside a bare value"},
    {"=v", "line 1, column 1: a key is missing"},
    {"a=b=c", "line 1, column 4: '=' inside a bare value"},
    {'a="x"y', "line 1, column 6: a blank must follow a quoted value"},
  }
  for _, c in ipairs(cases) do
    local got, why = lab.logs.parse(c[1])
    eq(got, nil, c[1]); truthy(why:find(c[2], 1, true), c[1] .. ": " .. tostring(why))
  end
end)

test("logs/json_lines", function()
  local r = lab.logs.parse('{"a":1,"b":{"c":[1,{"d":true}],"e":null},"f":"x","g":2.5}\n\n{"h":-3}',
                           {format = "json"})
  eq(#r, 2)
  same(r[1], {a = 1, ["b.c.1"] = 1, ["b.c.2.d"] = true, f = "x", g = 2.5})
  eq(r[2].h, -3)
  local got, why = lab.logs.parse('{"a":1}\n[1]', {format = "json"})
  eq(got, nil); eq(why, "line 2, column 1: each line must be a JSON object")
  got, why = lab.logs.parse('{"a":1,}', {format = "json"})
  eq(got, nil); truthy(why:find("^line 1, column 8"), why)
end)

local LOG = table.concat({
  "level=info path=/a status=200 ms=10 user=u1 trace=t1",
  "level=error path=/a status=500 ms=300 user=u2 trace=t1",
  "level=info path=/b status=200 ms=20 user=u1 trace=t2",
  "level=warn path=/b status=404 ms=5 user=u3 trace=t3",
  "level=info path=/a status=200 ms=30 user=u3 trace=t4",
}, "\n")

test("logs/query", function()
  eq(#lab.logs.query(LOG, {where = {status = ">= 400"}}), 2)
  eq(#lab.logs.query(LOG, {where = {status = "200", path = "/a"}}), 2)
  eq(#lab.logs.query(LOG, {where = {level = "!=info"}}), 2)
  eq(#lab.logs.query(LOG, {where = {path = "~/b"}}), 2)
  eq(#lab.logs.query(LOG, {where = {msg = "*"}}), 0)
  -- numbers compare as numbers: "ms > 9" is not a text comparison
  eq(#lab.logs.query(LOG, {where = {ms = "> 9"}}), 4)
  local g = lab.logs.query(LOG, {by = "path", of = "ms"})
  eq(#g, 2)
  eq(g[1].path, "/a"); eq(g[1].count, 3); eq(g[1].sum, 340); eq(g[1].max, 300)
  near(g[1].avg, 340 / 3, 1e-12)
  local two = lab.logs.query(LOG, {by = {"path", "status"}, top = 1})
  eq(#two, 1); eq(two[1].path, "/a"); eq(two[1].status, "200"); eq(two[1].count, 2)
  -- records given as tables are queried the same way
  local recs = lab.logs.parse(LOG)
  eq(#lab.logs.query(recs, {where = {status = ">= 400"}}), 2)
  raises(function() lab.logs.query(LOG, {where = {status = 500}}) end, "strings")
  raises(function() lab.logs.query(42, {}) end, "a text or a list of records")
end)

test("logs/sample", function()
  local text = lab.logs.generate{n = 4000, seed = 3, per_trace = 4}
  local a, sa = lab.logs.sample(text, {rate = 0.25, seed = 9})
  local b = lab.logs.sample(text, {rate = 0.25, seed = 9})
  same(a, b)
  truthy(sa.kept > 850 and sa.kept < 1150, "kept " .. sa.kept)
  -- by trace id: a trace is kept or dropped whole
  local kept = lab.logs.sample(text, {rate = 0.25, seed = 9, by = "trace_id"})
  local per = {}
  for _, r in ipairs(kept) do per[r.trace_id] = (per[r.trace_id] or 0) + 1 end
  for id, n in pairs(per) do eq(n, 4, id) end
  -- errors always kept
  local all_errors = #lab.logs.query(text, {where = {level = "error"}})
  local _, s = lab.logs.sample(text, {rate = 0, keep = {level = "error"}})
  eq(s.kept, all_errors); eq(s.forced, all_errors)
  eq(select(2, lab.logs.sample(text, {rate = 1})).kept, 4000)
end)

test("logs/cardinality", function()
  local c = lab.logs.cardinality(LOG, {labels = {"path", "status", "user"}})
  eq(c.series, 5); eq(c.per_label.path, 2); eq(c.per_label.status, 3); eq(c.per_label.user, 3)
  eq(c.product, 18)
  -- against a count in Lua over a generated log
  local text = lab.logs.generate{n = 3000, seed = 5, users = 1000}
  local seen, n = {}, 0
  for _, r in ipairs(lab.logs.parse(text)) do
    local k = r.path .. "|" .. r.status .. "|" .. r.user
    if not seen[k] then seen[k] = true; n = n + 1 end
  end
  eq(lab.logs.cardinality(text, {labels = {"path", "status", "user"}}).series, n)
  eq(lab.logs.cardinality(text, {labels = {"path", "status"}}).series <= 24, true)
  -- the generator is deterministic
  eq(lab.logs.generate{n = 50, seed = 5}, lab.logs.generate{n = 50, seed = 5})
  truthy(lab.logs.generate{n = 5, seed = 1, format = "json"}:find('^{"ts":0.00,'))
end)
