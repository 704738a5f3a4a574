/*
 * jwt_lua.c — lab.jwt: the Lua binding of jwt.h.
 *
 *   local t = lab.jwt.sign({sub = "alice", exp = 1700000000}, "secret")   -- HS256
 *   local claims, why = lab.jwt.verify(t, "secret", {algorithms = {"HS256"}, now = 1699999000})
 *   lab.jwt.decode(t) -> header, claims   (NOT verified: for looking only)
 *   lab.jwt.json(value) -> compact JSON, keys sorted
 *   lab.jwt.target{bug = "alg_none", key = "secret", ...}:verify(token)
 *
 * Keys: a string is an HMAC secret; a table is a JWK (RFC 7517):
 * {kty = "oct", k =}, {kty = "RSA", n =, e = [, d =]}, {kty = "EC", crv =
 * "P-256" | "P-521", x =, y =}, members in base64url.
 */
#include "engine/concepts/crypto/base64.h"
#include "engine/concepts/jwt/jwt.h"
#include "engine/concepts/rand/rand.h"
#include "engine/lab/labkit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 16

/* ---- Lua value -> JSON ---- */

/* The text being built, in C memory owned by a userdata (freed by its
 * finalizer if an error interrupts the walk): a luaL_Buffer cannot be used
 * while the walk pushes and pops values between additions. */
struct jbuf {
	char *p;
	size_t len, cap;
};

static void free_jbuf(void *obj)
{
	struct jbuf *b = obj;
	budget_free(b->p);
	b->p = NULL;
}

