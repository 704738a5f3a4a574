-- tests/lib/json.lua — a small JSON reader for tests that load reference vectors.
--   local json = dofile("tests/lib/json.lua")
--   local v = json.decode(text)     -- objects and arrays as tables, null as json.null
--   json.decode(text, {array = mt, object = mt, null = v})
--                                   -- metatables for arrays and objects, and
--                                   -- the value null becomes (tests that must
--                                   -- tell [] from {})
-- Strict enough for well-formed vector files; raises on malformed text.
local json = {null = setmetatable({}, {__tostring = function() return "null" end})}

local function fail(s, i, what) error(("json: %s at byte %d"):format(what, i), 0) end

local function skip(s, i)
  return s:find("[^ \t\r\n]", i) or #s + 1
end

local value
local marks = {}

local function str(s, i)
  local out, j = {}, i + 1
  while true do
    local c = s:sub(j, j)
    if c == "" then fail(s, j, "unterminated string") end
    if c == '"' then return table.concat(out), j + 1 end
    if c == "\\" then
      local e = s:sub(j + 1, j + 1)
      local map = {['"'] = '"', ["\\"] = "\\", ["/"] = "/", b = "\b", f = "\f", n = "\n", r = "\r", t = "\t"}
      if map[e] then out[#out + 1] = map[e]; j = j + 2
      elseif e == "u" then
        local cp = tonumber(s:sub(j + 2, j + 5), 16) or fail(s, j, "bad \\u escape")
        j = j + 6
        if cp >= 0xD800 and cp < 0xDC00 and s:sub(j, j + 1) == "\\u" then
          local lo = tonumber(s:sub(j + 2, j + 5), 16)
          cp = 0x10000 + (cp - 0xD800) * 0x400 + (lo - 0xDC00)
          j = j + 6
        end
        out[#out + 1] = utf8.char(cp)
      else fail(s, j, "bad escape") end
    else
      out[#out + 1] = c; j = j + 1
    end
  end
end

function value(s, i)
  i = skip(s, i)
  local c = s:sub(i, i)
  if c == "{" then
    local t = setmetatable({}, marks.object)
    i = skip(s, i + 1)
    if s:sub(i, i) == "}" then return t, i + 1 end
    while true do
      local k
      k, i = str(s, skip(s, i))
      i = skip(s, i)
      if s:sub(i, i) ~= ":" then fail(s, i, "expected ':'") end
      t[k], i = value(s, i + 1)
      i = skip(s, i)
      local d = s:sub(i, i)
      if d == "}" then return t, i + 1 end
      if d ~= "," then fail(s, i, "expected ',' or '}'") end
      i = i + 1
    end
  elseif c == "[" then
    local t = setmetatable({}, marks.array)
    i = skip(s, i + 1)
    if s:sub(i, i) == "]" then return t, i + 1 end
    while true do
      t[#t + 1], i = value(s, i)
      i = skip(s, i)
      local d = s:sub(i, i)
      if d == "]" then return t, i + 1 end
      if d ~= "," then fail(s, i, "expected ',' or ']'") end
      i = i + 1
    end
  elseif c == '"' then return str(s, i)
  elseif s:find("^true", i) then return true, i + 4
  elseif s:find("^false", i) then return false, i + 5
  elseif s:find("^null", i) then
    if marks.null ~= nil then return marks.null, i + 4 end
    return json.null, i + 4
  else
    local num = s:match("^-?%d+%.?%d*[eE]?[-+]?%d*", i)
    if not num or num == "" then fail(s, i, "unexpected character") end
    return math.tointeger(tonumber(num)) or tonumber(num), i + #num
  end
end

function json.decode(s, m)
  marks = m or {}
  local v, i = value(s, 1)
  marks = {}
  if skip(s, i) <= #s then fail(s, i, "trailing text") end
  return v
end

function json.read(path, m)
  local f = assert(io.open(path, "rb"))
  local s = f:read("a")
  f:close()
  return json.decode(s, m)
end

return json
