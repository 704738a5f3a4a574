/*
 * log_lua.c — lab.log: the Lua binding of log.h.
 *
 *   local lg = lab.log.new{partitions = 3}
 *   lg:produce(key, value [, partition]) -> partition, offset
 *   lg:read(p, offset [, max]) lg:offsets(p) lg:retain(keep) lg:compact(drop)
 *   local g = lg:group{assignor = "range"}
 *   g:join(m) g:leave(m) g:crash(m) g:poll(m, max) g:commit(m)
 *   g:assignment() g:committed(p) g:position(p) g:lag() g:stats()
 *   lab.log.murmur2(s) lab.log.partition(key, n) lab.log.simulate{...}
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/log/log.h"

#include <string.h>

static const struct lab_opt new_opts[] = {
	{"partitions", LAB_INT, .num = 3, .min = 1, .max = 10000, .help = "partitions of the topic"},
	{"partitioner", LAB_ENUM, .str = "murmur2", .choices = "murmur2 roundrobin",
	 .help = "keyed records by murmur2(key) mod n, or every record round robin"},
	{NULL},
};

static const struct lab_opt group_opts[] = {
	{"assignor", LAB_ENUM, .str = "range", .choices = "range roundrobin sticky",
	 .help = "how partitions are shared at a rebalance"},
	{"reset", LAB_ENUM, .str = "earliest", .choices = "earliest latest",
	 .help = "where a partition without a committed offset is read from (Kafka's default: latest)"},
	{NULL},
};

struct sim_config {
	int64_t messages, partitions, consumers, batch, seed;
	double crash;
	int commit, assignor;
};

static const struct lab_opt sim_opts[] = {
	{"messages", LAB_INT, .num = 1000, .min = 0, .max = 1e7, .help = "records produced",
	 LAB_INTO(struct sim_config, messages)},
	{"partitions", LAB_INT, .num = 6, .min = 1, .max = 1000, .help = "partitions",
	 LAB_INTO(struct sim_config, partitions)},
	{"consumers", LAB_INT, .num = 3, .min = 1, .max = 1000, .help = "members of the group",
	 LAB_INTO(struct sim_config, consumers)},
	{"batch", LAB_INT, .num = 10, .min = 1, .max = 10000, .help = "records a poll returns",
	 LAB_INTO(struct sim_config, batch)},
	{"crash", LAB_NUM, .num = 0.05, .min = 0, .max = 0.9,
	 .help = "chance a member crashes while processing a batch", LAB_INTO(struct sim_config, crash)},
	{"commit", LAB_ENUM, .str = "after", .choices = "before after",
	 .help = "commit the batch's offsets before or after processing it",
	 LAB_INTO(struct sim_config, commit)},
	{"assignor", LAB_ENUM, .str = "range", .choices = "range roundrobin sticky",
	 .help = "the group's assignor", LAB_INTO(struct sim_config, assignor)},
	{"seed", LAB_INT, .num = 1, .help = "seed of the crashes", LAB_INTO(struct sim_config, seed)},
	{NULL},
};

struct lg_obj {
	struct plog l;
};

struct group_obj {
	struct plog_group g;
};

static void free_log(void *obj)
{
	plog_free(&((struct lg_obj *)obj)->l);
}

static void free_group(void *obj)
{
	plog_group_free(&((struct group_obj *)obj)->g);
}

static const struct lab_class log_class, group_class;

static int l_new(lua_State *L)
{
	const struct lab_val *v = lab_opts(L, 1, "lab.log.new", new_opts);
	struct lg_obj *o = lab_newobj(L, &log_class, sizeof *o); /* push log */
	if (plog_init(&o->l, (uint32_t)v[0].i, (enum plog_partitioner)v[1].choice))
		return lab_fail(L, "lab.log.new: not enough memory");
	return 1;
}

/* A partition number (from 0) at IDX. */
static uint32_t check_part(lua_State *L, const struct plog *l, int idx, const char *who)
{
	lua_Integer p = luaL_checkinteger(L, idx);
	if (p < 0 || p >= (lua_Integer)l->nparts)
		luaL_error(L, "lab.log: %s: no partition %I (partitions are 0 to %I)", who, p,
			   (lua_Integer)l->nparts - 1);
	return (uint32_t)p;
}

