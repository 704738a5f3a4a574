-- Lua tests of lab.trace: the W3C Recommendation's examples and the
-- invalid cases its grammar implies (version ff, all-zero ids, uppercase
-- hex, lengths, higher versions), propagation, tracestate parsing and
-- mutation, and spans: rows, self time, the critical path, the waterfall.

local TP = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

test("trace/traceparent_valid", function()
  local p = lab.trace.parse(TP)
  eq(p.version, 0); eq(p.trace_id, "4bf92f3577b34da6a3ce929d0e0e4736")
  eq(p.parent_id, "00f067aa0ba902b7"); eq(p.flags, 1); eq(p.sampled, true)
  -- the spec's other examples: not sampled, and the Congo/Rojo exchange
  eq(lab.trace.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00").sampled, false)
  eq(lab.trace.parse("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01").parent_id,
     "b7ad6b7169203331")
  -- flags are a bit field: 09 is sampled too
  eq(lab.trace.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-09").sampled, true)
  -- a higher version: its first 55 characters, then the end or a dash
  local v = lab.trace.parse("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-future")
  eq(v.version, 0xcc); eq(v.parent_id, "00f067aa0ba902b7")
  eq(lab.trace.parse("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01").version, 0xcc)
end)

test("trace/traceparent_invalid", function()
  local cases = {
    {"ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "version ff"},
    {"00-00000000000000000000000000000000-00f067aa0ba902b7-01", "all%-zero trace%-id"},
    {"00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", "all%-zero parent%-id"},
    {"00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", "lowercase"},
    {"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0A", "lowercase"},
    {"0A-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "lowercase"},
    {"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-", "exactly 55"},
    {"00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01", "too short"},
    {"00-4bf92f3577b34da6a3ce929d0e0e4736x00f067aa0ba902b7-01", "dashes"},
    {"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g", "not hex"},
    {"0-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "2 hex digits followed by a dash"},
    {"cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01.x", "followed by a dash"},
    {"", "version"},
  }
  for _, c in ipairs(cases) do
    local p, why = lab.trace.parse(c[1])
    eq(p, nil, c[1])
    truthy(why:find(c[2]), c[1] .. ": " .. tostring(why))
  end
end)

test("trace/propagate", function()
  local a = lab.trace.start{seed = 42}
  eq(a, lab.trace.start{seed = 42})
  truthy(a ~= lab.trace.start{seed = 43})
  local p = lab.trace.parse(a)
  truthy(p and p.sampled)
  eq(lab.trace.parse(lab.trace.start{seed = 1, sampled = false}).flags, 0)
  -- a child keeps the trace id, gets a new parent id, keeps only the sampled bit
  local c = lab.trace.child("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-09", 7)
  local q = lab.trace.parse(c)
  eq(q.trace_id, "4bf92f3577b34da6a3ce929d0e0e4736")
  truthy(q.parent_id ~= "00f067aa0ba902b7"); eq(q.flags, 1)
  -- a higher version is downgraded to 00
  eq(lab.trace.child("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00-x", 7):sub(1, 3), "00-")
  local bad, why = lab.trace.child("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", 7)
  eq(bad, nil); truthy(why:find("ff"))
end)

test("trace/tracestate", function()
  local st = lab.trace.state("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE")
  same(st, {{"rojo", "00f067aa0ba902b7"}, {"congo", "t61rcWkgMzE"}})
  -- blanks and empty members are allowed
  eq(#lab.trace.state(" rojo=1 ,\t, congo=2 ,"), 2)
  eq(#lab.trace.state(""), 0)
  -- multi-tenant keys
  eq(lab.trace.state("fw529a3039@dt=abc")[1][1], "fw529a3039@dt")
  local cases = {{"Rojo=1", "lowercase letter"}, {"a=1,a=2", "twice"}, {"a", "key=value"},
    {"a=x,y", "key=value"}, {"a=b=c", "value"}, {"1a=x", "lowercase letter"},
    {"t@Sys=1", "multi%-tenant"}, {"t@s123456789012345=1", "multi%-tenant"},
    {"a=" .. ("x"):rep(257), "value"}}
  for _, c in ipairs(cases) do
    local r, why = lab.trace.state(c[1])
    eq(r, nil, c[1]); truthy(why:find(c[2]), c[1] .. ": " .. tostring(why))
  end
  local many = {}
  for i = 1, 33 do many[i] = "k" .. i .. "=v" end
  local r, why = lab.trace.state(table.concat(many, ","))
  eq(r, nil); truthy(why:find("32"))
  -- mutation: the modified key moves left; the 33rd entry pushes out the right-most
  eq(lab.trace.state_set("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE", "congo", "ucfJifl5GOE"),
     "congo=ucfJifl5GOE,rojo=00f067aa0ba902b7")
  local full = lab.trace.state_set(table.concat(many, ",", 1, 32), "new", "1")
  local got = lab.trace.state(full)
  eq(#got, 32); eq(got[1][1], "new"); eq(got[32][1], "k31")
  local n, why2 = lab.trace.state_set("a=1", "A", "1")
  eq(n, nil); truthy(why2:find("lowercase"))
end)

local SPANS = {
  {id = "a", name = "GET /order", start = 0, finish = 120},
  {id = "b", parent = "a", name = "auth", start = 5, finish = 25},
  {id = "c", parent = "a", name = "db", start = 30, finish = 110},
  {id = "d", parent = "c", name = "query", start = 40, finish = 100},
  {id = "e", parent = "a", name = "cache", start = 30, duration = 20},
}

test("trace/assemble", function()
  local t = lab.trace.assemble(SPANS)
  eq(t.roots, 1); eq(t.start, 0); eq(t.finish, 120)
  local names = {}
  for i, r in ipairs(t.rows) do names[i] = r.name .. ":" .. r.depth end
  eq(table.concat(names, " "), "GET /order:0 auth:1 db:1 query:2 cache:1")
  -- self: the root's children cover 5..25 and 30..110 (100 of its 120): 20 is its own
  eq(t.rows[1].self, 20); eq(t.rows[3].self, 20); eq(t.rows[4].self, 60)
  -- the critical path: cache (30..50) is hidden behind db and is not on it
  local path = {}
  for i, g in ipairs(t.path) do path[i] = ("%s %g-%g"):format(g.name, g.from, g.to) end
  eq(table.concat(path, ", "), "GET /order 0-5, auth 5-25, GET /order 25-30, db 30-40, "
     .. "query 40-100, db 100-110, GET /order 110-120")
  local total = 0
  for _, r in ipairs(t.rows) do total = total + r.critical end
  eq(total, 120)
  eq(t.rows[5].critical, 0)
  -- a child that outlives its parent is cut at the parent's end
  local late = lab.trace.assemble{{id = "p", start = 0, finish = 10},
                                  {id = "q", parent = "p", start = 2, finish = 30}}
  eq(late.path[#late.path].name, "q"); eq(late.path[#late.path].to, 10)
  -- an orphan is a root of its own
  local o = lab.trace.assemble{{id = "x", parent = "missing", start = 0, finish = 1}}
  eq(o.rows[1].orphan, true)
  raises(function() lab.trace.assemble{{id = "x", start = 0, finish = 1}, {id = "x", start = 0, finish = 1}} end, "same id")
  raises(function() lab.trace.assemble{{id = "x", parent = "y", start = 0, finish = 1},
                                       {id = "y", parent = "x", start = 0, finish = 1}} end, "cycle")
  raises(function() lab.trace.assemble{{id = "x", start = 2, finish = 1}} end, "before its start")
  raises(function() lab.trace.assemble{{id = "x", start = 2}} end, "finish or duration")
  raises(function() lab.trace.assemble{} end, "no spans")
end)

test("trace/waterfall", function()
  local w = lab.trace.waterfall(SPANS, {width = 24})
  local lines = {}
  for l in w:gmatch("[^\n]+") do lines[#lines + 1] = l end
  eq(#lines, 5)
  eq(lines[2], "  auth     | ####                   | 20")
  eq(lines[5], "  cache    |      ====              | 20")
  truthy(lines[4]:find("|        ############    |", 1, true))
  raises(function() lab.trace.waterfall(SPANS, {width = 5}) end, "between 10 and 400")
end)
