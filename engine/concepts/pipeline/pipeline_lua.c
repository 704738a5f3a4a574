/*
 * pipeline_lua.c — lab.pipeline: the Lua binding of pipeline.h.
 *
 *   local r = lab.pipeline.run{
 *     jobs = {{name = "build", duration = 300, cache = 60},
 *             {name = "test", duration = 600, needs = "build", flaky = 0.1},
 *             {name = "deploy", duration = 120, gate = true}},
 *     workers = 2, retries = 1, warm = true, order = "critical", seed = 7}
 *   r.passed r.makespan r.critical r.critical_path r.jobs.test.finish r.chart
 *   lab.pipeline.critical_path{jobs = ..., warm = true} -> seconds, {names}
 *
 * Job names are copied into the reader's userdata (lab_optlist), which stays
 * on the stack while C holds them.
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/pipeline/pipeline.h"

#include <math.h>
#include <string.h>

struct jobopt {
	const char *name;
	double duration, cache, flaky;
	int gate;
};

static const struct lab_opt job_opts[] = {
	{"name", LAB_STR, .required = 1, LAB_INTO(struct jobopt, name), .help = "unique"},
	{"duration", LAB_NUM, .required = 1, .min = 0, .max = 1e9, .flags = LAB_ABOVE,
	 LAB_INTO(struct jobopt, duration), .help = "seconds of one attempt"},
	{"needs", LAB_ANY, .str = "none", .help = "a job's name, or a list of names"},
	{"cache", LAB_NUM, .num = -1, .str = "none", .min = 0, .max = 1e9,
	 LAB_INTO(struct jobopt, cache), .help = "seconds of an attempt when the cache is warm"},
	{"flaky", LAB_NUM, .num = 0, .min = 0, .max = 0.999999, LAB_INTO(struct jobopt, flaky),
	 .help = "probability that an attempt fails"},
	{"gate", LAB_BOOL, .num = 0, LAB_INTO(struct jobopt, gate),
	 .help = "runs after every other job, and only if all passed"},
	{NULL},
};

static const struct lab_opt run_opts[] = {
	{"jobs", LAB_TABLE, .required = 1, .help = "the list of jobs (see below)"},
	{"workers", LAB_INT, .num = 0, .str = "0 (as many as there are ready jobs)", .min = 0,
	 .max = PIPE_MAX_WORKERS, .help = "runners"},
	{"retries", LAB_INT, .num = 0, .min = 0, .max = PIPE_MAX_RETRIES,
	 .help = "attempts after a failed one, per job"},
	{"warm", LAB_BOOL, .num = 0, .help = "caches hit: a job with a cache takes its cache time"},
	{"order", LAB_ENUM, .str = "listed", .choices = "listed critical",
	 .help = "which ready job starts first: the first listed, or the longest path to the end"},
	{"seed", LAB_INT, .num = 1, .help = "draws the flaky attempts"},
	{NULL},
};
enum { R_JOBS, R_WORKERS, R_RETRIES, R_WARM, R_ORDER, R_SEED };

static const struct lab_opt path_opts[] = {
	{"jobs", LAB_TABLE, .required = 1, .help = "the list of jobs, as for run"},
	{"warm", LAB_BOOL, .num = 0, .help = "caches hit"},
	{NULL},
};

/* The index of the job named NAME among OPTS (N of them), or PIPE_NONE. */
static size_t find_job(const struct jobopt *opts, size_t n, const char *name)
{
	for (size_t j = 0; j < n; j++)
		if (strcmp(opts[j].name, name) == 0)
			return j;
	return PIPE_NONE;
}

/* Resolves the need at the top of the stack (a name) for job J into
 * OUT[*k]. */
static void add_need(lua_State *L, const char *who, const struct jobopt *opts, size_t n, size_t j, size_t *out,
		     size_t *k, size_t cap)
{
	if (lua_type(L, -1) != LUA_TSTRING)
		luaL_error(L, "%s: job '%s': needs must name jobs, not %s", who, opts[j].name,
			   luaL_typename(L, -1));
	size_t p = find_job(opts, n, lua_tostring(L, -1));
	if (p == PIPE_NONE)
		luaL_error(L, "%s: job '%s' needs '%s', which is not a job of this pipeline", who,
			   opts[j].name, lua_tostring(L, -1));
	if (*k >= cap)
		luaL_error(L, "%s: job '%s' has too many needs", who, opts[j].name);
	out[(*k)++] = p;
}

