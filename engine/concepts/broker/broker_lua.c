/*
 * broker_lua.c — lab.broker: the Lua binding of broker.h.
 *
 *   local q = lab.broker.queue{ack_timeout = 30, max_deliveries = 5}
 *   q:publish(body) q:consumer{prefetch =, autoack =} q:receive(c, now)
 *   q:ack(tag) q:nack(tag, requeue) q:crash(c) q:expire(now) q:stats() q:dead()
 *   local t = lab.broker.topic()   t:subscribe(q, filter) t:publish(body, attrs)
 *   lab.broker.simulate{messages =, consumers =, crash =, mode =, seed =}
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/broker/broker.h"

#include <math.h>

static const struct lab_opt queue_opts[] = {
	{"ack_timeout", LAB_NUM, .num = 0, .min = 0, .max = 1e12,
	 .help = "time a delivery may stay unacked before it is taken back (0: never)"},
	{"max_deliveries", LAB_INT, .num = 0, .min = 0, .max = 1e6,
	 .help = "failed deliveries before a message is dead-lettered (0: no limit)"},
	{NULL},
};

static const struct lab_opt consumer_opts[] = {
	{"prefetch", LAB_INT, .num = 0, .min = 0, .max = 1e6,
	 .help = "unacked messages it may hold (0: no limit)"},
	{"autoack", LAB_BOOL, .num = 0, .help = "a message counts as acked when it is sent"},
	{NULL},
};

struct sim_config {
	int64_t messages, consumers, prefetch, max_deliveries, seed;
	double crash;
	int mode;
};

static const struct lab_opt sim_opts[] = {
	{"messages", LAB_INT, .num = 1000, .min = 0, .max = 1e7, .help = "messages published",
	 LAB_INTO(struct sim_config, messages)},
	{"consumers", LAB_INT, .num = 3, .min = 1, .max = 1000, .help = "competing consumers",
	 LAB_INTO(struct sim_config, consumers)},
	{"prefetch", LAB_INT, .num = 1, .min = 1, .max = 1000,
	 .help = "deliveries a consumer takes ahead", LAB_INTO(struct sim_config, prefetch)},
	{"crash", LAB_NUM, .num = 0.05, .min = 0, .max = 0.9,
	 .help = "chance a consumer crashes handling a message", LAB_INTO(struct sim_config, crash)},
	{"mode", LAB_ENUM, .str = "at-least-once",
	 .choices = "at-most-once at-least-once effectively-once",
	 .help = "auto-ack; ack after the effect; ack after the effect, dedup by id",
	 LAB_INTO(struct sim_config, mode)},
	{"max_deliveries", LAB_INT, .num = 0, .min = 0, .max = 1e6,
	 .help = "failed deliveries before dead-lettering (0: no limit)",
	 LAB_INTO(struct sim_config, max_deliveries)},
	{"seed", LAB_INT, .num = 1, .help = "seed of the crashes", LAB_INTO(struct sim_config, seed)},
	{NULL},
};

static void free_queue(void *obj)
{
	broker_free(obj);
}

static void free_topic(void *obj)
{
	broker_topic_free(obj);
}

static const struct lab_class queue_class, topic_class;

static int l_queue(lua_State *L)
{
	const struct lab_val *v = lab_opts(L, 1, "lab.broker.queue", queue_opts);
	struct broker_queue *q = lab_newobj(L, &queue_class, sizeof *q); /* push queue */
	broker_init(q, v[0].num, (uint32_t)v[1].i);
	return 1;
}

/* The simulated time at IDX: a finite number. */
static double check_now(lua_State *L, int idx, const char *who)
{
	double now = luaL_checknumber(L, idx);
	if (!isfinite(now))
		luaL_error(L, "lab.broker: %s: the time must be a finite number", who);
	return now;
}

/* A consumer number at IDX (1-based in Lua), as an index of Q's. */
static uint32_t check_consumer(lua_State *L, const struct broker_queue *q, int idx, const char *who)
{
	lua_Integer c = luaL_checkinteger(L, idx);
	if (c < 1 || (size_t)c > q->nc)
		luaL_error(L, "lab.broker: %s: no consumer %I (this queue has %I)", who, c,
			   (lua_Integer)q->nc);
	return (uint32_t)(c - 1);
}

