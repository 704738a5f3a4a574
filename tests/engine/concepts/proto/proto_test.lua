-- Lua tests of lab.proto (engine/concepts/proto): the encoding guide's examples and the
-- varint/ZigZag vectors (data/, see SOURCES.md), unknown fields, errors, random round trips.

local P = lab.proto
local DATA = "tests/engine/concepts/proto/data/"
local function hex(s) return (s:gsub(".", function(c) return ("%02x"):format(c:byte()) end)) end
local function unhex(h) return (h:gsub("%x%x", function(x) return string.char(tonumber(x, 16)) end)) end

local GUIDE = P.schema{
  Test1 = {{1, "a", "int32"}},
  Test2 = {{2, "b", "string"}},
  Test3 = {{3, "c", "Test1"}},
  Test4 = {{4, "d", "string"}, {5, "e", "int32", "unpacked"}},
  Test5 = {{6, "f", "int32", "repeated"}},
  Signed = {{1, "s", "sint32"}, {2, "l", "sint64"}},
  Fixed = {{1, "f", "fixed32"}, {2, "d", "double"}, {3, "sf", "sfixed64"}},
}

test("proto/encoding_guide", function()
  local n = 0
  for line in io.lines(DATA .. "encoding_guide.tsv") do
    if not line:find("^#") then
      local msg, value, want = line:match("^([^\t]+)\t([^\t]+)\t(%x+)")
      local v = load("return " .. value)()
      eq(hex(GUIDE:encode(msg, v)), want, line)
      local back = GUIDE:decode(msg, unhex(want))
      eq(hex(GUIDE:encode(msg, back)), want, line .. " (decoded, encoded again)")
      n = n + 1
    end
  end
  eq(n, 10)
end)

test("proto/varint_zigzag_vectors", function()
  local n = 0
  for line in io.lines(DATA .. "varint_zigzag.tsv") do
    if not line:find("^#") then
      local kind, input, want = line:match("^([^\t]+)\t([^\t]+)\t(%x+)$")
      if kind == "varint" or kind == "int32_as_varint" then
        local v = math.tointeger(tonumber(input)) or -1   -- 2^64 - 1 is -1 in 64 bits
        eq(hex(P.varint(v)), want, line)
        eq(P.read_varint(unhex(want)), v, line)
      elseif kind == "zigzag32" then
        eq(P.zigzag(math.tointeger(tonumber(input)), 32), math.tointeger(tonumber(want)), line)
        local z = math.tointeger(tonumber(want))
        local back = P.unzigzag(z)
        eq(back, math.tointeger(tonumber(input)), line)
      elseif kind == "message_field1_int32" then
        eq(hex(GUIDE:encode("Test1", {a = math.tointeger(tonumber(input))})), want, line)
      end
      n = n + 1
    end
  end
  eq(n, 11)
  eq(P.zigzag(math.mininteger), -1)         -- 2^64 - 1 as a Lua integer
  eq(P.unzigzag(-1), math.mininteger)
end)

