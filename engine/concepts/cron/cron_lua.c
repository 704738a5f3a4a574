/*
 * cron_lua.c — lab.cron: the Lua binding of cron.h.
 *
 *   lab.cron.next(expr, from)      from: "2012-07-01 09:53:50" or seconds
 *   lab.cron.times(expr, from, n)  lab.cron.parse(expr)  lab.cron.matches(expr, t)
 *   lab.cron.time("2012-07-01 09:53:50") -> seconds   lab.cron.date(seconds) -> text
 *   lab.cron.schedule{expr =, from =, to =, duration =, policy =, deadline =,
 *                     jitter =, seed =, downtime = {{from =, to =}}} -> runs
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/cron/cron.h"
#include "engine/concepts/cron/cronjob.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parses the expression at IDX, raising its error. */
static void check_expr(lua_State *L, int idx, struct cron *c, const char *who)
{
	const char *expr = luaL_checkstring(L, idx);
	char err[160];
	if (cron_parse(c, expr, err, sizeof err))
		luaL_error(L, "lab.cron.%s: %s", who, err);
}

/* The time at IDX: seconds (an integer) or "YYYY-MM-DD HH:MM[:SS]". */
static int64_t check_time(lua_State *L, int idx, const char *who)
{
	if (lua_type(L, idx) == LUA_TSTRING) {
		const char *s = lua_tostring(L, idx);
		int y, mo, d, h, mi, sec = 0, used = 0, n;
		n = sscanf(s, "%4d-%2d-%2d %2d:%2d%n:%2d%n", &y, &mo, &d, &h, &mi, &used, &sec, &used);
		if (n < 5 || s[used] != '\0' || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
		    mi > 59 || sec > 59 || y < 1 || h < 0 || mi < 0 || sec < 0)
			luaL_error(L, "lab.cron.%s: a time is \"YYYY-MM-DD HH:MM:SS\" (got '%s')", who, s);
		return cron_from_civil(y, mo, d, h, mi, sec);
	}
	lua_Integer t = luaL_checkinteger(L, idx);
	if (t < -(lua_Integer)1e13 || t > (lua_Integer)1e13)
		luaL_error(L, "lab.cron.%s: the time is out of range", who);
	return (int64_t)t;
}

/* Pushes T as text. */
static void push_date(lua_State *L, int64_t t)
{
	int y, mo, d, h, mi, s, wd;
	char buf[48];
	cron_to_civil(t, &y, &mo, &d, &h, &mi, &s, &wd);
	snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", y, mo, d, h, mi, s);
	lua_pushstring(L, buf);
}

/* Pushes T in the form of the argument at IDX (text or seconds). */
static void push_like(lua_State *L, int idx, int64_t t)
{
	if (lua_type(L, idx) == LUA_TSTRING)
		push_date(L, t);
	else
		lua_pushinteger(L, (lua_Integer)t);
}

static int l_next(lua_State *L)
{
	struct cron c;
	check_expr(L, 1, &c, "next");
	int64_t t = check_time(L, 2, "next"), next;
	if (cron_next(&c, t, &next)) {
		lua_pushnil(L);
		return 1;
	}
	push_like(L, 2, next);
	return 1;
}

static int l_times(lua_State *L)
{
	struct cron c;
	check_expr(L, 1, &c, "times");
	int64_t t = check_time(L, 2, "times");
	lua_Integer n = luaL_checkinteger(L, 3);
	luaL_argcheck(L, n >= 0 && n <= 100000, 3, "0 to 100000 times");
	lua_createtable(L, (int)n, 0);
	for (lua_Integer k = 1; k <= n; k++) {
		if (cron_next(&c, t, &t))
			break;
		push_like(L, 2, t);
		lua_rawseti(L, -2, k);
	}
	return 1;
}

static int l_matches(lua_State *L)
{
	struct cron c;
	check_expr(L, 1, &c, "matches");
	lua_pushboolean(L, cron_matches(&c, check_time(L, 2, "matches")));
	return 1;
}

static int l_parse(lua_State *L)
{
	struct cron c;
	check_expr(L, 1, &c, "parse");
	static const char *const names[CRON_FIELDS] = {"second", "minute", "hour", "day", "month",
						       "weekday"};
	lua_createtable(L, 0, CRON_FIELDS + 2);
	for (int f = 0; f < CRON_FIELDS; f++) {
		lua_newtable(L);
		lua_Integer n = 0;
		for (int v = 0; v < 64; v++)
			if ((c.bits[f] >> v) & 1) {
				lua_pushinteger(L, v);
				lua_rawseti(L, -2, ++n);
			}
		lua_setfield(L, -2, names[f]);
	}
	lab_setbool(L, "seconds", c.has_seconds);
	lab_setbool(L, "either_day", !c.dom_any && !c.dow_any);
	return 1;
}