static void add(lua_State *L, struct jbuf *b, const char *s, size_t n)
{
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		while (cap < b->len + n)
			cap *= 2;
		char *p = budget_realloc(b->p, cap);
		if (!p)
			lab_fail(L, "lab.jwt: not enough memory for the JSON text");
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

static void addc(lua_State *L, struct jbuf *b, char c)
{
	add(L, b, &c, 1);
}

static void encode(lua_State *L, int idx, struct jbuf *b, int depth);

static void encode_string(lua_State *L, struct jbuf *b, const char *s, size_t n)
{
	addc(L, b, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			addc(L, b, '\\');
			addc(L, b, (char)c);
		} else if (c < 0x20) {
			char esc[8];
			snprintf(esc, sizeof esc, "\\u%04x", c);
			add(L, b, esc, 6);
		} else {
			addc(L, b, (char)c);
		}
	}
	addc(L, b, '"');
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The table at IDX: an array if its keys are exactly 1..n (n > 0). */
static void encode_table(lua_State *L, int idx, struct jbuf *b, int depth)
{
	size_t n = lua_rawlen(L, idx), count = 0;
	int strings_only = 1;
	lua_pushnil(L);
	while (lua_next(L, idx)) {                 /* push key, value */
		count++;
		if (lua_type(L, -2) != LUA_TSTRING)
			strings_only = 0;
		lua_pop(L, 1);                     /* remove value */
	}
	if (n > 0 && count == n) {
		addc(L, b, '[');
		for (size_t i = 1; i <= n; i++) {
			if (i > 1)
				addc(L, b, ',');
			lua_rawgeti(L, idx, (lua_Integer)i);   /* push t[i] */
			encode(L, lua_gettop(L), b, depth + 1);
			lua_pop(L, 1);
		}
		addc(L, b, ']');
		return;
	}
	if (!strings_only)
		luaL_error(L, "lab.jwt.json: an object's keys must be strings (or a list 1..n)");
	const char **keys = lua_newuserdatauv(L, (count ? count : 1) * sizeof *keys, 0); /* push */
	size_t k = 0;
	lua_pushnil(L);
	while (lua_next(L, idx)) {                 /* keys anchored by the table */
		keys[k++] = lua_tostring(L, -2);
		lua_pop(L, 1);
	}
	qsort(keys, count, sizeof *keys, cmp_str);
	addc(L, b, '{');
	for (size_t i = 0; i < count; i++) {
		if (i)
			addc(L, b, ',');
		encode_string(L, b, keys[i], strlen(keys[i]));
		addc(L, b, ':');
		lua_pushstring(L, keys[i]);
		lua_rawget(L, idx);                /* push t[key] */
		encode(L, lua_gettop(L), b, depth + 1);
		lua_pop(L, 1);
	}
	addc(L, b, '}');
	lua_pop(L, 1);                             /* remove keys */
}

/* Appends the JSON of the value at IDX. */
static void encode(lua_State *L, int idx, struct jbuf *b, int depth)
{
	if (depth > MAX_DEPTH)
		luaL_error(L, "lab.jwt.json: nested more than %d deep (a cycle?)", MAX_DEPTH);
	luaL_checkstack(L, 8, "lab.jwt.json");
	switch (lua_type(L, idx)) {
	case LUA_TSTRING: {
		size_t n;
		const char *s = lua_tolstring(L, idx, &n);
		encode_string(L, b, s, n);
		break;
	}
	case LUA_TNUMBER: {
		char num[40];
		if (lua_isinteger(L, idx)) {
			snprintf(num, sizeof num, "%lld", (long long)lua_tointeger(L, idx));
		} else {
			double d = lua_tonumber(L, idx);
			if (!isfinite(d))
				luaL_error(L, "lab.jwt.json: JSON has no NaN or infinity");
			snprintf(num, sizeof num, "%.17g", d);
		}
		add(L, b, num, strlen(num));
		break;
	}
	case LUA_TBOOLEAN:
		if (lua_toboolean(L, idx))
			add(L, b, "true", 4);
		else
			add(L, b, "false", 5);
		break;
	case LUA_TTABLE:
		encode_table(L, idx, b, depth);
		break;
	default:
		luaL_error(L, "lab.jwt.json: cannot encode a %s", luaL_typename(L, idx));
	}
}

/* Pushes the JSON text of the value at IDX.                       [-0, +1] */
static void pushjson(lua_State *L, int idx)
{
	idx = lua_absindex(L, idx);
	struct jbuf *b = lab_holder(L, sizeof *b, free_jbuf);     /* push buffer */
	encode(L, idx, b, 0);
	lua_pushlstring(L, b->p ? b->p : "", b->len);             /* push text */
	free_jbuf(b);
	lua_remove(L, -2);                                        /* remove buffer */
}

static int l_json(lua_State *L)
{
	luaL_checkany(L, 1);
	pushjson(L, 1);
	return 1;
}

/* ---- JSON -> Lua ---- */

static void pushvalue(lua_State *L, const struct jsonv *v)
{
	luaL_checkstack(L, 4, "lab.jwt: JSON");
	switch (v->type) {
	case JSONV_NULL: lua_pushnil(L); break;
	case JSONV_FALSE: lua_pushboolean(L, 0); break;
	case JSONV_TRUE: lua_pushboolean(L, 1); break;
	case JSONV_NUMBER:
		if (v->is_int)
			lua_pushinteger(L, (lua_Integer)v->i);
		else
			lua_pushnumber(L, v->num);
		break;
	case JSONV_STRING: lua_pushlstring(L, v->str, v->len); break;
	case JSONV_ARRAY:
		lua_createtable(L, (int)v->n, 0);
		for (size_t i = 0; i < v->n; i++) {
			pushvalue(L, &v->items[i]);
			lua_rawseti(L, -2, (lua_Integer)i + 1);
		}
		break;
	case JSONV_OBJECT:
		lua_createtable(L, 0, (int)v->n);
		for (size_t i = 0; i < v->n; i++) {
			lua_pushlstring(L, v->keys[i], v->keylens[i]);
			pushvalue(L, &v->items[i]);
			lua_rawset(L, -3);
		}
		break;
	}
}

/* ---- keys ---- */

/* Decodes the base64url member NAME of the JWK at IDX into bytes pushed on
 * the stack (anchoring them); *P, *LEN point at them. Missing: raises if
 * REQUIRED, else leaves *P NULL and pushes nothing. */
static void jwk_member(lua_State *L, int idx, const char *name, int required,
		       const unsigned char **p, size_t *len)
{
	lua_pushstring(L, name);
	int t = lua_rawget(L, idx);                 /* push jwk[name] */
	*p = NULL;
	*len = 0;
	if (t == LUA_TNIL) {
		lua_pop(L, 1);
		if (required)
			luaL_error(L, "lab.jwt: the JWK needs '%s'", name);
		return;
	}
	if (t != LUA_TSTRING)
		luaL_error(L, "lab.jwt: the JWK's '%s' must be a base64url string", name);
	size_t n, out, where;
	const char *s = lua_tolstring(L, -1, &n);
	unsigned char *buf = lua_newuserdatauv(L, n / 4 * 3 + 4, 0);  /* push buffer */
	if (base64_decode(s, n, BASE64_URL, buf, &out, &where) != 0)
		luaL_error(L, "lab.jwt: the JWK's '%s' is not base64url", name);
	lua_remove(L, -2);                          /* keep the buffer only */
	*p = buf;
	*len = out;
}

static const char *jwk_string(lua_State *L, int idx, const char *name)
{
	lua_pushstring(L, name);
	lua_rawget(L, idx);                         /* push jwk[name] */
	const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
	lua_pop(L, 1);                              /* anchored by the JWK table */
	return s;
}

/* Reads the key at IDX into K; pushes anchors. */
static void tokey(lua_State *L, int idx, struct jwt_key *k)
{
	idx = lua_absindex(L, idx);
	memset(k, 0, sizeof *k);
	luaL_checkstack(L, 10, "lab.jwt");
	if (lua_type(L, idx) == LUA_TSTRING) {
		k->type = JWT_KEY_SECRET;
		k->secret = (const unsigned char *)lua_tolstring(L, idx, &k->secret_len);
		return;
	}
	if (!lua_istable(L, idx))
		luaL_error(L, "lab.jwt: a key is a string (an HMAC secret) or a JWK table");
	const char *kty = jwk_string(L, idx, "kty");
	if (!kty)
		luaL_error(L, "lab.jwt: the JWK needs kty (\"oct\", \"RSA\" or \"EC\")");
	if (strcmp(kty, "oct") == 0) {
		k->type = JWT_KEY_SECRET;
		jwk_member(L, idx, "k", 1, &k->secret, &k->secret_len);
	} else if (strcmp(kty, "RSA") == 0) {
		k->type = JWT_KEY_RSA;
		jwk_member(L, idx, "n", 1, &k->n, &k->n_len);
		jwk_member(L, idx, "e", 1, &k->e, &k->e_len);
		jwk_member(L, idx, "d", 0, &k->d, &k->d_len);
	} else if (strcmp(kty, "EC") == 0) {
		const char *crv = jwk_string(L, idx, "crv");
		k->type = JWT_KEY_EC;
		if (!crv || (strcmp(crv, "P-256") && strcmp(crv, "P-521")))
			luaL_error(L, "lab.jwt: EC keys on P-256 or P-521 only");
		k->p521 = strcmp(crv, "P-521") == 0;
		jwk_member(L, idx, "x", 1, &k->x, &k->x_len);
		jwk_member(L, idx, "y", 1, &k->y, &k->y_len);
	} else {
		luaL_error(L, "lab.jwt: unknown kty '%s'", kty);
	}
}

/* ---- sign, decode, verify ---- */

static int l_sign(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	luaL_checkany(L, 2);
	const char *algname = luaL_optstring(L, 3, "HS256");
	int alg = jwt_alg_parse(algname, strlen(algname));
	if (alg < 0 || alg == JWT_NONE || alg == JWT_ES256 || alg == JWT_ES512)
		return luaL_error(L, "lab.jwt.sign: alg must be HS256, HS384, HS512 or RS256 "
				  "(ES* signing needs a secret random nonce: verify only)");
	struct jwt_key k;
	tokey(L, 2, &k);
	/* header: {"alg":..,"typ":"JWT"} plus the optional extra table's members */
	lua_newtable(L);                                  /* push header */
	int hidx = lua_gettop(L);
	if (lua_istable(L, 4)) {
		lua_pushnil(L);
		while (lua_next(L, 4)) {                  /* copy extra members */
			lua_pushvalue(L, -2);
			lua_insert(L, -2);
			lua_rawset(L, hidx);
		}
	}
	lua_pushstring(L, algname);
	lua_setfield(L, hidx, "alg");
	lua_pushliteral(L, "JWT");
	lua_setfield(L, hidx, "typ");
	pushjson(L, hidx);                                /* push header JSON */
	pushjson(L, 1);                                   /* push claims JSON */
	size_t hl, cl;
	const char *hj = lua_tolstring(L, -2, &hl), *cj = lua_tolstring(L, -1, &cl);
	size_t hb = base64_encoded_len(hl, 0), cb = base64_encoded_len(cl, 0);
	char *input = lua_newuserdatauv(L, hb + cb + 2, 0); /* push scratch */
	base64_encode(hj, hl, BASE64_URL, 0, input);
	input[hb] = '.';
	base64_encode(cj, cl, BASE64_URL, 0, input + hb + 1);
	unsigned char sig[512];
	size_t siglen;
	enum jwt_err e = jwt_sign((enum jwt_alg)alg, &k, input, hb + 1 + cb, sig, &siglen);
	if (e != JWT_OK)
		return luaL_error(L, "lab.jwt.sign: the key does not fit %s (%s)", algname,
				  alg == JWT_RS256 ? "an RSA JWK with d" : "a string secret");
	char sigtext[700];
	base64_encode(sig, siglen, BASE64_URL, 0, sigtext);
	lua_pushlstring(L, input, hb + 1 + cb);
	lua_pushliteral(L, ".");
	lua_pushstring(L, sigtext);
	lua_concat(L, 3);
	return 1;
}

static int l_decode(lua_State *L)
{
	size_t len;
	const char *tok = luaL_checklstring(L, 1, &len);
	struct jwt_token t;
	const char *detail;
	enum jwt_err e = jwt_decode(tok, len, &t, &detail);
	if (e != JWT_OK || !t.have_claims) {
		jwt_token_free(&t);
		lua_pushnil(L);
		lua_pushstring(L, jwt_err_name(e != JWT_OK ? e : JWT_ECLAIMS));
		lua_pushstring(L, e != JWT_OK ? detail : "the payload is not JSON");
		return 3;
	}
	pushvalue(L, &t.header);
	pushvalue(L, &t.claims);
	jwt_token_free(&t);
	return 2;
}

static const struct lab_opt verify_opts[] = {
	{"algorithms", LAB_TABLE, .required = 1, .help = "the allow-list, e.g. {\"HS256\"}"},
	{"now", LAB_NUM, .required = 1, .help = "the time (s), from a simulated clock"},
	{"leeway", LAB_NUM, .num = 0, .min = 0, .max = 86400, .help = "clock skew allowed (s)"},
	{"audience", LAB_STR, .help = "this service's name: aud must contain it"},
	{"issuer", LAB_STR, .help = "iss must equal it"},
	{"require", LAB_TABLE, .help = "claims that must be present (default {\"exp\"})"},
	{NULL},
};
enum { V_ALGS, V_NOW, V_LEEWAY, V_AUD, V_ISS, V_REQUIRE };

static unsigned read_algs(lua_State *L, int idx)
{
	unsigned algs = 0;
	if (lab_optpush(L, idx, "algorithms") != LUA_TTABLE) /* push list */
		luaL_error(L, "lab.jwt: algorithms must be a list");
	for (lua_Integer i = 1; lua_rawgeti(L, -1, i) != LUA_TNIL; i++) { /* push alg */
		size_t n;
		const char *s = lua_tolstring(L, -1, &n);
		int a = s ? jwt_alg_parse(s, n) : -1;
		if (a <= 0)
			luaL_error(L, "lab.jwt: unknown algorithm '%s' in algorithms (none is never allowed)",
				   s ? s : "?");
		algs |= 1u << a;
		lua_pop(L, 1);
	}
	lua_pop(L, 2);                                  /* nil, list */
	return algs;
}

static unsigned read_required(lua_State *L, int idx)
{
	static const char *const names[] = {"exp", "nbf", "iat", "aud", "iss", "sub"};
	if (lab_optpush(L, idx, "require") != LUA_TTABLE) { /* push list */
		lua_pop(L, 1);
		return JWT_C_EXP;
	}
	unsigned req = 0;
	for (lua_Integer i = 1; lua_rawgeti(L, -1, i) != LUA_TNIL; i++) {
		const char *s = lua_tostring(L, -1);
		int found = 0;
		for (int k = 0; k < 6 && s; k++)
			if (strcmp(s, names[k]) == 0)
				req |= 1u << k, found = 1;
		if (!found)
			luaL_error(L, "lab.jwt: require lists exp, nbf, iat, aud, iss or sub");
		lua_pop(L, 1);
	}
	lua_pop(L, 2);
	return req;
}

static void read_opts(lua_State *L, int idx, const struct lab_val *o, struct jwt_opts *jo)
{
	memset(jo, 0, sizeof *jo);
	jo->algs = read_algs(L, idx);
	jo->now = o[V_NOW].num;
	jo->leeway = o[V_LEEWAY].num;
	jo->audience = o[V_AUD].set ? o[V_AUD].s : NULL;
	jo->issuer = o[V_ISS].set ? o[V_ISS].s : NULL;
	jo->required = read_required(L, idx);
}

/* Runs jwt_verify and pushes claims, or nil, reason, detail. Returns the
 * number of values pushed; *COMPARED gets the result's compare count. */
static int verify_push(lua_State *L, int tok_idx, const struct jwt_key *k,
		       const struct jwt_opts *jo, size_t *compared)
{
	size_t len;
	const char *tok = luaL_checklstring(L, tok_idx, &len);
	struct jwt_token t;
	struct jwt_result r;
	enum jwt_err e = jwt_verify(tok, len, k, jo, &t, &r);
	if (compared)
		*compared = r.compared;
	if (e == JWT_ENOMEM) {
		jwt_token_free(&t);
		return lab_fail(L, "lab.jwt.verify: not enough memory");
	}
	if (e != JWT_OK) {
		jwt_token_free(&t);
		lua_pushnil(L);
		lua_pushstring(L, jwt_err_name(e));
		lua_pushstring(L, r.detail ? r.detail : jwt_err_name(e));
		return 3;
	}
	pushvalue(L, &t.claims);
	jwt_token_free(&t);
	return 1;
}

static int l_verify(lua_State *L)
{
	luaL_checkstring(L, 1);
	luaL_checkany(L, 2);
	const struct lab_val *o = lab_opts(L, 3, "lab.jwt.verify", verify_opts);
	struct jwt_opts jo;
	read_opts(L, 3, o, &jo);
	struct jwt_key k;
	tokey(L, 2, &k);
	return verify_push(L, 1, &k, &jo, NULL);
}

/* ---- lab targets: verifiers with one classic bug each ---- */

static const struct lab_opt target_opts[] = {
	{"bug", LAB_ENUM, .required = 1,
	 .choices = "none alg_none confusion no_exp no_nbf no_aud eq_compare",
	 .help = "the bug this verifier has (none: a correct one)"},
	{"key", LAB_ANY, .required = 1, .help = "the server's key (string secret or JWK text/table)"},
	{"algorithms", LAB_TABLE, .required = 1},
	{"now", LAB_NUM, .required = 1},
	{"leeway", LAB_NUM, .num = 0, .min = 0, .max = 86400},
	{"audience", LAB_STR, .help = "as for verify"},
	{"issuer", LAB_STR, .help = "as for verify"},
	{"require", LAB_TABLE, .help = "as for verify"},
	{"seed", LAB_INT, .num = 1, .help = "eq_compare: seed of the timing noise"},
	{NULL},
};

struct target {
	struct jwt_opts o;
	struct rng r;
	int bug;
};

static const struct lab_class target_class;

static void target_key(lua_State *L, struct jwt_key *k, int bug)
{
	lua_getiuservalue(L, 1, 1);                     /* push the key */
	int idx = lua_gettop(L);
	if (bug == JWT_BUG_CONFUSION && lua_type(L, idx) == LUA_TSTRING) {
		/* the server keeps its public key as JWK text: parse it, and keep
		 * the text (what the bug feeds to HMAC) */
		size_t n;
		const char *s = lua_tolstring(L, idx, &n);
		struct jsonv v;
		const char *err;
		size_t at;
		if (jsonv_parse(s, n, &v, &err, &at) != 0)
			luaL_error(L, "lab.jwt.target: the key text is not JSON: %s", err);
		lua_newtable(L);                        /* push the JWK as a table */
		for (size_t i = 0; i < v.n && v.type == JSONV_OBJECT; i++) {
			if (v.items[i].type != JSONV_STRING)
				continue;
			lua_pushlstring(L, v.keys[i], v.keylens[i]);
			lua_pushlstring(L, v.items[i].str, v.items[i].len);
			lua_rawset(L, -3);
		}
		jsonv_free(&v);
		tokey(L, -1, k);
		k->secret = (const unsigned char *)s;
		k->secret_len = n;
		return;
	}
	tokey(L, idx, k);
}

static int m_target_verify(lua_State *L)
{
	struct target *t = lab_self(L, &target_class);
	luaL_checkstring(L, 2);
	struct jwt_key k;
	target_key(L, &k, t->bug);
	return verify_push(L, 2, &k, &t->o, NULL);
}

/* check(token) -> accepted, ns: the verdict and the simulated time of the
 * check, 2 us + 50 ns per signature character compared + jitter. Only the
 * eq_compare bug makes the count depend on the token. */
static int m_target_check(lua_State *L)
{
	struct target *t = lab_self(L, &target_class);
	luaL_checkstring(L, 2);
	struct jwt_key k;
	target_key(L, &k, t->bug);
	size_t compared = 0;
	int n = verify_push(L, 2, &k, &t->o, &compared);
	if (t->bug != JWT_BUG_EQ_COMPARE)
		compared = 43;                          /* read whole, whatever it holds */
	double ns = 2000 + 50.0 * (double)compared + rng_exponential(&t->r, 1.0 / 30);
	lua_pushboolean(L, n == 1);
	lua_pushnumber(L, ns);
	return 2;
}

static int m_target_tostring(lua_State *L)
{
	struct target *t = lab_self(L, &target_class);
	static const char *const names[] = {"none", "alg_none", "confusion", "no_exp", "no_nbf",
					    "no_aud", "eq_compare"};
	int i = 0;
	for (unsigned b = (unsigned)t->bug; b; b >>= 1)
		i++;
	lua_pushfstring(L, "lab.jwt.target(bug = %s)", names[i]);
	return 1;
}

static const luaL_Reg target_methods[] = {
	{"verify", m_target_verify}, {"check", m_target_check}, {NULL, NULL}};
static const luaL_Reg target_meta[] = {{"__tostring", m_target_tostring}, {NULL, NULL}};
static const struct lab_class target_class = {"lab.jwt.target", target_methods, target_meta,
					      NULL, 1}; /* user value 1: the key */

static int l_target(lua_State *L)
{
	static const int bugs[] = {0, JWT_BUG_ALG_NONE, JWT_BUG_CONFUSION, JWT_BUG_NO_EXP,
				   JWT_BUG_NO_NBF, JWT_BUG_NO_AUD, JWT_BUG_EQ_COMPARE};
	const struct lab_val *o = lab_opts(L, 1, "lab.jwt.target", target_opts);
	struct jwt_opts jo;
	read_opts(L, 1, o + 2, &jo);     /* the spec from algorithms on matches verify's */
	struct target *t = lab_newobj(L, &target_class, sizeof *t);     /* push object */
	t->o = jo;
	t->bug = bugs[o[0].choice];
	t->o.bugs = (unsigned)t->bug;
	rng_seed(&t->r, (uint64_t)o[8].i);
	lab_optpush(L, 1, "key");                        /* push key */
	if (lua_type(L, -1) != LUA_TSTRING && lua_type(L, -1) != LUA_TTABLE)
		return luaL_error(L, "lab.jwt.target: key must be a string or a JWK table");
	if (!lua_setiuservalue(L, -2, 1))
		return luaL_error(L, "lab.jwt.target: internal error (no user value)");
	return 1;
}

/* signature(input, key, alg): the base64url signature of the bytes INPUT. */
static int l_signature(lua_State *L)
{
	size_t len;
	const char *input = luaL_checklstring(L, 1, &len);
	luaL_checkany(L, 2);
	const char *algname = luaL_checkstring(L, 3);
	int alg = jwt_alg_parse(algname, strlen(algname));
	if (alg <= 0 || alg == JWT_ES256 || alg == JWT_ES512)
		return luaL_error(L, "lab.jwt.signature: alg must be HS256, HS384, HS512 or RS256");
	struct jwt_key k;
	tokey(L, 2, &k);
	unsigned char sig[512];
	size_t siglen;
	if (jwt_sign((enum jwt_alg)alg, &k, input, len, sig, &siglen) != JWT_OK)
		return luaL_error(L, "lab.jwt.signature: the key does not fit %s", algname);
	char text[700];
	base64_encode(sig, siglen, BASE64_URL, 0, text);
	lua_pushstring(L, text);
	return 1;
}

static const struct lab_opt jws_opts[] = {
	{"algorithms", LAB_TABLE, .required = 1, .help = "the allow-list"},
	{NULL},
};

/* verify_jws(token, key, {algorithms}): the signature only (RFC 7515); the
 * payload, as bytes, or nil, reason, detail. */
static int l_verify_jws(lua_State *L)
{
	size_t len;
	const char *tok = luaL_checklstring(L, 1, &len);
	luaL_checkany(L, 2);
	lab_opts(L, 3, "lab.jwt.verify_jws", jws_opts);
	struct jwt_opts jo = {0};
	jo.algs = read_algs(L, 3);
	jo.jws_only = 1;
	struct jwt_key k;
	tokey(L, 2, &k);
	struct jwt_token t;
	struct jwt_result r;
	enum jwt_err e = jwt_verify(tok, len, &k, &jo, &t, &r);
	jwt_token_free(&t);
	if (e != JWT_OK) {
		lua_pushnil(L);
		lua_pushstring(L, jwt_err_name(e));
		lua_pushstring(L, r.detail ? r.detail : jwt_err_name(e));
		return 3;
	}
	const char *d1 = memchr(tok, '.', len), *d2 = strrchr(tok, '.');
	size_t n, where;
	unsigned char *out = lua_newuserdatauv(L, len, 0);      /* push scratch */
	base64_decode(d1 + 1, (size_t)(d2 - d1 - 1), BASE64_URL, out, &n, &where);
	lua_pushlstring(L, (const char *)out, n);
	return 1;
}

static const luaL_Reg functions[] = {
	{"sign", l_sign},     {"verify", l_verify}, {"decode", l_decode},
	{"json", l_json},     {"target", l_target}, {"signature", l_signature},
	{"verify_jws", l_verify_jws},               {NULL, NULL},
};

const struct lab_namespace lab_ns_jwt = {
	.functions = functions,
	.classes = (const struct lab_class *const[]){&target_class, NULL},
	.options = (const struct lab_fnopts[]){
		{"verify", verify_opts}, {"target", target_opts}, {"verify_jws", jws_opts},
		{NULL, NULL}},
};
