-- feedback: A connection to Redis from the admin network
-- opens every port to the admin network, not only SSH
return {
  "-P INPUT DROP",
  "-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT",
  "-A INPUT -i lo -j ACCEPT",
  "-A INPUT -p tcp -m multiport --dports 80,443 -j ACCEPT",
  "-A INPUT -s 10.0.0.0/8 -j ACCEPT",
}