static int l_time(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TSTRING);
	lua_pushinteger(L, (lua_Integer)check_time(L, 1, "time"));
	return 1;
}

static int l_date(lua_State *L)
{
	push_date(L, check_time(L, 1, "date"));
	return 1;
}

/* ---- the job scheduler ---- */

#define MAX_RUNS 100000

static const struct lab_opt schedule_opts[] = {
	{"expr", LAB_STR, .required = 1, .help = "the cron expression"},
	{"from", LAB_ANY, .required = 1, .help = "start: \"YYYY-MM-DD HH:MM:SS\" or seconds"},
	{"to", LAB_ANY, .required = 1, .help = "end: fire times in (from, to]"},
	{"duration", LAB_ANY, .str = "0", .help = "seconds a run takes, or a list (cycled)"},
	{"policy", LAB_ENUM, .str = "allow", .choices = "allow forbid replace",
	 .help = "concurrencyPolicy: Allow, Forbid, Replace"},
	{"deadline", LAB_INT, -1, .str = "none", .min = -1, .max = 1e9,
	 .help = "startingDeadlineSeconds (-1: none)"},
	{"jitter", LAB_INT, 0, .min = 0, .max = 1e9, .help = "random delay, 0..jitter s"},
	{"seed", LAB_INT, 1, .min = 0, .max = 9e15, .help = "draws the jitter"},
	{"downtime", LAB_TABLE, .help = "{{from =, to =}}: controller down"},
	{NULL},
};

/* The time in the option NAME of the table at 1 (text or whole seconds). */
static int64_t opt_time(lua_State *L, const char *name, const char *who)
{
	lab_optpush(L, 1, name);
	int64_t t = 0;
	if (lua_type(L, -1) == LUA_TNUMBER && !lua_isinteger(L, -1))
		luaL_error(L, "%s: option '%s' must be whole seconds or a time", who, name);
	if (lua_type(L, -1) == LUA_TNUMBER || lua_type(L, -1) == LUA_TSTRING)
		t = check_time(L, lua_gettop(L), "schedule");
	else if (!lua_isnil(L, -1))
		luaL_error(L, "%s: option '%s' must be a time", who, name);
	lua_pop(L, 1);
	return t;
}

/* The durations of the options at 1, in an array kept on the stack. */
static int64_t *opt_durations(lua_State *L, size_t *n, const char *who)
{
	lab_optpush(L, 1, "duration");
	if (lua_isnil(L, -1) || lua_type(L, -1) == LUA_TNUMBER) {
		lua_Number x = lua_isnil(L, -1) ? 0 : lua_tonumber(L, -1);
		lua_pop(L, 1);
		if (!(x >= 0 && x <= 1e9) || x != (lua_Number)(int64_t)x)
			luaL_error(L, "%s: option 'duration' must be whole seconds >= 0", who);
		int64_t *d = lab_scratch(L, sizeof *d);
		*d = (int64_t)x;
		*n = 1;
		return d;
	}
	double *v = lab_checknums(L, -1, "lab.cron.schedule: duration", n);
	if (*n == 0 || *n > MAX_RUNS)
		luaL_error(L, "%s: option 'duration' must list 1 to %d durations", who, MAX_RUNS);
	int64_t *d = lab_scratch(L, *n * sizeof *d);
	for (size_t i = 0; i < *n; i++) {
		if (!(v[i] >= 0 && v[i] <= 1e9) || v[i] != (double)(int64_t)v[i])
			luaL_error(L, "%s: duration[%d] must be whole seconds >= 0", who, (int)i + 1);
		d[i] = (int64_t)v[i];
	}
	return d;
}

static const struct lab_opt window_opts[] = {
	{"from", LAB_ANY, .required = 1, .help = "down from"},
	{"to", LAB_ANY, .required = 1, .help = "up again at"},
	{NULL},
};

/* Reads downtime[i] (on top of the stack) into a window. */
static void read_window(lua_State *L, void *elem, size_t i, const char *whom, void *ud)
{
	struct cronjob_window *w = elem;
	int t = lua_gettop(L);
	for (int k = 0; k < 2; k++) {
		lab_optpush(L, t, k ? "to" : "from");
		if (lua_type(L, -1) == LUA_TNUMBER && !lua_isinteger(L, -1))
			luaL_error(L, "%s: a time is whole seconds or text", whom);
		int64_t v = check_time(L, lua_gettop(L), "schedule");
		lua_pop(L, 1);
		if (k)
			w->to = v;
		else
			w->from = v;
	}
	if (w->to < w->from)
		luaL_error(L, "%s: 'to' is before 'from'", whom);
}

