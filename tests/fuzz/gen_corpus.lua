-- tests/fuzz/gen_corpus.lua — writes the seed corpora of the protocol fuzz targets
-- from the reference vectors under tests/engine/concepts/*/data:
--   build/tools/labrun tests/fuzz/gen_corpus.lua
-- fuzz_http: every llhttp fixture input (first byte: 0 request, 1 response);
-- fuzz_hpack: RFC 7541 Appendix C and hpack-test-case blocks; fuzz_url: every WPT
-- case as base NUL input; fuzz_net: the Python ipaddress cases; fuzz_dns: the
-- RFC 1035 and dnspython messages; fuzz_json: the JSONTestSuite files;
-- fuzz_proto: the protobuf encoding guide's messages; fuzz_ws: RFC 6455's frames;
-- fuzz_sse: a few event streams written here; fuzz_jsonschema: every
-- JSON-Schema-Test-Suite case of the subset (flags byte, schema NUL data);
-- fuzz_router: the routes and requests of lesson apis/routing.
local json = dofile("tests/lib/json.lua")
local C = "tests/fuzz/corpus/"
local n = {}

local function put(target, name, bytes)
  n[target] = (n[target] or 0) + 1
  local f = assert(io.open(C .. target .. "/" .. name, "wb"))
  f:write(bytes)
  f:close()
end

local function unhex(h) return (h:gsub("%x%x", function(x) return string.char(tonumber(x, 16)) end)) end

-- llhttp fixtures, rebuilt as llhttp's test/md-test.ts does
local function input(text)
  text = text:gsub("\n$", "")
  text = text:gsub("\\\r\n", ""):gsub("\\\n", "")
  text = text:gsub("\r\n", "\n"):gsub("\r", "\n"):gsub("\n", "\r\n")
  text = text:gsub("\\r", "\r"):gsub("\\n", "\n"):gsub("\\t", "\t"):gsub("\\f", "\f")
  text = text:gsub("\\x(%x%x?)", function(h) return utf8.char(tonumber(h, 16)) end)
  return text
end
local D = "tests/engine/concepts/http/data/llhttp/"
for _, dir in ipairs{"request", "response"} do
  local p = io.popen("ls " .. D .. dir)
  for file in p:lines() do
    local s = assert(io.open(D .. dir .. "/" .. file, "rb")):read("a")
    local k = 0
    for body in s:gmatch("```http\n(.-)```") do
      k = k + 1
      put("fuzz_http", dir .. "-" .. file:gsub("%.md$", "") .. "-" .. k,
        (dir == "request" and "\0" or "\1") .. input(body))
    end
  end
  p:close()
end

local H = "tests/engine/concepts/http/data/hpack/"
local c = json.read(H .. "hpack_rfc7541_appendix_c.json")
for _, b in ipairs(c.header_blocks) do put("fuzz_hpack", b.id, "\255" .. unhex(b.wire_hex)) end
for _, story in ipairs{"nghttp2_story_24", "go-hpack_story_00", "python-hpack_story_15"} do
  local st = json.read(H .. story .. ".json")
  local blocks = {}
  for i, case in ipairs(st.cases) do if i <= 8 then blocks[#blocks + 1] = unhex(case.wire) end end
  put("fuzz_hpack", story, "\255" .. table.concat(blocks, "\255\0"))
end

for i, case in ipairs(json.read("tests/engine/concepts/url/data/urltestdata.json")) do
  if type(case) == "table" then
    local base = case.base ~= json.null and case.base or nil
    put("fuzz_url", "wpt-" .. i, base and (base .. "\0" .. case.input) or case.input)
  end
end

local k = 0
for line in io.lines("tests/engine/concepts/net/data/ipaddress_cases.tsv") do
  local kind, a = line:match("^(%a+)\t([^\t]+)")
  if kind == "canon" or kind == "block" then
    k = k + 1
    if k % 5 == 0 then put("fuzz_net", "case-" .. k, a) end
  end
end

local dns = io.open("tests/engine/concepts/dns/data/dns_wire_vectors.json")
if dns then
  dns:close()
  local v = json.read("tests/engine/concepts/dns/data/dns_wire_vectors.json")
  for name, m in pairs(v.generated_messages or {}) do put("fuzz_dns", name, unhex(m.wire_hex)) end
  put("fuzz_dns", "rfc1035-4.1.4", unhex(v.rfc1035_4_1_4.buffer_hex))
end

-- fuzz_json: every JSONTestSuite parsing file (first byte: the options, see fuzz_json.c)
for name in io.lines("tests/engine/concepts/json/data/test_parsing.txt") do
  local f = assert(io.open("tests/engine/concepts/json/data/test_parsing/" .. name, "rb"))
  put("fuzz_json", name, "\0" .. f:read("a"))
  f:close()
end

-- fuzz_proto: the encoding guide's messages
for line in io.lines("tests/engine/concepts/proto/data/encoding_guide.tsv") do
  local msg, h = line:match("^(%w+)\t[^\t]+\t(%x+)")
  if msg then put("fuzz_proto", msg .. "-" .. h, unhex(h)) end
end

-- fuzz_ws: RFC 6455 section 5.7's frames, as a client reads them (role byte 1, slices of 3)
for line in io.lines("tests/engine/concepts/ws/data/rfc6455_frames.tsv") do
  local name, h = line:match("^([%w_]+)\t(%x+)")
  if name then put("fuzz_ws", name, "\5" .. unhex(h)) end
end
put("fuzz_ws", "masked-stream", "\4\129\133\55\250\33\61\127\159\77\81\88\136\130\1\2\3\4\2\234")

-- fuzz_sse: small streams covering each rule (first byte: the slice size - 1)
local sse = {
  "data: hello\n\n", "id: 1\nevent: add\ndata: a\ndata: b\n\n: ping\n",
  "\239\187\191data:x\r\n\r\nretry: 3000\r\rdata\n\n", "id: x\0y\ndata: \255\n\nid\n\n",
  "data: a\r\ndata: b\r\n\r\nevent: e\ndata: half",
}
for i, s in ipairs(sse) do put("fuzz_sse", "stream-" .. i, string.char(i) .. s) end

-- fuzz_jsonschema: the official suite's cases, as flags, schema, NUL, data
for _, file in ipairs{"type", "properties", "required", "items", "enum", "minimum",
    "maximum", "minLength", "maxLength", "pattern", "additionalProperties"} do
  local f = assert(io.open("tests/engine/concepts/jsonschema/data/" .. file .. ".json", "rb"))
  local groups = lab.json.decode(f:read("a"))
  f:close()
  for g, group in ipairs(groups) do
    for t, case in ipairs(group.tests) do
      put("fuzz_jsonschema", ("%s-%d-%d"):format(file, g, t), string.char((g + t) % 2) ..
        lab.json.encode(group.schema) .. "\0" .. lab.json.encode(case.data))
    end
  end
end

-- fuzz_router: routes, an empty line, requests
local routes = {
  "GET /users/{id}\nGET /users/{id}/posts\nPOST /users\n\n" ..
    "GET /users/42/posts?page=2\nGET /users/42/comments\nHEAD /users/7\nDELETE /users\n",
  "GET /files/*\nGET /files/{name}\nGET /files/readme\n\n" ..
    "GET /files/readme\nGET /files/a.txt\nGET /files/a/b.txt\nGET /files/\nGET /files\n",
  "GET /{kind}/{id}/comments\nGET /users/{id}/*\nGET /users/me/comments\nGET /{kind}/me/{what}\n\n" ..
    "GET /users/me/comments\nGET /users/7/comments\nGET /posts/me/likes\nPUT /users/me/x\n",
  "GET /orders/{id}\nPUT /orders/{id}\nDELETE /orders/{id}\nPOST /orders\n" ..
    "GET /orders/{id}/items\nGET /{a\nGET /x/*/y\n\nDELETE /orders/9/items\nPATCH /orders/9\n" ..
    "GET /order/9\nHEAD /orders/9\nGET /files/a%2Fb\nGET orders\n",
}
for i, s in ipairs(routes) do put("fuzz_router", "routes-" .. i, s) end

for t, count in pairs(n) do print(t, count) end
