/*
 * oauth_lua.c — lab.oauth: the authorization server of oauth.h, a client
 * app that may or may not check state and use PKCE, PKCE itself, and
 * OpenID Connect ID tokens.
 *
 *   local as = lab.oauth.server{clients = {{id = "photos", redirect_uris = {"https://photos.example/cb"}}},
 *                               users = {alice = "wonderland"}}
 *   local r = as:authorize{response_type = "code", client_id = "photos", ...}
 *   local t = as:token{grant_type = "authorization_code", code = r.code, ...}
 *   as:resource(t.access_token, "photos.read", now) -> 200
 *   local app = lab.oauth.app{server = as, client_id = "photos", redirect_uri = ...}
 *   lab.oauth.challenge(verifier) -> the S256 code_challenge
 */
#include "engine/concepts/crypto/base64.h"
#include "engine/concepts/jwt/jwt.h"
#include "engine/concepts/oauth/oauth.h"
#include "engine/concepts/oauth/pkce.h"
#include "engine/lab/labkit.h"

#include <stdio.h>
#include <string.h>

/* The server's signing key for ID tokens: RFC 7515 appendix A.2's RSA key,
 * public test data (never use a published key for anything real). */
static const char key_n[] =
	"ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw"
	"-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b3269"
	"0r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS"
	"-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aG"
	"hyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXp"
	"oQ";
static const char key_e[] = "AQAB";
static const char key_d[] =
	"Eq5xpGnNCivDflJsRQBXHx1hdR1k6Ulwe2JZD50LpXyWPEAeP88vLNO97IjlA7_GQ5sL"
	"KMgvfTeXZx9SE-7YwVol2NXOoAJe46sui395IW_GO-pWJ1O0BkTGoVEn2bKVRUCgu-Gj"
	"BVaYLU6f3l9kJfFNS3E0QbVdxzubSu3Mkqzjkn439X0M_V51gfpRLI9JYanrC4D4qAdG"
	"copV_0ZHHzQlBjudU2QvXt4ehNYTCBr6XCLQUShb1juUO1ZdiYoFaFQT5Tw8bGUl_x_j"
	"Tj3ccPDVZFD9pIuhLhBOneufuBiB4cS98l2SR_RQyGWSeWjnczT0QU91p1DhOVRuOopz"
	"nQ";
#define KEY_ID "rfc7515-a2"

/* ---- PKCE ---- */

static int l_challenge(lua_State *L)
{
	size_t n;
	const char *v = luaL_checklstring(L, 1, &n);
	const char *method = luaL_optstring(L, 2, "S256");
	if (!pkce_valid_verifier(v, n)) {
		lua_pushnil(L);
		lua_pushliteral(L, "invalid_verifier");
		return 2;
	}
	if (strcmp(method, "plain") == 0) {
		lua_pushlstring(L, v, n);
		return 1;
	}
	if (strcmp(method, "S256") != 0)
		return luaL_argerror(L, 2, "method must be S256 or plain");
	char out[PKCE_CHALLENGE_LEN + 1];
	pkce_s256(v, n, out);
	lua_pushstring(L, out);
	return 1;
}

/* verifier(seed): 32 random bytes from the seed, base64url: 43 characters
 * (the RFC 7636 section 4.1 recommendation). */
static int l_verifier(lua_State *L)
{
	struct rng r;
	rng_seed(&r, (uint64_t)luaL_checkinteger(L, 1));
	unsigned char b[32];
	for (int i = 0; i < 32; i += 8) {
		uint64_t x = rng_next(&r);
		for (int k = 0; k < 8; k++)
			b[i + k] = (unsigned char)(x >> (8 * k));
	}
	char out[44];
	base64_encode(b, 32, BASE64_URL, 0, out);
	lua_pushstring(L, out);
	return 1;
}

/* ---- the server ---- */

struct lserver {
	struct oauth_server s;
	int ready;
};

static void free_server(void *obj)
{
	struct lserver *ls = obj;
	if (ls->ready)
		oauth_free(&ls->s);
	ls->ready = 0;
}

static const struct lab_class server_class;