static int m_publish(lua_State *L)
{
	struct broker_queue *q = lab_self(L, &queue_class);
	size_t len;
	const char *body = luaL_checklstring(L, 2, &len);
	uint64_t id = broker_publish(q, body, len);
	if (id == 0)
		return lab_fail(L, "lab.broker: publish: not enough memory");
	lua_pushinteger(L, (lua_Integer)id);
	return 1;
}

static int m_consumer(lua_State *L)
{
	struct broker_queue *q = lab_self(L, &queue_class);
	const struct lab_val *v = lab_opts(L, 2, "q:consumer", consumer_opts);
	long c = broker_consumer(q, (uint32_t)v[0].i, (int)v[1].i);
	if (c < 0)
		return lab_fail(L, "lab.broker: consumer: not enough memory");
	lua_pushinteger(L, (lua_Integer)c + 1);
	return 1;
}

static int m_receive(lua_State *L)
{
	struct broker_queue *q = lab_self(L, &queue_class);
	uint32_t c = check_consumer(L, q, 2, "receive");
	double now = check_now(L, 3, "receive");
	size_t i;
	uint64_t tag;
	int rc = broker_receive(q, c, now, &i, &tag);
	if (rc < 0)
		return lab_fail(L, "lab.broker: receive: not enough memory");
	if (rc == 0) {
		lua_pushnil(L);
		return 1;
	}
	const struct broker_msg *m = &q->m[i];
	lua_createtable(L, 0, 5);
	lab_setint(L, "tag", (lua_Integer)tag);
	lab_setint(L, "id", (lua_Integer)i + 1);
	lua_pushlstring(L, m->body, m->len);
	lua_setfield(L, -2, "body");
	lab_setint(L, "deliveries", (lua_Integer)m->deliveries);
	lab_setbool(L, "redelivered", m->deliveries > 1);
	return 1;
}

/* A delivery tag at IDX. */
static uint64_t check_tag(lua_State *L, int idx)
{
	lua_Integer t = luaL_checkinteger(L, idx);
	return t < 1 ? 0 : (uint64_t)t;
}

static int m_ack(lua_State *L)
{
	struct broker_queue *q = lab_self(L, &queue_class);
	lua_pushboolean(L, broker_ack(q, check_tag(L, 2)));
	return 1;
}

static int m_nack(lua_State *L)
{
	struct broker_queue *q = lab_self(L, &queue_class);
	uint64_t tag = check_tag(L, 2);
	int requeue = lua_isnoneornil(L, 3) ? 1 : lua_toboolean(L, 3);
	int rc = broker_nack(q, tag, requeue);
	if (rc < 0)
		return lab_fail(L, "lab.broker: nack: not enough memory");
	lua_pushboolean(L, rc);
	return 1;
}

static int m_crash(lua_State *L)
{
	struct broker_queue *q = lab_self(L, &queue_class);
	long n = broker_crash(q, check_consumer(L, q, 2, "crash"));
	if (n < 0)
		return lab_fail(L, "lab.broker: crash: not enough memory");
	lua_pushinteger(L, n);
	return 1;
}

static int m_expire(lua_State *L)
{
	struct broker_queue *q = lab_self(L, &queue_class);
	lua_pushinteger(L, (lua_Integer)broker_expire(q, check_now(L, 2, "expire")));
	return 1;
}

static const struct lab_field stat_fields[] = {
	LAB_F(struct broker_stats, published), LAB_F(struct broker_stats, delivered),
	LAB_F(struct broker_stats, redelivered), LAB_F(struct broker_stats, acked),
	LAB_F(struct broker_stats, nacked), LAB_F(struct broker_stats, expired),
	LAB_F(struct broker_stats, crashed), LAB_F(struct broker_stats, dead), {NULL},
};

static int m_stats(lua_State *L)
{
	struct broker_queue *q = lab_self(L, &queue_class);
	lab_pushfields(L, &q->st, stat_fields);
	lab_setint(L, "ready", (lua_Integer)q->nready);
	lab_setint(L, "unacked", (lua_Integer)q->nunacked);
	return 1;
}

static int m_dead(lua_State *L)
{
	struct broker_queue *q = lab_self(L, &queue_class);
	lua_createtable(L, (int)q->ndead, 0);
	for (size_t k = 0; k < q->ndead; k++) {
		const struct broker_msg *m = &q->m[q->dead[k]];
		lua_createtable(L, 0, 3);
		lab_setint(L, "id", (lua_Integer)q->dead[k] + 1);
		lua_pushlstring(L, m->body, m->len);
		lua_setfield(L, -2, "body");
		lab_setint(L, "deliveries", (lua_Integer)m->deliveries);
		lua_rawseti(L, -2, (lua_Integer)k + 1);
	}
	return 1;
}

