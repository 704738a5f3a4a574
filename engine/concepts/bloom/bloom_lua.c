/*
 * bloom_lua.c — lab.bloom: the Lua binding of bloom.h.
 *
 *   local b = lab.bloom.new{bits = 1000, hashes = 7}
 *   b:add(x) b:has(x) -> true (maybe added) or false (never added)
 *   b:stats() b:bit(i) #b    lab.bloom.hash(x) -> h1, h2
 *   lab.bloom.fp_rate(m, k, n) lab.bloom.size(n, p) -> m, k
 *   local c = lab.bloom.counting{counters = 1000, hashes = 7, counter_bits = 4}
 *   c:add(x) c:remove(x) c:has(x) c:stats() c:counter(i) #c
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/bloom/bloom.h"
#include "engine/concepts/bloom/cbloom.h"

#include <math.h>

struct lbloom {
	struct bloom *b;
};

static void free_bloom(void *obj)
{
	struct lbloom *l = obj;
	bloom_free(l->b);
	l->b = NULL;
}

static const struct lab_class bloom_class;

/* The key at IDX: a string (anchored there) or an integer (a float with an
 * integral value counts). */
static struct bloom_key check_key(lua_State *L, int idx, const char *who)
{
	struct bloom_key k = {0};
	if (lua_type(L, idx) == LUA_TSTRING) {
		k.s = lua_tolstring(L, idx, &k.len);
	} else if (lua_isinteger(L, idx)) {
		k.i = lua_tointeger(L, idx);
	} else {
		lua_Number d = lua_type(L, idx) == LUA_TNUMBER ? lua_tonumber(L, idx) : 0.5;
		if (d != floor(d) || !(d >= -0x1p63 && d < 0x1p63))
			luaL_error(L, "%s: a key must be a string or an integer, not %s", who,
				   lua_type(L, idx) == LUA_TNUMBER ? "a fraction"
								   : luaL_typename(L, idx));
		k.i = (int64_t)d;
	}
	return k;
}

static const struct lab_opt new_opts[] = {
	{"bits", LAB_INT, .min = 1, .max = 4294967296.0, .required = 1,
	 .help = "m, the bits of the filter"},
	{"hashes", LAB_INT, .min = 1, .max = BLOOM_MAX_HASHES, .required = 1,
	 .help = "k, the bits each key sets"},
	{NULL},
};
enum { NEW_BITS, NEW_HASHES };

static int l_new(lua_State *L)
{
	const struct lab_val *o = lab_opts(L, 1, "lab.bloom.new", new_opts); /* push box */
	struct lbloom *l = lab_newobj(L, &bloom_class, sizeof *l);       /* push object */
	l->b = bloom_new((uint64_t)o[NEW_BITS].i, (int)o[NEW_HASHES].i);
	if (!l->b)
		return lab_fail(L, "lab.bloom.new: not enough memory for %I bits", o[NEW_BITS].i);
	return 1;
}

static int m_add(lua_State *L)
{
	struct lbloom *l = lab_self(L, &bloom_class);
	struct bloom_key k = check_key(L, 2, "b:add");
	bloom_add(l->b, &k);
	return 0;
}

static int m_has(lua_State *L)
{
	struct lbloom *l = lab_self(L, &bloom_class);
	struct bloom_key k = check_key(L, 2, "b:has");
	lua_pushboolean(L, bloom_has(l->b, &k));
	return 1;
}

static int m_bit(lua_State *L)
{
	struct lbloom *l = lab_self(L, &bloom_class);
	lua_Integer i = luaL_checkinteger(L, 2);
	luaL_argcheck(L, i >= 0 && (uint64_t)i < bloom_bits(l->b), 2, "bits are numbered 0 to m - 1");
	lua_pushboolean(L, bloom_bit(l->b, (uint64_t)i));
	return 1;
}

static int m_stats(lua_State *L)
{
	struct lbloom *l = lab_self(L, &bloom_class);
	uint64_t m = bloom_bits(l->b), n = bloom_added(l->b);
	int k = bloom_hashes(l->b);
	lua_createtable(L, 0, 6);                      /* push stats */
	lab_setint(L, "bits", (lua_Integer)m);
	lab_setint(L, "hashes", k);
	lab_setint(L, "added", (lua_Integer)n);
	lab_setint(L, "ones", (lua_Integer)bloom_ones(l->b));
	lab_setnum(L, "fill", (double)bloom_ones(l->b) / (double)m);
	lab_setnum(L, "fp_rate", bloom_fp_rate(m, k, n));
	return 1;
}

