/*
 * queue_lua.c — lab.queue: the Lua binding of queue.h.
 *
 *   lab.queue.erlang_c{arrival = 8, service = 10, servers = 1}
 *   lab.queue.erlang_b{arrival = 8, service = 10, servers = 1}
 *   lab.queue.simulate{arrival = 8, service = 10, servers = 1, seed = 1}
 *   lab.queue.curve{service = 10, servers = 1}
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/queue/queue.h"

#include <math.h>

struct mmc {
	double arrival, service;
	int servers;
};

#define M(m) LAB_INTO(struct mmc, m)
#define ARRIVAL {"arrival", LAB_NUM, .required = 1, .min = 0, .max = QUEUE_MAX_RATE, \
		 .flags = LAB_ABOVE, .help = "requests a second (lambda)", M(arrival)}
#define SERVICE {"service", LAB_NUM, .required = 1, .min = 0, .max = QUEUE_MAX_RATE, \
		 .flags = LAB_ABOVE, .help = "requests a second one server completes (mu)", \
		 M(service)}
#define SERVERS {"servers", LAB_INT, .num = 1, .min = 1, .max = QUEUE_MAX_SERVERS, \
		 .help = "servers sharing one queue (c)", M(servers)}

static const struct lab_opt mmc_opts[] = {ARRIVAL, SERVICE, SERVERS, {NULL}};

static const struct lab_field erlang_fields[] = {
	LAB_F(struct queue_erlang, arrival),
	LAB_F(struct queue_erlang, service),
	LAB_F(struct queue_erlang, servers),
	LAB_F(struct queue_erlang, offered),
	LAB_F(struct queue_erlang, utilisation),
	LAB_F(struct queue_erlang, erlang_b),
	LAB_F(struct queue_erlang, wait_probability),
	LAB_F(struct queue_erlang, mean_wait),
	LAB_F(struct queue_erlang, mean_response),
	LAB_F(struct queue_erlang, mean_in_queue),
	LAB_F(struct queue_erlang, mean_in_system),
	LAB_F(struct queue_erlang, wait_p99),
	LAB_F(struct queue_erlang, p50),
	LAB_F(struct queue_erlang, p90),
	LAB_F(struct queue_erlang, p99),
	{NULL},
};

/* Raises the error of an unstable queue, with its numbers. */
static int unstable(lua_State *L, const char *who, const struct queue_erlang *q)
{
	return luaL_error(L, "%s: unstable: arrival %f >= servers %d x service %f "
			     "(utilisation %f): the queue grows without bound",
			  who, (lua_Number)q->arrival, q->servers, (lua_Number)q->service,
			  (lua_Number)q->utilisation);
}

static int l_erlang_c(lua_State *L)
{
	const char *who = "lab.queue.erlang_c";
	struct mmc m;
	struct queue_erlang q;
	lua_settop(L, 1);
	luaL_checktype(L, 1, LUA_TTABLE);
	lab_opts_into(L, 1, who, mmc_opts, &m, 0);
	int rc = queue_erlang_c(m.arrival, m.service, m.servers, &q);
	if (rc == QUEUE_EUNSTABLE)
		return unstable(L, who, &q);
	if (rc)
		return luaL_error(L, "%s: rates must be positive numbers", who);
	lab_pushfields(L, &q, erlang_fields);
	return 1;
}

static int l_erlang_b(lua_State *L)
{
	const char *who = "lab.queue.erlang_b";
	struct mmc m;
	lua_settop(L, 1);
	luaL_checktype(L, 1, LUA_TTABLE);
	lab_opts_into(L, 1, who, mmc_opts, &m, 0);
	double a = m.arrival / m.service, b = queue_erlang_b(a, m.servers);
	lua_createtable(L, 0, 4);
	lab_setnum(L, "offered", a);
	lab_setnum(L, "blocking", b);
	lab_setnum(L, "carried", a * (1 - b));
	lab_setnum(L, "utilisation", a * (1 - b) / m.servers);
	return 1;
}

/* ---- lab.queue.simulate ---- */

#define S(m) LAB_INTO(struct queue_sim_config, m)
#define DISTS "exponential deterministic uniform"
static const struct lab_opt sim_opts[] = {
	{"arrival", LAB_NUM, .required = 1, .min = 0, .max = QUEUE_MAX_RATE, .flags = LAB_ABOVE,
	 .help = "requests a second (lambda)", S(arrival)},
	{"service", LAB_NUM, .required = 1, .min = 0, .max = QUEUE_MAX_RATE, .flags = LAB_ABOVE,
	 .help = "requests a second one server completes (mu)", S(service)},
	{"servers", LAB_INT, .num = 1, .min = 1, .max = QUEUE_MAX_SERVERS,
	 .help = "servers sharing one queue (c)", S(servers)},
	{"requests", LAB_INT, .num = 100000, .min = 1, .max = QUEUE_MAX_REQUESTS,
	 .help = "requests measured", S(requests)},
	{"warmup", LAB_INT, .num = 1000, .min = 0, .max = QUEUE_MAX_REQUESTS,
	 .help = "requests run first and not measured", S(warmup)},
	{"seed", LAB_INT, .num = 1, .help = "the run replays for a seed", S(seed)},
	{"arrivals", LAB_ENUM, .str = "exponential", .choices = DISTS,
	 .help = "gaps between arrivals (exponential: Poisson arrivals)", S(arrival_dist)},
	{"service_times", LAB_ENUM, .str = "exponential", .choices = DISTS,
	 .help = "service times (uniform: on [0, 2/service])", S(service_dist)},
	{NULL},
};