/*
 * Reads options.jobs of the table at index 1 into C (jobs, needs), inside
 * userdata it pushes (two: the options' reader, the arrays).      [-0, +2]
 */
static void read_jobs(lua_State *L, const char *who, struct pipe_config *c)
{
	size_t n;
	const struct jobopt *opts = lab_optlist(L, 1, who, "jobs", job_opts, sizeof *opts,
						PIPE_MAX_JOBS, &n, NULL, NULL); /* push reader */
	if (n == 0)
		luaL_error(L, "%s: a pipeline needs at least one job", who);
	size_t cap = 4 * n + 16;
	struct pipe_job *jobs = lab_scratch(L, n * sizeof *jobs + cap * sizeof(size_t)); /* push */
	size_t *needs = (size_t *)(jobs + n), used = 0;
	lab_optpush(L, 1, "jobs");                             /* push the list */
	for (size_t j = 0; j < n; j++) {
		jobs[j] = (struct pipe_job){opts[j].name, opts[j].duration, opts[j].cache,
					    opts[j].flaky, opts[j].gate, needs + used, 0};
		lua_rawgeti(L, -1, (lua_Integer)j + 1);        /* push job */
		lua_pushliteral(L, "needs");
		lua_rawget(L, -2);                             /* push needs */
		size_t k = used;
		if (lua_type(L, -1) == LUA_TTABLE) {
			lua_Unsigned len = lua_rawlen(L, -1);
			for (lua_Unsigned i = 1; i <= len; i++) {
				lua_rawgeti(L, -1, (lua_Integer)i); /* push name */
				add_need(L, who, opts, n, j, needs, &k, cap);
				lua_pop(L, 1);
			}
		} else if (!lua_isnil(L, -1)) {
			add_need(L, who, opts, n, j, needs, &k, cap);
		}
		jobs[j].nneeds = k - used;
		used = k;
		lua_pop(L, 2);                                 /* remove needs, job */
	}
	lua_pop(L, 1);                                         /* remove the list */
	c->jobs = jobs;
	c->njobs = n;
	char buf[512];
	const char *err = pipe_validate(c, buf, sizeof buf);
	if (err)
		luaL_error(L, "%s: %s", who, err);
}

/* Pushes seconds S: an integer when it is a whole number, so that
 * print() shows 1020 rather than 1020.0. */
static void push_sec(lua_State *L, double s)
{
	if (s == floor(s) && fabs(s) < 0x1p53)
		lua_pushinteger(L, (lua_Integer)s);
	else
		lua_pushnumber(L, s);
}

static void set_sec(lua_State *L, const char *name, double s)
{
	push_sec(L, s);
	lua_setfield(L, -2, name);
}

static void free_report(void *p)
{
	pipe_report_free(p);
}

static const char *status_name(enum pipe_status s)
{
	return s == PIPE_PASSED ? "passed" : s == PIPE_FAILED ? "failed" : "skipped";
}

/* Pushes the list of the names of jobs IDX[0..n). */
static void push_names(lua_State *L, const struct pipe_config *c, const size_t *idx, size_t n)
{
	lua_createtable(L, (int)n, 0);
	for (size_t k = 0; k < n; k++) {
		lua_pushstring(L, c->jobs[idx[k]].name);
		lua_rawseti(L, -2, (lua_Integer)k + 1);
	}
}

static void push_job(lua_State *L, const struct pipe_jobrun *jr)
{
	lua_createtable(L, 0, 9);
	lab_setstr(L, "status", status_name(jr->status));
	set_sec(L, "ready", jr->ready);
	if (jr->status != PIPE_SKIPPED) {
		set_sec(L, "start", jr->start);
		set_sec(L, "finish", jr->finish);
		set_sec(L, "wait", jr->start - jr->ready);
		lab_setint(L, "runner", (lua_Integer)jr->worker + 1);
	}
	lab_setint(L, "attempts", jr->attempts);
	set_sec(L, "slack", jr->slack);
	lab_setbool(L, "critical", jr->critical);
}

/* Appends one chart row per job (name, then a bar over WIDTH columns for
 * the makespan: '#' attempts that passed, 'x' failed ones, '.' waiting
 * with needs met, '-' skipped) to B. */
