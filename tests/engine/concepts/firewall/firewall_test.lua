-- Lua tests of lab.firewall: first match, policies, user chains, conntrack
-- states and NAT, against what iptables(8) and iptables-extensions(8)
-- document.

local F = lab.firewall

local function host()
  local fw = F.new{interfaces = {{"eth0", "203.0.113.10/24"}, {"eth1", "10.0.0.1/24"},
                                 {"lo", "127.0.0.1/8"}}}
  return fw
end

local ME, LAN, NET = "203.0.113.10", "10.0.0.5", "198.51.100.7"

local function ssh(fw, src, from) return fw:packet{from = from or "eth0", proto = "tcp",
  src = src, sport = 40000, dst = ME, dport = 22, syn = true} end

test("firewall/first_match_and_policy", function()
  local fw = host()
  eq(ssh(fw, NET).verdict, "ACCEPT")                       -- policy ACCEPT by default
  fw:run("-P INPUT DROP")
  local v = ssh(fw, NET)
  eq(v.verdict, "DROP"); eq(v.trace[#v.trace], "filter INPUT: policy DROP")
  fw:run("-A INPUT -p tcp --dport 22 -s 10.0.0.0/8 -j ACCEPT")
  fw:run("-A INPUT -p tcp --dport 22 -j REJECT --reject-with tcp-reset")
  eq(ssh(fw, NET).verdict, "REJECT")
  eq(ssh(fw, LAN, "eth1").verdict, "ACCEPT")
  -- order matters: an earlier DROP shadows the ACCEPT
  fw:run("-I INPUT 1 -s 10.0.0.5 -j DROP")
  eq(ssh(fw, LAN, "eth1").verdict, "DROP")
  fw:run("-D INPUT 1")
  eq(ssh(fw, LAN, "eth1").verdict, "ACCEPT")
  local l = fw:list("INPUT")
  eq(#l, 2); eq(l.policy, "DROP"); eq(l[1].packets, 2)
  fw:run("-D INPUT -p tcp --dport 22 -j REJECT --reject-with tcp-reset")
  eq(#fw:list("INPUT"), 1)
end)

test("firewall/conntrack_states", function()
  local fw = host()
  fw:run("-P INPUT DROP")
  fw:run("-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT")
  fw:run("-A INPUT -i lo -j ACCEPT")
  -- this host connects out; the reply comes back ESTABLISHED
  local out = fw:send{proto = "tcp", src = ME, sport = 51000, dst = NET, dport = 443, syn = true}
  eq(out.verdict, "ACCEPT"); eq(out.state, "NEW")
  local back = fw:packet{from = "eth0", proto = "tcp", src = NET, sport = 443, dst = ME, dport = 51000}
  eq(back.verdict, "ACCEPT"); eq(back.state, "ESTABLISHED")
  -- an unsolicited ACK: no connection, INVALID, dropped by the policy
  local stray = fw:packet{from = "eth0", proto = "tcp", src = NET, sport = 443, dst = ME, dport = 51001}
  eq(stray.state, "INVALID"); eq(stray.verdict, "DROP")
  -- an ICMP error about the tracked connection is RELATED
  local icmp = fw:packet{from = "eth0", proto = "icmp", icmp = 3, src = "192.0.2.1", dst = ME,
    inner = {proto = "tcp", src = ME, sport = 51000, dst = NET, dport = 443}}
  eq(icmp.state, "RELATED"); eq(icmp.verdict, "ACCEPT")
  -- ping out, the echo reply is ESTABLISHED; an unrequested reply is not
  fw:send{proto = "icmp", icmp = 8, src = ME, dst = NET}
  eq(fw:packet{from = "eth0", proto = "icmp", icmp = 0, src = NET, dst = ME}.state, "ESTABLISHED")
  eq(fw:packet{from = "eth0", proto = "icmp", icmp = 0, src = "192.0.2.9", dst = ME}.verdict, "DROP")
  -- loopback
  eq(fw:packet{from = "lo", proto = "tcp", src = "127.0.0.1", sport = 1, dst = "127.0.0.1",
    dport = 5432, syn = true}.verdict, "ACCEPT")
  eq(#fw:connections() >= 3, true)
end)

test("firewall/dropped_packets_make_no_connection", function()
  local fw = host()
  fw:run("-P INPUT DROP")
  fw:run("-A INPUT -m state --state ESTABLISHED -j ACCEPT")
  eq(ssh(fw, NET).verdict, "DROP")
  eq(#fw:connections(), 0)
end)

test("firewall/user_chains_and_return", function()
  local fw = host()
  fw:run("-P INPUT DROP")
  fw:run("-N ssh-in")
  fw:run("-A ssh-in -s 10.0.0.0/8 -j ACCEPT")
  fw:run("-A ssh-in -j LOG --log-prefix \"ssh denied: \"")
  fw:run("-A ssh-in -j RETURN")
  fw:run("-A INPUT -p tcp --dport 22 -j ssh-in")
  fw:run("-A INPUT -p tcp -m multiport --dports 22,80,443 -j ACCEPT")
  local v = ssh(fw, NET)
  eq(v.verdict, "ACCEPT")                                  -- RETURN, then the multiport rule
  eq(#v.trace, 4)
  truthy(v.trace[2]:find("LOG"))
  eq(ssh(fw, LAN, "eth1").verdict, "ACCEPT")
  fw:run("-N a"); fw:run("-N b")
  fw:run("-A a -j b"); fw:run("-A b -j a")
  fw:run("-I INPUT 1 -j a")
  raises(function() ssh(fw, NET) end, "loop")
end)

test("firewall/negation_ports_interfaces", function()
  local fw = host()
  fw:run("-P INPUT DROP")
  fw:run("-A INPUT ! -s 10.0.0.0/8 -p tcp --dport 8000:8999 -j ACCEPT")
  fw:run("-A INPUT -i eth+ -p udp --dport 53 -j ACCEPT")
  local function tcp(src, port) return fw:packet{from = "eth0", proto = "tcp", src = src,
    sport = 1234, dst = ME, dport = port, syn = true}.verdict end
  eq(tcp(NET, 8080), "ACCEPT"); eq(tcp(NET, 9000), "DROP"); eq(tcp(LAN, 8080), "DROP")
  eq(fw:packet{from = "eth1", proto = "udp", src = LAN, sport = 5353, dst = "10.0.0.1", dport = 53}.verdict,
     "ACCEPT")
end)

test("firewall/nat_port_forward_and_masquerade", function()
  local fw = host()
  fw:run("-P FORWARD DROP")
  fw:run("-A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT")
  fw:run("-A FORWARD -i eth0 -o eth1 -p tcp -d 10.0.0.5 --dport 80 -j ACCEPT")
  fw:run("-A FORWARD -i eth1 -o eth0 -j ACCEPT")
  fw:run("-t nat -A PREROUTING -i eth0 -p tcp --dport 8080 -j DNAT --to-destination 10.0.0.5:80")
  fw:run("-t nat -A POSTROUTING -o eth0 -j MASQUERADE")
  -- port forward: the public port 8080 reaches the web server on the LAN
  local v = fw:packet{from = "eth0", proto = "tcp", src = NET, sport = 33000, dst = ME, dport = 8080, syn = true}
  eq(v.verdict, "ACCEPT"); eq(v.path, "FORWARD"); eq(v.after.dst, "10.0.0.5"); eq(v.after.dport, 80)
  -- the server's answer is un-NATed on the way back
  local r = fw:packet{from = "eth1", proto = "tcp", src = "10.0.0.5", sport = 80, dst = NET, dport = 33000}
  eq(r.state, "ESTABLISHED"); eq(r.verdict, "ACCEPT"); eq(r.after.src, ME); eq(r.after.sport, 8080)
  -- a LAN host browsing out is masqueraded behind the public address
  local o = fw:packet{from = "eth1", proto = "tcp", src = "10.0.0.7", sport = 45000, dst = NET, dport = 443, syn = true}
  eq(o.verdict, "ACCEPT"); eq(o.after.src, ME)
  local back = fw:packet{from = "eth0", proto = "tcp", src = NET, sport = 443, dst = ME, dport = 45000}
  eq(back.state, "ESTABLISHED"); eq(back.after.dst, "10.0.0.7"); eq(back.verdict, "ACCEPT")
  -- the LAN server itself is not reachable from outside on port 80 directly... it is routed
  eq(fw:packet{from = "eth0", proto = "tcp", src = NET, sport = 1, dst = "10.0.0.9", dport = 22, syn = true}.verdict,
     "DROP")
end)

test("firewall/errors", function()
  local fw = host()
  raises(function() fw:run("-A INPUT --dport 22 -j ACCEPT") end, "needs %-p tcp")
  raises(function() fw:run("-A INPUT -p sctp -j ACCEPT") end, "unknown protocol")
  raises(function() fw:run("-A NOPE -j ACCEPT") end, "no chain NOPE")
  raises(function() fw:run("-A INPUT -j nowhere") end, "no target or user chain")
  raises(function() fw:run("-A INPUT -s 10.0.0.0/33 -j ACCEPT") end, "not an address")
  raises(function() fw:run("-P INPUT REJECT") end, "ACCEPT or DROP")
  raises(function() fw:run("-A INPUT -j DNAT --to-destination 1.2.3.4") end, "other table")
  raises(function() fw:run("-t mangle -A INPUT -j ACCEPT") end, "filter and nat")
  raises(function() fw:run("-A INPUT -p tcp --dport 70000 -j ACCEPT") end, "not a port")
  raises(function() fw:packet{proto = "tcp", src = NET, dst = ME} end, "from")
  fw:run("iptables -A INPUT -j ACCEPT")                  -- the word iptables is optional
  eq(#fw:list("INPUT"), 1)
end)