static int m_qtostring(lua_State *L)
{
	struct broker_queue *q = lab_self(L, &queue_class);
	lua_pushfstring(L, "lab.broker queue (%I ready, %I unacked, %I dead)",
			(lua_Integer)q->nready, (lua_Integer)q->nunacked, (lua_Integer)q->ndead);
	return 1;
}

/* ---- topic ---- */

static int l_topic(lua_State *L)
{
	struct broker_topic *t = lab_newobj(L, &topic_class, sizeof *t); /* push topic */
	broker_topic_init(t);
	lua_newtable(L);                                   /* push subscribed queues */
	lua_setiuservalue(L, -2, 1);                       /* pop them */
	return 1;
}

/* Reads the string at the top of the stack (popped) into KEEP: a string,
 * or an error naming WHAT. */
static const char *keep_string(lua_State *L, int keep, const char *what)
{
	if (lua_type(L, -1) != LUA_TSTRING)
		luaL_error(L, "lab.broker: %s must be a string, not a %s", what, luaL_typename(L, -1));
	return lab_keep(L, keep);
}

/* Reads the filter at IDX ({name = "v" or {"v1", "v2"}}) into a scratch
 * array it pushes, its strings anchored in KEEP; *N keys. */
static struct broker_filter_key *read_filter(lua_State *L, int idx, int keep, size_t *n)
{
	*n = 0;
	if (lua_isnoneornil(L, idx)) {
		lab_scratch(L, 1);
		return NULL;
	}
	luaL_checktype(L, idx, LUA_TTABLE);
	for (lua_pushnil(L); lua_next(L, idx); lua_pop(L, 1))
		(*n)++;
	struct broker_filter_key *keys = lab_scratch(L, (*n ? *n : 1) * sizeof *keys);
	size_t k = 0;
	for (lua_pushnil(L); k < *n && lua_next(L, idx); lua_pop(L, 1), k++) {
		lua_pushvalue(L, -2);
		keys[k].name = (char *)keep_string(L, keep, "a filter's attribute name");
		if (lua_type(L, -1) == LUA_TSTRING) {
			keys[k].nvalues = 1;
			keys[k].values = lab_scratch(L, sizeof *keys[k].values);
			lua_pushvalue(L, -2);
			keys[k].values[0] = (char *)keep_string(L, keep, "a filter value");
			lab_keep(L, keep);                 /* anchors the scratch array */
		} else if (lua_type(L, -1) == LUA_TTABLE) {
			size_t nv = lua_rawlen(L, -1);
			if (nv == 0)
				luaL_error(L, "lab.broker: subscribe: filter '%s' lists no value", keys[k].name);
			keys[k].nvalues = nv;
			keys[k].values = lab_scratch(L, nv * sizeof *keys[k].values);
			lab_keep(L, keep);
			for (size_t v = 0; v < nv; v++) {
				lua_rawgeti(L, -1, (lua_Integer)v + 1);
				keys[k].values[v] = (char *)keep_string(L, keep, "a filter value");
			}
		} else {
			luaL_error(L, "lab.broker: subscribe: filter '%s' must be a string or a list of strings",
				   keys[k].name);
		}
	}
	return keys;
}

static int m_subscribe(lua_State *L)
{
	struct broker_topic *t = lab_self(L, &topic_class);
	struct broker_queue *q = lab_checkobj(L, 2, &queue_class);
	lua_settop(L, 3);
	lua_newtable(L);                                   /* push keep (4) */
	size_t n;
	struct broker_filter_key *keys = read_filter(L, 3, 4, &n); /* push scratch */
	long s = broker_subscribe(t, q, keys, n);
	if (s < 0)
		return lab_fail(L, "lab.broker: subscribe: not enough memory");
	lua_getiuservalue(L, 1, 1);                        /* push subscribed queues */
	lua_pushvalue(L, 2);
	lua_rawseti(L, -2, (lua_Integer)s + 1);            /* keeps the queue alive */
	lua_pushinteger(L, (lua_Integer)s + 1);
	return 1;
}

