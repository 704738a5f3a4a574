-- Lua tests of lab.json (engine/concepts/json): values, errors with line and
-- column, empties kept, surrogates, depth limits, round trips of random values.

local J = lab.json

test("json/values", function()
  local v = J.decode(' {"a": [1, -2, 3.5, 1e2, -0, true, false, null], "b": "x\\ty"} ')
  eq(v.a[1], 1); eq(math.type(v.a[1]), "integer"); eq(v.a[2], -2)
  eq(v.a[3], 3.5); eq(math.type(v.a[4]), "float"); eq(v.a[4], 100.0)
  eq(1 / v.a[5], -math.huge)                      -- "-0" is the float -0.0
  eq(v.a[6], true); eq(v.a[7], false); eq(v.a[8], J.null); eq(#v.a, 8)
  eq(v.b, "x\ty")
  eq(J.decode("9223372036854775807"), math.maxinteger)
  eq(J.decode("-9223372036854775808"), math.mininteger)
  eq(math.type(J.decode("9223372036854775808")), "float")   -- beyond int64
  eq(J.decode("1e-999"), 0.0)
  eq(J.decode('"\\/\\b\\f\\n\\r\\"\\\\"'), "/\b\f\n\r\"\\")
  eq(tostring(J.null), "lab.json.null")
end)

test("json/errors_name_line_and_column", function()
  local cases = {
    {"[1, 2,]", 1, 7, "expected a value"},
    {"{\n  \"a\": 1\n  \"b\": 2\n}", 3, 3, "expected ',' or '}'"},
    {"[1,\r\n 2 3]", 2, 4, "expected ',' or ']'"},
    {"{\"é\": tru}", 1, 7, "expected a value"},            -- columns count characters
    {"\"abc", 1, 1, "unterminated string"},
    {"[01]", 1, 2, "leading zero"},
    {"[1.]", 1, 4, "digit must follow the decimal point"},
    {"\"a\\x\"", 1, 3, "invalid escape"},
    {"\"a\tb\"", 1, 3, "control character"},
    {"[1] x", 1, 5, "text after the end"},
    {"", 1, 1, "unexpected end of text"},
    {"{1: 2}", 1, 2, "expected a string as object key"},
    {"{\"a\" 1}", 1, 6, "expected ':'"},
    {"\"\\ud800\"", 1, 2, "lone high surrogate"},
    {"\"\\udc00\\ud800\"", 1, 2, "lone low surrogate"},
    {"\239\187\191{}", 1, 1, "byte order mark"},
    {"[1e400]", 1, 2, "out of the range of a double"},
    {"\"\255\"", 1, 2, "invalid UTF%-8"},
  }
  for _, c in ipairs(cases) do
    local v, err, line, col = J.decode(c[1])
    eq(v, nil, c[1])
    eq(line, c[2], c[1] .. " line"); eq(col, c[3], c[1] .. " column")
    truthy(err:find(c[4]), ("%q: %s"):format(c[1], err))
    truthy(err:find(("^line %d, column %d: "):format(c[2], c[3])), err)
  end
  raises(function() J.decode({}) end, "string expected")
  raises(function() J.decode("1", {max_dept = 3}) end, "did you mean 'max_depth'")
end)

test("json/empties_and_marks", function()
  for _, s in ipairs{"[]", "{}", '{"a":[],"b":{}}', '[[],[{}],{"x":[[]]}]'} do
    eq(J.encode(J.decode(s)), s)
  end
  eq(getmetatable(J.decode("[]")), "json.array")
  eq(getmetatable(J.decode("{}")), "json.object")
  raises(function() setmetatable(J.decode("[]"), nil) end, "protected")
  eq(J.encode({}), "{}"); eq(J.encode(J.array()), "[]"); eq(J.encode(J.object{}), "{}")
  eq(J.encode(J.array{1, 2}), "[1,2]"); eq(J.encode({1, 2}), "[1,2]")
  eq(J.encode{b = 1, a = 2, [""] = 3}, '{"":3,"a":2,"b":1}')   -- keys sorted
end)

test("json/surrogates", function()
  eq(J.decode('"\\ud834\\udd1e"'), "\u{1D11E}")             -- G clef, a pair
  eq(J.decode('"\\uD83D\\uDE00"'), "\u{1F600}")
  eq(J.encode("\u{1D11E}"), '"\u{1D11E}"')                   -- as UTF-8 by default
  eq(J.encode("\u{1D11E}", {ascii = true}), '"\\ud834\\udd1e"')
  eq(J.encode("é\0\31", {ascii = true}), '"\\u00e9\\u0000\\u001f"')
  eq(J.decode('"\\ud800x"', {lone_surrogates = "replace"}), "\u{FFFD}x")
  eq(J.decode('"\\ude00\\ud83d\\ude00"', {lone_surrogates = "replace"}), "\u{FFFD}\u{1F600}")
end)

test("json/duplicate_keys", function()
  eq(J.decode('{"a":1,"a":2}').a, 2)
  eq(J.decode('{"a":1,"a":2}', {duplicate_keys = "first"}).a, 1)
  eq(J.decode('{"a":{"x":1},"a":[2]}', {duplicate_keys = "first"}).a.x, 1)
  local v, err, line, col = J.decode('{"a":1,\n"a":2}', {duplicate_keys = "error"})
  eq(v, nil); eq(line, 2); eq(col, 1); truthy(err:find('duplicate key "a"'), err)
end)

test("json/depth", function()
  eq(#J.encode(J.decode(("["):rep(512) .. ("]"):rep(512))), 1024)
  local v, err, line, col = J.decode(("["):rep(513) .. ("]"):rep(513))
  eq(v, nil); eq(col, 513); truthy(err:find("deeper than 512"), err)
  eq(J.decode(("["):rep(100000)), nil)                      -- refused, no crash
  truthy(J.decode(("["):rep(2000) .. ("]"):rep(2000), {max_depth = 2000}))
  eq(J.decode("[[1]]", {max_depth = 1}), nil)
  local t = {}
  t.self = t
  raises(function() J.encode(t) end, "nested deeper than max_depth")
  local deep = {}
  for _ = 1, 20 do deep = {deep} end
  raises(function() J.encode(deep, {max_depth = 10}) end, "max_depth")
end)

test("json/encode_errors", function()
  raises(function() J.encode{a = {b = {1, {c = 0 / 0}}}} end, "%$%.a%.b%[2%]%.c: NaN has no JSON")
  raises(function() J.encode(math.huge) end, "infinity")
  raises(function() J.encode{1, 2, x = 3} end, "both list items")
  raises(function() J.encode{1, nil, 3} end, "holes")
  raises(function() J.encode{[true] = 1} end, "key must be a string, not a boolean")
  raises(function() J.encode(print) end, "function has no JSON form")
  raises(function() J.encode("\255") end, "not valid UTF%-8 %(byte 0%)")
  eq(J.encode(nil), "null"); eq(J.encode(J.null), "null")
  eq(J.encode("a\"\\\n/"), '"a\\"\\\\\\n/"')
end)

test("json/numbers_round_trip", function()
  eq(J.encode(0.1), "0.1"); eq(J.encode(2.0), "2.0"); eq(J.encode(-0.0), "-0.0")
  eq(J.encode(1e300), "1e+300"); eq(J.encode(5e-324), "4.94065645841247e-324")
  eq(J.encode(math.mininteger), "-9223372036854775808")
  local r = lab.rand.new(5)
  for _ = 1, 2000 do
    local x = (r:uniform() - 0.5) * 10 ^ r:int(-300, 300)
    local back = J.decode(J.encode(x))
    eq(back, x); eq(math.type(back), "float")
    local i = r:int(-2 ^ 53, 2 ^ 53)
    eq(J.decode(J.encode(i)), i)
  end
end)

-- random values: decode(encode(x)) is x, and encode(decode(s)) is s
local function random_value(r, depth)
  local k = r:int(1, depth > 3 and 5 or 8)
  if k == 1 then return r:int(-1e6, 1e6)
  elseif k == 2 then return r:uniform() * 1e3
  elseif k == 3 then
    local parts = {}
    for i = 1, r:int(0, 6) do
      parts[i] = r:choice{"a", "\"", "\\", "\n", "\0", "é", "\u{1F600}", "/", "\u{2028}", " "}
    end
    return table.concat(parts)
  elseif k == 4 then return r:choice{true, false, J.null}
  elseif k == 5 then return r:choice{"x", 0}
  elseif k <= 7 then
    local t = J.array()
    for i = 1, r:int(0, 4) do t[i] = random_value(r, depth + 1) end
    return t
  else
    local t = J.object()
    for _ = 1, r:int(0, 4) do t[r:choice{"id", "name", "", "é", "a b"}] = random_value(r, depth + 1) end
    return t
  end
end

local function same_json(a, b, path)
  eq(type(a), type(b), path)
  if type(a) == "table" then
    eq(getmetatable(a), getmetatable(b), path)
    for k, v in pairs(a) do same_json(v, b[k], path .. "." .. tostring(k)) end
    for k in pairs(b) do truthy(a[k] ~= nil, path .. ": extra key " .. tostring(k)) end
  else
    eq(a, b, path); eq(math.type(a), math.type(b), path)
  end
end

test("json/random_round_trips", function()
  local r = lab.rand.new(42)
  for n = 1, 500 do
    local v = random_value(r, 0)
    local s = J.encode(v)
    truthy(not s:find("\n"), "one line")
    local back = J.decode(s)
    same_json(back, v, "case " .. n)
    eq(J.encode(back), s)
    eq(J.encode(J.decode(J.encode(v, {ascii = true}))), s)
  end
end)