test("proto/fields_without_schema", function()
  local r = P.fields(unhex("089601120774657374696e67"))
  eq(#r, 2)
  eq(r[1].field, 1); eq(r[1].type, "VARINT"); eq(r[1].value, 150); eq(r[1].offset, 0)
  eq(r[2].field, 2); eq(r[2].wire, 2); eq(r[2].value, "testing"); eq(r[2].offset, 3)
  local v, err, off = P.fields(unhex("0896"))
  eq(v, nil); eq(off, 1); truthy(err:find("truncated varint"), err)
  v, err, off = P.fields(unhex("0b00"))
  eq(v, nil); truthy(err:find("groups"), err)
  v, err = P.fields(unhex("00"))
  truthy(err:find("field number 0"), err)
  v, err = P.fields(unhex("08ffffffffffffffffffff01"))
  truthy(err:find("longer than 10 bytes"), err)
  eq(select(2, P.read_varint("\x96\x01\x05", 1)), 3)
  eq(P.read_varint("\x96\x01\x05", 3), 5)
end)

test("proto/unknown_fields_kept", function()
  local full = P.schema{M = {{1, "a", "int32"}, {2, "b", "string"}, {3, "c", "sint64", "repeated"},
                             {7, "d", "fixed32"}}}
  local old = P.schema{M = {{1, "a", "int32"}}}     -- an older reader knows field 1 only
  local bytes = full:encode("M", {a = 1, b = "new", c = {-1, 5}, d = 9})
  local m = old:decode("M", bytes)
  eq(m.a, 1); eq(m.b, nil)
  eq(hex(m._unknown), hex(bytes:sub(3)))
  m.a = 2
  local again = full:decode("M", old:encode("M", m))   -- the old reader wrote it back
  eq(again.a, 2); eq(again.b, "new"); eq(again.c[2], 5); eq(again.d, 9)
end)

test("proto/decode_rules", function()
  local s = P.schema{Inner = {{1, "x", "int32"}, {2, "y", "int32"}},
                     Outer = {{1, "n", "int32"}, {2, "in", "Inner"}, {3, "r", "int32", "unpacked"},
                              {4, "p", "int32", "repeated"}}}
  -- the last value of a scalar wins; a message seen twice merges
  local b = s:encode("Outer", {n = 1, ["in"] = {x = 1}}) .. s:encode("Outer", {n = 2, ["in"] = {y = 2}})
  local m = s:decode("Outer", b)
  eq(m.n, 2); eq(m["in"].x, 1); eq(m["in"].y, 2)
  -- packed and unpacked records read the same
  local packed = s:encode("Outer", {p = {1, 2, 300}})
  local unpacked = s:encode("Outer", {r = {1, 2, 300}})
  eq(hex(packed), "2204010"  .. "2ac02")
  same(s:decode("Outer", unpacked).r, {1, 2, 300})
  local as_r = P.schema{Outer = {{4, "r", "int32", "unpacked"}}}
  same(as_r:decode("Outer", packed).r, {1, 2, 300})
  -- wire-type mismatch, truncation, bad UTF-8: nil, message, offset
  local v, err, off = s:decode("Outer", unhex("0a00"))
  eq(v, nil); eq(off, 0); truthy(err:find("Outer.n: wire type 2 %(LEN%), the schema says 0"), err)
  v, err, off = s:decode("Outer", unhex("12020801" .. "08"))
  eq(off, 5); truthy(err:find("truncated varint"), err)
  local str = P.schema{S = {{1, "s", "string"}, {2, "b", "bytes"}}}
  v, err, off = str:decode("S", unhex("0a02c328"))
  eq(v, nil); eq(off, 2); truthy(err:find("not valid UTF%-8"), err)
  eq(str:decode("S", unhex("1202c328")).b, "\xc3\x28")
  -- int32 takes the low 32 bits of a 64-bit varint; uint64 keeps the bits
  eq(s:decode("Outer", unhex("08ffffffffffffffffff01")).n, -1)
  local u = P.schema{U = {{1, "v", "uint64"}, {2, "w", "uint32"}}}
  eq(u:decode("U", u:encode("U", {v = -1})).v, -1)
  eq(u:decode("U", u:encode("U", {w = 4294967295})).w, 4294967295)
  -- recursion is limited
  local rec = P.schema{Node = {{1, "next", "Node"}}}
  local deep = ""
  for _ = 1, 101 do deep = "\x0a" .. P.varint(#deep) .. deep end
  v, err = rec:decode("Node", deep)
  eq(v, nil); truthy(err:find("deeper than 100"), err)
  local t = {}
  t.next = t
  raises(function() rec:encode("Node", t) end, "deeper than 100")
end)

test("proto/encode_errors", function()
  local s = P.schema{M = {{1, "i", "int32"}, {2, "u", "uint32"}, {3, "s", "string"},
                          {4, "b", "bool"}, {5, "l", "int32", "repeated"}, {6, "m", "M"}}}
  raises(function() s:encode("M", {i = 2^31}) end, "M%.i: .* out of range %(int32%)")
  raises(function() s:encode("M", {u = -1}) end, "out of range %(uint32%)")
  raises(function() s:encode("M", {i = 1.5}) end, "expected an integer")
  raises(function() s:encode("M", {s = 5}) end, "expected a string")
  raises(function() s:encode("M", {s = "\255"}) end, "UTF%-8")
  raises(function() s:encode("M", {b = 1}) end, "expected a boolean")
  raises(function() s:encode("M", {l = {1, "x"}}) end, "M%.l%[2%]: expected an integer")
  raises(function() s:encode("M", {m = {m = {nope = 1}}}) end, "M%.m%.m: M has no field 'nope'")
  raises(function() s:encode("X", {}) end, "no message 'X'")
  raises(function() P.schema{M = {{0, "a", "int32"}}} end, "1%.%.536870911")
  raises(function() P.schema{M = {{19000, "a", "int32"}}} end, "reserved")
  raises(function() P.schema{M = {{1, "a", "Nope"}}} end, "unknown type 'Nope'")
  raises(function() P.schema{M = {{1, "a", "int32"}, {1, "b", "int32"}}} end, "share number 1")
  raises(function() P.schema{M = {{1, "a", "int32", "optional"}}} end, "repeated")
  eq(hex(s:encode("M", {i = 0, b = false, s = ""})), "08001a002000")   -- zeros are written
end)

-- random messages: decode(encode(x)) = x
local TYPES = {"int32", "int64", "uint32", "sint32", "sint64", "bool", "enum", "fixed32",
  "fixed64", "sfixed32", "sfixed64", "double", "string", "bytes"}

local function random_scalar(r, ty)
  if ty == "bool" then return r:int(0, 1) == 1 end
  if ty == "double" then return (r:uniform() - 0.5) * 10 ^ r:int(-20, 20) end
  if ty == "string" then return r:choice{"", "a", "héllo", "\u{1F600}", ("x"):rep(200)} end
  if ty == "bytes" then
    local t = {}
    for i = 1, r:int(0, 20) do t[i] = string.char(r:int(0, 255)) end
    return table.concat(t)
  end
  if ty == "uint32" or ty == "fixed32" then return r:int(0, 4294967295) end
  if ty == "int32" or ty == "sint32" or ty == "enum" or ty == "sfixed32" then
    return r:int(-2147483648, 2147483647)
  end
  return r:int(math.mininteger, math.maxinteger)
end

test("proto/random_round_trips", function()
  local r = lab.rand.new(11)
  for case = 1, 200 do
    local spec, fields = {}, {}
    for k = 1, r:int(1, 8) do
      local ty = r:choice(TYPES)
      local label = r:choice{false, false, "repeated", "unpacked"} or nil
      spec[k] = {k * 4 + r:int(0, 3), "f" .. k, ty, label}
      fields[k] = spec[k]
    end
    spec[#spec + 1] = {1000, "sub", "M"}
    local s = P.schema{M = spec}
    local function value(depth)
      local v = {}
      for _, f in ipairs(fields) do
        if r:int(0, 2) > 0 then
          if f[4] then
            v[f[2]] = {}
            for i = 1, r:int(1, 4) do v[f[2]][i] = random_scalar(r, f[3]) end
          else
            v[f[2]] = random_scalar(r, f[3])
          end
        end
      end
      if depth < 3 and r:int(0, 2) == 0 then v.sub = value(depth + 1) end
      return v
    end
    local v = value(0)
    local bytes = s:encode("M", v)
    local back, err = s:decode("M", bytes)
    truthy(back, err)
    same(back, v, "case " .. case)
    eq(s:encode("M", back), bytes)
  end
end)