static void chart(luaL_Buffer *b, const struct pipe_config *c, const struct pipe_report *r,
		  int width)
{
	size_t namew = 4;
	for (size_t j = 0; j < c->njobs; j++)
		namew = fmax(namew, strlen(c->jobs[j].name) > 24 ? 24 : strlen(c->jobs[j].name));
	double span = r->makespan > 0 ? r->makespan : 1, col = span / width;
	for (size_t j = 0; j < c->njobs; j++) {
		const struct pipe_jobrun *jr = &r->jobs[j];
		size_t len = strlen(c->jobs[j].name);
		luaL_addlstring(b, c->jobs[j].name, len > namew ? namew : len);
		for (size_t k = len; k < namew + 1; k++)
			luaL_addchar(b, ' ');
		luaL_addchar(b, '|');
		double d = pipe_duration(c, j);
		for (int x = 0; x < width; x++) {
			double t = (x + 0.5) * col;
			char ch = ' ';
			if (jr->status == PIPE_SKIPPED)
				ch = t >= jr->ready - col ? '-' : ' '; /* at least one column */
			else if (t >= jr->start && t < jr->finish)
				ch = (jr->status == PIPE_FAILED || t < jr->finish - d) ? 'x' : '#';
			else if (t >= jr->ready && t < jr->start)
				ch = '.';
			luaL_addchar(b, ch);
		}
		luaL_addstring(b, "|\n");
	}
}

static int l_run(lua_State *L)
{
	const char *who = "lab.pipeline.run";
	const struct lab_val *o = lab_opts(L, 1, who, run_opts);          /* 2: options */
	struct pipe_config c = {.workers = (size_t)o[R_WORKERS].i,
				.retries = (int)o[R_RETRIES].i,
				.warm = (int)o[R_WARM].i,
				.order = o[R_ORDER].choice ? PIPE_CRITICAL : PIPE_LISTED,
				.seed = (uint64_t)o[R_SEED].i};
	read_jobs(L, who, &c);                                            /* 3, 4 */
	struct pipe_report *r = lab_holder(L, sizeof *r, free_report);    /* 5 */
	if (pipe_run(&c, r) != 0)
		return lab_fail(L, "%s: not enough memory", who);
	lua_createtable(L, 0, 12);
	lab_setbool(L, "passed", r->passed);
	set_sec(L, "makespan", r->makespan);
	set_sec(L, "work", r->work);
	set_sec(L, "critical", r->critical);
	size_t runners = c.workers;
	if (!runners)
		for (size_t j = 0; j < c.njobs; j++)
			if (r->jobs[j].worker != PIPE_NONE && r->jobs[j].worker + 1 > runners)
				runners = r->jobs[j].worker + 1;
	lab_setint(L, "runners", (lua_Integer)runners);
	if (runners && r->makespan > 0)
		lab_setnum(L, "utilisation", r->work / (runners * r->makespan));
	if (r->first_failed != PIPE_NONE)
		lab_setstr(L, "failed", c.jobs[r->first_failed].name);
	push_names(L, &c, r->path, r->npath);
	lua_setfield(L, -2, "critical_path");
	push_names(L, &c, r->started, r->nstarted);
	lua_setfield(L, -2, "started");
	lua_createtable(L, 0, (int)c.njobs);
	for (size_t j = 0; j < c.njobs; j++) {
		push_job(L, &r->jobs[j]);
		lua_setfield(L, -2, c.jobs[j].name);
	}
	lua_setfield(L, -2, "jobs");
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	chart(&b, &c, r, 60);
	luaL_pushresult(&b);
	lua_setfield(L, -2, "chart");
	return 1;
}

static int l_critical_path(lua_State *L)
{
	const char *who = "lab.pipeline.critical_path";
	const struct lab_val *o = lab_opts(L, 1, who, path_opts);        /* 2 */
	struct pipe_config c = {.warm = (int)o[1].i, .seed = 1};
	read_jobs(L, who, &c);                                            /* 3, 4 */
	struct pipe_report *r = lab_holder(L, sizeof *r, free_report);    /* 5 */
	if (pipe_run(&c, r) != 0)
		return lab_fail(L, "%s: not enough memory", who);
	push_sec(L, r->critical);
	push_names(L, &c, r->path, r->npath);
	return 2;
}

static const luaL_Reg functions[] = {
	{"run", l_run},
	{"critical_path", l_critical_path},
	{NULL, NULL},
};

const struct lab_namespace lab_ns_pipeline = {
	.functions = functions,
	.options = (const struct lab_fnopts[]){{"run", run_opts},
					       {"critical_path", path_opts},
					       {"run jobs", job_opts},
					       {NULL}},
};
