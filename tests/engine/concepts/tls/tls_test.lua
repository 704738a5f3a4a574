-- Lua tests of lab.tls: the key schedule against RFC 8448 section 3, the
-- handshake sequence, certificates, chains, names and mTLS.

local unhex = lab.crypto.unhex

-- the JSON file is flat enough for patterns: "name": "hex"
local function rfc8448()
  local f = assert(io.open("tests/engine/concepts/tls/data/rfc8448_simple_1rtt_key_schedule.json"))
  local text = f:read("a")
  f:close()
  local function section(name)
    local body = text:match('"' .. name .. '": (%b{})')
    local t = {}
    for k, v in body:gmatch('"([%w_]+)": "(%x+)"') do t[k] = v end
    return t
  end
  return section("handshake_messages"), section("expected")
end

test("tls/rfc8448_key_schedule", function()
  local msgs, want = rfc8448()
  local m = {}
  for k, v in pairs(msgs) do m[k] = unhex(v) end
  local got = lab.tls.key_schedule{shared = unhex(want.ecdhe_shared_secret), messages = m}
  local n = 0
  for k, v in pairs(want) do
    if k ~= "ecdhe_shared_secret" and k ~= "psk_for_ticket_nonce_0000" then
      eq(got[k], v, k)
      n = n + 1
    end
  end
  eq(n, 22)
  -- the Finished messages are 14 00 00 20 || verify_data
  eq(msgs.ServerFinished, "14000020" .. got.server_finished_verify_data)
  eq(msgs.ClientFinished, "14000020" .. got.client_finished_verify_data)
  -- RFC 8448 section 4's PSK: Expand-Label(resumption master, "resumption", nonce 0000)
  eq(lab.tls.expand_label(unhex(got.resumption_master_secret), "resumption", "\0\0", 32),
     want.psk_for_ticket_nonce_0000)
end)

test("tls/schedule_goes_as_far_as_the_messages", function()
  local msgs, want = rfc8448()
  local only = lab.tls.key_schedule{shared = unhex(want.ecdhe_shared_secret),
    messages = {ClientHello = unhex(msgs.ClientHello), ServerHello = unhex(msgs.ServerHello)}}
  eq(only.client_handshake_traffic_secret, want.client_handshake_traffic_secret)
  eq(only.client_application_traffic_secret_0, nil)
  local early = lab.tls.key_schedule{}
  eq(early.early_secret, want.early_secret)
  eq(early.handshake_secret, nil)
  raises(function() lab.tls.key_schedule{messages = {ClientHello = 1}} end, "must be a string")
end)

test("tls/derive_secret_and_finished", function()
  local _, want = rfc8448()
  eq(lab.tls.derive_secret(unhex(want.early_secret), "derived", ""), want.derived_for_handshake)
  raises(function() lab.tls.finished("short", ("x"):rep(32)) end, "HashLen")
  raises(function() lab.tls.expand_label("k", ("l"):rep(250), "", 16) end, "too long")
end)

