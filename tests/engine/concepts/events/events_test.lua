-- Lua tests of lab.events (engine/concepts/events/events_lua.c).

test("events/page_example", function()
  local es = lab.events.new()
  eq(es:append("acct-1", 0, {{type = "opened"}, {type = "deposited", data = "50"}}), 2)
  same({es:append("acct-1", 1, {{type = "withdrawn", data = "80"}})}, {nil, "conflict", 2})
  local balance = es:project(function(b, e)
    if e.type == "deposited" then return b + tonumber(e.data) end
    if e.type == "withdrawn" then return b - tonumber(e.data) end
    return b
  end, 0, "acct-1")
  eq(balance, 50)
  same(es:stats(), {events = 2, streams = 1, conflicts = 1})
end)

test("events/versions_and_positions", function()
  local es = lab.events.new()
  eq(es:append("a", 0, {{type = "x", data = 1}}), 1)
  eq(es:append("b", 0, {{type = "y"}}), 1)
  eq(es:append("a", 1, {{type = "z", data = "3"}}), 2)
  same({es:append("b", 0, {{type = "again"}})}, {nil, "conflict", 1})
  eq(es:append("b", "any", {{type = "w"}}), 2)
  eq(es:version("a"), 2); eq(es:version("nope"), 0)
  same(es:read("a"), {
    {stream = "a", version = 1, position = 1, type = "x", data = "1"},
    {stream = "a", version = 2, position = 3, type = "z", data = "3"}})
  eq(#es:read("a", 1), 1)
  local types = {}
  for _, e in ipairs(es:all()) do types[#types + 1] = e.type end
  eq(table.concat(types, " "), "x y z w")
  eq(#es:all(3), 1)
  same(es:read("nope"), {})
  -- all or nothing
  raises(function() es:append("a", 2, {{type = "ok"}, {type = 5 > 4}}) end, "events%[2%].type")
  eq(es:version("a"), 2)
  raises(function() es:append("a", -1, {{type = "x"}}) end, "expected version")
  raises(function() es:append("", 0, {{type = "x"}}) end, "1 to 255")
  raises(function() es:append("a", 2, {}) end, "1 to 100000")
end)

test("events/concurrent_writers", function()
  -- two writers read the same version; only one append wins, and the
  -- loser retries on the new state: no update is lost
  local es, r = lab.events.new(), lab.rand.new(2)
  es:append("c", 0, {{type = "set", data = "0"}})
  local won = 0
  for _ = 1, 200 do
    local v1, v2 = es:version("c"), es:version("c")
    local first = r:int(1, 2)
    for w = 1, 2 do
      local v = (w == first) and v1 or v2
      local ok = es:append("c", v, {{type = "add", data = "1"}})
      if ok then won = won + 1 else
        local now = es:version("c")
        truthy(es:append("c", now, {{type = "add", data = "1"}}))
        won = won + 1
      end
    end
  end
  local total = es:project(function(s, e) return e.type == "add" and s + 1 or s end, 0, "c")
  eq(total, 400); eq(won, 400)
  eq(es:stats().conflicts, 200)
end)

test("events/snapshots_and_project", function()
  local es = lab.events.new()
  for i = 1, 10 do es:append("s", i - 1, {{type = "n", data = i}}) end
  eq(es:load("s"), nil)
  eq(es:snapshot("s", 6, "21"), true)
  eq(es:snapshot("s", 11, "x"), false)
  eq(es:snapshot("nope", 1, "x"), false)
  local state, v = es:load("s")
  eq(state, "21"); eq(v, 6)
  local sum = tonumber(state)
  for _, e in ipairs(es:read("s", v)) do sum = sum + tonumber(e.data) end
  eq(sum, 55)
  eq(es:project(function(s, e) return s + tonumber(e.data) end, 0), 55)
  eq(es:project(function(s) return s end, "init", "nope"), "init")
  -- a projection that appends sees the events as they were
  local seen = es:project(function(s, e)
    es:append("other", "any", {{type = "echo"}})
    return s + 1
  end, 0)
  eq(seen, 10)
  eq(es:version("other"), 10)
  raises(function() es:project(function() error("boom") end, 0) end, "boom")
end)
