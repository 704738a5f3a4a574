-- Unknown options are errors in the namespaces added after issue 9's option
-- reader (crypto, firewall, http, jwt, oauth, otp, pubkey, tcp, tls, web):
-- every function or method with an options spec refuses an option it does
-- not take, naming itself, before anything else can go wrong. (The older
-- namespaces, with did-you-mean suggestions: unknown_options_test.lua.)

local cases = {
  {"lab.crypto.timing", function(o) return lab.crypto.timing(o) end},
  {"lab.firewall.new", function(o) return lab.firewall.new(o) end},
  {"lab.firewall packet", function(o) return lab.firewall.new{}:packet(o) end},
  {"lab.http.parser", function(o) return lab.http.parser(o) end},
  {"lab.http.hpack_decoder", function(o) return lab.http.hpack_decoder(o) end},
  {"lab.http.hpack_encoder", function(o) return lab.http.hpack_encoder(o) end},
  {"lab.http.parse_response", function(o) return lab.http.parse_response("HTTP/1.1 200 OK\r\n\r\n", o) end},
  {"lab.jwt.verify", function(o) return lab.jwt.verify("a.b.c", "k", o) end},
  {"lab.jwt.verify_jws", function(o) return lab.jwt.verify_jws("a.b.c", "k", o) end},
  {"lab.jwt.target", function(o) return lab.jwt.target(o) end},
  {"lab.oauth.server", function(o) return lab.oauth.server(o) end},
  {"lab.oauth.app", function(o) return lab.oauth.app(o) end},
  {"lab.otp.verify", function(o) return lab.otp.verify("12345678901234567890", "123456", 59, o) end},
  {"lab.otp.verify_hotp", function(o) return lab.otp.verify_hotp("12345678901234567890", "123456", 0, o) end},
  {"lab.pubkey.dh", function(o) return lab.pubkey.dh(o) end},
  {"lab.tcp.new", function(o) return lab.tcp.new(o) end},
  {"lab.tcp.rto", function(o) return lab.tcp.rto(o) end},
  {"lab.tls.key_schedule", function(o) return lab.tls.key_schedule(o) end},
  {"lab.tls.handshake", function(o) return lab.tls.handshake(o) end},
  {"lab.tls certificate", function(o) return lab.tls.cert(o) end},
  {"lab.tls.verify", function(o) return lab.tls.verify(o) end},
  {"lab.tls.mtls", function(o) return lab.tls.mtls(o) end},
  {"lab.web.cors", function(o) return lab.web.cors(o) end},
  {"lab.web.csp", function(o) return lab.web.csp("script-src 'self'", o) end},
  {"lab.web.fetch", function(o) return lab.web.fetch("http://example.com/", o) end},
  {"lab.web.csrf", function(o) return lab.web.csrf(o) end},
}

for _, c in ipairs(cases) do
  local who, call = c[1], c[2]
  test("unknown_options/" .. who:gsub("^lab%.", ""):gsub(" ", "_"), function()
    raises(function() call({zz_not_an_option = 1}) end,
           who:gsub("%p", "%%%0") .. ": unknown option 'zz_not_an_option'")
  end)
end