static int m_len(lua_State *L)
{
	lua_pushinteger(L, (lua_Integer)bloom_added(((struct lbloom *)lab_self(L, &bloom_class))->b));
	return 1;
}

static int m_tostring(lua_State *L)
{
	struct lbloom *l = lab_self(L, &bloom_class);
	lua_pushfstring(L, "lab.bloom(%I bits, %d hashes, %I added)", (lua_Integer)bloom_bits(l->b),
			bloom_hashes(l->b), (lua_Integer)bloom_added(l->b));
	return 1;
}

static int l_hash(lua_State *L)
{
	struct bloom_key k = check_key(L, 1, "lab.bloom.hash");
	uint64_t h1, h2;
	bloom_hash(&k, &h1, &h2);
	lua_pushinteger(L, (lua_Integer)h1);
	lua_pushinteger(L, (lua_Integer)h2);
	return 2;
}

static int l_fp_rate(lua_State *L)
{
	lua_Integer m = luaL_checkinteger(L, 1), k = luaL_checkinteger(L, 2);
	lua_Integer n = luaL_checkinteger(L, 3);
	luaL_argcheck(L, m >= 1, 1, "m must be at least 1");
	luaL_argcheck(L, k >= 1 && k <= BLOOM_MAX_HASHES, 2, "k must be between 1 and 64");
	luaL_argcheck(L, n >= 0, 3, "n must not be negative");
	lua_pushnumber(L, bloom_fp_rate((uint64_t)m, (int)k, (uint64_t)n));
	return 1;
}

/* size(n, p): the bits and hashes that give a false-positive rate of p
 * after n keys: m = ceil(-n ln p / (ln 2)^2), k = round(m / n ln 2). */
static int l_size(lua_State *L)
{
	lua_Integer n = luaL_checkinteger(L, 1);
	lua_Number p = luaL_checknumber(L, 2);
	luaL_argcheck(L, n >= 1 && n <= 1000000000, 1, "n must be between 1 and 10^9");
	luaL_argcheck(L, p > 0 && p < 1, 2, "p must be between 0 and 1");
	double m = ceil(-(double)n * log(p) / (log(2) * log(2)));
	double k = floor(m / (double)n * log(2) + 0.5);
	lua_pushinteger(L, (lua_Integer)m);
	lua_pushinteger(L, (lua_Integer)(k < 1 ? 1 : k > BLOOM_MAX_HASHES ? BLOOM_MAX_HASHES : k));
	return 2;
}

/* ---- the counting filter ---- */

struct lcbloom {
	struct cbloom *c;
};

static void free_cbloom(void *obj)
{
	struct lcbloom *l = obj;
	cbloom_free(l->c);
	l->c = NULL;
}

static const struct lab_class cbloom_class;

static const struct lab_opt counting_opts[] = {
	{"counters", LAB_INT, .min = 1, .max = 1073741824.0, .required = 1,
	 .help = "m, the counters of the filter"},
	{"hashes", LAB_INT, .min = 1, .max = BLOOM_MAX_HASHES, .required = 1,
	 .help = "k, the counters each key moves"},
	{"counter_bits", LAB_INT, 4, .min = 1, .max = 8,
	 .help = "c, bits a counter (it sticks at 2^c - 1)"},
	{NULL},
};
enum { C_COUNTERS, C_HASHES, C_BITS };

static int l_counting(lua_State *L)
{
	const struct lab_val *o = lab_opts(L, 1, "lab.bloom.counting", counting_opts); /* push box */
	struct lcbloom *l = lab_newobj(L, &cbloom_class, sizeof *l);           /* push object */
	l->c = cbloom_new((uint64_t)o[C_COUNTERS].i, (int)o[C_HASHES].i, (int)o[C_BITS].i);
	if (!l->c)
		return lab_fail(L, "lab.bloom.counting: not enough memory for %I counters",
				o[C_COUNTERS].i);
	return 1;
}

