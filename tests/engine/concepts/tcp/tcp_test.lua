-- Lua tests of lab.tcp (engine/concepts/tcp): the handshake and close, the
-- state machine against RFC 9293 Figure 5, RFC 6298 arithmetic, RFC 5681
-- window rules checked on traces, loss recovery, flow control, determinism.

test("tcp/handshake_and_close", function()
  local c = lab.tcp.new{delay = 0.05, client_iss = 1000, server_iss = 5000}
  c:connect()
  local segs = c:run(0.1)
  eq(#segs, 3)
  eq(segs[1].flags, "SYN"); eq(segs[1].rawseq, 1000); eq(segs[1].seq, 0)
  eq(segs[2].flags, "SYN,ACK"); eq(segs[2].rawseq, 5000); eq(segs[2].rawack, 1001)
  eq(segs[3].flags, "ACK"); eq(segs[3].seq, 1); eq(segs[3].ack, 1); eq(segs[3].t, 0.1)
  eq(c:state("client"), "ESTABLISHED"); eq(c:state("server"), "SYN_RECEIVED")
  c:run(0.2)
  eq(c:state("server"), "ESTABLISHED")
  c:send(2500)
  c:close()
  local rest = c:run()
  local lens, fin = {}, nil
  for _, s in ipairs(rest) do
    if s.from == "client" and s.len > 0 then lens[#lens + 1] = s.len end
    if s.from == "client" and s.flags:find("FIN") then fin = s end
  end
  same(lens, {1000, 1000, 500}); eq(fin.seq, 2501)
  eq(c:state("client"), "CLOSED"); eq(c:state("server"), "CLOSED")
  local path = {}
  for _, s in ipairs(c:states("client")) do path[#path + 1] = s.to end
  same(path, {"SYN_SENT", "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "TIME_WAIT", "CLOSED"})
  local tw = c:states("client")
  near(tw[6].t - tw[5].t, 60, 1e-9, "TIME_WAIT lasts 2 MSL")
  path = {}
  for _, s in ipairs(c:states("server")) do path[#path + 1] = s.to end
  same(path, {"LISTEN", "SYN_RECEIVED", "ESTABLISHED", "CLOSE_WAIT", "LAST_ACK", "CLOSED"})
  eq(c:stats("server").bytes_delivered, 2500)
  truthy(c:print():find("SYN,ACK"))
end)

test("tcp/every_move_is_an_arc_of_figure_5", function()
  -- whatever the losses, each state change the simulator makes is an arc of
  -- the diagram (or a timeout's own arc back to CLOSED/LISTEN after retries)
  local arcs = {}
  for _, st in ipairs(lab.tcp.states()) do
    for _, ev in ipairs(lab.tcp.events()) do
      local nxt = lab.tcp.transition(st, ev)
      if nxt then arcs[st .. ">" .. nxt] = true end
    end
  end
  arcs["SYN_RECEIVED>FIN_WAIT_1"] = true
  arcs["SYN_SENT>CLOSED"] = true
  for seed = 1, 60 do
    local r = lab.tcp.simulate{bytes = 20000, loss = 0.15, seed = seed, delay = 0.02}
    for _, side in ipairs{"client", "server"} do
      for _, ch in ipairs(r.conn:states(side)) do
        truthy(arcs[ch.from .. ">" .. ch.to], ("seed %d %s: %s -> %s"):format(seed, side, ch.from, ch.to))
      end
    end
    local st = r.stats.client
    if not st.error then
      eq(r.stats.server.bytes_delivered, 20000, "seed " .. seed)
      eq(r.conn:state("client"), "CLOSED")
    end
  end
  local nxt, send = lab.tcp.transition("LISTEN", "rcv_syn")
  eq(nxt, "SYN_RECEIVED"); eq(send, "SYN,ACK")
  eq((lab.tcp.transition("ESTABLISHED", "rcv_syn_ack")), nil)
  raises(function() lab.tcp.transition("NOPE", "close") end, "state")
end)

test("tcp/rfc6298_estimator", function()
  local e = lab.tcp.rto{}
  eq(e:get().rto, 1)                                   -- 2.1
  near(e:sample(0.5), 1.5, 1e-12)                     -- 2.2: 0.5 + 4 * 0.25
  near(e:get().srtt, 0.5, 1e-12); near(e:get().rttvar, 0.25, 1e-12)
  -- 2.3: RTTVAR = 3/4*0.25 + 1/4*|0.5 - 0.3| = 0.2375; SRTT = 7/8*0.5 + 1/8*0.3 = 0.475
  near(e:sample(0.3), 0.475 + 4 * 0.2375, 1e-12)
  eq(lab.tcp.rto{}:sample(0.01), 1, "2.4: at least 1 s")
  eq(lab.tcp.rto{min = 0.2}:sample(0.01), 0.2)
  local b = lab.tcp.rto{}
  eq(b:timeout(), 2); eq(b:timeout(), 4)              -- 5.5: back off
  for _ = 1, 10 do b:timeout() end
  eq(b:get().rto, 60, "capped at max")
  near(b:sample(0.5), 1.5, 1e-12, "a new sample forgets the backoff")
  near(lab.tcp.rto{granularity = 0.5, min = 0}:sample(0.1), 0.6, 1e-12)  -- max(G, 4 RTTVAR)
end)

test("tcp/slow_start_then_avoidance", function()
  -- no loss, a large receive window: cwnd grows by one MSS per ACK while
  -- below ssthresh (slow start), by about MSS*MSS/cwnd above it
  local r = lab.tcp.simulate{bytes = 300000, ssthresh = 20000, rwnd = 1000000, delay = 0.05}
  local cw = r.cwnd
  eq(cw.cwnd[1], 4000, "RFC 5681 IW for an MSS of 1000: 4 segments")
  for i = 2, #cw.t do
    local before, after = cw.cwnd[i - 1], cw.cwnd[i]
    if before < 20000 then near(after - before, 1000, 1e-9, "slow start step " .. i)
    else near(after - before, 1000 * 1000 / before, 1e-9, "avoidance step " .. i) end
  end
  eq(r.stats.client.retransmissions, 0)
  -- the first RTTs: 4, 8, 16 segments in flight
  local per_rtt = {}
  for _, s in ipairs(r.segments) do
    if s.from == "client" and s.len > 0 then
      local k = math.floor((s.t - 0.1) / 0.1 + 1e-9) + 1
      per_rtt[k] = (per_rtt[k] or 0) + 1
    end
  end
  eq(per_rtt[1], 4); eq(per_rtt[2], 8); eq(per_rtt[3], 16)
end)

test("tcp/loss_recovery", function()
  -- drop the 5th segment (a data segment): three duplicate ACKs, a fast
  -- retransmit, ssthresh = FlightSize/2, cwnd = ssthresh + 3 MSS
  local r = lab.tcp.simulate{bytes = 40000, drop = {5}, delay = 0.05}
  local st = r.stats.client
  eq(st.fast_retransmits, 1); eq(st.timeouts, 0); eq(r.stats.server.bytes_delivered, 40000)
  local lost = r.segments[5]
  eq(lost.lost, "drop")
  local again
  for _, s in ipairs(r.segments) do
    if s.from == "client" and s.seq == lost.seq and s.n > 5 then again = s; break end
  end
  truthy(again and again.retrans, "the lost segment is sent again")
  -- the last segment lost: no duplicate ACKs, so the timer must fire (RTO)
  local tail = lab.tcp.simulate{bytes = 3000, delay = 0.05}
  local n
  for _, s in ipairs(tail.segments) do if s.from == "client" and s.len > 0 then n = s.n end end
  local t = lab.tcp.simulate{bytes = 3000, delay = 0.05, drop = {n}}
  eq(t.stats.client.timeouts, 1); eq(t.stats.client.fast_retransmits, 0)
  -- RTO = SRTT + 4 RTTVAR from the SYN's 0.1 s sample: 0.1 + 0.2 = 0.3, raised
  -- to the 1 s minimum; the timer restarts at the last ACK of new data (5.3)
  local retx, last_ack
  for _, s in ipairs(t.segments) do
    if s.retrans and s.len > 0 then retx = retx or s end
    if s.from == "server" and not retx then last_ack = s.arrive end
  end
  near(retx.t - last_ack, 1.0, 1e-9)
  -- a lost SYN: retried after the initial RTO of 1 s, then 2 s
  local syn = lab.tcp.simulate{bytes = 10, drop = {1, 2}}
  near(syn.segments[2].t, 1, 1e-9); near(syn.segments[3].t, 3, 1e-9)
  local dead = lab.tcp.new{loss = 1, syn_retries = 2}
  dead:connect(); dead:run()
  eq(dead:stats().error, "connection timed out"); eq(#dead:segments(), 3)
  local refused = lab.tcp.new{server = "closed"}
  refused:connect(); refused:run()
  eq(refused:stats().error, "connection refused"); eq(refused:segments()[2].flags, "RST,ACK")
end)

test("tcp/flow_control", function()
  -- a slow reader: the window closes, the sender probes and waits
  local r = lab.tcp.simulate{bytes = 60000, read_rate = 5000, rwnd = 4000, delay = 0.01}
  eq(r.stats.server.bytes_delivered, 60000)
  local zero = false
  for _, s in ipairs(r.segments) do
    if s.from == "server" then truthy(s.wnd <= 4000); zero = zero or s.wnd == 0 end
    if s.from == "client" and s.len > 0 and not s.probe then truthy(s.len <= 4000) end
  end
  -- reading 5000 bytes a second, 60000 bytes take about 12 s to read
  truthy(r.stats.server.t_delivered > 11.5 and r.stats.server.t_delivered < 13, r.stats.server.t_delivered)
  -- bytes in flight never exceed the advertised window
  local c = r.conn
  truthy(c:stats("client").bytes_acked == 60000)
end)

test("tcp/bottleneck_sawtooth_and_determinism", function()
  local opts = {bytes = 400000, bandwidth = 125000, queue = 8, delay = 0.02, seed = 9}
  local a, b = lab.tcp.simulate(opts), lab.tcp.simulate(opts)
  same(a.segments, b.segments, "the same configuration replays the same run")
  truthy(a.stats.client.fast_retransmits >= 1, "queue overflow causes losses")
  local drops = 0
  for _, s in ipairs(a.segments) do if s.lost == "queue" then drops = drops + 1 end end
  truthy(drops >= 1)
  -- ssthresh halves at each loss event
  local cw = a.cwnd
  for i = 2, #cw.t do
    if cw.ssthresh[i] < cw.ssthresh[i - 1] then
      truthy(cw.ssthresh[i] >= 2000, "at least 2 MSS")
    end
  end
  local c = lab.tcp.simulate{bytes = 400000, bandwidth = 125000, queue = 8, delay = 0.02, seed = 10}
  truthy(c.duration > 400000 / 125000, "never faster than the bottleneck")
  raises(function() lab.tcp.new{loss = 2} end, "between")
  raises(function() lab.tcp.new{drop = {0}} end, "segment numbers")
  raises(function() lab.tcp.simulate{bytez = 1} end, "did you mean")
  local tiny = lab.tcp.new{max_events = 10}
  tiny:connect(); tiny:send(100000)
  raises(function() tiny:run() end, "max_events")
end)
