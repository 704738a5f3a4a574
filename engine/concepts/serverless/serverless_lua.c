/*
 * serverless_lua.c — lab.serverless: the Lua binding of serverless.h.
 *
 *   lab.serverless.simulate{rate = 50, seconds = 600, work = 0.2, cold_start = 0.8}
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/serverless/serverless.h"

#include <math.h>

#define C(m) LAB_INTO(struct sls_config, m)
static const struct lab_opt sim_opts[] = {
	{"rate", LAB_NUM, .str = "none", .min = 0, .max = 1e7,
	 .help = "requests a second from t = 0 (Poisson); or give arrivals", C(rate)},
	{"seconds", LAB_NUM, 60, .min = 0, .max = 1e8, .flags = LAB_ABOVE,
	 .help = "arrivals stop at this time", C(seconds)},
	{"steps", LAB_TABLE, .str = "none", .help = "rate changes {{at = s, rate = r}, ...}"},
	{"arrivals", LAB_TABLE, .str = "none",
	 .help = "arrival times, seconds, increasing (instead of rate)"},
	{"work", LAB_NUM, .required = 1, .min = 0, .max = 1e6, .flags = LAB_ABOVE,
	 .help = "seconds of handler time a request", C(work)},
	{"work_times", LAB_ENUM, .str = "deterministic", .choices = "deterministic exponential",
	 .help = "every request takes work, or exponential with that mean", C(work_dist)},
	{"cold_start", LAB_NUM, 0.5, .min = 0, .max = 1e6,
	 .help = "seconds of Init a new environment adds to its first request", C(cold_start)},
	{"idle_timeout", LAB_NUM, 600, .min = 0, .max = INFINITY, .flags = LAB_INF,
	 .help = "seconds idle before an environment is reclaimed", C(idle_timeout)},
	{"provisioned", LAB_INT, 0, .min = 0, .max = SLS_MAX_ENVS,
	 .help = "environments initialised in advance, never reclaimed", C(provisioned)},
	{"max_concurrency", LAB_INT, 1000, .min = 1, .max = SLS_MAX_ENVS,
	 .help = "environments at most; beyond, requests are throttled", C(max_concurrency)},
	{"bucket", LAB_NUM, 0, .min = 0, .max = 1e8,
	 .help = "seconds per timeline row (0: no timeline)", C(bucket)},
	{"seed", LAB_INT, 1, .help = "the run replays for a seed", C(seed)},
	{NULL},
};
enum { O_RATE, O_SECONDS, O_STEPS, O_ARRIVALS };

static const struct lab_opt step_opts[] = {
	{"at", LAB_NUM, .required = 1, .min = 0, .max = 1e8, .help = "seconds",
	 LAB_INTO(struct sls_step, at)},
	{"rate", LAB_NUM, .required = 1, .min = 0, .max = 1e7, .help = "requests a second from then",
	 LAB_INTO(struct sls_step, rate)},
	{NULL},
};

static const struct lab_field result_fields[] = {
	LAB_F(struct sls_result, requests),
	LAB_F(struct sls_result, served),
	LAB_F(struct sls_result, throttled),
	LAB_F(struct sls_result, cold_starts),
	LAB_F(struct sls_result, warm_starts),
	LAB_F(struct sls_result, cold_rate),
	LAB_F(struct sls_result, environments),
	LAB_F(struct sls_result, reclaimed),
	LAB_F(struct sls_result, peak_environments),
	LAB_F(struct sls_result, window),
	LAB_F(struct sls_result, mean_busy),
	LAB_F(struct sls_result, env_seconds),
	LAB_F(struct sls_result, mean_latency),
	LAB_F(struct sls_result, p50),
	LAB_F(struct sls_result, p90),
	LAB_F(struct sls_result, p99),
	LAB_F(struct sls_result, p999),
	LAB_F(struct sls_result, max),
	{NULL},
};

static const struct lab_field bucket_fields[] = {
	LAB_F(struct sls_bucket, t),
	LAB_F(struct sls_bucket, arrivals),
	LAB_F(struct sls_bucket, cold),
	LAB_F(struct sls_bucket, throttled),
	LAB_F(struct sls_bucket, environments),
	LAB_F(struct sls_bucket, busy),
	{NULL},
};

/* Pushes r.little: Little's law with the busy environments as L. */
static void push_little(lua_State *L, const struct sls_result *r)
{
	double lw = r->arrival_rate * r->mean_latency;
	lua_createtable(L, 0, 5);
	lab_setnum(L, "L", r->mean_busy);
	lab_setnum(L, "lambda", r->arrival_rate);
	lab_setnum(L, "W", r->mean_latency);
	lab_setnum(L, "lambda_W", lw);
	lab_setnum(L, "error", lw > 0 ? fabs(r->mean_busy - lw) / lw : 0.0);
}

/* The result holder: frees the timeline if a push below raises. */
static void result_free(void *p)
{
	serverless_result_free(p);
}

static int l_simulate(lua_State *L)
{
	const char *who = "lab.serverless.simulate";
	struct sls_config c = {0};
	lua_settop(L, 1);
	luaL_checktype(L, 1, LUA_TTABLE);
	const struct lab_val *o = lab_opts_into(L, 1, who, sim_opts, &c, 0);   /* push */
	if (o[O_ARRIVALS].set) {
		if (o[O_RATE].set)
			return luaL_error(L, "%s: give rate or arrivals, not both", who);
		lab_optpush(L, 1, "arrivals");                             /* push the list */
		c.arrivals = lab_checknums(L, -1, "lab.serverless.simulate: arrivals",
					   &c.narrivals);                  /* push its copy */
	} else if (!o[O_RATE].set) {
		return luaL_error(L, "%s: option 'rate' (requests a second) or 'arrivals' "
				     "is required", who);
	}
	c.steps = lab_optlist(L, 1, who, "steps", step_opts, sizeof *c.steps, SLS_MAX_STEPS,
			      &c.nsteps, NULL, NULL);                     /* push */
	if (c.nsteps == 0)
		c.steps = NULL;
	struct sls_result *r = lab_holder(L, sizeof *r, result_free);      /* push */
	const char *err = NULL;
	if (serverless_run(&c, r, &err))
		return lab_fail(L, "%s: %s", who, err);
	lab_pushfields(L, r, result_fields);
	push_little(L, r);
	lua_setfield(L, -2, "little");
	if (r->timeline) {
		LAB_COLUMNS(L, r->timeline, r->nbuckets, bucket_fields);
		lua_setfield(L, -2, "timeline");
	}
	return 1;
}

const struct lab_namespace lab_ns_serverless = {
	.functions = (const luaL_Reg[]){{"simulate", l_simulate}, {NULL, NULL}},
	.options = (const struct lab_fnopts[]){{"simulate", sim_opts}, {NULL, NULL}},
};