static const struct lab_field sim_fields[] = {
	LAB_F(struct queue_sim_result, requests),
	LAB_F(struct queue_sim_result, duration),
	LAB_F(struct queue_sim_result, arrival_rate),
	LAB_F(struct queue_sim_result, utilisation),
	LAB_F(struct queue_sim_result, wait_probability),
	LAB_F(struct queue_sim_result, mean_wait),
	LAB_F(struct queue_sim_result, mean_response),
	LAB_F(struct queue_sim_result, mean_in_queue),
	LAB_F(struct queue_sim_result, mean_in_system),
	LAB_F(struct queue_sim_result, p50),
	LAB_F(struct queue_sim_result, p90),
	LAB_F(struct queue_sim_result, p99),
	LAB_F(struct queue_sim_result, p999),
	LAB_F(struct queue_sim_result, max),
	LAB_F(struct queue_sim_result, wait_p50),
	LAB_F(struct queue_sim_result, wait_p99),
	{NULL},
};

static const struct lab_field little_fields[] = {
	LAB_FAS("L", struct queue_sim_result, mean_in_system),
	LAB_FAS("lambda", struct queue_sim_result, arrival_rate),
	LAB_FAS("W", struct queue_sim_result, mean_response),
	LAB_FAS("lambda_W", struct queue_sim_result, little_lw),
	LAB_FAS("error", struct queue_sim_result, little_error),
	{NULL},
};

static int l_simulate(lua_State *L)
{
	const char *who = "lab.queue.simulate";
	struct queue_sim_config c = {0};
	struct queue_sim_result r;
	const char *err = NULL;
	lua_settop(L, 1);
	luaL_checktype(L, 1, LUA_TTABLE);
	lab_opts_into(L, 1, who, sim_opts, &c, 0);
	int rc = queue_sim_run(&c, &r, &err);
	if (rc)
		return lab_fail(L, "%s: %s", who, err);
	lab_pushfields(L, &r, sim_fields);
	lab_pushfields(L, &r, little_fields);
	lua_setfield(L, -2, "little");       /* r.little = {L, lambda, W, ...} */
	return 1;
}

/* ---- lab.queue.curve ---- */

struct curve_cfg {
	double service, from, to;
	int servers, points;
};

#define K(m) LAB_INTO(struct curve_cfg, m)
static const struct lab_opt curve_opts[] = {
	{"service", LAB_NUM, .required = 1, .min = 0, .max = QUEUE_MAX_RATE, .flags = LAB_ABOVE,
	 .help = "requests a second one server completes (mu)", K(service)},
	{"servers", LAB_INT, .num = 1, .min = 1, .max = QUEUE_MAX_SERVERS,
	 .help = "servers sharing one queue (c)", K(servers)},
	{"from", LAB_NUM, .num = 0.05, .min = 0, .max = 1, .flags = LAB_ABOVE,
	 .help = "lowest utilisation", K(from)},
	{"to", LAB_NUM, .num = 0.95, .min = 0, .max = 0.999, .flags = LAB_ABOVE,
	 .help = "highest utilisation (below 1)", K(to)},
	{"points", LAB_INT, .num = 19, .min = 2, .max = 10000, .help = "utilisations", K(points)},
	{NULL},
};

static const struct lab_field curve_fields[] = {
	LAB_F(struct queue_erlang, utilisation),
	LAB_F(struct queue_erlang, arrival),
	LAB_F(struct queue_erlang, wait_probability),
	LAB_F(struct queue_erlang, mean_wait),
	LAB_F(struct queue_erlang, mean_response),
	LAB_F(struct queue_erlang, mean_in_system),
	LAB_F(struct queue_erlang, p99),
	{NULL},
};

static int l_curve(lua_State *L)
{
	const char *who = "lab.queue.curve";
	struct curve_cfg k;
	lua_settop(L, 1);
	luaL_checktype(L, 1, LUA_TTABLE);
	lab_opts_into(L, 1, who, curve_opts, &k, 0);
	if (k.from >= k.to)
		return luaL_error(L, "%s: from must be below to", who);
	struct queue_erlang *q = lab_scratch(L, (size_t)k.points * sizeof *q); /* push scratch */
	for (int i = 0; i < k.points; i++) {
		double rho = k.from + (k.to - k.from) * i / (k.points - 1);
		queue_erlang_c(rho * k.servers * k.service, k.service, k.servers, &q[i]);
		q[i].utilisation = rho;
	}
	LAB_COLUMNS(L, q, (size_t)k.points, curve_fields);
	return 1;
}

const struct lab_namespace lab_ns_queue = {
	.functions = (const luaL_Reg[]){{"erlang_c", l_erlang_c},
					{"erlang_b", l_erlang_b},
					{"simulate", l_simulate},
					{"curve", l_curve},
					{NULL, NULL}},
	.options = (const struct lab_fnopts[]){{"erlang_c", mmc_opts},
					       {"erlang_b", mmc_opts},
					       {"simulate", sim_opts},
					       {"curve", curve_opts},
					       {NULL, NULL}},
};
