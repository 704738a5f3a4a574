/*
 * pubkey_lua.c — lab.pubkey: TOY-SIZED Diffie–Hellman and RSA (toy.h),
 * for understanding only: numbers below 2^62, broken in milliseconds by
 * factor() and dlog().
 *
 *   lab.pubkey.powmod(b, e, m) mulmod(a, b, m) invmod(a, m) gcd(a, b) is_prime(n) next_prime(n)
 *   lab.pubkey.dh{p = 2147483647, g = 7, a = 1234, b = 5678}
 *   local k = lab.pubkey.rsa(61, 53 [, e])   -- {n =, e =, d =, p =, q =, phi =}
 *   lab.pubkey.encrypt(m, k) decrypt(c, k) sign(m, k) verify(m, s, k)
 *   lab.pubkey.factor(n) -> p, q       lab.pubkey.dlog(g, y, p) -> x
 *   lab.pubkey.pad(m, r) unpad(x)
 *
 * Numbers are Lua integers in 0 .. 2^62.
 */
#include "engine/concepts/pubkey/toy.h"
#include "engine/lab/labkit.h"

static uint64_t checknum(lua_State *L, int arg, const char *what)
{
	lua_Integer v = luaL_checkinteger(L, arg);
	if (v < 0 || (uint64_t)v > TOY_MAX)
		luaL_argerror(L, arg, lua_pushfstring(L, "%s must be between 0 and 2^62 (toy sizes)", what));
	return (uint64_t)v;
}

static uint64_t checkmod(lua_State *L, int arg)
{
	uint64_t m = checknum(L, arg, "the modulus");
	luaL_argcheck(L, m >= 2, arg, "the modulus must be at least 2");
	return m;
}

static int l_powmod(lua_State *L)
{
	uint64_t b = checknum(L, 1, "the base"), e = checknum(L, 2, "the exponent");
	lua_pushinteger(L, (lua_Integer)toy_powmod(b, e, checkmod(L, 3)));
	return 1;
}

static int l_mulmod(lua_State *L)
{
	uint64_t a = checknum(L, 1, "a"), b = checknum(L, 2, "b");
	lua_pushinteger(L, (lua_Integer)toy_mulmod(a, b, checkmod(L, 3)));
	return 1;
}

static int l_invmod(lua_State *L)
{
	uint64_t a = checknum(L, 1, "a"), m = checkmod(L, 2), x = toy_invmod(a, m);
	if (x == 0)
		lua_pushnil(L);
	else
		lua_pushinteger(L, (lua_Integer)x);
	return 1;
}

static int l_gcd(lua_State *L)
{
	lua_pushinteger(L, (lua_Integer)toy_gcd(checknum(L, 1, "a"), checknum(L, 2, "b")));
	return 1;
}

static int l_is_prime(lua_State *L)
{
	lua_pushboolean(L, toy_is_prime(checknum(L, 1, "n")));
	return 1;
}

static int l_next_prime(lua_State *L)
{
	uint64_t p = toy_next_prime(checknum(L, 1, "n"));
	if (!p)
		return luaL_error(L, "lab.pubkey.next_prime: no toy prime above that");
	lua_pushinteger(L, (lua_Integer)p);
	return 1;
}

static int l_factor(lua_State *L)
{
	uint64_t n = checknum(L, 1, "n"), f = toy_factor(n);
	lab_poll(L);
	if (!f) {
		lua_pushnil(L);
		return 1;
	}
	uint64_t a = f < n / f ? f : n / f;
	lua_pushinteger(L, (lua_Integer)a);
	lua_pushinteger(L, (lua_Integer)(n / a));
	return 2;
}

static int l_dlog(lua_State *L)
{
	uint64_t g = checknum(L, 1, "g"), y = checknum(L, 2, "y"), p = checkmod(L, 3);
	int64_t x = toy_dlog(g, y, p);
	lab_poll(L);
	if (x == -2)
		return lab_fail(L, "lab.pubkey.dlog: p must be below 2^40 (and memory for sqrt(p) entries)");
	if (x < 0)
		lua_pushnil(L);
	else
		lua_pushinteger(L, (lua_Integer)x);
	return 1;
}

static const struct lab_opt dh_opts[] = {
	{"p", LAB_INT, .required = 1, .min = 3, .max = 4611686018427387904.0,
	 .help = "the prime modulus (public)"},
	{"g", LAB_INT, .required = 1, .min = 2, .max = 4611686018427387904.0,
	 .help = "the generator (public)"},
	{"a", LAB_INT, .required = 1, .min = 1, .max = 4611686018427387904.0,
	 .help = "Alice's secret exponent"},
	{"b", LAB_INT, .required = 1, .min = 1, .max = 4611686018427387904.0,
	 .help = "Bob's secret exponent"},
	{NULL},
};

static int l_dh(lua_State *L)
{
	const struct lab_val *o = lab_opts(L, 1, "lab.pubkey.dh", dh_opts);
	uint64_t p = (uint64_t)o[0].i, g = (uint64_t)o[1].i, a = (uint64_t)o[2].i;
	uint64_t b = (uint64_t)o[3].i;
	if (!toy_is_prime(p))
		return luaL_error(L, "lab.pubkey.dh: p must be prime");
	uint64_t A = toy_powmod(g, a, p), B = toy_powmod(g, b, p);
	lua_createtable(L, 0, 8);
	lab_setint(L, "p", (lua_Integer)p);
	lab_setint(L, "g", (lua_Integer)g);
	lab_setint(L, "A", (lua_Integer)A);   /* g^a, sent in the clear */
	lab_setint(L, "B", (lua_Integer)B);   /* g^b, sent in the clear */
	lab_setint(L, "alice", (lua_Integer)toy_powmod(B, a, p)); /* B^a */
	lab_setint(L, "bob", (lua_Integer)toy_powmod(A, b, p));   /* A^b */
	return 1;
}

