/*
 * slo_lua.c — lab.slo: the Lua binding of slo.h.
 *
 *   lab.slo.series{rate = , step = , duration = , baseline = , incidents = {{at, duration, error_rate}}}
 *   lab.slo.evaluate{slo = , period = , series = , rules = {{name, long, short, factor, pending}}}
 *     series = {step = , total = {...}, bad = {...}}             step counts
 *     series = {step = , t = {...}, requests = {...}, errors = {...}}   counters
 *   lab.slo.detection{slo = , period = , error_rate = , long = , short = , factor = }
 *   lab.slo.rules()   lab.slo.budget{slo = , period = }
 */
#include <math.h>

#include "engine/concepts/slo/slo.h"
#include "engine/lab/labkit.h"

#define DAY 86400.0

/* The workbook's recommended rules for a 99.9 % SLO (ch. 5, table
 * "Recommended parameters for a 99.9% SLO alerting configuration"). */
static const struct slo_rule workbook[] = {
	{"page-1h", 3600, 300, 14.4, 0},
	{"page-6h", 6 * 3600, 1800, 6, 0},
	{"ticket-3d", 3 * DAY, 6 * 3600, 1, 0},
};
static const char *const severity[] = {"page", "page", "ticket"};
#define NWORKBOOK 3

static const struct lab_opt incident_opts[] = {
	{"at", LAB_NUM, .required = 1, .min = 0, .max = 1e10, .help = "start, seconds",
	 LAB_INTO(struct slo_incident, at)},
	{"duration", LAB_NUM, .required = 1, .min = 0, .max = 1e10, .help = "seconds",
	 LAB_INTO(struct slo_incident, duration)},
	{"error_rate", LAB_NUM, .required = 1, .min = 0, .max = 1,
	 .help = "fraction of requests failing", LAB_INTO(struct slo_incident, error_rate)},
	{NULL},
};

static const struct lab_opt series_opts[] = {
	{"rate", LAB_NUM, 100, .min = 0, .max = 1e9, .flags = LAB_ABOVE, .help = "requests per second"},
	{"step", LAB_NUM, 60, .min = 0, .max = 1e7, .flags = LAB_ABOVE, .help = "seconds per step"},
	{"duration", LAB_NUM, DAY, .min = 0, .max = 1e9, .flags = LAB_ABOVE, .help = "seconds"},
	{"baseline", LAB_NUM, 0, .min = 0, .max = 1, .help = "error rate outside incidents"},
	{"incidents", LAB_TABLE, .str = "none", .help = "{{at = , duration = , error_rate = }, ...}"},
	{NULL},
};

#define MAX_STEPS 10000000

static int l_series(lua_State *L)
{
	const char *who = "lab.slo.series";
	const struct lab_val *o = lab_opts(L, 1, who, series_opts);
	size_t ninc;
	struct slo_incident *inc = lab_optlist(L, 1, who, "incidents", incident_opts, sizeof *inc, 1000,
					       &ninc, NULL, NULL);
	double steps = ceil(o[2].num / o[1].num - 1e-9);
	if (steps > MAX_STEPS)
		return luaL_error(L, "%s: more than %d steps (raise the step)", who, MAX_STEPS);
	size_t n = (size_t)steps;
	double *total = lab_scratch(L, 2 * n * sizeof *total);
	double *bad = total + n;
	slo_generate(o[0].num, o[1].num, n, o[3].num, inc, ninc, total, bad);
	lua_createtable(L, 0, 4);
	lab_setnum(L, "step", o[1].num);
	lab_pushnums(L, total, n);
	lua_setfield(L, -2, "total");
	lab_pushnums(L, bad, n);
	lua_setfield(L, -2, "bad");
	lua_createtable(L, (int)n, 0);
	for (size_t i = 0; i < n; i++) {
		lua_pushnumber(L, (double)(i + 1) * o[1].num);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "t");
	return 1;
}

static const struct lab_opt rule_opts[] = {
	{"name", LAB_STR, .str = "rule", .help = "what the report calls it", LAB_INTO(struct slo_rule, name)},
	{"long", LAB_NUM, .required = 1, .min = 0, .max = 1e9, .flags = LAB_ABOVE,
	 .help = "long window, seconds", LAB_INTO(struct slo_rule, long_window)},
	{"short", LAB_NUM, .required = 1, .min = 0, .max = 1e9, .flags = LAB_ABOVE,
	 .help = "short window, seconds", LAB_INTO(struct slo_rule, short_window)},
	{"factor", LAB_NUM, .required = 1, .min = 0, .max = 1e6, .help = "burn rate threshold",
	 LAB_INTO(struct slo_rule, factor)},
	{"pending", LAB_NUM, 0, .min = 0, .max = 1e9, .help = "seconds held before firing (for:)",
	 LAB_INTO(struct slo_rule, pending)},
	{NULL},
};