static int m_produce(lua_State *L)
{
	struct plog *l = &((struct lg_obj *)lab_self(L, &log_class))->l;
	size_t klen = 0, vlen = 0;
	const char *key = lua_isnil(L, 2) ? NULL : luaL_checklstring(L, 2, &klen);
	const char *val = lua_isnoneornil(L, 3) ? NULL : luaL_checklstring(L, 3, &vlen);
	if (!key && !val)
		return luaL_error(L, "lab.log: produce: a tombstone (no value) needs a key");
	long part = lua_isnoneornil(L, 4) ? -1 : (long)check_part(L, l, 4, "produce");
	uint32_t p;
	uint64_t off;
	if (plog_produce(l, part, key, klen, val, vlen, &p, &off))
		return lab_fail(L, "lab.log: produce: not enough memory");
	lua_pushinteger(L, p);
	lua_pushinteger(L, (lua_Integer)off);
	return 2;
}

/* Pushes record R as {offset =, key =, value =} (plus partition P when
 * P >= 0). */
static void push_rec(lua_State *L, const struct plog_rec *r, long p)
{
	lua_createtable(L, 0, 4);
	if (p >= 0)
		lab_setint(L, "partition", p);
	lab_setint(L, "offset", (lua_Integer)r->offset);
	if (r->key) {
		lua_pushlstring(L, r->key, r->klen);
		lua_setfield(L, -2, "key");
	}
	if (r->value) {
		lua_pushlstring(L, r->value, r->vlen);
		lua_setfield(L, -2, "value");
	}
}

static int m_read(lua_State *L)
{
	struct plog *l = &((struct lg_obj *)lab_self(L, &log_class))->l;
	const struct plog_part *pp = &l->p[check_part(L, l, 2, "read")];
	lua_Integer from = luaL_optinteger(L, 3, 0);
	lua_Integer max = luaL_optinteger(L, 4, 1000000);
	lua_newtable(L);
	lua_Integer n = 0;
	for (size_t k = plog_seek(pp, from < 0 ? 0 : (uint64_t)from); k < pp->n && n < max; k++) {
		push_rec(L, &pp->r[k], -1);
		lua_rawseti(L, -2, ++n);
	}
	return 1;
}

static int m_offsets(lua_State *L)
{
	struct plog *l = &((struct lg_obj *)lab_self(L, &log_class))->l;
	const struct plog_part *pp = &l->p[check_part(L, l, 2, "offsets")];
	lua_pushinteger(L, (lua_Integer)pp->start);
	lua_pushinteger(L, (lua_Integer)pp->end);
	lua_pushinteger(L, (lua_Integer)pp->n);
	return 3;
}

static int m_retain(lua_State *L)
{
	struct plog *l = &((struct lg_obj *)lab_self(L, &log_class))->l;
	lua_Integer keep = luaL_checkinteger(L, 2);
	luaL_argcheck(L, keep >= 0, 2, "records to keep must be 0 or more");
	lua_Integer removed = 0;
	for (uint32_t p = 0; p < l->nparts; p++)
		removed += (lua_Integer)plog_retain(&l->p[p], (size_t)keep);
	lua_pushinteger(L, removed);
	return 1;
}

static int m_compact(lua_State *L)
{
	struct plog *l = &((struct lg_obj *)lab_self(L, &log_class))->l;
	int drop = lua_toboolean(L, 2);
	lua_Integer removed = 0;
	for (uint32_t p = 0; p < l->nparts; p++) {
		long r = plog_compact(&l->p[p], drop);
		if (r < 0)
			return lab_fail(L, "lab.log: compact: not enough memory");
		removed += r;
	}
	lua_pushinteger(L, removed);
	return 1;
}

static int m_group(lua_State *L)
{
	struct plog *l = &((struct lg_obj *)lab_self(L, &log_class))->l;
	const struct lab_val *v = lab_opts(L, 2, "lg:group", group_opts);
	struct group_obj *o = lab_newobj(L, &group_class, sizeof *o); /* push group */
	if (plog_group_init(&o->g, l, (enum plog_assignor)v[0].choice, (enum plog_reset)v[1].choice))
		return lab_fail(L, "lab.log: group: not enough memory");
	lua_pushvalue(L, 1);
	lua_setiuservalue(L, -2, 1);                       /* the group keeps its log */
	return 1;
}