static const struct lab_opt server_opts[] = {
	{"clients", LAB_TABLE, .required = 1,
	 .help = "{{id =, secret = (confidential only), redirect_uris = {...}}, ...}"},
	{"users", LAB_TABLE, .help = "{name = password, ...}"},
	{"pkce", LAB_ENUM, .str = "public", .choices = "public all off",
	 .help = "who must send a code_challenge"},
	{"redirect_match", LAB_ENUM, .str = "exact", .choices = "exact prefix",
	 .help = "prefix is the bug of the open-redirect lesson"},
	{"allow_plain", LAB_BOOL, .num = 0, .help = "accept code_challenge_method=plain"},
	{"code_ttl", LAB_INT, .num = 60, .min = 1, .max = 86400, .help = "s a code lives"},
	{"token_ttl", LAB_INT, .num = 3600, .min = 1, .max = 1e7, .help = "s an access token lives"},
	{"issuer", LAB_STR, .str = "https://auth.example", .help = "iss of ID tokens"},
	{"seed", LAB_INT, .num = 1, .help = "seed of codes and tokens"},
	{NULL},
};
enum { S_CLIENTS, S_USERS, S_PKCE, S_MATCH, S_PLAIN, S_CODE_TTL, S_TOKEN_TTL, S_ISSUER, S_SEED };

/* The string field NAME of the table at IDX, read raw; NULL if absent.
 * Anchored by the table. */
static const char *field(lua_State *L, int idx, const char *name)
{
	lua_pushstring(L, name);
	int t = lua_rawget(L, idx);                      /* push t[name] */
	const char *s = NULL;
	if (t == LUA_TSTRING)
		s = lua_tostring(L, -1);
	else if (t != LUA_TNIL)
		luaL_error(L, "lab.oauth: '%s' must be a string", name);
	lua_pop(L, 1);
	return s;
}

static void add_clients(lua_State *L, struct oauth_server *s)
{
	int top = lua_gettop(L);
	lab_optpush(L, 1, "clients");                    /* push clients */
	int ci = lua_gettop(L);
	for (lua_Integer i = 1; lua_rawgeti(L, ci, i) == LUA_TTABLE; i++) { /* push client */
		int t = lua_gettop(L);
		const char *id = field(L, t, "id"), *secret = field(L, t, "secret");
		if (!id)
			luaL_error(L, "lab.oauth.server: client %d needs an id", (int)i);
		const char *red[OAUTH_MAX_REDIRECTS];
		int n = 0;
		lua_pushliteral(L, "redirect_uris");
		if (lua_rawget(L, t) != LUA_TTABLE)      /* push redirect_uris */
			luaL_error(L, "lab.oauth.server: client '%s' needs redirect_uris = {...}", id);
		for (lua_Integer k = 1; lua_rawgeti(L, -1, k) == LUA_TSTRING; k++) {
			if (n == OAUTH_MAX_REDIRECTS)
				luaL_error(L, "lab.oauth.server: at most %d redirect_uris", OAUTH_MAX_REDIRECTS);
			red[n++] = lua_tostring(L, -1);   /* anchored by the list */
			lua_pop(L, 1);
		}
		if (oauth_add_client(s, id, secret, red, n) != 0)
			lab_fail(L, "lab.oauth.server: client '%s': no redirect_uris, too long, or no memory", id);
		lua_settop(L, ci);
	}
	lua_settop(L, top);
}

static void add_users(lua_State *L, struct oauth_server *s)
{
	int top = lua_gettop(L);
	if (lab_optpush(L, 1, "users") == LUA_TTABLE) {  /* push users */
		lua_pushnil(L);
		while (lua_next(L, -2)) {                /* push name, password */
			if (lua_type(L, -2) != LUA_TSTRING || lua_type(L, -1) != LUA_TSTRING)
				luaL_error(L, "lab.oauth.server: users = {name = \"password\", ...}");
			if (oauth_add_user(s, lua_tostring(L, -2), lua_tostring(L, -1)) != 0)
				lab_fail(L, "lab.oauth.server: not enough memory");
			lua_pop(L, 1);
		}
	}
	lua_settop(L, top);
}

