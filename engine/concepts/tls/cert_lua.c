/*
 * cert_lua.c — lab.tls's certificates (cert.h): made, signed and verified
 * as plain Lua tables, so that a learner can read and tamper with every
 * field.
 *
 *   local root = lab.tls.cert{subject = "Root CA", key = "root-key", ca = true,
 *                             not_before = 0, not_after = 1e9}           -- self-signed
 *   local leaf = lab.tls.cert({subject = "api.example.com", san = {"api.example.com"},
 *                              key = "api-key", not_before = 0, not_after = 1e9,
 *                              usage = "server"}, root)                  -- signed by root
 *   lab.tls.verify{chain = {leaf}, roots = {root}, host = "api.example.com", now = 5}
 *     -> true, {"api.example.com", "Root CA"}   or   nil, "expired", "message"
 */
#include "engine/concepts/tls/cert.h"
#include "engine/concepts/tls/tls_lua.h"

#include <string.h>

const struct lab_opt tls_cert_opts[] = {
	{"subject", LAB_STR, .required = 1, .help = "the name certified"},
	{"issuer", LAB_STR, .help = "the issuer's name (default: the signer's subject)"},
	{"san", LAB_TABLE, .help = "subjectAltName: a list of DNS names / IP addresses"},
	{"not_before", LAB_INT, .required = 1, .help = "start of validity (s)"},
	{"not_after", LAB_INT, .required = 1, .help = "end of validity (s)"},
	{"ca", LAB_BOOL, .num = 0, .help = "basicConstraints cA: may issue certificates"},
	{"path_len", LAB_INT, .num = -1, .min = -1, .max = 10,
	 .help = "pathLenConstraint; -1: none"},
	{"usage", LAB_STR, .str = "", .help = "extended key usage: server, client, both, or ''"},
	{"key", LAB_STR, .required = 1, .help = "the name of the subject's key pair"},
	{"signature", LAB_STR, .help = "(set by lab.tls.cert / lab.tls.sign)"},
	{NULL},
};
enum { C_SUBJECT, C_ISSUER, C_SAN, C_NB, C_NA, C_CA, C_PATHLEN, C_USAGE, C_KEY, C_SIG };

static int parse_usage(lua_State *L, const char *u)
{
	int bits = 0;
	if (strstr(u, "server"))
		bits |= CERT_SERVER_AUTH;
	if (strstr(u, "client"))
		bits |= CERT_CLIENT_AUTH;
	if (strcmp(u, "both") == 0)
		bits = CERT_SERVER_AUTH | CERT_CLIENT_AUTH;
	if (!bits && *u)
		luaL_error(L, "lab.tls: usage must be 'server', 'client', 'both' or '' (got '%s')", u);
	return bits;
}

static const char *usage_name(int bits)
{
	switch (bits) {
	case CERT_SERVER_AUTH: return "server";
	case CERT_CLIENT_AUTH: return "client";
	case CERT_SERVER_AUTH | CERT_CLIENT_AUTH: return "both";
	default: return "";
	}
}

/*
 * Reads the certificate table at IDX into C (strings anchored by the
 * options userdata it pushes, which must stay on the stack while C is
 * used). ISSUER_DEFAULT fills a missing issuer.                  [-0, +1]
 */
static void tocert(lua_State *L, int idx, struct cert *c, const char *issuer_default)
{
	idx = lua_absindex(L, idx);
	const struct lab_val *o = lab_opts(L, idx, "lab.tls certificate", tls_cert_opts);
	int top = lua_gettop(L);
	memset(c, 0, sizeof *c);
	c->subject = o[C_SUBJECT].s;
	c->issuer = o[C_ISSUER].set ? o[C_ISSUER].s : issuer_default ? issuer_default : c->subject;
	c->not_before = o[C_NB].i;
	c->not_after = o[C_NA].i;
	c->ca = (int)o[C_CA].i;
	c->path_len = (int)o[C_PATHLEN].i;
	c->usage = parse_usage(L, o[C_USAGE].s);
	c->key = o[C_KEY].s;
	if (o[C_SIG].set)
		snprintf(c->signature, sizeof c->signature, "%s", o[C_SIG].s);
	if (lab_optpush(L, idx, "san") == LUA_TTABLE) {   /* push san */
		size_t n = lua_rawlen(L, -1);
		if (n > CERT_MAX_SAN)
			luaL_error(L, "lab.tls: at most %d subjectAltNames", CERT_MAX_SAN);
		for (size_t i = 0; i < n; i++) {
			if (lua_rawgeti(L, -1, (lua_Integer)i + 1) != LUA_TSTRING) /* push san[i] */
				luaL_error(L, "lab.tls: san must be a list of strings");
			c->san[c->nsan++] = lua_tostring(L, -1);
			lua_pop(L, 1);                  /* anchored by the san table */
		}
	}
	lua_settop(L, top);                             /* keep the options userdata */
}