static int m_logtostring(lua_State *L)
{
	struct plog *l = &((struct lg_obj *)lab_self(L, &log_class))->l;
	lua_pushfstring(L, "lab.log (%I partitions)", (lua_Integer)l->nparts);
	return 1;
}

/* ---- groups ---- */

static struct plog_group *self_group(lua_State *L)
{
	return &((struct group_obj *)lab_self(L, &group_class))->g;
}

/* A member name at IDX: 1 to 255 bytes, no NUL. */
static const char *check_name(lua_State *L, int idx)
{
	size_t n;
	const char *s = luaL_checklstring(L, idx, &n);
	if (n == 0 || n > 255 || strlen(s) != n)
		luaL_error(L, "lab.log: a member name is 1 to 255 bytes, without NUL");
	return s;
}

/* The index of the member named at IDX; raises if it is none. */
static long check_member(lua_State *L, struct plog_group *g, int idx, const char *who)
{
	const char *name = check_name(L, idx);
	long m = plog_member(g, name);
	if (m < 0)
		luaL_error(L, "lab.log: %s: '%s' is not a member of the group", who, name);
	return m;
}

static int m_join(lua_State *L)
{
	struct plog_group *g = self_group(L);
	int rc = plog_join(g, check_name(L, 2));
	if (rc < 0)
		return lab_fail(L, "lab.log: join: not enough memory");
	lua_pushboolean(L, rc);
	return 1;
}

static int m_leave(lua_State *L)
{
	struct plog_group *g = self_group(L);
	int rc = plog_leave(g, check_name(L, 2));
	if (rc < 0)
		return lab_fail(L, "lab.log: leave: not enough memory");
	lua_pushboolean(L, rc);
	return 1;
}

static int m_crash(lua_State *L)
{
	struct plog_group *g = self_group(L);
	plog_restart(g, check_member(L, g, 2, "crash"));
	return 0;
}

static int m_poll(lua_State *L)
{
	struct plog_group *g = self_group(L);
	long m = check_member(L, g, 2, "poll");
	lua_Integer max = luaL_optinteger(L, 3, 500);
	luaL_argcheck(L, max >= 1 && max <= 100000, 3, "max is 1 to 100000");
	struct plog_fetch *out = lab_scratch(L, (size_t)max * sizeof *out); /* push */
	size_t n = plog_poll(g, m, (size_t)max, out);
	lua_createtable(L, (int)n, 0);
	for (size_t k = 0; k < n; k++) {
		push_rec(L, out[k].rec, (long)out[k].part);
		lua_rawseti(L, -2, (lua_Integer)k + 1);
	}
	return 1;
}

static int m_commit(lua_State *L)
{
	struct plog_group *g = self_group(L);
	plog_commit(g, check_member(L, g, 2, "commit"));
	return 0;
}

static int m_assignment(lua_State *L)
{
	struct plog_group *g = self_group(L);
	lua_createtable(L, 0, (int)g->nmembers);
	for (size_t i = 0; i < g->nmembers; i++) {
		lua_newtable(L);
		lua_Integer n = 0;
		for (uint32_t p = 0; p < g->l->nparts; p++)
			if (g->owner[p] == (long)i) {
				lua_pushinteger(L, p);
				lua_rawseti(L, -2, ++n);
			}
		lua_setfield(L, -2, g->members[i]);
	}
	return 1;
}

static int m_committed(lua_State *L)
{
	struct plog_group *g = self_group(L);
	uint32_t p = check_part(L, g->l, 2, "committed");
	if (g->committed[p] == UINT64_MAX)
		lua_pushnil(L);
	else
		lua_pushinteger(L, (lua_Integer)g->committed[p]);
	return 1;
}

static int m_position(lua_State *L)
{
	struct plog_group *g = self_group(L);
	uint32_t p = check_part(L, g->l, 2, "position");
	if (g->owner[p] < 0)
		lua_pushnil(L);
	else
		lua_pushinteger(L, (lua_Integer)g->position[p]);
	return 1;
}