static const char *const status_names[] = {"ran", "late", "skipped"};
static const char *const reason_names[] = {"", "down", "deadline", "overlap"};

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* The most runs active at once (a run is active in [start, end)). */
static lua_Integer max_active(lua_State *L, const struct cronjob_run *r, size_t n)
{
	int64_t *s = lab_scratch(L, (2 * n + 1) * sizeof *s), *e = s + n;
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (r[i].status != CRONJOB_SKIPPED && r[i].end > r[i].start) {
			s[m] = r[i].start;
			e[m++] = r[i].end;
		}
	qsort(s, m, sizeof *s, cmp_i64);
	qsort(e, m, sizeof *e, cmp_i64);
	lua_Integer cur = 0, best = 0;
	for (size_t i = 0, j = 0; i < m;) {
		if (e[j] <= s[i]) {
			cur--;
			j++;
		} else {
			cur++;
			i++;
			best = cur > best ? cur : best;
		}
	}
	lua_pop(L, 1);
	return best;
}

static void push_runs(lua_State *L, const struct cronjob_run *r, size_t n, int text)
{
	lua_Integer count[3] = {0}, replaced = 0;
	lua_createtable(L, 0, 6);
	lua_createtable(L, (int)n, 0);
	for (size_t i = 0; i < n; i++) {
		lua_createtable(L, 0, 6);
		(text ? push_date(L, r[i].scheduled) : lua_pushinteger(L, r[i].scheduled));
		lua_setfield(L, -2, "scheduled");
		if (r[i].status != CRONJOB_SKIPPED) {
			(text ? push_date(L, r[i].start) : lua_pushinteger(L, r[i].start));
			lua_setfield(L, -2, "start");
			(text ? push_date(L, r[i].end) : lua_pushinteger(L, r[i].end));
			lua_setfield(L, -2, "end");
		} else {
			lab_setstr(L, "reason", reason_names[r[i].reason]);
		}
		lab_setstr(L, "status", status_names[r[i].status]);
		if (r[i].replaced)
			lab_setbool(L, "replaced", 1);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
		count[r[i].status]++;
		replaced += r[i].replaced;
	}
	lua_setfield(L, -2, "runs");
	lab_setint(L, "ran", count[CRONJOB_RAN]);
	lab_setint(L, "late", count[CRONJOB_LATE]);
	lab_setint(L, "skipped", count[CRONJOB_SKIPPED]);
	lab_setint(L, "replaced", replaced);
	lab_setint(L, "max_concurrent", max_active(L, r, n));
}

static void free_runs(void *p)
{
	budget_free(*(struct cronjob_run **)p);
}

static int l_schedule(lua_State *L)
{
	static const char *const who = "lab.cron.schedule";
	const struct lab_val *o = lab_opts(L, 1, who, schedule_opts);
	struct cron c;
	char err[160];
	if (cron_parse(&c, o[0].s, err, sizeof err))
		luaL_error(L, "%s: %s", who, err);
	struct cronjob_config cfg = {.policy = (enum cronjob_policy)o[4].choice,
				     .deadline = o[5].i, .jitter = o[6].i,
				     .seed = (uint64_t)o[7].i, .max_runs = MAX_RUNS};
	cfg.from = opt_time(L, "from", who);
	cfg.to = opt_time(L, "to", who);
	cfg.durations = opt_durations(L, &cfg.ndurations, who);
	cfg.down = lab_optlist(L, 1, who, "downtime", window_opts, sizeof *cfg.down, 1000,
			       &cfg.ndown, read_window, NULL);
	lab_optpush(L, 1, "from");
	int text = lua_type(L, -1) == LUA_TSTRING;
	lua_pop(L, 1);
	struct cronjob_run **runs = lab_holder(L, sizeof *runs, free_runs);
	size_t n;
	int rc = cronjob_simulate(&c, &cfg, runs, &n);
	if (rc == -2)
		luaL_error(L, "%s: more than %d fire times between from and to", who, MAX_RUNS);
	if (rc)
		lab_fail(L, "%s: not enough memory", who);
	push_runs(L, *runs, n, text);
	return 1;
}

static const luaL_Reg functions[] = {
	{"next", l_next}, {"times", l_times}, {"matches", l_matches}, {"parse", l_parse},
	{"time", l_time}, {"date", l_date}, {"schedule", l_schedule}, {NULL, NULL},
};

const struct lab_namespace lab_ns_cron = {
	.functions = functions,
	.options = (const struct lab_fnopts[]){{"schedule", schedule_opts},
					       {"schedule downtime", window_opts},
					       {NULL}},
};