static int l_server(lua_State *L)
{
	const struct lab_val *o = lab_opts(L, 1, "lab.oauth.server", server_opts);
	struct lserver *ls = lab_newobj(L, &server_class, sizeof *ls); /* push object */
	struct oauth_config cfg = {
		.code_ttl = o[S_CODE_TTL].i, .token_ttl = o[S_TOKEN_TTL].i,
		.redirect_prefix = o[S_MATCH].choice == 1,
		.pkce = o[S_PKCE].choice == 0 ? 1 : o[S_PKCE].choice == 1 ? 2 : 0,
		.allow_plain = (int)o[S_PLAIN].i, .issuer = o[S_ISSUER].s,
	};
	if (oauth_init(&ls->s, &cfg, (uint64_t)o[S_SEED].i) != 0)
		return lab_fail(L, "lab.oauth.server: not enough memory");
	ls->ready = 1;
	add_clients(L, &ls->s);
	add_users(L, &ls->s);
	return 1;
}

/* Appends NAME=VALUE, URL-encoded, to the location being built. */
static void add_param(luaL_Buffer *b, int *first, const char *name, const char *value)
{
	if (!value)
		return;
	luaL_addchar(b, *first ? '?' : '&');
	*first = 0;
	luaL_addstring(b, name);
	luaL_addchar(b, '=');
	for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~", *p)) {
			luaL_addchar(b, (char)*p);
		} else {
			char esc[4];
			snprintf(esc, sizeof esc, "%%%02X", *p);
			luaL_addstring(b, esc);
		}
	}
}

static int m_authorize(lua_State *L)
{
	struct lserver *ls = lab_self(L, &server_class);
	luaL_checktype(L, 2, LUA_TTABLE);
	struct oauth_authz_req rq = {
		.response_type = field(L, 2, "response_type"), .client_id = field(L, 2, "client_id"),
		.redirect_uri = field(L, 2, "redirect_uri"), .scope = field(L, 2, "scope"),
		.state = field(L, 2, "state"), .code_challenge = field(L, 2, "code_challenge"),
		.code_challenge_method = field(L, 2, "code_challenge_method"),
		.nonce = field(L, 2, "nonce"), .user = field(L, 2, "user"),
		.password = field(L, 2, "password"),
	};
	lua_pushliteral(L, "now");
	lua_rawget(L, 2);                                 /* push now */
	rq.now = (int64_t)luaL_optinteger(L, -1, 0);
	lua_pop(L, 1);
	struct oauth_authz_resp r;
	if (oauth_authorize(&ls->s, &rq, &r) != 0)
		return lab_fail(L, "lab.oauth: not enough memory");
	lua_createtable(L, 0, 7);
	lab_setint(L, "status", r.status);
	if (r.status == 302) {
		lab_setstr(L, "redirect_uri", r.redirect_uri);
		if (r.code)
			lab_setstr(L, "code", r.code);
		if (r.state)
			lab_setstr(L, "state", r.state);
		luaL_Buffer b;
		int first = !strchr(r.redirect_uri, '?');
		luaL_buffinit(L, &b);
		luaL_addstring(&b, r.redirect_uri);
		add_param(&b, &first, "code", r.code);
		add_param(&b, &first, "error", r.error);
		add_param(&b, &first, "state", r.state);
		luaL_pushresult(&b);
		lua_setfield(L, -2, "location");
	}
	if (r.error) {
		lab_setstr(L, "error", r.error);
		lab_setstr(L, "error_description", r.description);
	}
	return 1;
}

/* The ID token (OIDC Core 3.1.3.3, 2): RS256 over iss, sub, aud, exp, iat,
 * nonce; keys sorted as lab.jwt.json writes them. Pushes it. */
