-- Lua tests of lab.paging (engine/concepts/paging/paging_lua.c).

local function list(t) return table.concat(t, " ") end

test("paging/offset_and_after", function()
  local t = lab.paging.table{rows = 7}
  eq(list(t:offset(0, 3)), "1 2 3")
  eq(list(t:offset(6, 3)), "7")
  eq(list(t:offset(9, 3)), "")
  local p, c = t:after(nil, 3)
  eq(list(p), "1 2 3")
  eq(t:decode(c), 3)
  t:delete(3)                          -- the cursor's row is gone: still fine
  t:delete(1)                          -- a row before it: no shift
  p, c = t:after(c, 3)
  eq(list(p), "4 5 6")
  p, c = t:after(c, 3)
  eq(list(p), "7")
  eq(c, nil)
  eq(#t, 5)
end)

test("paging/desc_inserts_at_top", function()
  local t = lab.paging.table{rows = 5, order = "desc"}
  local p, c = t:after(nil, 2)
  eq(list(p), "5 4")
  eq(t:insert(), 6)
  eq(t:insert(), 7)
  eq(list(t:offset(2, 2)), "5 4")      -- offset repeats the first page
  eq(list((t:after(c, 2))), "3 2")     -- the cursor does not
  eq(list(t:keys()), "7 6 5 4 3 2 1")
  raises(function() t:insert(4) end, "already there")
end)

test("paging/cursor_tamper", function()
  local t = lab.paging.table{rows = 50, seed = 9}
  local c = t:cursor(17)
  eq(#c, 16)
  eq(t:decode(c), 17)
  -- change each character in turn: every edit is refused
  for i = 1, #c do
    local ch = c:sub(i, i) == "A" and "B" or "A"
    local bad = c:sub(1, i - 1) .. ch .. c:sub(i + 1)
    eq(t:decode(bad), nil, "edit at " .. i)
  end
  eq(t:decode("short"), nil)
  raises(function() t:after("not-a-cursor-at-all", 3) end, "invalid cursor")
  -- another secret, another tag
  eq(lab.paging.table{rows = 50, seed = 10}:decode(c), nil)
end)

test("paging/walk_cursor_never_skips", function()
  local r = lab.rand.new(5)
  for i = 1, 40 do
    local w = lab.paging.walk{rows = r:int(0, 200), limit = r:int(1, 15),
      mode = "cursor", order = r:int(0, 1) == 1 and "asc" or "desc", inserts = r:int(0, 3),
      deletes = r:int(0, 3), seed = i}
    eq(#w.skipped, 0, "case " .. i)
    eq(#w.duplicated, 0, "case " .. i)
  end
end)

test("paging/walk_offset_shifts", function()
  -- newest first, rows inserted at the top: every insert pushes a row
  -- already seen into the next page
  local w = lab.paging.walk{rows = 100, limit = 10, mode = "offset", inserts = 1}
  eq(#w.skipped, 0)
  eq(#w.duplicated, 11)          -- pages 2 to 12 each repeat one row
  eq(w.returned, 111)
  eq(w.pages, 12)
  -- oldest first, deletions: each one before the offset skips a row
  w = lab.paging.walk{rows = 100, limit = 10, mode = "offset", order = "asc",
    deletes = 2, seed = 3}
  truthy(#w.skipped > 0)
  eq(#w.duplicated, 0)
  same(lab.paging.walk{rows = 100, mode = "offset", order = "asc", deletes = 2, seed = 3}, w)
end)

test("paging/walk_truncates", function()
  local w = lab.paging.walk{rows = 10, limit = 2, mode = "cursor", order = "asc",
    inserts = 5, max_pages = 50}
  eq(w.truncated, true)
  eq(w.pages, 50)
end)

test("paging/options", function()
  raises(function() lab.paging.walk{mode = "keyset"} end, "one of")
  raises(function() lab.paging.table{row = 3} end, "did you mean 'rows'")
  raises(function() lab.paging.table{}:offset(0, 0) end, "limit")
end)
