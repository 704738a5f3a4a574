-- The numbers lessons/01-internet quotes from runs of lab, pinned: if a
-- concept changes, the prose must change with it.

test("internet/handshake_trace", function()
  -- 06-handshake.md walks through this run segment by segment
  local c = lab.tcp.new{delay = 0.05, client_iss = 0, server_iss = 0}
  c:connect(); c:run(0.5); c:send(2500); c:run(1); c:close(); c:run()
  local s = c:segments()
  eq(#s, 12)
  eq(s[1].flags, "SYN"); eq(s[1].seq, 0)
  eq(s[2].flags, "SYN,ACK"); eq(s[2].ack, 1)
  eq(s[3].flags, "ACK"); eq(s[3].t, 0.1)
  local acks = {}
  for _, g in ipairs(s) do
    if g.from == "server" and g.flags == "ACK" then acks[#acks + 1] = g.ack end
  end
  same(acks, {1001, 2001, 2501})
  eq(s[10].flags, "FIN,ACK"); eq(s[10].seq, 2501)
  eq(s[11].flags, "FIN,ACK"); eq(s[11].ack, 2502)
  eq(s[12].flags, "ACK")
end)

test("internet/dns_quotes", function()
  -- 07-dns.md: the answer's owner name at offset 33 is a pointer to 12
  local msg = lab.dns.query("ns1.example.com", "www.example.com")
  local packed = lab.dns.encode(msg)
  eq(packed:sub(34, 35), "\xc0\x0c")
  eq(lab.dns.decode_name(packed, 33), "www.example.com.")
  -- 12-page-load.md: the cold resolution of www.example.com takes 105 ms
  near(lab.dns.resolver():resolve("www.example.com").time, 0.105, 1e-9)
end)

test("internet/hpack_quotes", function()
  -- 09-http2-http3.md: after the first request, one byte per field
  local enc = lab.http.hpack_encoder()
  local request = {{":method", "GET"}, {":scheme", "https"},
    {":authority", "www.example.com"}, {":path", "/"},
    {"user-agent", "backlab/1.0"}, {"accept", "text/html"}}
  truthy(#enc:encode(request) > #request)
  eq(#enc:encode(request), #request)
  -- 1337 with a 5-bit prefix is 1f 9a 0a (RFC 7541 C.1.2)
  eq(lab.http.hpack_integer(1337, 5), "\x1f\x9a\x0a")
end)

test("internet/loss_multiplies_time", function()
  -- 05-tcp-udp.md: "a few percent of loss multiplies the transfer time"
  local function t(loss)
    return lab.tcp.simulate{bytes = 200000, loss = loss, seed = 4, delay = 0.025}.duration
  end
  truthy(t(0.05) > 3 * t(0), t(0.05) .. " vs " .. t(0))
end)

test("internet/hole_punching_table", function()
  -- 14-webrtc.md: which NAT pairs get a direct path
  local function punch(a, b)
    local A = lab.net.nat{public = "203.0.113.1", mapping = a[1], filtering = a[2]}
    local B = lab.net.nat{public = "198.51.100.1", mapping = b[1], filtering = b[2]}
    local stun, ha, hb = "192.0.2.100:3478", "10.0.0.2:5000", "10.1.0.3:6000"
    local a_refl, b_refl = A:send(ha, stun).src, B:send(hb, stun).src
    local to_b, to_a, got_a, got_b = b_refl, a_refl, false, false
    for _ = 1, 3 do
      local pa = A:send(ha, to_b)
      if B:receive(pa.src, pa.dst) then got_b, to_a = true, pa.src end
      local pb = B:send(hb, to_a)
      if A:receive(pb.src, pb.dst) then got_a, to_b = true, pb.src end
    end
    return got_a and got_b
  end
  local full, restricted = {"independent", "independent"}, {"independent", "address"}
  local port, sym = {"independent", "address-port"}, {"address-port", "address-port"}
  truthy(punch(full, sym) and punch(restricted, sym) and punch(port, port))
  truthy(not punch(sym, port) and not punch(port, sym) and not punch(sym, sym))
end)

test("internet/first_window", function()
  -- 12-page-load.md: 14 KB fits the first window of 10 x 1460, 15 KB not
  local function at(kb)
    return lab.tcp.simulate{bytes = kb * 1000, iw = 10, mss = 1460,
      delay = 0.025}.stats.server.t_delivered
  end
  near(at(14), 0.075, 1e-9); near(at(15), 0.125, 1e-9)
end)

test("internet/qpack_examples", function()
  -- 09-http2-http3.md prints two RFC 9204 Appendix B field sections: they
  -- must be the bytes of the vector collection's copy of the RFC
  local function read(path)
    local f = assert(io.open(path, "r"))
    local s = f:read("a")
    f:close()
    return s
  end
  local vectors = read("tests/engine/concepts/http/data/hpack/qpack_rfc9204_appendix_b.json")
  local hexes = {}
  for h in vectors:gmatch('"hex": "(%x+)"') do hexes[#hexes + 1] = h end
  local lesson = read("lessons/01-internet/09-http2-http3.md")
  local b1 = lesson:match("\nB%.1  ([%x ]+)\n")
  local b2 = lesson:match("stream 4: ([%x ]+)\n")
  truthy(b1 and b2, "the lesson prints B.1 and B.2's stream 4")
  eq(b1:gsub(" ", ""), hexes[1])
  eq(b2:gsub(" ", ""), hexes[3])
  -- and what the prose says of them: B.1 needs no dynamic table (Required
  -- Insert Count 0); 0x51 is a literal with a static name reference, index 1
  eq(hexes[1]:sub(1, 4), "0000")
  eq(tonumber(hexes[1]:sub(5, 6), 16) & 0xF0, 0x50)
  eq(tonumber(hexes[1]:sub(5, 6), 16) & 0x0F, 1)
  truthy(vectors:find('"insert_name_ref",%s*"static",%s*1,%s*":path"'),
    "QPACK's static entry 1 is :path (RFC 9204 Appendix A)")
end)

test("internet/review01_exercise_figures", function()
  -- 12-page-load.md first-window: a 100,000-byte response needs three
  -- flights (14,600 + 29,200 + 58,400 >= 100,000): its last byte arrives
  -- one handshake RTT, one way and two more RTTs after the start
  local function at(bytes)
    return lab.tcp.simulate{bytes = bytes, iw = 10, mss = 1460,
      delay = 0.025}.stats.server.t_delivered
  end
  near(at(100000), 0.175, 1e-9)
  near(at(102200), 0.175, 1e-9); near(at(102201), 0.225, 1e-9)
  -- 02-ip-subnets.md aggregate: two /24s on an odd third byte stay apart
  same(lab.net.supernet{"10.1.1.0/24", "10.1.2.0/24", "10.1.3.0/24",
    "10.1.4.0/24"}, {"10.1.1.0/24", "10.1.2.0/23", "10.1.4.0/24"})
  -- 13-ssh-vpn-vpc.md plan: the seventh /22 of 10.0.0.0/16
  eq(lab.net.cidr("10.0.0.0/16"):subnets(22)[7], "10.0.24.0/22")
  -- 10-urls.md host: octal parts, the last part filling two bytes
  eq(lab.url.parse("http://0300.0250.1/admin").hostname, "192.168.0.1")
  -- 14-webrtc.md symmetric-pair: B's packets reach A, A's never reach B
  local A = lab.net.nat{public = "203.0.113.1", mapping = "address-port",
    filtering = "independent"}
  local B = lab.net.nat{public = "198.51.100.1", mapping = "independent",
    filtering = "address-port"}
  local stun, ha, hb = "192.0.2.100:3478", "10.0.0.2:5000", "10.1.0.3:6000"
  local to_b, to_a = B:send(hb, stun).src, A:send(ha, stun).src
  local got_a, got_b = false, false
  for _ = 1, 3 do
    local pa = A:send(ha, to_b)
    if B:receive(pa.src, pa.dst) then got_b, to_a = true, pa.src end
    local pb = B:send(hb, to_a)
    if A:receive(pb.src, pb.dst) then got_a, to_b = true, pb.src end
  end
  truthy(got_a and not got_b)
end)