#define KF(m) LAB_F(struct toy_rsa, m)
static const struct lab_field key_fields[] = {
	KF(p), KF(q), KF(n), KF(phi), KF(e), KF(d), {NULL},
};

static int l_rsa(lua_State *L)
{
	uint64_t p = checknum(L, 1, "p"), q = checknum(L, 2, "q");
	uint64_t e = lua_isnoneornil(L, 3) ? 65537 : checknum(L, 3, "e");
	struct toy_rsa k;
	switch (toy_rsa_key(&k, p, q, e)) {
	case TOY_OK: break;
	case TOY_ENOTPRIME: return luaL_error(L, "lab.pubkey.rsa: p and q must be prime");
	case TOY_ESAME: return luaL_error(L, "lab.pubkey.rsa: p and q must differ");
	case TOY_EBIG: return luaL_error(L, "lab.pubkey.rsa: n = p * q must be below 2^62 (toy sizes)");
	case TOY_EE: return luaL_error(L, "lab.pubkey.rsa: e must be in 1 < e < phi and coprime with phi = (p-1)(q-1) = %I", (lua_Integer)((p - 1) * (q - 1)));
	}
	lab_pushfields(L, &k, key_fields);
	lab_setbool(L, "toy", 1);
	return 1;
}

/* Field NAME of the key table at IDX, read raw. */
static uint64_t keyfield(lua_State *L, int idx, const char *name, const char *who)
{
	luaL_checktype(L, idx, LUA_TTABLE);
	lua_pushstring(L, name);
	lua_rawget(L, idx);                       /* push key[name] */
	int ok;
	lua_Integer v = lua_tointegerx(L, -1, &ok);
	lua_pop(L, 1);
	if (!ok || v < 0 || (uint64_t)v > TOY_MAX)
		luaL_error(L, "%s: the key needs an integer field '%s' (from lab.pubkey.rsa)", who, name);
	return (uint64_t)v;
}

/* x^(key[expname]) mod key.n, for encrypt/decrypt/sign. */
static int rsa_op(lua_State *L, const char *exp, const char *who)
{
	uint64_t x = checknum(L, 1, "the number");
	uint64_t n = keyfield(L, 2, "n", who), k = keyfield(L, 2, exp, who);
	if (n < 2)
		return luaL_error(L, "%s: n must be at least 2", who);
	if (x >= n)
		return luaL_error(L, "%s: the number must be below n = %I (RSA works mod n)", who,
				  (lua_Integer)n);
	lua_pushinteger(L, (lua_Integer)toy_powmod(x, k, n));
	return 1;
}

static int l_encrypt(lua_State *L) { return rsa_op(L, "e", "lab.pubkey.encrypt"); }
static int l_decrypt(lua_State *L) { return rsa_op(L, "d", "lab.pubkey.decrypt"); }
static int l_sign(lua_State *L) { return rsa_op(L, "d", "lab.pubkey.sign"); }

static int l_verify(lua_State *L)
{
	uint64_t m = checknum(L, 1, "the message"), s = checknum(L, 2, "the signature");
	uint64_t n = keyfield(L, 3, "n", "lab.pubkey.verify");
	uint64_t e = keyfield(L, 3, "e", "lab.pubkey.verify");
	lua_pushboolean(L, n >= 2 && s < n && m < n && toy_powmod(s, e, n) == m);
	return 1;
}

static int l_pad(lua_State *L)
{
	lua_Integer m = luaL_checkinteger(L, 1), r = luaL_checkinteger(L, 2);
	luaL_argcheck(L, m >= 0 && m < (1 << 24), 1, "the toy padding holds messages below 2^24");
	luaL_argcheck(L, r >= 0 && r <= 0xffffffffLL, 2, "r is 32 random bits");
	lua_pushinteger(L, (lua_Integer)toy_pad((uint64_t)m, (uint32_t)r));
	return 1;
}

static int l_unpad(lua_State *L)
{
	int64_t m = toy_unpad((uint64_t)luaL_checkinteger(L, 1));
	if (m < 0) {
		lua_pushnil(L);
		lua_pushliteral(L, "bad padding: the top byte is not 01");
		return 2;
	}
	lua_pushinteger(L, (lua_Integer)m);
	return 1;
}

static const luaL_Reg functions[] = {
	{"powmod", l_powmod},   {"mulmod", l_mulmod},   {"invmod", l_invmod},   {"gcd", l_gcd},
	{"is_prime", l_is_prime}, {"next_prime", l_next_prime}, {"factor", l_factor},
	{"dlog", l_dlog},       {"dh", l_dh},           {"rsa", l_rsa},
	{"encrypt", l_encrypt}, {"decrypt", l_decrypt}, {"sign", l_sign},
	{"verify", l_verify},   {"pad", l_pad},         {"unpad", l_unpad},
	{NULL, NULL},
};

const struct lab_namespace lab_ns_pubkey = {
	.functions = functions,
	.options = (const struct lab_fnopts[]){{"dh", dh_opts}, {NULL, NULL}},
};
