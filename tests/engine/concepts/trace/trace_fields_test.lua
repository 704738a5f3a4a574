-- lab.trace's optional span fields (trace_id, service, kind, status,
-- attempt, queued), the waterfall's status column and digits.

local spans = {
  {id = "r", name = "request", start = 0, finish = 1.25, trace_id = "t1", kind = "request",
   service = "client", status = "failed"},
  {id = "a", parent = "r", name = "api->db", start = 0.1, finish = 0.35, trace_id = "t1",
   kind = "client", service = "api", status = "timeout", attempt = 0},
  {id = "b", parent = "a", name = "db", start = 0.1, finish = 0.9, trace_id = "t1",
   kind = "server", service = "db", status = "ok", queued = 0.2},
  {id = "c", parent = "r", name = "api->db (retry 1)", start = 0.5, finish = 1.25,
   trace_id = "t1", kind = "client", service = "api", status = "ok", attempt = 1},
}

test("trace/fields pass through to rows and path", function()
  local t = lab.trace.assemble(spans)
  local rows = {}
  for _, r in ipairs(t.rows) do rows[r.id] = r end
  eq(rows.a.status, "timeout")
  eq(rows.a.attempt, 0)
  eq(rows.c.attempt, 1)
  eq(rows.b.kind, "server")
  eq(rows.b.queued, 0.2)
  eq(rows.r.attempt, nil, "no attempt given, none kept")
  eq(rows.b.trace_id, "t1")
  -- the retry ends the request: it is on the path, the timed-out attempt's
  -- callee only up to where the retry's start cuts it
  local names = {}
  for _, g in ipairs(t.path) do names[#names + 1] = g.service .. ":" .. g.name end
  eq(table.concat(names, " "), "client:request db:db client:request api:api->db (retry 1)")
end)

test("trace/waterfall shows status and digits", function()
  local w = lab.trace.waterfall(spans, {width = 20, digits = 2})
  truthy(w:find("| 0.25 timeout\n", 1, true), w)
  truthy(w:find("| 0.8\n", 1, true), "ok is not shown: " .. w)
  truthy(w:find("| 1.2 failed\n", 1, true), w)
  local plain = lab.trace.waterfall({{id = "x", start = 0, finish = 1 / 3}}, {width = 10})
  truthy(plain:find("| 0.333333\n", 1, true), "six digits by default: " .. plain)
end)

test("trace/one trace at a time", function()
  local two = {{id = "x", start = 0, finish = 1, trace_id = "t1"},
               {id = "y", parent = "x", start = 0, finish = 1, trace_id = "t2"}}
  raises(function() lab.trace.assemble(two) end, "one trace at a time")
  raises(function() lab.trace.assemble{{id = "x", start = 0, finish = 1, attempt = -2}} end,
         "attempt")
  raises(function() lab.trace.assemble{{id = "x", start = 0, finish = 1, colour = 1}} end,
         "unknown option")
end)
