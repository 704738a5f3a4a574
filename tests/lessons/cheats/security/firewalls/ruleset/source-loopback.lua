-- feedback: claims to come from 127.0.0.1
-- trusts the source address 127.0.0.1 instead of the lo interface: spoofable from eth0
return {
  "-P INPUT DROP",
  "-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT",
  "-A INPUT -s 127.0.0.0/8 -j ACCEPT",
  "-A INPUT -p tcp -m multiport --dports 80,443 -j ACCEPT",
  "-A INPUT -p tcp --dport 22 -s 10.0.0.0/8 -j ACCEPT",
}