static int m_lag(lua_State *L)
{
	struct plog_group *g = self_group(L);
	lua_Integer total = 0;
	lua_createtable(L, 0, (int)g->l->nparts + 1);
	for (uint32_t p = 0; p < g->l->nparts; p++) {
		const struct plog_part *pp = &g->l->p[p];
		uint64_t from = g->committed[p] == UINT64_MAX ? pp->start : g->committed[p];
		if (from < pp->start)
			from = pp->start;
		lua_Integer lag = (lua_Integer)(pp->end - from);
		total += lag;
		lua_pushinteger(L, lag);
		lua_rawseti(L, -2, p);
	}
	lab_setint(L, "total", total);
	return 1;
}

static int m_gstats(lua_State *L)
{
	struct plog_group *g = self_group(L);
	lua_createtable(L, 0, 3);
	lab_setint(L, "generation", (lua_Integer)g->generation);
	lab_setint(L, "moved", (lua_Integer)g->moved);
	lab_setint(L, "members", (lua_Integer)g->nmembers);
	return 1;
}

/* ---- functions ---- */

static int l_murmur2(lua_State *L)
{
	size_t n;
	const char *s = luaL_checklstring(L, 1, &n);
	lua_pushinteger(L, plog_murmur2(s, n));
	return 1;
}

static int l_partition(lua_State *L)
{
	size_t n;
	const char *s = luaL_checklstring(L, 1, &n);
	lua_Integer parts = luaL_checkinteger(L, 2);
	luaL_argcheck(L, parts >= 1 && parts <= 1000000, 2, "partitions are 1 to 1000000");
	lua_pushinteger(L, plog_partition_for(s, n, (uint32_t)parts));
	return 1;
}

static const char *const when_names[] = {"before", "after", NULL};

static const struct lab_field sim_fields[] = {
	LAB_F(struct plog_sim, messages), LAB_F(struct plog_sim, processed),
	LAB_F(struct plog_sim, distinct), LAB_F(struct plog_sim, duplicates),
	LAB_F(struct plog_sim, lost), LAB_F(struct plog_sim, crashes),
	LAB_F(struct plog_sim, rebalances), LAB_F(struct plog_sim, polls),
	LAB_FNAME("commit", struct plog_sim, commit, when_names), {NULL},
};

static int l_simulate(lua_State *L)
{
	struct sim_config c;
	lab_opts_into(L, 1, "lab.log.simulate", sim_opts, &c, 0);
	struct plog_sim s = {.messages = (uint64_t)c.messages, .seed = (uint64_t)c.seed,
			     .partitions = (uint32_t)c.partitions, .consumers = (uint32_t)c.consumers,
			     .batch = (uint32_t)c.batch, .crash = c.crash,
			     .commit = (enum plog_when)c.commit, .assignor = (enum plog_assignor)c.assignor};
	int rc = plog_simulate(&s);
	if (rc == -2)
		return lab_fail(L, "lab.log.simulate: stopped");
	if (rc)
		return lab_fail(L, "lab.log.simulate: not enough memory");
	lab_pushfields(L, &s, sim_fields);
	return 1;
}

static const luaL_Reg log_methods[] = {
	{"produce", m_produce}, {"read", m_read}, {"offsets", m_offsets}, {"retain", m_retain},
	{"compact", m_compact}, {"group", m_group}, {NULL, NULL},
};

static const luaL_Reg log_meta[] = {{"__tostring", m_logtostring}, {NULL, NULL}};

static const struct lab_class log_class = {
	.name = "lab.log", .methods = log_methods, .metamethods = log_meta, .free = free_log};

static const luaL_Reg group_methods[] = {
	{"join", m_join}, {"leave", m_leave}, {"crash", m_crash}, {"poll", m_poll},
	{"commit", m_commit}, {"assignment", m_assignment}, {"committed", m_committed},
	{"position", m_position}, {"lag", m_lag}, {"stats", m_gstats}, {NULL, NULL},
};

static const struct lab_class group_class = {
	.name = "lab.log.group", .methods = group_methods, .free = free_group, .uservalues = 1};

static const luaL_Reg functions[] = {
	{"new", l_new}, {"murmur2", l_murmur2}, {"partition", l_partition},
	{"simulate", l_simulate}, {NULL, NULL},
};

const struct lab_namespace lab_ns_log = {
	.functions = functions,
	.classes = (const struct lab_class *const[]){&log_class, &group_class, NULL},
	.options = (const struct lab_fnopts[]){{"new", new_opts}, {"lg:group", group_opts},
					       {"simulate", sim_opts}, {NULL}},
};
