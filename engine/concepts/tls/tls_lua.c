/*
 * tls_lua.c — lab.tls: the TLS 1.3 key schedule (tls13.h), the handshake
 * as a sequence, and certificates (cert_lua.c).
 *
 *   lab.tls.expand_label(secret, label, context, length [, hash])   -> hex
 *   lab.tls.derive_secret(secret, label, messages [, hash])         -> hex
 *   lab.tls.key_schedule{shared = bytes, messages = {ClientHello = bytes, ...}}
 *   lab.tls.handshake{mtls = false}   -> the messages of a 1-RTT handshake, in order
 *
 * Secrets, contexts and messages are byte strings; results are hex.
 */
#include "engine/concepts/crypto/crypto_lua.h"
#include "engine/concepts/tls/tls13.h"
#include "engine/concepts/tls/tls_lua.h"

#include <string.h>

static const struct hashfn *opthash(lua_State *L, int arg)
{
	if (lua_isnoneornil(L, arg))
		return hashfn_find("sha256");
	const struct hashfn *h = crypto_checkhash(L, arg);
	luaL_argcheck(L, h->size >= 32, arg, "TLS 1.3 uses sha256 or sha384");
	return h;
}

static int l_expand_label(lua_State *L)
{
	size_t slen, clen;
	const char *secret = luaL_checklstring(L, 1, &slen);
	const char *label = luaL_checkstring(L, 2);
	const char *ctx = luaL_checklstring(L, 3, &clen);
	lua_Integer len = luaL_checkinteger(L, 4);
	const struct hashfn *h = opthash(L, 5);
	luaL_argcheck(L, len >= 1 && (size_t)len <= 255 * h->size, 4, "length out of range");
	unsigned char out[255 * HASHFN_MAX_SIZE];
	if (tls13_expand_label(h, secret, slen, label, ctx, clen, out, (size_t)len) != 0)
		return luaL_error(L, "lab.tls.expand_label: label or context too long");
	crypto_pushhex(L, out, (size_t)len);
	return 1;
}

static int l_derive_secret(lua_State *L)
{
	size_t slen, mlen;
	const char *secret = luaL_checklstring(L, 1, &slen);
	const char *label = luaL_checkstring(L, 2);
	const char *msgs = luaL_checklstring(L, 3, &mlen);
	const struct hashfn *h = opthash(L, 4);
	unsigned char out[HASHFN_MAX_SIZE];
	if (tls13_derive_secret(h, secret, slen, label, msgs, mlen, out) != 0)
		return luaL_error(L, "lab.tls.derive_secret: label too long");
	crypto_pushhex(L, out, h->size);
	return 1;
}

static int l_finished(lua_State *L)
{
	size_t klen, tlen;
	const char *key = luaL_checklstring(L, 1, &klen);
	const char *th = luaL_checklstring(L, 2, &tlen);
	const struct hashfn *h = opthash(L, 3);
	luaL_argcheck(L, klen == h->size, 1, "the base key is a traffic secret (HashLen bytes)");
	luaL_argcheck(L, tlen == h->size, 2, "the transcript hash has HashLen bytes");
	unsigned char out[HASHFN_MAX_SIZE];
	tls13_finished(h, (const unsigned char *)key, (const unsigned char *)th, out);
	crypto_pushhex(L, out, h->size);
	return 1;
}

static const struct lab_opt schedule_opts[] = {
	{"shared", LAB_STR, .help = "the (EC)DHE shared secret (bytes)"},
	{"psk", LAB_STR, .help = "a pre-shared key (bytes); none: zeros"},
	{"messages", LAB_TABLE, .help = "handshake messages by name (bytes)"},
	{"hash", LAB_ENUM, .str = "sha256", .choices = "sha256 sha384"},
	{"key_length", LAB_INT, .num = 16, .min = 16, .max = 32, .help = "AEAD key bytes: 16 or 32"},
	{NULL},
};

static const char *const msg_names[TLS13_NMSG] = {
	"ClientHello", "ServerHello", "EncryptedExtensions", "Certificate",
	"CertificateVerify", "ServerFinished", "ClientFinished",
};

static void sethex(lua_State *L, const char *name, const unsigned char *p, size_t n)
{
	crypto_pushhex(L, p, n);
	lua_setfield(L, -2, name);
}