static const struct lab_opt evaluate_opts[] = {
	{"slo", LAB_NUM, .required = 1, .min = 0, .max = 1, .help = "target, 0.999"},
	{"period", LAB_NUM, 30 * DAY, .min = 0, .max = 1e10, .flags = LAB_ABOVE,
	 .help = "the SLO's window, seconds"},
	{"series", LAB_TABLE, .required = 1,
	 .help = "{step = , total = {...}, bad = {...}} or {step = , t = , requests = , errors = }"},
	{"rules", LAB_TABLE, .str = "lab.slo.rules()", .help = "{{long = , short = , factor = }, ...}"},
	{NULL},
};

static void free_report(void *p)
{
	slo_report_free(p);
}

static void push_rule(lua_State *L, const struct slo_rule *rule, const struct slo_rule_result *rr,
		      size_t n)
{
	lua_createtable(L, 0, 9);
	lab_setstr(L, "name", rule->name);
	lab_setnum(L, "long", rule->long_window);
	lab_setnum(L, "short", rule->short_window);
	lab_setnum(L, "factor", rule->factor);
	if (!isnan(rr->first)) {
		lab_setnum(L, "first", rr->first);
		lab_setnum(L, "budget_at_first", rr->budget_at_first);
	}
	lua_createtable(L, (int)rr->nfirings, 0);
	for (size_t i = 0; i < rr->nfirings; i++) {
		lua_createtable(L, 0, 2);
		lab_setnum(L, "from", rr->firings[i].from);
		if (!isnan(rr->firings[i].to))
			lab_setnum(L, "to", rr->firings[i].to);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "fired");
	lab_pushnums(L, rr->long_burn, n);
	lua_setfield(L, -2, "long_burn");
	lab_pushnums(L, rr->short_burn, n);
	lua_setfield(L, -2, "short_burn");
}

/* Pushes series[KEY] and returns it as numbers (anchored by the stack). */
static const double *series_nums(lua_State *L, int s, const char *key, const char *what,
				 size_t *n)
{
	lua_pushstring(L, key);
	lua_rawget(L, s);                                         /* push series[key] */
	return lab_checknums(L, -1, what, n);
}

/* Evaluates the counters of series S into R; raises on bad input. */
static void eval_counters(lua_State *L, const char *who, const struct lab_val *o, int s,
			  double step, const struct slo_rule *rules, size_t nr,
			  struct slo_report *r)
{
	size_t m, mr, me;
	const double *t = series_nums(L, s, "t", "series.t", &m);
	const double *req = series_nums(L, s, "requests", "series.requests", &mr);
	const double *err = series_nums(L, s, "errors", "series.errors", &me);
	if (m != mr || m != me)
		luaL_error(L, "%s: series.t, series.requests and series.errors must be lists of "
			   "the same length", who);
	const char *why;
	if (slo_evaluate_counters(o[0].num, o[1].num, step, t, req, err, m, rules, nr, r, &why) != 0)
		lab_fail(L, "%s: %s", who, why);
}

/* Evaluates the step counts of series S into R; raises on bad input. */
static void eval_steps(lua_State *L, const char *who, const struct lab_val *o, int s,
		       double step, const struct slo_rule *rules, size_t nr, struct slo_report *r)
{
	size_t n, nb;
	const double *total = series_nums(L, s, "total", "series.total", &n);
	const double *bad = series_nums(L, s, "bad", "series.bad", &nb);
	if (n != nb || n == 0)
		luaL_error(L, "%s: series.total and series.bad must be lists of the same length",
			   who);
	const char *why;
	if (slo_evaluate(o[0].num, o[1].num, step, total, bad, n, rules, nr, r, &why) != 0)
		lab_fail(L, "%s: %s", who, why);
}