static int mc_add(lua_State *L)
{
	struct lcbloom *l = lab_self(L, &cbloom_class);
	struct bloom_key k = check_key(L, 2, "c:add");
	lua_pushinteger(L, cbloom_add(l->c, &k));
	return 1;
}

static int mc_remove(lua_State *L)
{
	struct lcbloom *l = lab_self(L, &cbloom_class);
	struct bloom_key k = check_key(L, 2, "c:remove");
	lua_pushboolean(L, cbloom_remove(l->c, &k) == 0);
	return 1;
}

static int mc_has(lua_State *L)
{
	struct lcbloom *l = lab_self(L, &cbloom_class);
	struct bloom_key k = check_key(L, 2, "c:has");
	lua_pushboolean(L, cbloom_has(l->c, &k));
	return 1;
}

static int mc_counter(lua_State *L)
{
	struct lcbloom *l = lab_self(L, &cbloom_class);
	struct cbloom_stats st;
	cbloom_stats(l->c, &st);
	lua_Integer i = luaL_checkinteger(L, 2);
	luaL_argcheck(L, i >= 0 && (uint64_t)i < st.counters, 2, "counters are numbered 0 to m - 1");
	lua_pushinteger(L, cbloom_counter(l->c, (uint64_t)i));
	return 1;
}

static int mc_stats(lua_State *L)
{
	struct lcbloom *l = lab_self(L, &cbloom_class);
	struct cbloom_stats st;
	cbloom_stats(l->c, &st);
	lua_createtable(L, 0, 9);
	lab_setint(L, "counters", (lua_Integer)st.counters);
	lab_setint(L, "hashes", st.hashes);
	lab_setint(L, "counter_bits", st.bits);
	lab_setint(L, "added", (lua_Integer)st.added);
	lab_setint(L, "removed", (lua_Integer)st.removed);
	lab_setint(L, "nonzero", (lua_Integer)st.nonzero);
	lab_setint(L, "saturated", (lua_Integer)st.saturated);
	lab_setint(L, "max", st.max);
	lab_setint(L, "bytes", (lua_Integer)st.bytes);
	return 1;
}

static int mc_len(lua_State *L)
{
	struct cbloom_stats st;
	cbloom_stats(((struct lcbloom *)lab_self(L, &cbloom_class))->c, &st);
	lua_pushinteger(L, (lua_Integer)(st.added - st.removed));
	return 1;
}

static int mc_tostring(lua_State *L)
{
	struct cbloom_stats st;
	cbloom_stats(((struct lcbloom *)lab_self(L, &cbloom_class))->c, &st);
	lua_pushfstring(L, "lab.bloom.counting(%I counters of %d bits, %d hashes)",
			(lua_Integer)st.counters, st.bits, st.hashes);
	return 1;
}

static const luaL_Reg cmethods[] = {
	{"add", mc_add},         {"remove", mc_remove}, {"has", mc_has},
	{"counter", mc_counter}, {"stats", mc_stats},   {NULL, NULL},
};

static const luaL_Reg cmetamethods[] = {
	{"__len", mc_len},
	{"__tostring", mc_tostring},
	{NULL, NULL},
};

static const struct lab_class cbloom_class = {
	.name = "lab.bloom.counting", .methods = cmethods, .metamethods = cmetamethods,
	.free = free_cbloom,
};

static const luaL_Reg methods[] = {
	{"add", m_add}, {"has", m_has}, {"bit", m_bit}, {"stats", m_stats}, {NULL, NULL},
};

static const luaL_Reg metamethods[] = {
	{"__len", m_len},
	{"__tostring", m_tostring},
	{NULL, NULL},
};

static const struct lab_class bloom_class = {
	.name = "lab.bloom", .methods = methods, .metamethods = metamethods, .free = free_bloom,
};

static const luaL_Reg functions[] = {
	{"new", l_new},         {"hash", l_hash}, {"fp_rate", l_fp_rate},
	{"size", l_size},       {"counting", l_counting}, {NULL, NULL},
};

const struct lab_namespace lab_ns_bloom = {
	.functions = functions,
	.classes = (const struct lab_class *const[]){&bloom_class, &cbloom_class, NULL},
	.options = (const struct lab_fnopts[]){{"new", new_opts}, {"counting", counting_opts},
					       {NULL, NULL}},
};