static int l_key_schedule(lua_State *L)
{
	const struct lab_val *o = lab_opts(L, 1, "lab.tls.key_schedule", schedule_opts);
	struct tls13_input in = {0};
	in.h = hashfn_find(o[3].s);
	in.key_len = (size_t)o[4].i;
	if (in.key_len != 16 && in.key_len != 32)
		return luaL_error(L, "lab.tls.key_schedule: key_length must be 16 or 32");
	if (o[0].set)
		in.shared = (const unsigned char *)o[0].s, in.shared_len = o[0].len;
	if (o[1].set)
		in.psk = (const unsigned char *)o[1].s, in.psk_len = o[1].len;
	if (lab_optpush(L, 1, "messages") == LUA_TTABLE) {      /* push messages */
		for (int i = 0; i < TLS13_NMSG; i++) {
			lua_pushstring(L, msg_names[i]);
			int t = lua_rawget(L, -2);              /* push messages[name] */
			if (t == LUA_TSTRING)
				in.msg[i] = (const unsigned char *)lua_tolstring(L, -1, &in.msg_len[i]);
			else if (t != LUA_TNIL)
				return luaL_error(L, "lab.tls.key_schedule: messages.%s must be a string",
						  msg_names[i]);
			lua_pop(L, 1);                          /* anchored by messages */
		}
	}
	struct tls13_out out;
	tls13_schedule(&in, &out);
	const struct hashfn *h = in.h;
	size_t hs = h->size, kl = in.key_len;
	lua_createtable(L, 0, 24);
	sethex(L, "early_secret", out.early, hs);
	sethex(L, "derived_for_handshake", out.derived_hs, hs);
	if (out.have_hs) {
		sethex(L, "handshake_secret", out.handshake, hs);
		sethex(L, "transcript_hash_CH_SH", out.th_ch_sh, hs);
		sethex(L, "client_handshake_traffic_secret", out.c_hs, hs);
		sethex(L, "server_handshake_traffic_secret", out.s_hs, hs);
		sethex(L, "client_handshake_key", out.c_hs_key, kl);
		sethex(L, "client_handshake_iv", out.c_hs_iv, 12);
		sethex(L, "server_handshake_key", out.s_hs_key, kl);
		sethex(L, "server_handshake_iv", out.s_hs_iv, 12);
		sethex(L, "derived_for_master", out.derived_ms, hs);
		sethex(L, "master_secret", out.master, hs);
	}
	if (out.have_sf)
		sethex(L, "server_finished_verify_data", out.s_finished, hs);
	if (out.have_ap) {
		sethex(L, "client_application_traffic_secret_0", out.c_ap, hs);
		sethex(L, "server_application_traffic_secret_0", out.s_ap, hs);
		sethex(L, "exporter_master_secret", out.exporter, hs);
		sethex(L, "client_application_key", out.c_ap_key, kl);
		sethex(L, "client_application_iv", out.c_ap_iv, 12);
		sethex(L, "server_application_key", out.s_ap_key, kl);
		sethex(L, "server_application_iv", out.s_ap_iv, 12);
		sethex(L, "client_finished_verify_data", out.c_finished, hs);
	}
	if (out.have_res)
		sethex(L, "resumption_master_secret", out.resumption, hs);
	return 1;
}

/* The 1-RTT handshake of RFC 8446 section 2 (figure 1), message by message:
 * who sends it and under which keys. */
struct step {
	const char *from, *message, *keys, *what;
	int mtls_only;
};

static const struct step steps[] = {
	{"client", "ClientHello", "none (plaintext)",
	 "random, cipher suites, key_share (g^x), supported_versions, signature_algorithms, SNI", 0},
	{"server", "ServerHello", "none (plaintext)", "random, chosen suite, key_share (g^y)", 0},
	{"server", "EncryptedExtensions", "server handshake traffic keys",
	 "the extensions not needed to derive keys (ALPN, ...)", 0},
	{"server", "CertificateRequest", "server handshake traffic keys",
	 "asks the client for a certificate (mTLS)", 1},
	{"server", "Certificate", "server handshake traffic keys", "the server's chain, leaf first", 0},
	{"server", "CertificateVerify", "server handshake traffic keys",
	 "a signature over the transcript with the leaf's private key", 0},
	{"server", "Finished", "server handshake traffic keys",
	 "HMAC over the transcript: the handshake was not tampered with", 0},
	{"client", "Certificate", "client handshake traffic keys", "the client's chain (mTLS)", 1},
	{"client", "CertificateVerify", "client handshake traffic keys",
	 "the client's signature over the transcript (mTLS)", 1},
	{"client", "Finished", "client handshake traffic keys", "HMAC over the transcript", 0},
	{"both", "application data", "application traffic keys", "HTTP requests and responses", 0},
};

static const struct lab_opt handshake_opts[] = {
	{"mtls", LAB_BOOL, .num = 0, .help = "the server asks for a client certificate"},
	{NULL},
};

static int l_handshake(lua_State *L)
{
	const struct lab_val *o = lab_opts(L, 1, "lab.tls.handshake", handshake_opts);
	int mtls = (int)o[0].i;
	lua_newtable(L);
	lua_Integer n = 0;
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		if (steps[i].mtls_only && !mtls)
			continue;
		lua_createtable(L, 0, 4);
		lab_setstr(L, "from", steps[i].from);
		lab_setstr(L, "message", steps[i].message);
		lab_setstr(L, "keys", steps[i].keys);
		lab_setstr(L, "carries", steps[i].what);
		lua_rawseti(L, -2, ++n);
	}
	return 1;
}

static const luaL_Reg functions[] = {
	{"expand_label", l_expand_label},
	{"derive_secret", l_derive_secret},
	{"finished", l_finished},
	{"key_schedule", l_key_schedule},
	{"handshake", l_handshake},
	{"cert", tls_l_cert},
	{"sign", tls_l_sign},
	{"verify", tls_l_verify},
	{"match_name", tls_l_match_name},
	{"mtls", tls_l_mtls},
	{NULL, NULL},
};

const struct lab_namespace lab_ns_tls = {
	.functions = functions,
	.options = (const struct lab_fnopts[]){
		{"key_schedule", schedule_opts}, {"handshake", handshake_opts},
		{"cert", tls_cert_opts},         {"verify", tls_verify_opts},
		{"mtls", tls_mtls_opts},         {NULL, NULL},
	},
};