static void push_id_token(lua_State *L, const struct oauth_server *s,
			  const struct oauth_token_resp *r, int64_t now)
{
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	char num[64];
	luaL_addstring(&b, "{\"aud\":\"");
	luaL_addstring(&b, r->client_id);                 /* ids and names: checked plain below */
	snprintf(num, sizeof num, "\",\"exp\":%lld,\"iat\":%lld,\"iss\":\"", (long long)(now + 300),
		 (long long)now);
	luaL_addstring(&b, num);
	luaL_addstring(&b, s->issuer);
	if (r->nonce) {
		luaL_addstring(&b, "\",\"nonce\":\"");
		luaL_addstring(&b, r->nonce);
	}
	luaL_addstring(&b, "\",\"sub\":\"");
	luaL_addstring(&b, r->user);
	luaL_addstring(&b, "\"}");
	luaL_pushresult(&b);                              /* push claims JSON */
	static const char header[] = "{\"alg\":\"RS256\",\"kid\":\"" KEY_ID "\",\"typ\":\"JWT\"}";
	size_t cl;
	const char *claims = lua_tolstring(L, -1, &cl);
	size_t hb = base64_encoded_len(sizeof header - 1, 0), cb = base64_encoded_len(cl, 0);
	char *tok = lab_scratch(L, hb + cb + 2 + 700);    /* push scratch */
	base64_encode(header, sizeof header - 1, BASE64_URL, 0, tok);
	tok[hb] = '.';
	base64_encode(claims, cl, BASE64_URL, 0, tok + hb + 1);
	unsigned char n[256], d[256], e[3], sig[512];
	size_t nl, dl, el, where, sl;
	base64_decode(key_n, sizeof key_n - 1, BASE64_URL, n, &nl, &where);
	base64_decode(key_d, sizeof key_d - 1, BASE64_URL, d, &dl, &where);
	base64_decode(key_e, sizeof key_e - 1, BASE64_URL, e, &el, &where);
	struct jwt_key k = {.type = JWT_KEY_RSA, .n = n, .n_len = nl, .e = e, .e_len = el,
			    .d = d, .d_len = dl};
	jwt_sign(JWT_RS256, &k, tok, hb + 1 + cb, sig, &sl);
	tok[hb + 1 + cb] = '.';
	base64_encode(sig, sl, BASE64_URL, 0, tok + hb + 2 + cb);
	lua_pushstring(L, tok);
	lua_remove(L, -2);                                /* remove scratch */
	lua_remove(L, -2);                                /* remove claims */
}

/* Refuses characters that would need escaping in the ID token's JSON. */
static int plain(const char *s)
{
	for (; s && *s; s++)
		if (*s == '"' || *s == '\\' || (unsigned char)*s < 0x20)
			return 0;
	return 1;
}

static int m_token(lua_State *L)
{
	struct lserver *ls = lab_self(L, &server_class);
	luaL_checktype(L, 2, LUA_TTABLE);
	struct oauth_token_req rq = {
		.grant_type = field(L, 2, "grant_type"), .code = field(L, 2, "code"),
		.redirect_uri = field(L, 2, "redirect_uri"), .client_id = field(L, 2, "client_id"),
		.client_secret = field(L, 2, "client_secret"),
		.code_verifier = field(L, 2, "code_verifier"),
	};
	lua_pushliteral(L, "now");
	lua_rawget(L, 2);                                 /* push now */
	rq.now = (int64_t)luaL_optinteger(L, -1, 0);
	lua_pop(L, 1);
	struct oauth_token_resp r;
	if (oauth_token(&ls->s, &rq, &r) != 0)
		return lab_fail(L, "lab.oauth: not enough memory");
	lua_createtable(L, 0, 7);
	lab_setint(L, "status", r.status);
	if (r.status != 200) {
		lab_setstr(L, "error", r.error);
		lab_setstr(L, "error_description", r.description);
		return 1;
	}
	lab_setstr(L, "access_token", r.access_token);
	lab_setstr(L, "token_type", "Bearer");
	lab_setint(L, "expires_in", r.expires_in);
	lab_setstr(L, "scope", r.scope);
	if (r.openid) {
		if (!plain(r.user) || !plain(r.client_id) || !plain(r.nonce) || !plain(ls->s.issuer))
			return luaL_error(L, "lab.oauth: names with quotes or backslashes cannot go in an ID token here");
		push_id_token(L, &ls->s, &r, rq.now);
		lua_setfield(L, -2, "id_token");
	}
	return 1;
}