static int l_evaluate(lua_State *L)
{
	const char *who = "lab.slo.evaluate";
	const struct lab_val *o = lab_opts(L, 1, who, evaluate_opts);
	lab_optpush(L, 1, "series");                              /* push series */
	int s = lua_gettop(L);
	lua_pushliteral(L, "step");
	if (lua_rawget(L, s) != LUA_TNUMBER || !(lua_tonumber(L, -1) > 0)) /* push step */
		return luaL_error(L, "%s: series.step must be a positive number of seconds", who);
	double step = lua_tonumber(L, -1);
	lua_pushliteral(L, "requests");
	int counters = lua_rawget(L, s) != LUA_TNIL;              /* push series.requests */
	size_t nr = NWORKBOOK;
	const struct slo_rule *rules = workbook;
	if (o[3].set)
		rules = lab_optlist(L, 1, who, "rules", rule_opts, sizeof *rules, 100, &nr, NULL, NULL);
	struct slo_report *r = lab_holder(L, sizeof *r, free_report); /* push holder */
	if (counters)
		eval_counters(L, who, o, s, step, rules, nr, r);
	else
		eval_steps(L, who, o, s, step, rules, nr, r);
	size_t n = r->nsteps;
	lua_createtable(L, 0, 5);
	lab_setnum(L, "sli", r->sli);
	lab_setnum(L, "budget_total", r->budget_total);
	lab_setnum(L, "budget_spent", r->budget_spent[n - 1]);
	lab_pushnums(L, r->budget_spent, n);
	lua_setfield(L, -2, "spent");
	lua_createtable(L, (int)nr, 0);
	for (size_t k = 0; k < nr; k++) {
		push_rule(L, &rules[k], &r->rules[k], n);
		lua_rawseti(L, -2, (lua_Integer)k + 1);
	}
	lua_setfield(L, -2, "rules");
	return 1;
}

static const struct lab_opt detection_opts[] = {
	{"slo", LAB_NUM, .required = 1, .min = 0, .max = 1, .help = "target, 0.999"},
	{"period", LAB_NUM, 30 * DAY, .min = 0, .max = 1e10, .flags = LAB_ABOVE, .help = "seconds"},
	{"error_rate", LAB_NUM, .required = 1, .min = 0, .max = 1, .help = "of the incident"},
	{"long", LAB_NUM, 3600, .min = 0, .max = 1e9, .flags = LAB_ABOVE, .help = "seconds"},
	{"short", LAB_NUM, 300, .min = 0, .max = 1e9, .flags = LAB_ABOVE, .help = "seconds"},
	{"factor", LAB_NUM, 14.4, .min = 0, .max = 1e6, .help = "burn rate threshold"},
	{"pending", LAB_NUM, 0, .min = 0, .max = 1e9, .help = "seconds (for:)"},
	{NULL},
};

static int l_detection(lua_State *L)
{
	const struct lab_val *o = lab_opts(L, 1, "lab.slo.detection", detection_opts);
	struct slo_rule rule = {"rule", o[3].num, o[4].num, o[5].num, o[6].num};
	struct slo_detection d;
	slo_detection(o[0].num, o[1].num, o[2].num, &rule, &d);
	lua_createtable(L, 0, 4);
	if (!isnan(d.detect)) {
		lab_setnum(L, "detect", d.detect);
		lab_setnum(L, "budget", d.budget);
		lab_setnum(L, "reset", d.reset);
	}
	lab_setnum(L, "exhaustion", d.exhaustion);
	return 1;
}

static int l_rules(lua_State *L)
{
	lua_createtable(L, NWORKBOOK, 0);
	for (int k = 0; k < NWORKBOOK; k++) {
		lua_createtable(L, 0, 5);
		lab_setstr(L, "name", workbook[k].name);
		lab_setnum(L, "long", workbook[k].long_window);
		lab_setnum(L, "short", workbook[k].short_window);
		lab_setnum(L, "factor", workbook[k].factor);
		lab_setstr(L, "severity", severity[k]);
		lua_rawseti(L, -2, k + 1);
	}
	return 1;
}

static const struct lab_opt budget_opts[] = {
	{"slo", LAB_NUM, .required = 1, .min = 0, .max = 1, .help = "target, 0.999"},
	{"period", LAB_NUM, 30 * DAY, .min = 0, .max = 1e10, .flags = LAB_ABOVE, .help = "seconds"},
	{NULL},
};

/* Seconds of total outage the period allows. */
static int l_budget(lua_State *L)
{
	const struct lab_val *o = lab_opts(L, 1, "lab.slo.budget", budget_opts);
	lua_pushnumber(L, (1 - o[0].num) * o[1].num);
	return 1;
}

static const luaL_Reg functions[] = {
	{"series", l_series},
	{"evaluate", l_evaluate},
	{"detection", l_detection},
	{"rules", l_rules},
	{"budget", l_budget},
	{NULL, NULL},
};

const struct lab_namespace lab_ns_slo = {
	.functions = functions,
	.options = (const struct lab_fnopts[]){{"series", series_opts},
					       {"series incidents", incident_opts},
					       {"evaluate", evaluate_opts},
					       {"evaluate rules", rule_opts},
					       {"detection", detection_opts},
					       {"budget", budget_opts},
					       {NULL}},
};