/* Pushes C as a new table. */
static void pushcert(lua_State *L, const struct cert *c)
{
	lua_createtable(L, 0, 11);
	lab_setstr(L, "subject", c->subject);
	lab_setstr(L, "issuer", c->issuer);
	lua_createtable(L, (int)c->nsan, 0);
	for (size_t i = 0; i < c->nsan; i++) {
		lua_pushstring(L, c->san[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "san");
	lab_setint(L, "not_before", c->not_before);
	lab_setint(L, "not_after", c->not_after);
	lab_setbool(L, "ca", c->ca);
	lab_setint(L, "path_len", c->path_len);
	lab_setstr(L, "usage", usage_name(c->usage));
	lab_setstr(L, "key", c->key);
	lab_setstr(L, "signature", c->signature);
}

/* cert(fields [, issuer_cert]): signed by the issuer's key, or self-signed. */
int tls_l_cert(lua_State *L)
{
	struct cert issuer, c;
	const char *signer = NULL, *iname = NULL;
	if (!lua_isnoneornil(L, 2)) {
		tocert(L, 2, &issuer, NULL);              /* push anchor */
		signer = issuer.key;
		iname = issuer.subject;
	}
	tocert(L, 1, &c, iname);                          /* push anchor */
	cert_sign(&c, signer ? signer : c.key);
	pushcert(L, &c);
	return 1;
}

/* sign(cert, key_name): a copy of CERT signed with the key named KEY. */
int tls_l_sign(lua_State *L)
{
	struct cert c;
	const char *key = luaL_checkstring(L, 2);
	tocert(L, 1, &c, NULL);
	cert_sign(&c, key);
	pushcert(L, &c);
	return 1;
}

int tls_l_match_name(lua_State *L)
{
	lua_pushboolean(L, cert_match_name(luaL_checkstring(L, 1), luaL_checkstring(L, 2)));
	return 1;
}

/* Reads the list of certificate tables at IDX into OUT (at most MAX). */
static size_t tolist(lua_State *L, int idx, struct cert *out, size_t max, const char *what)
{
	idx = lua_absindex(L, idx);
	if (!lua_istable(L, idx))
		luaL_error(L, "lab.tls: %s must be a list of certificates", what);
	size_t n = lua_rawlen(L, idx);
	if (n > max)
		luaL_error(L, "lab.tls: at most %d certificates in %s", (int)max, what);
	luaL_checkstack(L, 2 * (int)n + 8, "too many certificates");
	for (size_t i = 0; i < n; i++) {
		lua_rawgeti(L, idx, (lua_Integer)i + 1);  /* push list[i]; stays as an anchor */
		if (!lua_istable(L, -1))
			luaL_error(L, "lab.tls: %s[%d] is not a certificate table", what, (int)i + 1);
		tocert(L, -1, &out[i], NULL);             /* push its anchor */
	}
	return n;
}

/* The message for a failed verification. */
static void pushreason(lua_State *L, const struct cert_result *r, const char *host)
{
	const char *who = r->at ? r->at->subject : "the chain";
	switch (r->err) {
	case CERT_EXPIRED: lua_pushfstring(L, "'%s' expired", who); break;
	case CERT_NOT_YET_VALID: lua_pushfstring(L, "'%s' is not valid yet", who); break;
	case CERT_UNKNOWN_ISSUER:
		lua_pushfstring(L, "no certificate for the issuer '%s' of '%s' (not sent, not a trusted root)",
				r->at ? r->at->issuer : "?", who);
		break;
	case CERT_BAD_SIGNATURE:
		lua_pushfstring(L, "'%s' is not signed by the key of its issuer '%s'", who,
				r->at ? r->at->issuer : "?");
		break;
	case CERT_SELF_SIGNED: lua_pushfstring(L, "'%s' is self-signed and not a trusted root", who); break;
	case CERT_NOT_CA: lua_pushfstring(L, "'%s' issued a certificate but is not a CA", who); break;
	case CERT_PATH_LEN: lua_pushfstring(L, "too many CAs below '%s' (pathLenConstraint)", who); break;
	case CERT_NAME_MISMATCH:
		lua_pushfstring(L, "'%s' matches no subjectAltName of '%s'", host ? host : "?", who);
		break;
	case CERT_WRONG_PURPOSE: lua_pushfstring(L, "'%s' may not be used for this purpose", who); break;
	case CERT_TOO_LONG: lua_pushliteral(L, "the chain is too long"); break;
	case CERT_OK: lua_pushliteral(L, "ok"); break;
	}
}

const struct lab_opt tls_verify_opts[] = {
	{"chain", LAB_TABLE, .required = 1, .help = "leaf first, then intermediates"},
	{"roots", LAB_TABLE, .required = 1, .help = "trusted root certificates"},
	{"now", LAB_INT, .required = 1, .help = "the time (s)"},
	{"host", LAB_STR, .help = "the name the client connected to (server purpose)"},
	{"purpose", LAB_ENUM, .str = "server", .choices = "server client"},
	{NULL},
};

/* Verifies the chain list at CI against the roots at RI; pushes true and
 * the path's subjects, or nil, the reason's name and the message. */
static int verify_push(lua_State *L, int ci, int ri, int64_t now, const char *host, int purpose)
{
	struct cert chain[CERT_MAX_CHAIN], roots[32];
	const struct cert *cp[CERT_MAX_CHAIN], *rp[32];
	size_t nc = tolist(L, ci, chain, CERT_MAX_CHAIN, "chain");
	size_t nr = tolist(L, ri, roots, 32, "roots");
	for (size_t i = 0; i < nc; i++)
		cp[i] = &chain[i];
	for (size_t i = 0; i < nr; i++)
		rp[i] = &roots[i];
	struct cert_result r;
	if (cert_verify(cp, nc, rp, nr, now, purpose, host, &r) != CERT_OK) {
		lua_pushnil(L);
		lua_pushstring(L, cert_err_name(r.err));
		pushreason(L, &r, host);
		return 3;
	}
	lua_pushboolean(L, 1);
	lua_createtable(L, (int)r.npath, 0);
	for (size_t i = 0; i < r.npath; i++) {
		lua_pushstring(L, r.path[i]->subject);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 2;
}

int tls_l_verify(lua_State *L)
{
	const struct lab_val *o = lab_opts(L, 1, "lab.tls.verify", tls_verify_opts);
	int base = lua_gettop(L);
	lab_optpush(L, 1, "chain");                     /* push chain */
	lab_optpush(L, 1, "roots");                     /* push roots */
	int n = verify_push(L, base + 1, base + 2, o[2].i, o[3].set ? o[3].s : NULL,
			    o[4].choice ? CERT_CLIENT_AUTH : CERT_SERVER_AUTH);
	return n;
}

const struct lab_opt tls_mtls_opts[] = {
	{"server_chain", LAB_TABLE, .required = 1, .help = "what the server presents"},
	{"client_chain", LAB_TABLE, .help = "what the client presents (none: no client certificate)"},
	{"client_roots", LAB_TABLE, .required = 1, .help = "roots the client trusts"},
	{"server_roots", LAB_TABLE, .required = 1, .help = "roots the server trusts for clients"},
	{"host", LAB_STR, .required = 1, .help = "the name the client connects to"},
	{"now", LAB_INT, .required = 1},
	{NULL},
};

/* mtls{...}: both sides verify each other. */
int tls_l_mtls(lua_State *L)
{
	const struct lab_val *o = lab_opts(L, 1, "lab.tls.mtls", tls_mtls_opts);
	int base = lua_gettop(L);
	lab_optpush(L, 1, "server_chain");              /* base+1 */
	lab_optpush(L, 1, "client_roots");              /* base+2 */
	lab_optpush(L, 1, "client_chain");              /* base+3 */
	lab_optpush(L, 1, "server_roots");              /* base+4 */
	lua_createtable(L, 0, 5);                       /* base+5: the result */
	int res = base + 5;
	int n = verify_push(L, base + 1, base + 2, o[5].i, o[4].s, CERT_SERVER_AUTH);
	int server_ok = n == 2;
	lua_pushvalue(L, n == 2 ? -2 : -1);             /* ok: path's table; else message */
	lua_setfield(L, res, server_ok ? "server_path" : "server_error");
	lua_settop(L, res);
	int client_ok = 0;
	if (lua_isnil(L, base + 3)) {
		lua_pushliteral(L, "no client certificate");
		lua_setfield(L, res, "client_error");
	} else {
		n = verify_push(L, base + 3, base + 4, o[5].i, NULL, CERT_CLIENT_AUTH);
		client_ok = n == 2;
		lua_pushvalue(L, -1);
		lua_setfield(L, res, client_ok ? "client_path" : "client_error");
		lua_settop(L, res);
	}
	lab_setbool(L, "server_ok", server_ok);
	lab_setbool(L, "client_ok", client_ok);
	lab_setbool(L, "ok", server_ok && client_ok);
	return 1;
}
