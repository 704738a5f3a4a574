/*
 * idem_lua.c — lab.idem: the Lua binding of idem.h.
 *
 *   local s = lab.idem.new{ttl = 86400}
 *   s:begin(key, request, now) -> "new" | "replay", status, body
 *                                | "conflict" | "mismatch"
 *   s:finish(key, status, body) s:abandon(key) s:stats()
 *   lab.idem.simulate{payments =, loss =, retries =, slow =, keys =, seed =}
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/idem/idem.h"

#include <math.h>

static const struct lab_opt new_opts[] = {
	{"ttl", LAB_NUM, .num = 86400, .min = 0, .max = 1e9, .flags = LAB_ABOVE,
	 .help = "seconds a key lives after it is first seen"},
	{NULL},
};

struct sim_config {
	int64_t payments, retries, seed;
	double loss, slow;
	int keys;
};

static const struct lab_opt sim_opts[] = {
	{"payments", LAB_INT, .num = 1000, .min = 0, .max = 1e6, .help = "payments the client makes",
	 LAB_INTO(struct sim_config, payments)},
	{"loss", LAB_NUM, .num = 0.1, .min = 0, .max = 1,
	 .help = "chance a request, or a response, is lost", LAB_INTO(struct sim_config, loss)},
	{"retries", LAB_INT, .num = 3, .min = 0, .max = 100, .help = "retries after a timeout",
	 LAB_INTO(struct sim_config, retries)},
	{"slow", LAB_NUM, .num = 0, .min = 0, .max = 1,
	 .help = "chance the first attempt outlasts the client's timeout",
	 LAB_INTO(struct sim_config, slow)},
	{"keys", LAB_BOOL, .num = 1, .help = "send an Idempotency-Key", LAB_INTO(struct sim_config, keys)},
	{"seed", LAB_INT, .num = 1, .help = "seed of the losses", LAB_INTO(struct sim_config, seed)},
	{NULL},
};

static void free_store(void *obj)
{
	idem_free(obj);
}

static const struct lab_class store_class;

static int l_new(lua_State *L)
{
	const struct lab_val *v = lab_opts(L, 1, "lab.idem.new", new_opts);
	struct idem_store *s = lab_newobj(L, &store_class, sizeof *s); /* push store */
	idem_init(s, v[0].num);
	return 1;
}

static const char *check_key(lua_State *L, int idx, size_t *len)
{
	const char *k = luaL_checklstring(L, idx, len);
	if (*len == 0 || *len > 255)
		luaL_error(L, "lab.idem: a key is 1 to 255 bytes (got %I)", (lua_Integer)*len);
	return k;
}

static int m_begin(lua_State *L)
{
	struct idem_store *s = lab_self(L, &store_class);
	size_t klen, rlen;
	const char *key = check_key(L, 2, &klen);
	const char *req = luaL_checklstring(L, 3, &rlen);
	double now = luaL_checknumber(L, 4);
	if (!isfinite(now))
		return luaL_error(L, "lab.idem: begin: the time must be a finite number");
	enum idem_outcome out;
	const struct idem_entry *e;
	if (idem_begin(s, key, klen, idem_fingerprint(req, rlen), now, &out, &e) != 0)
		return lab_fail(L, "lab.idem: begin: not enough memory");
	static const char *const names[] = {"new", "replay", "conflict", "mismatch"};
	lua_pushstring(L, names[out]);
	if (out != IDEM_REPLAY)
		return 1;
	lua_pushinteger(L, e->status);
	lua_pushlstring(L, e->body, e->blen);
	return 3;
}

static int m_finish(lua_State *L)
{
	struct idem_store *s = lab_self(L, &store_class);
	size_t klen, blen;
	const char *key = check_key(L, 2, &klen);
	lua_Integer status = luaL_checkinteger(L, 3);
	luaL_argcheck(L, status >= 100 && status <= 599, 3, "a status is 100 to 599");
	const char *body = luaL_optlstring(L, 4, "", &blen);
	int rc = idem_finish(s, key, klen, (int)status, body, blen);
	if (rc < 0)
		return lab_fail(L, "lab.idem: finish: not enough memory");
	lua_pushboolean(L, rc);
	return 1;
}

static int m_abandon(lua_State *L)
{
	struct idem_store *s = lab_self(L, &store_class);
	size_t klen;
	const char *key = check_key(L, 2, &klen);
	lua_pushboolean(L, idem_abandon(s, key, klen));
	return 1;
}

static int m_stats(lua_State *L)
{
	struct idem_store *s = lab_self(L, &store_class);
	lua_createtable(L, 0, 6);
	lab_setint(L, "new", (lua_Integer)s->stats.fresh);
	lab_setint(L, "replays", (lua_Integer)s->stats.replays);
	lab_setint(L, "conflicts", (lua_Integer)s->stats.conflicts);
	lab_setint(L, "mismatches", (lua_Integer)s->stats.mismatches);
	lab_setint(L, "expired", (lua_Integer)s->stats.expired);
	lab_setint(L, "keys", (lua_Integer)s->n);
	return 1;
}

static int m_tostring(lua_State *L)
{
	struct idem_store *s = lab_self(L, &store_class);
	lua_pushfstring(L, "lab.idem (%I keys, ttl %f s)", (lua_Integer)s->n, s->ttl);
	return 1;
}

static int l_simulate(lua_State *L)
{
	struct sim_config c;
	lab_opts_into(L, 1, "lab.idem.simulate", sim_opts, &c, 0);
	struct idem_sim sim = {.payments = (size_t)c.payments, .retries = (size_t)c.retries,
			       .loss = c.loss, .slow = c.slow, .keys = c.keys,
			       .seed = (uint64_t)c.seed};
	if (idem_simulate(&sim) != 0)
		return lab_fail(L, "lab.idem.simulate: not enough memory");
	lua_createtable(L, 0, 6);
	lab_setint(L, "attempts", (lua_Integer)sim.attempts);
	lab_setint(L, "charges", (lua_Integer)sim.charges);
	lab_setint(L, "doubled", (lua_Integer)sim.doubled);
	lab_setint(L, "confirmed", (lua_Integer)sim.confirmed);
	lab_setint(L, "conflicts", (lua_Integer)sim.conflicts);
	lab_setint(L, "unconfirmed", (lua_Integer)(sim.payments - sim.confirmed));
	return 1;
}

static const luaL_Reg methods[] = {
	{"begin", m_begin}, {"finish", m_finish}, {"abandon", m_abandon}, {"stats", m_stats},
	{NULL, NULL},
};

static const luaL_Reg metamethods[] = {{"__tostring", m_tostring}, {NULL, NULL}};

static const struct lab_class store_class = {
	.name = "lab.idem", .methods = methods, .metamethods = metamethods, .free = free_store};

static const luaL_Reg functions[] = {{"new", l_new}, {"simulate", l_simulate}, {NULL, NULL}};

const struct lab_namespace lab_ns_idem = {
	.functions = functions,
	.classes = (const struct lab_class *const[]){&store_class, NULL},
	.options = (const struct lab_fnopts[]){{"new", new_opts}, {"simulate", sim_opts}, {NULL}},
};
