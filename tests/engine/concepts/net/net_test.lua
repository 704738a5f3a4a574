-- Lua tests of lab.net (engine/concepts/net/net_lua.c).

local DATA = "tests/engine/concepts/net/data/"

local function lines(path)
  local f = assert(io.open(DATA .. path, "r"))
  local s = f:read("a")
  f:close()
  local t = {}
  for line in s:gmatch("[^\n]+") do
    if not line:find("^#") then
      local row = {}
      for cell in (line .. "\t"):gmatch("([^\t]*)\t") do row[#row + 1] = cell end
      t[#t + 1] = row
    end
  end
  return t
end

local function split(s)
  local t = {}
  for x in s:gmatch("[^,]+") do t[#t + 1] = x end
  return t
end

test("net/cidr_fields", function()
  local b = lab.net.cidr("10.1.2.3/16")
  eq(b.network, "10.1.0.0"); eq(b.broadcast, "10.1.255.255")
  eq(b.first, "10.1.0.1"); eq(b.last, "10.1.255.254")
  eq(b.size, 65536); eq(b.hosts, 65534); eq(b.prefix, 16)
  eq(b.mask, "255.255.0.0"); eq(b.hostmask, "0.0.255.255")
  eq(b.address, "10.1.2.3"); eq(tostring(b), "10.1.0.0/16")
  eq(math.type(b.size), "integer")
  truthy(b:contains("10.1.255.255")); truthy(not b:contains("10.2.0.0"))
  truthy(b:contains("10.1.3.0/24")); truthy(not b:contains("10.0.0.0/8"))
  truthy(not b:contains("::1"), "another version is never inside")
  local p31, p32 = lab.net.cidr("192.0.2.0/31"), lab.net.cidr("192.0.2.7/32")
  eq(p31.first, "192.0.2.0"); eq(p31.last, "192.0.2.1"); eq(p31.hosts, 2)
  eq(p32.first, "192.0.2.7"); eq(p32.last, "192.0.2.7"); eq(p32.hosts, 1)
  local v6 = lab.net.cidr("2001:db8::/64")
  eq(v6.broadcast, nil); eq(v6.first, "2001:db8::1")
  eq(v6.last, "2001:db8::ffff:ffff:ffff:ffff"); eq(v6.size, 2.0^64)
  eq(math.type(lab.net.cidr("::/0").size), "float")
end)

test("net/subnets_supernets", function()
  local b = lab.net.cidr("192.168.0.0/22")
  same(b:subnets(24), {"192.168.0.0/24", "192.168.1.0/24", "192.168.2.0/24", "192.168.3.0/24"})
  eq(b:subnet(26, 5).cidr, "192.168.1.0/26")
  eq(b:supernet().cidr, "192.168.0.0/21"); eq(b:supernet(16).cidr, "192.168.0.0/16")
  raises(function() b:subnets(21) end, "new prefix")
  raises(function() b:subnets(40) end, "new prefix")
  raises(function() lab.net.cidr("10.0.0.0/8"):subnets(30) end, "65536")
  raises(function() b:subnet(24, 5) end, "not that many")
  same(lab.net.supernet{"10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"}, {"10.0.0.0/23", "10.0.2.0/24"})
  same(lab.net.supernet{}, {})
  raises(function() lab.net.supernet{"10.0.0.0/8", "::/0"} end, "mix")
end)

test("net/rfc5952_examples", function()
  -- RFC 5952 section 4: one canonical text for each address
  local cases = {
    {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"},        -- 4.2.3: first longest run
    {"2001:0db8:0:0:0:0:2:1", "2001:db8::2:1"},           -- 4.1: no leading zeros
    {"2001:db8::0:1", "2001:db8::1"},                     -- 4.2.1: the longest
    {"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"},     -- 4.2.2: not one group
    {"2001:0:0:1:0:0:0:1", "2001:0:0:1::1"},              -- 4.2.3: longest wins
    {"2001:DB8::AAAA", "2001:db8::aaaa"},                 -- 4.3: lowercase
    {"::ffff:192.0.2.1", "::ffff:192.0.2.1"},             -- section 5
    {"0:0:0:0:0:0:0:0", "::"}, {"0:0:0:0:0:0:0:1", "::1"},
  }
  for _, c in ipairs(cases) do eq(lab.net.canonical(c[1]), c[2], c[1]) end
  -- RFC 4291 section 2.2 forms
  eq(lab.net.canonical("0:0:0:0:0:0:13.1.68.3"), "::d01:4403")
  eq(lab.net.canonical("FF01::101"), "ff01::101")
  eq(lab.net.parse("::1").full, "0000:0000:0000:0000:0000:0000:0000:0001")
  eq(lab.net.parse("192.0.2.1").value, 0xC0000201)
end)

test("net/malformed_offsets", function()
  local cases = {
    {"1.2.3", 5}, {"1.2.3.256", 6}, {"1.2.3.4.5", 7}, {"01.2.3.4", 0}, {"", 0},
    {"1::2::3", 4}, {":1::", 0}, {"1:2:3:4:5:6:7:8:9", 16}, {"12345::", 0},
    {"1:2:3:4:5:6:7::8", 16}, {"fe80::1%eth0", 7}, {"::g", 2}, {"1:", 1},
    {"::1.2.3", 7}, {"1:2:3:4:5:6:7:1.2.3.4", 14},
  }
  for _, c in ipairs(cases) do
    local r, err, off = lab.net.parse(c[1])
    eq(r, nil, c[1]); eq(off, c[2], c[1] .. " (" .. tostring(err) .. ")")
    truthy(err:find("offset " .. c[2], 1, true), err)
  end
  local r, err, off = lab.net.cidr("10.0.0.0/33")
  eq(r, nil); eq(off, 9); truthy(err:find("0..32"))
  eq((lab.net.cidr("10.0.0.0/")), nil); eq((lab.net.cidr("10.0.0.0/08")), nil)
end)

test("net/python_ipaddress_cases", function()
  local n = {}
  for _, row in ipairs(lines("ipaddress_cases.tsv")) do
    local kind = row[1]
    n[kind] = (n[kind] or 0) + 1
    if kind == "canon" then
      eq(lab.net.canonical(row[2]), row[3], row[2])
    elseif kind == "block" then
      local b = lab.net.cidr(row[2])
      eq(b.network, row[3], row[2]); eq(b.broadcast, row[4] ~= "-" and row[4] or nil, row[2])
      eq(b.first, row[5], row[2]); eq(b.last, row[6], row[2])
      eq(string.format("%.17g", b.size), string.format("%.17g", tonumber(row[7])), row[2])
    elseif kind == "collapse" then
      same(lab.net.supernet(split(row[2])), split(row[3]), row[2])
    elseif kind == "range" then
      same(lab.net.range(row[2], row[3]), split(row[4]), row[2] .. "-" .. row[3])
    end
  end
  eq(n.canon, 299); eq(n.block, 200); eq(n.collapse, 100); eq(n.range, 100)
end)

test("net/nat_mapping_behaviours", function()
  local A, S1, S2 = "192.168.1.10:5000", "198.51.100.7:3478", "198.51.100.8:3478"
  local eim = lab.net.nat{mapping = "independent"}
  eq(eim:send(A, S1).src, "203.0.113.1:5000")
  eq(eim:send(A, S2).src, "203.0.113.1:5000", "one public port per internal endpoint")
  local apdm = lab.net.nat{mapping = "address-port"}
  local p1, p2 = apdm:send(A, S1).src, apdm:send(A, "198.51.100.7:3479").src
  truthy(p1 ~= p2, "a symmetric NAT maps each destination to its own port")
  local adm = lab.net.nat{mapping = "address"}
  eq(adm:send(A, S1).src, adm:send(A, "198.51.100.7:9").src)
  truthy(adm:send(A, S1).src ~= adm:send(A, S2).src)
  -- port preservation off: ports come from first_port up
  local seq = lab.net.nat{preserve_port = false, first_port = 40000, last_port = 40001}
  eq(seq:send(A, S1).src, "203.0.113.1:40000")
  eq(seq:send("192.168.1.11:5000", S1).src, "203.0.113.1:40001")
  local r, why = seq:send("192.168.1.12:5000", S1)
  eq(r, nil); truthy(why:find("no free public port"))
  eq(#seq:mappings(), 2)
end)

test("net/nat_filtering_timeouts_hairpin", function()
  local A, B, S = "192.168.1.10:5000", "192.168.1.11:6000", "198.51.100.7:3478"
  local function nat(f) return lab.net.nat{filtering = f, timeout = 30} end
  for _, f in ipairs{"independent", "address", "address-port"} do
    local t = nat(f)
    t:send(A, S)
    eq(t:receive(S, "203.0.113.1:5000").dst, A)
    local other_port = t:receive("198.51.100.7:9", "203.0.113.1:5000")
    local other_host = t:receive("198.51.100.99:3478", "203.0.113.1:5000")
    eq(other_port ~= nil, f ~= "address-port", f .. ": same host, other port")
    eq(other_host ~= nil, f == "independent", f .. ": other host")
  end
  local t = nat("independent")
  t:send(A, S)
  t:advance(29.5); truthy(t:receive(S, "203.0.113.1:5000"), "inbound does not refresh")
  t:advance(0.5)
  local r, why = t:receive(S, "203.0.113.1:5000")
  eq(r, nil); truthy(why:find("no mapping"))
  -- hairpinning: B reaches A through A's public address
  local h = lab.net.nat{filtering = "independent"}
  h:send(A, S)
  local p = h:send(B, "203.0.113.1:5000")
  eq(p.dst, A); eq(p.src, "203.0.113.1:6000"); eq(p.hairpin, true)
  local nh = lab.net.nat{filtering = "independent", hairpin = false}
  nh:send(A, S)
  local r2, why2 = nh:send(B, "203.0.113.1:5000")
  eq(r2, nil); truthy(why2:find("hairpin"))
  raises(function() h:send("nonsense", S) end, "endpoint")
  raises(function() h:receive(S, "10.0.0.1:5") end, "public address")
  raises(function() lab.net.nat{mapping = "symmetric"} end, "must be one of")
end)

test("net/round_trip_random", function()
  -- text -> parse -> canonical -> parse gives the same address; a block's
  -- text gives the same block; subnets of a block supernet back to it
  local r = lab.rand.new(5952)
  for _ = 1, 500 do
    local g = {}
    for i = 1, 8 do g[i] = r:int(0, 3) == 0 and 0 or r:int(0, 65535) end
    local full = {}
    for i = 1, 8 do full[i] = ("%04x"):format(g[i]) end
    local text = {}
    for i = 1, 8 do
      local h = ("%x"):format(g[i])
      text[i] = r:int(0, 1) == 0 and h:upper() or h
    end
    local p = lab.net.parse(table.concat(text, ":"))
    eq(p.full, table.concat(full, ":"))
    local c = lab.net.canonical(p.address)
    eq(lab.net.parse(c).full, p.full)
    eq(lab.net.canonical(c), c, "canonical text is a fixed point")
    local v4 = ("%d.%d.%d.%d"):format(r:int(0, 255), r:int(0, 255), r:int(0, 255), r:int(0, 255))
    local q = lab.net.parse(v4)
    eq(q.address, v4)
    local a, b, cc, d = v4:match("(%d+)%.(%d+)%.(%d+)%.(%d+)")
    eq(q.value, (tonumber(a) << 24) | (tonumber(b) << 16) | (tonumber(cc) << 8) | tonumber(d))
    local prefix = r:int(0, 32)
    local blk = lab.net.cidr(v4 .. "/" .. prefix)
    eq(lab.net.cidr(blk.cidr).cidr, blk.cidr)
    truthy(blk:contains(v4))
    if prefix <= 28 then
      local subs = blk:subnets(prefix + r:int(1, 4))
      same(lab.net.supernet(subs), {blk.cidr})
    end
    local v6 = lab.net.cidr(c .. "/" .. r:int(0, 128))
    eq(lab.net.cidr(v6.cidr).cidr, v6.cidr)
    truthy(v6:contains(c))
  end
end)