static int m_introspect(lua_State *L)
{
	struct lserver *ls = lab_self(L, &server_class);
	const char *tok = luaL_checkstring(L, 2);
	const struct oauth_token *t = oauth_introspect(&ls->s, tok, luaL_optinteger(L, 3, 0));
	lua_createtable(L, 0, 5);
	lab_setbool(L, "active", t != NULL);
	if (t) {
		lab_setstr(L, "sub", t->user);
		lab_setstr(L, "scope", t->scope);
		lab_setstr(L, "client_id", ls->s.clients[t->client].id);
		lab_setint(L, "exp", t->expires);
	}
	return 1;
}

static int m_resource(lua_State *L)
{
	struct lserver *ls = lab_self(L, &server_class);
	const char *tok = luaL_optstring(L, 2, "");
	const char *scope = luaL_optstring(L, 3, "");
	const char *error;
	int status = oauth_access(&ls->s, tok, scope, luaL_optinteger(L, 4, 0), &error);
	lua_pushinteger(L, status);
	if (error)
		lua_pushstring(L, error);
	return error ? 2 : 1;
}

static int m_jwks(lua_State *L)
{
	lab_self(L, &server_class);
	lua_createtable(L, 0, 5);
	lab_setstr(L, "kty", "RSA");
	lab_setstr(L, "n", key_n);
	lab_setstr(L, "e", key_e);
	lab_setstr(L, "kid", KEY_ID);
	lab_setstr(L, "alg", "RS256");
	return 1;
}

static int m_issuer(lua_State *L)
{
	struct lserver *ls = lab_self(L, &server_class);
	lua_pushstring(L, ls->s.issuer);
	return 1;
}

static const luaL_Reg server_methods[] = {
	{"authorize", m_authorize}, {"token", m_token},   {"introspect", m_introspect},
	{"resource", m_resource},   {"jwks", m_jwks},     {"issuer", m_issuer},
	{NULL, NULL},
};
static int m_server_tostring(lua_State *L)
{
	struct lserver *ls = lab_self(L, &server_class);
	lua_pushfstring(L, "lab.oauth.server(%s, %d clients, %d codes, %d tokens)", ls->s.issuer,
			(int)ls->s.nclients, (int)ls->s.ngrants, (int)ls->s.ntokens);
	return 1;
}

static const luaL_Reg server_meta[] = {{"__tostring", m_server_tostring}, {NULL, NULL}};
static const struct lab_class server_class = {"lab.oauth.server", server_methods, server_meta,
					      free_server, 0};

/* ---- the client app ---- */

/* An app is a Lua-side state machine over the server object: its fields
 * live in the user values (1: the server, 2: a table of its settings and
 * pending request), the body only marks the class. */
struct lapp {
	int unused;
};

static const struct lab_class app_class;

static const struct lab_opt app_opts[] = {
	{"server", LAB_ANY, .required = 1, .help = "a lab.oauth.server"},
	{"client_id", LAB_STR, .required = 1},
	{"client_secret", LAB_STR, .help = "confidential clients only"},
	{"redirect_uri", LAB_STR, .required = 1},
	{"scope", LAB_STR, .str = "openid profile"},
	{"pkce", LAB_BOOL, .num = 1, .help = "send a code_challenge and the verifier"},
	{"check_state", LAB_BOOL, .num = 1, .help = "send state and check it on the callback"},
	{"seed", LAB_INT, .num = 7, .help = "seed of state, verifier and nonce"},
	{NULL},
};