static int m_tpublish(lua_State *L)
{
	struct broker_topic *t = lab_self(L, &topic_class);
	size_t len;
	const char *body = luaL_checklstring(L, 2, &len);
	lua_settop(L, 3);
	lua_newtable(L);                                   /* push keep (4) */
	size_t n = 0;
	if (!lua_isnil(L, 3)) {
		luaL_checktype(L, 3, LUA_TTABLE);
		for (lua_pushnil(L); lua_next(L, 3); lua_pop(L, 1))
			n++;
	}
	struct broker_attr *a = lab_scratch(L, (n ? n : 1) * sizeof *a); /* push */
	size_t k = 0;
	for (lua_pushnil(L); n > 0 && k < n && lua_next(L, 3); k++) {
		lua_pushvalue(L, -2);
		a[k].name = keep_string(L, 4, "an attribute name");
		a[k].value = keep_string(L, 4, "an attribute value");
	}
	long reached = broker_topic_publish(t, body, len, a, k);
	if (reached < 0)
		return lab_fail(L, "lab.broker: publish: not enough memory");
	lua_pushinteger(L, reached);
	return 1;
}

static int m_tstats(lua_State *L)
{
	struct broker_topic *t = lab_self(L, &topic_class);
	lua_createtable(L, 0, 3);
	lab_setint(L, "published", (lua_Integer)t->published);
	lab_setint(L, "delivered", (lua_Integer)t->fanned);
	lua_createtable(L, (int)t->n, 0);
	for (size_t i = 0; i < t->n; i++) {
		lua_pushinteger(L, (lua_Integer)t->s[i].matched);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "matched");
	return 1;
}

static const char *const mode_names[] = {"at-most-once", "at-least-once", "effectively-once", NULL};

static const struct lab_field sim_fields[] = {
	LAB_F(struct broker_sim, messages), LAB_F(struct broker_sim, effects),
	LAB_F(struct broker_sim, distinct), LAB_F(struct broker_sim, duplicates),
	LAB_F(struct broker_sim, lost), LAB_F(struct broker_sim, dead),
	LAB_F(struct broker_sim, deliveries), LAB_F(struct broker_sim, redeliveries),
	LAB_F(struct broker_sim, crashes), LAB_F(struct broker_sim, steps),
	LAB_FNAME("mode", struct broker_sim, mode, mode_names), {NULL},
};

static int l_simulate(lua_State *L)
{
	struct sim_config c;
	lab_opts_into(L, 1, "lab.broker.simulate", sim_opts, &c, 0);
	struct broker_sim s = {.messages = (uint64_t)c.messages, .seed = (uint64_t)c.seed,
			       .consumers = (uint32_t)c.consumers, .prefetch = (uint32_t)c.prefetch,
			       .max_deliveries = (uint32_t)c.max_deliveries, .crash = c.crash,
			       .mode = (enum broker_mode)c.mode};
	int rc = broker_simulate(&s);
	if (rc == -2)
		return lab_fail(L, "lab.broker.simulate: stopped");
	if (rc != 0)
		return lab_fail(L, "lab.broker.simulate: not enough memory");
	lab_pushfields(L, &s, sim_fields);
	return 1;
}

static const luaL_Reg queue_methods[] = {
	{"publish", m_publish}, {"consumer", m_consumer}, {"receive", m_receive},
	{"ack", m_ack}, {"nack", m_nack}, {"crash", m_crash}, {"expire", m_expire},
	{"stats", m_stats}, {"dead", m_dead}, {NULL, NULL},
};

static const luaL_Reg queue_meta[] = {{"__tostring", m_qtostring}, {NULL, NULL}};

static const struct lab_class queue_class = {
	.name = "lab.broker.queue", .methods = queue_methods, .metamethods = queue_meta,
	.free = free_queue};

static const luaL_Reg topic_methods[] = {
	{"subscribe", m_subscribe}, {"publish", m_tpublish}, {"stats", m_tstats}, {NULL, NULL},
};

static const struct lab_class topic_class = {
	.name = "lab.broker.topic", .methods = topic_methods, .free = free_topic, .uservalues = 1};

static const luaL_Reg functions[] = {
	{"queue", l_queue}, {"topic", l_topic}, {"simulate", l_simulate}, {NULL, NULL},
};

const struct lab_namespace lab_ns_broker = {
	.functions = functions,
	.classes = (const struct lab_class *const[]){&queue_class, &topic_class, NULL},
	.options = (const struct lab_fnopts[]){{"queue", queue_opts}, {"simulate", sim_opts},
					       {"q:consumer", consumer_opts}, {NULL}},
};
