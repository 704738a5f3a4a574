-- Lua tests of lab.sql's file-format reader (engine/concepts/sql/sqlfile.c):
-- tiny.db, a real database written by SQLite 3.40.1, read byte for byte
-- and compared with the decoding in tiny_db_expected.json (data/SOURCES.md).

set_datadir("tests/engine/concepts/sql/data")
local S = lab.sql
local bytes = S.file("tiny.db")

-- A small JSON reader, for the expected file.
local function json(text)
  local pos = 1
  local value
  local function space() pos = text:find("[^ \t\r\n]", pos) or #text + 1 end
  local function str()
    local out = {}
    pos = pos + 1
    while true do
      local c = text:sub(pos, pos)
      if c == '"' then pos = pos + 1 return table.concat(out) end
      if c == "\\" then
        local e = text:sub(pos + 1, pos + 1)
        local map = {n = "\n", t = "\t", ['"'] = '"', ["\\"] = "\\", ["/"] = "/"}
        if e == "u" then
          out[#out + 1] = utf8.char(tonumber(text:sub(pos + 2, pos + 5), 16))
          pos = pos + 6
        else
          out[#out + 1] = map[e]
          pos = pos + 2
        end
      else
        out[#out + 1] = c
        pos = pos + 1
      end
    end
  end
  function value()
    space()
    local c = text:sub(pos, pos)
    if c == "{" then
      local t = {}
      pos = pos + 1
      space()
      if text:sub(pos, pos) == "}" then pos = pos + 1 return t end
      while true do
        space()
        local k = str()
        space()
        pos = pos + 1 -- :
        t[k] = value()
        space()
        local d = text:sub(pos, pos)
        pos = pos + 1
        if d == "}" then return t end
      end
    elseif c == "[" then
      local t = {n = 0}
      pos = pos + 1
      space()
      if text:sub(pos, pos) == "]" then pos = pos + 1 return t end
      while true do
        t.n = t.n + 1
        t[t.n] = value()
        space()
        local d = text:sub(pos, pos)
        pos = pos + 1
        if d == "]" then return t end
      end
    elseif c == '"' then
      return str()
    elseif text:sub(pos, pos + 3) == "null" then
      pos = pos + 4
      return nil
    elseif text:sub(pos, pos + 3) == "true" then
      pos = pos + 4
      return true
    elseif text:sub(pos, pos + 4) == "false" then
      pos = pos + 5
      return false
    else
      local num = text:match("^-?[%d.eE+-]+", pos)
      pos = pos + #num
      return math.tointeger(tonumber(num)) or tonumber(num)
    end
  end
  return value()
end

local f = assert(io.open("tests/engine/concepts/sql/data/tiny_db_expected.json"))
local want = json(f:read("a"))
f:close()

test("sqlfile/header", function()
  eq(#bytes, 5120)
  local h = S.header(bytes)
  for k, v in pairs(want.header) do eq(h[k], v, "header." .. k) end
  local n = 0
  for _ in pairs(h) do n = n + 1 end
  eq(n, 21)
end)

test("sqlfile/pages", function()
  for n = 1, 10 do
    local p, w = S.page(bytes, n), want.pages[tostring(n)]
    for _, k in ipairs{"type", "first_freeblock", "cells", "cell_content_start",
                       "fragmented", "rightmost"} do
      eq(p[k], w[k], "page " .. n .. " " .. k)
    end
    eq(#p.cell_ptrs, w.cell_ptrs.n)
    for i = 1, w.cell_ptrs.n do eq(p.cell_ptrs[i], w.cell_ptrs[i], "page " .. n) end
  end
end)

local function unhex(h)
  return (h:gsub("..", function(x) return string.char(tonumber(x, 16)) end))
end

-- The records of a table whose cells all sit on page N, in key order.
local function records_are(n, rows)
  local p = S.page(bytes, n)
  eq(p.cells, rows.n, "cells of page " .. n)
  for i = 1, rows.n do
    local c, w = S.cell(bytes, n, i), rows[i]
    eq(c.rowid, w[1], "rowid of cell " .. i)
    eq(c.n, w[2].n)
    for k = 1, w[2].n do
      eq(c.types[k], w[2][k], "serial type")
      local v = w[3][k]
      if type(v) == "table" then v = unhex(v.blob_hex) end
      eq(c.values[k], v, ("page %d cell %d value %d"):format(n, i, k))
      if math.type(v) then eq(math.type(c.values[k]), math.type(v)) end
    end
  end
end

test("sqlfile/schema_records", function() records_are(1, want.schema) end)
test("sqlfile/kv_records", function() records_are(2, want.kv_records) end)
test("sqlfile/nums_records_every_serial_type", function() records_are(3, want.nums_records) end)

test("sqlfile/two_level_table", function()
  local root = S.page(bytes, want.big.root_page)
  eq(root.type, 5)
  local cells = want.big.interior_cells
  for i = 1, cells.n do
    local c = S.cell(bytes, want.big.root_page, i)
    eq(c.left_child, cells[i][1])
    eq(c.key, cells[i][2])
  end
  -- walk the leaves: every rowid 1..120 once, in order
  local k = 0
  for i = 1, want.big.leaf_pages_in_order.n do
    local n = want.big.leaf_pages_in_order[i]
    local p = S.page(bytes, n)
    for c = 1, p.cells do
      local cell = S.cell(bytes, n, c)
      k = k + 1
      eq(cell.rowid, k)
      eq(cell.values[2], ("p%03d"):format(k) .. ("."):rep(12))
    end
  end
  eq(k, want.big.rows)
end)

test("sqlfile/varints_from_the_file", function()
  local f2 = assert(io.open("tests/engine/concepts/sql/data/varint_from_db.tsv"))
  local rows = 0
  for line in f2:lines() do
    if not line:match("^#") then
      local value, hex, len = line:match("^(%d+)\t(%x+)\t(%d+)$")
      local v, n = S.varint(unhex(hex))
      eq(n, tonumber(len))
      eq(v, math.tointeger(tonumber(value)), "varint " .. hex)
      -- and the bytes are in tiny.db, at the start of a kv cell's rowid
      truthy(bytes:find(unhex(hex), 1, true), hex .. " occurs in the file")
      rows = rows + 1
    end
  end
  f2:close()
  eq(rows, 21)
end)

test("sqlfile/corrupt_input_is_an_error", function()
  raises(function() S.header("SQLite format 3") end, "100%-byte header")
  raises(function() S.header(("x"):rep(100)) end, "SQLite format 3")
  raises(function() S.page(bytes, 11) end, "no page 11")
  raises(function() S.cell(bytes, 2, 22) end, "cells 1 to 21")
  raises(function() S.varint("\x81\x81", 1) end, "cut short")
  local broken = bytes:sub(1, 1024 + 3) .. "\255\255" .. bytes:sub(1024 + 6)
  raises(function() S.page(broken, 3) end, "more than its pointers")
  raises(function() S.file("../sql/data/tiny.db") end, "not a data file's name")
  raises(function() S.file("nope.db") end, "no data file 'nope.db'")
end)