test("tls/handshake_sequence", function()
  local h = lab.tls.handshake{}
  eq(#h, 8)
  eq(h[1].message, "ClientHello"); eq(h[1].keys, "none (plaintext)")
  eq(h[3].message, "EncryptedExtensions")
  local m = lab.tls.handshake{mtls = true}
  eq(#m, 11)
  eq(m[4].message, "CertificateRequest")
end)

-- A small PKI: root -> intermediate -> leaf, valid [0, 1000].
local function pki()
  local root = lab.tls.cert{subject = "Root CA", key = "root-key", ca = true,
    not_before = 0, not_after = 1000}
  local inter = lab.tls.cert({subject = "Issuing CA", key = "inter-key", ca = true,
    path_len = 0, not_before = 0, not_after = 1000}, root)
  local leaf = lab.tls.cert({subject = "api.example.com", key = "api-key",
    san = {"api.example.com", "*.api.example.com"}, usage = "server",
    not_before = 10, not_after = 900}, inter)
  return root, inter, leaf
end

test("tls/chain_ok", function()
  local root, inter, leaf = pki()
  eq(leaf.issuer, "Issuing CA")
  local ok, path = lab.tls.verify{chain = {leaf, inter}, roots = {root}, now = 100,
    host = "api.example.com"}
  eq(ok, true)
  same(path, {"api.example.com", "Issuing CA", "Root CA"})
  eq((lab.tls.verify{chain = {leaf, inter}, roots = {root}, now = 100, host = "v2.api.example.com"}), true)
end)

local function reason(t)
  local ok, why, msg = lab.tls.verify(t)
  eq(ok, nil)
  truthy(type(msg) == "string" and #msg > 0)
  return why
end

test("tls/chain_failures", function()
  local root, inter, leaf = pki()
  eq(reason{chain = {leaf, inter}, roots = {root}, now = 950}, "expired")
  eq(reason{chain = {leaf, inter}, roots = {root}, now = 5}, "not_yet_valid")
  eq(reason{chain = {leaf}, roots = {root}, now = 100}, "unknown_issuer")
  eq(reason{chain = {leaf, inter}, roots = {root}, now = 100, host = "evil.com"}, "name_mismatch")
  eq(reason{chain = {leaf, inter}, roots = {root}, now = 100, host = "a.b.api.example.com"},
     "name_mismatch")
  eq(reason{chain = {leaf, inter}, roots = {root}, now = 100, purpose = "client"}, "wrong_purpose")
  -- tampering with a field after signing
  local t = lab.tls.cert({subject = "api.example.com", key = "api-key", san = {"api.example.com"},
    not_before = 10, not_after = 900}, inter)
  t.san = {"bank.example.com"}
  eq(reason{chain = {t, inter}, roots = {root}, now = 100, host = "bank.example.com"}, "bad_signature")
  -- Mallory signs with her own key but claims the CA as issuer
  local forged = lab.tls.sign(t, "mallory-key")
  eq(reason{chain = {forged, inter}, roots = {root}, now = 100}, "bad_signature")
  -- a self-signed certificate
  local self = lab.tls.cert{subject = "api.example.com", key = "k", san = {"api.example.com"},
    not_before = 0, not_after = 1000}
  eq(reason{chain = {self}, roots = {root}, now = 100}, "self_signed")
  -- a leaf used as a CA
  local sub = lab.tls.cert({subject = "x.example.com", key = "x", not_before = 0,
    not_after = 1000}, leaf)
  eq(reason{chain = {sub, leaf, inter}, roots = {root}, now = 100}, "not_ca")
  -- pathLenConstraint 0: no CA below the intermediate
  local inter2 = lab.tls.cert({subject = "Sub CA", key = "sub-key", ca = true,
    not_before = 0, not_after = 1000}, inter)
  local leaf2 = lab.tls.cert({subject = "y.example.com", key = "y", not_before = 0,
    not_after = 1000}, inter2)
  eq(reason{chain = {leaf2, inter2, inter}, roots = {root}, now = 100}, "path_len")
end)

test("tls/match_name", function()
  local m = lab.tls.match_name
  eq(m("api.example.com", "API.Example.com"), true)
  eq(m("api.example.com", "api.example.com."), true)
  eq(m("*.example.com", "www.example.com"), true)
  eq(m("*.example.com", "example.com"), false)          -- exactly one label
  eq(m("*.example.com", "a.b.example.com"), false)
  eq(m("*.com", "example.com"), false)                  -- too broad
  eq(m("w*.example.com", "www.example.com"), false)     -- partial wildcards: no (RFC 9525)
  eq(m("www.*.com", "www.example.com"), false)
  eq(m("*.1.2.3", "4.1.2.3"), false)                    -- never for IP addresses
  eq(m("10.0.0.1", "10.0.0.1"), true)
  eq(m("", "a"), false)
end)

test("tls/mtls", function()
  local root, inter, leaf = pki()
  local croot = lab.tls.cert{subject = "Client Root", key = "croot", ca = true,
    not_before = 0, not_after = 1000}
  local client = lab.tls.cert({subject = "billing-service", key = "bill", usage = "client",
    not_before = 0, not_after = 1000}, croot)
  local r = lab.tls.mtls{server_chain = {leaf, inter}, client_chain = {client},
    client_roots = {root}, server_roots = {croot}, host = "api.example.com", now = 100}
  eq(r.ok, true); eq(r.server_ok, true); eq(r.client_ok, true)
  same(r.client_path, {"billing-service", "Client Root"})
  local none = lab.tls.mtls{server_chain = {leaf, inter}, client_roots = {root},
    server_roots = {croot}, host = "api.example.com", now = 100}
  eq(none.ok, false); eq(none.client_error, "no client certificate")
  -- a client certificate from another CA is refused by the server
  local stranger = lab.tls.cert({subject = "x", key = "x", usage = "client", not_before = 0,
    not_after = 1000}, root)
  local r2 = lab.tls.mtls{server_chain = {leaf, inter}, client_chain = {stranger},
    client_roots = {root}, server_roots = {croot}, host = "api.example.com", now = 100}
  eq(r2.server_ok, true); eq(r2.client_ok, false)
  truthy(r2.client_error:find("issuer"))
end)