static int l_app(lua_State *L)
{
	lab_opts(L, 1, "lab.oauth.app", app_opts);
	lab_optpush(L, 1, "server");                     /* push server */
	lab_checkobj(L, -1, &server_class);
	lab_newobj(L, &app_class, sizeof(struct lapp));   /* push app */
	lua_pushvalue(L, -2);
	lua_setiuservalue(L, -2, 1);                      /* uv1 = server */
	lua_newtable(L);                                  /* the app's settings and state */
	static const char *const keys[] = {"client_id", "client_secret", "redirect_uri", "scope",
					   "pkce", "check_state", "seed"};
	for (int i = 0; i < 7; i++) {
		lab_optpush(L, 1, keys[i]);
		lua_setfield(L, -2, keys[i]);
	}
	lua_getfield(L, -1, "scope");
	if (lua_isnil(L, -1)) {
		lua_pushliteral(L, "openid profile");
		lua_setfield(L, -3, "scope");
	}
	lua_pop(L, 1);
	lua_pushinteger(L, 0);
	lua_setfield(L, -2, "n");                          /* requests started */
	lua_setiuservalue(L, -2, 2);                      /* uv2 = state table */
	return 1;
}

static int getflag(lua_State *L, int t, const char *name)
{
	lua_getfield(L, t, name);
	int v = lua_isnil(L, -1) ? 1 : lua_toboolean(L, -1);
	lua_pop(L, 1);
	return v;
}

/* A random string from the app's seed and its request count. */
static void push_random(lua_State *L, int t, int salt)
{
	lua_getfield(L, t, "seed");
	lua_Integer seed = lua_isnil(L, -1) ? 7 : lua_tointeger(L, -1);
	lua_getfield(L, t, "n");
	lua_Integer n = lua_tointeger(L, -1);
	lua_pop(L, 2);
	lua_pushcfunction(L, l_verifier);
	lua_pushinteger(L, seed * 1000003 + n * 31 + salt);
	lua_call(L, 1, 1);
}

/* start() -> the authorization request the app sends the browser to. */
static int m_start(lua_State *L)
{
	lab_self(L, &app_class);
	lua_getiuservalue(L, 1, 2);                       /* push state table */
	int t = lua_gettop(L);
	lua_getfield(L, t, "n");
	lua_pushinteger(L, lua_tointeger(L, -1) + 1);
	lua_setfield(L, t, "n");
	lua_pop(L, 1);
	lua_createtable(L, 0, 8);                          /* push request */
	lab_setstr(L, "response_type", "code");
	static const char *const copy[] = {"client_id", "redirect_uri", "scope"};
	for (int i = 0; i < 3; i++) {
		lua_getfield(L, t, copy[i]);
		lua_setfield(L, -2, copy[i]);
	}
	if (getflag(L, t, "check_state")) {
		push_random(L, t, 1);
		lua_pushvalue(L, -1);
		lua_setfield(L, t, "pending_state");
		lua_setfield(L, -2, "state");
	}
	if (getflag(L, t, "pkce")) {
		push_random(L, t, 2);
		lua_pushvalue(L, -1);
		lua_setfield(L, t, "pending_verifier");
		lua_pushcfunction(L, l_challenge);
		lua_insert(L, -2);
		lua_call(L, 1, 1);
		lua_setfield(L, -2, "code_challenge");
		lab_setstr(L, "code_challenge_method", "S256");
	}
	push_random(L, t, 3);
	lua_pushvalue(L, -1);
	lua_setfield(L, t, "pending_nonce");
	lua_setfield(L, -2, "nonce");
	return 1;
}

/* callback(params [, now]) -> {ok = true, user =, access_token =} or
 * {ok = false, error =}: what the app does when the browser comes back. */
