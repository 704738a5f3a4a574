-- Lua tests of lab.dns (engine/concepts/dns): wire vectors, round trips,
-- malformed input, the built-in servers and the caching resolver.

local json = dofile("tests/lib/json.lua")
local V = json.read("tests/engine/concepts/dns/data/dns_wire_vectors.json")
local function unhex(h) return (h:gsub("%x%x", function(x) return string.char(tonumber(x, 16)) end)) end

test("dns/rfc1035_compression_example", function()
  local buf = unhex(V.rfc1035_4_1_4.buffer_hex)
  for _, d in ipairs(V.rfc1035_4_1_4.decode) do
    local name, used = lab.dns.decode_name(buf, d.offset)
    eq(name, d.name, "offset " .. d.offset); eq(used, d.bytes_consumed_at_offset)
  end
  for _, n in ipairs(V.negative) do
    local name, err, off = lab.dns.decode_name(unhex(n.buffer_hex), n.offset)
    eq(name, nil, n.name); truthy(err:find("pointer"), err); eq(off, 0)
  end
end)

test("dns/generated_messages", function()
  for _, g in ipairs(V.generated_messages) do
    local wire = unhex(g.wire_hex)
    local m = assert(lab.dns.decode(wire))
    eq(m.id, g.id); eq(#m.questions, g.qdcount)
    local q = m.questions[1]
    if g.question then eq(q.name .. " " .. q.class .. " " .. q.type, g.question) end
    if g.answer then
      local a = m.answers[1]
      eq(("%s %d %s %s %s"):format(a.name, a.ttl, a.class, a.type, a.data), g.answer)
    end
    -- our encoder, compressing, writes dnspython's exact bytes back
    eq(lab.dns.encode(m), wire, g.name)
  end
end)

test("dns/round_trip_random", function()
  local r = lab.rand.new(21)
  local labels = {"a", "www", "example", "com", "net", "x-y", "mail", "ns1", "UP", "b\\.c"}
  local function name()
    local t = {}
    for i = 1, r:int(1, 4) do t[i] = r:choice(labels) end
    return table.concat(t, ".") .. "."
  end
  local function data(ty)
    if ty == "A" then return ("%d.%d.%d.%d"):format(r:int(0, 255), r:int(0, 255), r:int(0, 255), r:int(0, 255))
    elseif ty == "AAAA" then return ("2001:db8::%x"):format(r:int(1, 65535))
    elseif ty == "MX" then return r:int(0, 65535) .. " " .. name()
    elseif ty == "TXT" then return '"' .. r:choice{"v=spf1 -all", "hello world", "q\\\"x"} .. '"'
    elseif ty == "SOA" then return name() .. " " .. name() .. " 1 2 3 4 5"
    elseif ty == "TYPE99" then return "\\# 3 0a0b0c"
    else return name() end
  end
  local types = {"A", "AAAA", "NS", "CNAME", "PTR", "MX", "TXT", "SOA", "TYPE99"}
  for _ = 1, 300 do
    local m = {id = r:int(0, 65535), qr = r:int(0, 1) == 1, rd = true, aa = r:int(0, 1) == 1,
      opcode = 0, rcode = r:choice{"NOERROR", "NXDOMAIN", "SERVFAIL"},
      questions = {{name = name(), type = r:choice(types), class = "IN"}},
      answers = {}, authority = {}, additional = {}}
    for _, sec in ipairs{"answers", "authority", "additional"} do
      for i = 1, r:int(0, 4) do
        local ty = r:choice(types)
        m[sec][i] = {name = name(), type = ty, class = "IN", ttl = r:int(0, 86400), data = data(ty)}
      end
    end
    local plain = assert(lab.dns.encode(m, {compress = false}))
    local packed = assert(lab.dns.encode(m))
    truthy(#packed <= #plain)
    local back = assert(lab.dns.decode(packed))
    eq(lab.dns.encode(back), packed)
    same(assert(lab.dns.decode(plain)), back)
    for _, sec in ipairs{"answers", "authority", "additional"} do
      for i, x in ipairs(m[sec]) do
        eq(back[sec][i].data:lower(), x.data:lower(), x.type)
        eq(back[sec][i].name, x.name)
      end
    end
  end
end)

test("dns/malformed", function()
  local good = unhex(V.generated_messages[2].wire_hex)
  local cases = {
    {good:sub(1, 11), 11, "header"},
    {good .. "\0", #good, "after the last record"},
    {good:sub(1, 20), 20, "past the end"},
    {good:sub(1, 12) .. "\64" .. good:sub(14), 12, "label type"},       -- 0x40
    {good:sub(1, #good - 4), 39, "RDLENGTH"},
    {good:sub(1, 39) .. "\0\5" .. good:sub(42) .. "\0", 39, "A data"},  -- rdlength 5
  }
  for _, c in ipairs(cases) do
    local m, err, off = lab.dns.decode(c[1])
    eq(m, nil, c[3]); truthy(err:find(c[3]), err); eq(off, c[2], c[3])
  end
  -- random damage: a verdict every time
  local r = lab.rand.new(4)
  for _ = 1, 3000 do
    local b = {}
    for i = 1, #good do b[i] = good:sub(i, i) end
    for _ = 1, r:int(1, 4) do b[r:int(1, #b)] = string.char(r:int(0, 255)) end
    local s = table.concat(b)
    local m, err, off = lab.dns.decode(s)
    if m then eq(lab.dns.decode(lab.dns.encode(m)).id, m.id)
    else truthy(off >= 0 and off <= #s, err) end
  end
  eq(lab.dns.encode_name("example.com"), "\7example\3com\0")
  local v, why = lab.dns.encode_name(("a"):rep(64) .. ".com")
  eq(v, nil); truthy(why:find("63"))
  v, why = lab.dns.encode{questions = {{name = "x.", type = "A"}}, answers = {{name = "x.", type = "A", data = "1.2.3"}}}
  eq(v, nil); truthy(why:find("IPv4"))
  raises(function() lab.dns.encode{answers = {{name = "x.", type = "BOGUS", data = "1"}}} end, "unknown type")
end)

test("dns/builtin_servers", function()
  -- every built-in record's data is valid (the servers rely on it)
  local n = 0
  for _, z in ipairs(lab.dns.zones()) do
    for _, rec in ipairs(z.records) do
      local wire = assert(lab.dns.encode{answers = {{name = rec.name, type = rec.type, ttl = rec.ttl, data = rec.data}}},
        rec.name .. " " .. rec.type)
      eq(lab.dns.decode(wire).answers[1].data, rec.data)
      n = n + 1
    end
  end
  truthy(n > 50)
  local root = lab.dns.query("a.root-servers.net", "www.example.com")
  eq(root.aa, false); eq(#root.answers, 0); eq(root.authority[1].name, "com.")
  eq(root.additional[1].data, "192.5.6.30")                         -- glue
  local com = lab.dns.query("192.5.6.30", "www.example.com", "A")
  eq(com.authority[1].name, "example.com."); eq(#com.additional, 1) -- ns2.example.net: no glue
  local auth = lab.dns.query("ns1.example.com", "www.example.com")
  eq(auth.aa, true); eq(auth.answers[1].type, "CNAME"); eq(auth.answers[2].data, "192.0.2.10")
  local nx = lab.dns.query("ns1.example.com", "nope.example.com")
  eq(nx.rcode, "NXDOMAIN"); eq(nx.authority[1].type, "SOA"); eq(nx.authority[1].ttl, 300)
  eq(lab.dns.query("ns1.example.com", "b.deep.example.com").rcode, "NOERROR")
  eq(lab.dns.query("ns1.example.com", "example.org").rcode, "REFUSED")
  raises(function() lab.dns.query("8.8.8.8", "example.com") end, "no such server")
end)

test("dns/resolver_caching", function()
  local r = lab.dns.resolver()
  local a = r:resolve("www.example.com")
  -- root -> com -> example.com: three queries, 20 + 25 + 60 ms
  eq(a.rcode, "NOERROR"); eq(a.queries, 3); near(a.time, 0.105, 1e-9)
  eq(#a.answers, 2); eq(a.answers[1].type, "CNAME"); eq(a.answers[2].data, "192.0.2.10")
  local b = r:resolve("www.example.com")
  eq(b.queries, 0); eq(b.from_cache, true); eq(b.answers[2].ttl, 300)
  r:advance(100)
  local c = r:resolve("www.example.com")
  eq(c.answers[1].ttl, 3500); eq(c.answers[2].ttl, 200); eq(c.queries, 0)
  r:advance(200)   -- the A record (TTL 300) has expired, the CNAME (3600) has not
  local d = r:resolve("www.example.com")
  eq(d.queries, 1); eq(d.trace[1].server, "cache"); eq(d.trace[2].server, "ns1.example.com.")
  -- negative caching: NXDOMAIN for the SOA's min(TTL 3600, MINIMUM 300) = 300 s
  local nx = r:resolve("nope.example.com", "A")
  eq(nx.rcode, "NXDOMAIN"); eq(nx.queries, 1); eq(nx.authority[1].ttl, 300)
  eq(r:resolve("nope.example.com", "MX").queries, 0, "NXDOMAIN covers every type")
  r:advance(299)
  eq(r:resolve("nope.example.com").queries, 0)
  r:advance(1)
  eq(r:resolve("nope.example.com").queries, 1, "expired at exactly 300 s")
  -- NODATA is per type
  eq(r:resolve("example.com", "PTR").rcode, "NOERROR")
  eq(r:resolve("example.com", "PTR").queries, 0)
  eq(r:resolve("example.com", "TXT").queries, 1)
  local kinds = {}
  for _, e in ipairs(r:cache()) do kinds[e.kind] = (kinds[e.kind] or 0) + 1 end
  eq(kinds.NXDOMAIN, 1); eq(kinds.NODATA, 1)
  r:flush()
  eq(#r:cache(), 0)
end)

test("dns/resolver_paths", function()
  local r = lab.dns.resolver()
  -- ns2.example.net has no glue in com, but ns1.example.com has: no extra lookup
  local api = r:resolve("api.example.com")
  eq(api.answers[#api.answers].data, "198.51.100.80")
  eq(#api.answers, 2); eq(api.queries, 6)   -- 3 for example.com, 3 for example.net
  local shop = r:resolve("www.shop.example.org")
  eq(shop.queries, 4); eq(shop.answers[2].data, "203.0.113.200")
  local loop = r:resolve("loop1.example.com")
  eq(loop.rcode, "SERVFAIL"); eq(loop.trace[#loop.trace].server, "resolver")
  eq(r:resolve("b.deep.example.com").rcode, "NOERROR")
  eq(#r:resolve("b.deep.example.com").answers, 0)
  eq(r:resolve("a.b.deep.example.com").answers[1].data, "192.0.2.99")
  eq(r:resolve("example.com", "MX").answers[1].data, "10 mail.example.com.")
  eq(r:resolve("no-such-tld-zzz").rcode, "NXDOMAIN")
  raises(function() r:resolve("x", "BOGUS") end, "record type")
end)
