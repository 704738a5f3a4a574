-- The codecs of module 06 through Lua, in MB/s of input, beside pure Lua doing
-- the same work: lab.json against tests/lib/json.lua (a plain recursive-descent
-- reader), lab.proto against a hand-written encoder of one message type (the
-- lesson's exercise), lab.ws's reader against unmasking in Lua, lab.sse against
-- a line-by-line Lua parser (the lesson's solution).

local json = dofile("tests/lib/json.lua")

-- a typical API response: 200 orders with nested items
local orders = {}
for i = 1, 200 do
  orders[i] = {id = 100000 + i, status = i % 3 == 0 and "shipped" or "open",
    customer = {name = "Customer " .. i, email = "c" .. i .. "@example.com"},
    total = i * 3.25, tags = lab.json.array{"a", "b"},
    items = {{sku = "SKU-" .. i, qty = i % 5 + 1, price = 9.99}}}
end
local doc = lab.json.encode{orders = orders, next = "cursor-abc", count = 200}
local n = 20
local mb = #doc * n / 1e6
local t_dec = median_time(5, function() for _ = 1, n do lab.json.decode(doc) end end)
local t_lua = median_time(5, function() for _ = 1, n do json.decode(doc) end end)
print(("  %-44s lab %7.1f MB/s   pure Lua %7.1f MB/s   ratio %5.1fx"):format(
  ("json: decode (%d kB document)"):format(#doc // 1000), mb / t_dec, mb / t_lua, t_lua / t_dec))
local value = lab.json.decode(doc)
local t_enc = median_time(5, function() for _ = 1, n do lab.json.encode(value) end end)
report("json: encode, the same document", mb / t_enc, "MB/s")

-- protobuf: a Reading message, encoded by lab.proto and by Lua
local schema = lab.proto.schema{Reading = {{1, "sensor", "string"},
  {2, "celsius", "sint32"}, {3, "samples", "uint32", "repeated"}, {4, "ok", "bool"}}}
local function varint(v)
  local t = {}
  while v >= 0x80 do t[#t + 1] = string.char((v & 0x7f) | 0x80); v = v >> 7 end
  t[#t + 1] = string.char(v)
  return table.concat(t)
end
local function lua_encode(r)
  local out = {"\10" .. varint(#r.sensor) .. r.sensor}
  local c = r.celsius
  out[2] = "\16" .. varint(c < 0 and -2 * c - 1 or 2 * c)
  local p = {}
  for i, v in ipairs(r.samples) do p[i] = varint(v) end
  p = table.concat(p)
  out[3] = "\26" .. varint(#p) .. p
  out[4] = "\32" .. (r.ok and "\1" or "\0")
  return table.concat(out)
end
local reading = {sensor = "kitchen-thermometer-3", celsius = -4, ok = true,
  samples = {120, 4000, 70000, 1, 2, 3, 300, 65535}}
local bytes = schema:encode("Reading", reading)
assert(bytes == lua_encode(reading))
local m = 20000
local pmb = #bytes * m / 1e6
local t_p = median_time(5, function() for _ = 1, m do schema:encode("Reading", reading) end end)
local t_pl = median_time(5, function() for _ = 1, m do lua_encode(reading) end end)
print(("  %-44s lab %7.1f MB/s   pure Lua %7.1f MB/s   ratio %5.1fx"):format(
  ("proto: encode a %d-byte message"):format(#bytes), pmb / t_p, pmb / t_pl, t_pl / t_p))
local t_pd = median_time(5, function() for _ = 1, m do schema:decode("Reading", bytes) end end)
report("proto: decode, the same message", pmb / t_pd, "MB/s")

-- websocket: 1000 masked 1 kB binary frames through a server's reader
local frames = {}
for i = 1, 1000 do
  frames[i] = lab.ws.encode{opcode = "binary", payload = ("x"):rep(1024), mask = "\1\2\3\4"}
end
local wstream = table.concat(frames)
local function lua_unmask(p, key)
  local out = {}
  for i = 1, #p do out[i] = string.char(p:byte(i) ~ key[(i - 1) % 4 + 1]) end
  return table.concat(out)
end
local wmb = #wstream / 1e6
local t_w = median_time(5, function() lab.ws.reader{}:feed(wstream) end)
local t_wl = median_time(5, function()
  local key = {1, 2, 3, 4}
  for _, f in ipairs(frames) do lua_unmask(f:sub(9), key) end
end)
print(("  %-44s lab %7.1f MB/s   pure Lua %7.1f MB/s   ratio %5.1fx"):format(
  "ws: reader, 1000 masked 1 kB frames", wmb / t_w, wmb / t_wl, t_wl / t_w))

-- SSE: 5000 events of 3 fields
local ev = {}
for i = 1, 5000 do
  ev[i] = lab.sse.format{id = tostring(i), event = "price", data = '{"sym":"ACME","px":' .. i .. "}"}
end
local stream = table.concat(ev)
local function lua_sse(text)
  local events, data, etype, id, last = {}, nil, "", "", ""
  for line in text:gmatch("([^\n]*)\n") do
    if line == "" then
      last = id
      if data then
        events[#events + 1] = {type = etype ~= "" and etype or "message", data = data:sub(1, -2), id = last}
      end
      data, etype = nil, ""
    elseif line:sub(1, 1) ~= ":" then
      local name, v = line:match("^([^:]*):(.*)$")
      if not name then name, v = line, "" end
      v = v:gsub("^ ", "")
      if name == "data" then data = (data or "") .. v .. "\n"
      elseif name == "event" then etype = v
      elseif name == "id" then id = v end
    end
  end
  return events
end
assert(#lua_sse(stream) == 5000 and #lab.sse.parse(stream) == 5000)
local smb = #stream / 1e6
local t_s = median_time(5, function() lab.sse.parse(stream) end)
local t_sl = median_time(5, function() lua_sse(stream) end)
print(("  %-44s lab %7.1f MB/s   pure Lua %7.1f MB/s   ratio %5.1fx"):format(
  "sse: parse 5000 events", smb / t_s, smb / t_sl, t_sl / t_s))