static int m_callback(lua_State *L)
{
	lab_self(L, &app_class);
	luaL_checktype(L, 2, LUA_TTABLE);
	lua_Integer now = luaL_optinteger(L, 3, 0);
	lua_settop(L, 3);
	lua_getiuservalue(L, 1, 2);                       /* push state table: 4 */
	lua_getiuservalue(L, 1, 1);                       /* push server: 5 */
	lua_createtable(L, 0, 4);                          /* push result: 6 */
	const char *err = field(L, 2, "error");
	if (err) {
		lab_setbool(L, "ok", 0);
		lab_setstr(L, "error", err);
		return 1;
	}
	if (getflag(L, 4, "check_state")) {
		const char *got = field(L, 2, "state");
		lua_getfield(L, 4, "pending_state");
		const char *want = lua_tostring(L, -1);
		int ok = got && want && strcmp(got, want) == 0;
		lua_pop(L, 1);
		if (!ok) {
			lab_setbool(L, "ok", 0);
			lab_setstr(L, "error", "state mismatch: a callback this browser did not start");
			return 1;
		}
		lua_pushnil(L);
		lua_setfield(L, 4, "pending_state");      /* one use */
	}
	/* the token request, through the server's own method */
	lua_getfield(L, 5, "token");                      /* push method */
	lua_pushvalue(L, 5);
	lua_createtable(L, 0, 7);
	lab_setstr(L, "grant_type", "authorization_code");
	lua_pushstring(L, field(L, 2, "code"));
	lua_setfield(L, -2, "code");
	static const char *const copy[] = {"redirect_uri", "client_id", "client_secret"};
	for (int i = 0; i < 3; i++) {
		lua_getfield(L, 4, copy[i]);
		lua_setfield(L, -2, copy[i]);
	}
	if (getflag(L, 4, "pkce")) {
		lua_getfield(L, 4, "pending_verifier");
		lua_setfield(L, -2, "code_verifier");
	}
	lab_setint(L, "now", now);
	lua_call(L, 2, 1);                                /* push token response: 7 */
	lua_getfield(L, 7, "status");
	int status = (int)lua_tointeger(L, -1);
	lua_pop(L, 1);
	if (status != 200) {
		lua_getfield(L, 7, "error");
		lua_setfield(L, 6, "error");
		lua_settop(L, 6);                         /* the result on top */
		lab_setbool(L, "ok", 0);
		return 1;
	}
	lua_getfield(L, 7, "access_token");
	const char *tok = lua_tostring(L, -1);
	struct lserver *ls = lab_checkobj(L, 5, &server_class);
	const struct oauth_token *rec = oauth_introspect(&ls->s, tok, now);
	lua_setfield(L, 6, "access_token");
	lua_getfield(L, 7, "id_token");
	lua_setfield(L, 6, "id_token");
	lua_settop(L, 6);                                 /* the result on top */
	lab_setbool(L, "ok", rec != NULL);
	if (rec) {
		lab_setstr(L, "user", rec->user);             /* the app logs this user in */
		lua_pushstring(L, rec->user);
		lua_setfield(L, 4, "session_user");
	}
	return 1;
}

/* user() -> whom the app's session is logged in as, or nil. */
static int m_user(lua_State *L)
{
	lab_self(L, &app_class);
	lua_getiuservalue(L, 1, 2);
	lua_getfield(L, -1, "session_user");
	return 1;
}

/* nonce() -> the nonce of the last request started (to check the ID token). */
static int m_nonce(lua_State *L)
{
	lab_self(L, &app_class);
	lua_getiuservalue(L, 1, 2);
	lua_getfield(L, -1, "pending_nonce");
	return 1;
}

static const luaL_Reg app_methods[] = {
	{"start", m_start}, {"callback", m_callback}, {"user", m_user}, {"nonce", m_nonce},
	{NULL, NULL},
};
static int m_app_tostring(lua_State *L)
{
	lab_self(L, &app_class);
	lua_getiuservalue(L, 1, 2);
	lua_getfield(L, -1, "client_id");
	lua_pushfstring(L, "lab.oauth.app(%s)", lua_tostring(L, -1));
	return 1;
}

static const luaL_Reg app_meta[] = {{"__tostring", m_app_tostring}, {NULL, NULL}};
static const struct lab_class app_class = {"lab.oauth.app", app_methods, app_meta, NULL, 2};

static const luaL_Reg functions[] = {
	{"challenge", l_challenge}, {"verifier", l_verifier}, {"server", l_server},
	{"app", l_app},             {NULL, NULL},
};

const struct lab_namespace lab_ns_oauth = {
	.functions = functions,
	.classes = (const struct lab_class *const[]){&server_class, &app_class, NULL},
	.options = (const struct lab_fnopts[]){
		{"server", server_opts}, {"app", app_opts}, {NULL, NULL}},
};
