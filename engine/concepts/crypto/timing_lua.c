/*
 * timing_lua.c — lab.crypto.timing: the timing-attack lab (timing.h).
 *
 *   local server = lab.crypto.timing{secret = "3f9a...", compare = "leaky", seed = 1}
 *   local ok, ns = server:check(guess)    -- accepted?, simulated time (ns)
 *   server:calls()                        -- how many checks so far
 *
 * The secret never comes back out: an attack has only check().
 */
#include "engine/concepts/crypto/timing.h"
#include "engine/concepts/crypto/crypto_lua.h"

const struct lab_opt crypto_timing_opts[] = {
	{"secret", LAB_STR, .required = 1, .help = "the token the server accepts"},
	{"compare", LAB_ENUM, .str = "leaky", .choices = "leaky constant",
	 .help = "leaky: stops at the first difference; constant: reads every byte"},
	{"seed", LAB_INT, .num = 1, .help = "seed of the noise"},
	{"base", LAB_NUM, .num = 2000, .min = 0, .max = 1e9, .help = "ns of every check"},
	{"per_byte", LAB_NUM, .num = 15, .min = 0, .max = 1e6, .help = "ns per byte compared"},
	{"noise", LAB_NUM, .num = 30, .min = 0, .max = 1e9, .help = "mean ns of exponential jitter"},
	{NULL},
};
enum { T_SECRET, T_COMPARE, T_SEED, T_BASE, T_PER_BYTE, T_NOISE };

static void free_timing(void *obj)
{
	timing_free(obj);
}


static int m_check(lua_State *L)
{
	struct timing_oracle *o = lab_self(L, &crypto_timing_class);
	size_t len;
	const char *g = luaL_checklstring(L, 2, &len);
	int ok;
	double ns = timing_check(o, g, len, &ok);
	lua_pushboolean(L, ok);
	lua_pushnumber(L, ns);
	return 2;
}

static int m_calls(lua_State *L)
{
	struct timing_oracle *o = lab_self(L, &crypto_timing_class);
	lua_pushinteger(L, (lua_Integer)o->calls);
	return 1;
}

static int m_tostring(lua_State *L)
{
	struct timing_oracle *o = lab_self(L, &crypto_timing_class);
	lua_pushfstring(L, "lab.crypto.timing(%s, %d-byte secret, %I calls)",
			o->mode == TIMING_LEAKY ? "leaky" : "constant", (int)o->len,
			(lua_Integer)o->calls);
	return 1;
}

static const luaL_Reg methods[] = {{"check", m_check}, {"calls", m_calls}, {NULL, NULL}};
static const luaL_Reg metamethods[] = {{"__tostring", m_tostring}, {NULL, NULL}};
const struct lab_class crypto_timing_class = {"lab.crypto.timing", methods, metamethods,
					    free_timing, 0};

int crypto_timing_new(lua_State *L)
{
	const struct lab_val *o = lab_opts(L, 1, "lab.crypto.timing", crypto_timing_opts);
	struct timing_oracle *t = lab_newobj(L, &crypto_timing_class, sizeof *t);
	if (timing_init(t, o[T_SECRET].s, o[T_SECRET].len,
			o[T_COMPARE].choice ? TIMING_CONSTANT : TIMING_LEAKY, o[T_BASE].num,
			o[T_PER_BYTE].num, o[T_NOISE].num, (uint64_t)o[T_SEED].i) != 0)
		return lab_fail(L, "lab.crypto.timing: not enough memory");
	return 1;
}

