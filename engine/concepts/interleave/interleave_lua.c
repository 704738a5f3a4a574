/*
 * interleave_lua.c — lab.interleave: the Lua binding of interleave.h.
 *
 *   local r = lab.interleave.explore{
 *     vars = {x = 0},
 *     threads = {
 *       {{"read", "x", "r"}, {"add", "r", 1}, {"write", "x", "r"}},
 *       {{"read", "x", "r"}, {"add", "r", 1}, {"write", "x", "r"}},
 *     },
 *     expect = function(v) return v.x == 2 end,
 *   }
 *   r.schedules, r.outcomes, r.ok, r.first_bad.drawing
 *   lab.interleave.run{vars = ..., threads = ..., schedule = {1, 2, 2, 1}}
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/interleave/interleave.h"

#include <stdlib.h>
#include <string.h>

enum { MAX_THREADS = 16, MAX_STEPS = 1000, MAX_NAMES = 256 };

static const struct lab_opt explore_opts[] = {
	{"threads", LAB_TABLE, .required = 1, .help = "a list of threads, each a list of steps"},
	{"vars", LAB_TABLE, .help = "shared variables and their first values: {x = 0}"},
	{"sems", LAB_TABLE, .help = "semaphores and their first counts: {s = 1}"},
	{"expect", LAB_FUNC, .help = "function(vars): true when a final state is right"},
	{"max_steps", LAB_INT, .num = 100, .min = 1, .max = 10000,
	 .help = "steps a thread may run in one schedule (then: runaway)"},
	{"max_states", LAB_INT, .num = 200000, .min = 1, .max = 2000000,
	 .help = "states explored before sampling instead"},
	{"samples", LAB_INT, .num = 10000, .min = 1, .max = 1000000,
	 .help = "schedules drawn when sampling"},
	{"seed", LAB_INT, .num = 1, .help = "of the sample"},
	{NULL},
};

static const struct lab_opt run_opts[] = {
	{"threads", LAB_TABLE, .required = 1, .help = "a list of threads, each a list of steps"},
	{"vars", LAB_TABLE, .help = "shared variables and their first values: {x = 0}"},
	{"sems", LAB_TABLE, .help = "semaphores and their first counts: {s = 1}"},
	{"schedule", LAB_TABLE, .required = 1, .help = "thread numbers in the order they run"},
	{"max_steps", LAB_INT, .num = 100, .min = 1, .max = 10000,
	 .help = "steps a thread may run (then: runaway)"},
	{NULL},
};

/* What the holder userdata owns while the program is read and run. */
struct hold {
	struct ilv_program p;
	struct ilv_result r;
	int *sched;
};

static void free_hold(void *obj)
{
	struct hold *h = obj;
	ilv_program_free(&h->p);
	ilv_result_free(&h->r);
	budget_free(h->sched);
	h->sched = NULL;
}

/* The index of NAME in NAMES[0..*N), appended when ADD and new; -1 absent. */
static int name_index(lua_State *L, char ***names, int *n, const char *name, int add)
{
	for (int i = 0; i < *n; i++)
		if (strcmp((*names)[i], name) == 0)
			return i;
	if (!add)
		return -1;
	if (*n >= MAX_NAMES)
		luaL_error(L, "lab.interleave: more than %d names", MAX_NAMES);
	char **nn = budget_realloc(*names, (size_t)(*n + 1) * sizeof *nn);
	if (!nn)
		lab_fail(L, "lab.interleave: not enough memory");
	*names = nn;
	nn[*n] = budget_strdup(name);
	if (!nn[*n])
		lab_fail(L, "lab.interleave: not enough memory");
	return (*n)++;
}

static int cmpname(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Reads the table {name = integer} at options[FIELD] into NAMES/VALUES,
 * sorted by name (table order is not deterministic).
 */
static void read_named(lua_State *L, const char *field, char ***names, int64_t **values, int *n)
{
	lab_optpush(L, 1, field);                       /* push options[field] */
	int t = lua_gettop(L);
	if (!lua_isnil(L, t)) {
		lua_pushnil(L);                         /* first key */
		while (lua_next(L, t)) {                /* push key, value */
			if (lua_type(L, -2) != LUA_TSTRING)
				luaL_error(L, "lab.interleave: %s: names must be strings", field);
			if (!lua_isinteger(L, -1))
				luaL_error(L, "lab.interleave: %s.%s must be an integer", field,
					   lua_tostring(L, -2));
			name_index(L, names, n, lua_tostring(L, -2), 1);
			lua_pop(L, 1);                  /* pop value */
		}
		qsort(*names, (size_t)*n, sizeof **names, cmpname);
	}
	*values = budget_calloc((size_t)*n + 1, sizeof **values);
	if (!*values)
		lab_fail(L, "lab.interleave: not enough memory");
	for (int i = 0; i < *n; i++) {
		lua_pushstring(L, (*names)[i]);         /* push name */
		lua_rawget(L, t);                       /* replace with its value */
		(*values)[i] = lua_tointeger(L, -1);
		lua_pop(L, 1);                          /* pop value */
	}
	lua_pop(L, 1);                                  /* pop options[field] */
}

/* Context of the step being read, for errors and names. */
struct reader {
	lua_State *L;
	struct ilv_program *p;
	struct ilv_thread *th;
	int t, i;            /* thread and step, from 0 */
	int step;            /* stack index of the step's table */
};

static int step_error(struct reader *rd, const char *fmt, const char *what)
{
	return luaL_error(rd->L, "lab.interleave: threads[%d][%d]: %s%s", rd->t + 1, rd->i + 1,
			  fmt, what ? what : "");
}

/* Pushes the string at position K of the step and returns it (anchored
 * while it stays on the stack); raises unless it is one.          [-0, +1] */
static const char *step_name(struct reader *rd, int k, const char *what)
{
	lua_rawgeti(rd->L, rd->step, k);                /* push step[k] */
	if (lua_type(rd->L, -1) != LUA_TSTRING)
		step_error(rd, "expected the name of ", what);
	return lua_tostring(rd->L, -1);
}

static int reg_named(struct reader *rd, const char *name)
{
	if (name_index(rd->L, &rd->p->varnames, &rd->p->nvars, name, 0) >= 0)
		step_error(rd, "this is a shared variable, not a register: ", name);
	return name_index(rd->L, &rd->th->regnames, &rd->th->nregs, name, 1);
}

/* The register named at position K (declared on first use). */
static int reg_at(struct reader *rd, int k)
{
	int r = reg_named(rd, step_name(rd, k, "a register"));   /* push name */
	lua_pop(rd->L, 1);                                       /* pop it */
	return r;
}

/* The shared variable named at position K (it must be declared). */
static int var_at(struct reader *rd, int k)
{
	const char *name = step_name(rd, k, "a shared variable");  /* push name */
	int v = name_index(rd->L, &rd->p->varnames, &rd->p->nvars, name, 0);
	if (v < 0)
		step_error(rd, "unknown shared variable (declare it in vars): ", name);
	lua_pop(rd->L, 1);                                         /* pop name */
	return v;
}

/* The lock (declared on first use) or semaphore (declared in sems) at K. */
static int lock_at(struct reader *rd, int k)
{
	int v = name_index(rd->L, &rd->p->locknames, &rd->p->nlocks,
			   step_name(rd, k, "a lock"), 1);          /* push name */
	lua_pop(rd->L, 1);                                         /* pop it */
	return v;
}

static int sem_at(struct reader *rd, int k)
{
	const char *name = step_name(rd, k, "a semaphore");        /* push name */
	int v = name_index(rd->L, &rd->p->semnames, &rd->p->nsems, name, 0);
	if (v < 0)
		step_error(rd, "unknown semaphore (declare it in sems): ", name);
	lua_pop(rd->L, 1);                                         /* pop name */
	return v;
}

/* Operand K: an integer constant or a register's name. */
static struct ilv_arg arg_of(struct reader *rd, int k)
{
	struct ilv_arg a = {-1, 0};
	lua_rawgeti(rd->L, rd->step, k);                /* push step[k] */
	if (lua_isinteger(rd->L, -1))
		a.k = lua_tointeger(rd->L, -1);
	else if (lua_type(rd->L, -1) == LUA_TSTRING)
		a.reg = reg_named(rd, lua_tostring(rd->L, -1));
	else
		step_error(rd, "expected an integer or a register", NULL);
	lua_pop(rd->L, 1);                              /* pop step[k] */
	return a;
}

/* Arity of each op (positions after the op's name), and how many may be left out. */
static const int op_arity[ILV_NOPS] = {2, 2, 2, 2, 1, 1, 4, 3, 1, 1, 2, 2, 1};
static const int op_optional[ILV_NOPS] = {0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0};

/* Reads the step table at RD->step into ST; a jump target stays on the stack (pushed). */
static void read_step(struct reader *rd, struct ilv_step *st)
{
	lua_State *L = rd->L;
	char whom[64];
	snprintf(whom, sizeof whom, "lab.interleave: threads[%d][%d]", rd->t + 1, rd->i + 1);
	lua_rawgeti(L, rd->step, 1);                    /* push the op's name */
	int op = lab_choice(L, -1, whom, "the op", "read write set add lock unlock cas "
				   "atomic_add wait signal jz jnz jmp");
	lua_pop(L, 1);                                  /* pop it */
	int n = (int)lua_rawlen(L, rd->step) - 1;
	if (n > op_arity[op] || n < op_arity[op] - op_optional[op])
		luaL_error(L, "%s: '%s' takes %d operand%s (got %d)", whom, ilv_op_names[op],
			   op_arity[op], op_arity[op] == 1 ? "" : "s", n);
	*st = (struct ilv_step){.op = (enum ilv_op)op, .obj = -1, .reg = -1, .a = {-1, 0},
				.b = {-1, 0}, .target = -1};
	switch (op) {
	case ILV_READ:
		st->obj = var_at(rd, 2);
		st->reg = reg_at(rd, 3);
		break;
	case ILV_WRITE:
		st->obj = var_at(rd, 2);
		st->a = arg_of(rd, 3);
		break;
	case ILV_SET:
	case ILV_ADD:
		st->reg = reg_at(rd, 2);
		st->a = arg_of(rd, 3);
		break;
	case ILV_LOCK:
	case ILV_UNLOCK:
		st->obj = lock_at(rd, 2);
		break;
	case ILV_CAS:
		st->obj = var_at(rd, 2);
		st->a = arg_of(rd, 3);
		st->b = arg_of(rd, 4);
		if (n == 4)
			st->reg = reg_at(rd, 5);
		break;
	case ILV_ATOMIC_ADD:
		st->obj = var_at(rd, 2);
		st->a = arg_of(rd, 3);
		if (n == 3)
			st->reg = reg_at(rd, 4);
		break;
	case ILV_WAIT:
	case ILV_SIGNAL:
		st->obj = sem_at(rd, 2);
		break;
	case ILV_JZ:
	case ILV_JNZ:
		st->reg = reg_at(rd, 2);
		break;
	default:
		break;
	}
}

/* The step a jump's target (step number or label) names, from 0. */
static int resolve_target(struct reader *rd, int k, int stepstable)
{
	lua_State *L = rd->L;
	lua_rawgeti(L, rd->step, k);                    /* push step[k] */
	int target = -1;
	if (lua_isinteger(L, -1)) {
		lua_Integer x = lua_tointeger(L, -1);
		if (x < 1 || x > rd->th->nsteps + 1)
			step_error(rd, "jump target out of range", NULL);
		target = (int)x - 1;
	} else if (lua_type(L, -1) == LUA_TSTRING) {
		for (int j = 0; j < rd->th->nsteps && target < 0; j++) {
			lua_rawgeti(L, stepstable, j + 1);  /* push step j */
			lua_pushliteral(L, "label");
			lua_rawget(L, -2);                  /* push its label */
			if (lua_rawequal(L, -1, -3))
				target = j;
			lua_pop(L, 2);                      /* pop label, step */
		}
		if (target < 0)
			step_error(rd, "no step has the label ", lua_tostring(L, -1));
	} else {
		step_error(rd, "expected a step number or a label", NULL);
	}
	lua_pop(L, 1);                                  /* pop step[k] */
	return target;
}

/* Checks that the step table has only 1..n and label. */
static void check_keys(struct reader *rd)
{
	lua_State *L = rd->L;
	lua_Integer n = (lua_Integer)lua_rawlen(L, rd->step);
	lua_pushnil(L);
	while (lua_next(L, rd->step)) {                 /* push key, value */
		lua_pop(L, 1);                          /* pop value */
		if (lua_isinteger(L, -1) && lua_tointeger(L, -1) >= 1 && lua_tointeger(L, -1) <= n)
			continue;
		if (lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), "label") == 0)
			continue;
		step_error(rd, "unknown key ", lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "(not a string)");
	}
	lua_pushliteral(L, "label");
	lua_rawget(L, rd->step);                        /* push step.label */
	if (!lua_isnil(L, -1) && lua_type(L, -1) != LUA_TSTRING)
		step_error(rd, "label must be a string", NULL);
	lua_pop(L, 1);                                  /* pop it */
}

/* Reads options[1] (vars, sems, threads, max_steps) into P. */
static void read_program(lua_State *L, struct ilv_program *p, int max_steps)
{
	p->max_steps = max_steps;
	read_named(L, "vars", &p->varnames, &p->varinit, &p->nvars);
	read_named(L, "sems", &p->semnames, &p->seminit, &p->nsems);
	for (int i = 0; i < p->nsems; i++)
		if (p->seminit[i] < 0)
			luaL_error(L, "lab.interleave: sems.%s must not be negative", p->semnames[i]);
	lab_optpush(L, 1, "threads");                   /* push threads */
	int tt = lua_gettop(L);
	lua_Integer nt = (lua_Integer)lua_rawlen(L, tt);
	if (nt < 1 || nt > MAX_THREADS)
		luaL_error(L, "lab.interleave: threads must list 1 to %d threads (got %d)", MAX_THREADS, (int)nt);
	p->threads = budget_calloc((size_t)nt, sizeof *p->threads);
	if (!p->threads)
		lab_fail(L, "lab.interleave: not enough memory");
	p->nthreads = (int)nt;
	for (int t = 0; t < nt; t++) {
		struct ilv_thread *th = &p->threads[t];
		lua_rawgeti(L, tt, t + 1);              /* push thread t */
		int steps = lua_gettop(L);
		if (!lua_istable(L, steps))
			luaL_error(L, "lab.interleave: threads[%d] must be a list of steps", t + 1);
		lua_Integer ns = (lua_Integer)lua_rawlen(L, steps);
		if (ns > MAX_STEPS)
			luaL_error(L, "lab.interleave: threads[%d] has more than %d steps", t + 1, MAX_STEPS);
		th->steps = budget_calloc((size_t)ns + 1, sizeof *th->steps);
		if (!th->steps)
			lab_fail(L, "lab.interleave: not enough memory");
		th->nsteps = (int)ns;
		struct reader rd = {L, p, th, t, 0, 0};
		for (int i = 0; i < ns; i++) {
			rd.i = i;
			lua_rawgeti(L, steps, i + 1);   /* push step i */
			rd.step = lua_gettop(L);
			if (!lua_istable(L, rd.step))
				step_error(&rd, "a step must be a table such as {\"read\", \"x\", \"r\"}", NULL);
			check_keys(&rd);
			read_step(&rd, &th->steps[i]);
			lua_pop(L, 1);                  /* pop step i */
		}
		for (int i = 0; i < ns; i++) {          /* jump targets, now that labels are known */
			enum ilv_op op = th->steps[i].op;
			if (op != ILV_JZ && op != ILV_JNZ && op != ILV_JMP)
				continue;
			rd.i = i;
			lua_rawgeti(L, steps, i + 1);   /* push step i */
			rd.step = lua_gettop(L);
			th->steps[i].target = resolve_target(&rd, op == ILV_JMP ? 2 : 3, steps);
			lua_pop(L, 1);                  /* pop step i */
		}
		lua_pop(L, 1);                          /* pop thread t */
	}
	lua_pop(L, 1);                                  /* pop threads */
}

/* Pushes {x = 1, y = 2} for the values V of P's variables. */
static void push_vars(lua_State *L, const struct ilv_program *p, const int64_t *v)
{
	lua_createtable(L, 0, p->nvars);
	for (int i = 0; i < p->nvars; i++) {
		lua_pushinteger(L, (lua_Integer)v[i]);
		lua_setfield(L, -2, p->varnames[i]);
	}
}

/* Pushes {schedule, kind, vars, trace, drawing} for the run of SCHED. */
static void push_run(lua_State *L, const struct ilv_program *p, const int *sched, size_t n)
{
	struct ilv_event *ev = lab_scratch(L, (n ? n : 1) * sizeof *ev);   /* push scratch */
	int64_t *vars = lab_scratch(L, ((size_t)p->nvars + 1) * sizeof *vars); /* push scratch */
	enum ilv_kind kind;
	size_t nev;
	size_t bad = ilv_replay(p, sched, n, &kind, vars, ev, &nev);
	if (bad == (size_t)-1)
		lab_fail(L, "lab.interleave: not enough memory");
	if (bad)
		luaL_error(L, "lab.interleave.run: schedule[%d]: thread %d cannot run then "
			   "(finished, waiting, or no such thread)", (int)bad, sched[bad - 1] + 1);
	lua_createtable(L, 0, 5);                       /* push result */
	lab_setstr(L, "kind", ilv_kind_names[kind]);
	push_vars(L, p, vars);
	lua_setfield(L, -2, "vars");
	lua_createtable(L, (int)nev, 0);                /* push schedule */
	for (size_t i = 0; i < nev; i++) {
		lua_pushinteger(L, sched[i] + 1);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "schedule");
	lua_createtable(L, (int)nev, 0);                /* push trace */
	for (size_t i = 0; i < nev; i++) {
		lua_createtable(L, 0, 3);
		lab_setint(L, "thread", ev[i].thread + 1);
		lab_setint(L, "step", ev[i].step + 1);
		lab_setstr(L, "text", ev[i].text);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "trace");
	struct sbuf sb = {0};
	ilv_draw(p, ev, nev, &sb);
	lua_pushstring(L, sbuf_str(&sb));
	sbuf_free(&sb);
	lua_setfield(L, -2, "drawing");
	lua_replace(L, -3);                             /* result over the first scratch */
	lua_pop(L, 1);                                  /* pop the second */
}

static void push_count(lua_State *L, uint64_t n, double f, int overflow)
{
	if (!overflow && n <= (uint64_t)INT64_MAX)
		lua_pushinteger(L, (lua_Integer)n);
	else
		lua_pushnumber(L, f);
}

static int l_explore(lua_State *L)
{
	const struct lab_val *v = lab_opts(L, 1, "lab.interleave.explore", explore_opts); /* push opts */
	struct hold *h = lab_holder(L, sizeof *h, free_hold);                             /* push holder */
	int holder = lua_gettop(L);
	read_program(L, &h->p, (int)v[4].i);
	struct ilv_config c = {(size_t)v[5].i, (size_t)v[6].i, (uint64_t)v[7].i};
	if (ilv_explore(&h->p, &c, &h->r) != 0)
		return lab_fail(L, "lab.interleave.explore: not enough memory");
	int has_expect = v[3].set;
	uint64_t bad_n = 0;
	double bad_f = 0;
	lua_createtable(L, (int)h->r.noutcomes, 0);     /* push outcomes */
	int outs = lua_gettop(L);
	for (size_t i = 0; i < h->r.noutcomes; i++) {
		struct ilv_outcome *o = &h->r.outcomes[i];
		lua_createtable(L, 0, 4);               /* push outcome */
		lab_setstr(L, "kind", ilv_kind_names[o->kind]);
		push_vars(L, &h->p, o->vars);
		lua_setfield(L, -2, "vars");
		push_count(L, o->schedules, o->schedules_f, h->r.overflow);
		lua_setfield(L, -2, "schedules");
		int ok = o->kind == ILV_DONE;
		if (ok && has_expect) {
			lab_optpush(L, 1, "expect");    /* push expect */
			push_vars(L, &h->p, o->vars);   /* push a fresh copy */
			lua_call(L, 1, 1);              /* replace with its answer */
			ok = lua_toboolean(L, -1);
			lua_pop(L, 1);                  /* pop answer */
		}
		o->bad = !ok;
		if (!ok) {
			bad_n = UINT64_MAX - bad_n < o->schedules ? UINT64_MAX : bad_n + o->schedules;
			bad_f += o->schedules_f;
		}
		lab_setbool(L, "ok", ok);
		lua_rawseti(L, outs, (lua_Integer)i + 1);
	}
	lua_createtable(L, 0, 8);                       /* push result */
	lua_pushvalue(L, outs);
	lua_setfield(L, -2, "outcomes");
	lab_setbool(L, "exhaustive", h->r.exhaustive);
	lab_setbool(L, "exact", h->r.exhaustive && !h->r.overflow);
	if (h->r.exhaustive)
		lab_setint(L, "states", (lua_Integer)h->r.states);
	push_count(L, h->r.schedules, h->r.schedules_f, h->r.overflow);
	lua_setfield(L, -2, "schedules");
	push_count(L, bad_n, bad_f, h->r.overflow);
	lua_setfield(L, -2, "bad");
	lab_setbool(L, "ok", bad_f == 0);
	size_t n, which;
	int found = ilv_first_bad(&h->p, &h->r, &h->sched, &n, &which);
	if (found < 0)
		return lab_fail(L, "lab.interleave.explore: not enough memory");
	if (found) {
		push_run(L, &h->p, h->sched, n);        /* push first_bad */
		lua_setfield(L, -2, "first_bad");
	}
	(void)holder;
	return 1;
}

static int l_run(lua_State *L)
{
	const struct lab_val *v = lab_opts(L, 1, "lab.interleave.run", run_opts); /* push opts */
	struct hold *h = lab_holder(L, sizeof *h, free_hold);                     /* push holder */
	read_program(L, &h->p, (int)v[4].i);
	lab_optpush(L, 1, "schedule");                  /* push schedule */
	size_t n = lua_rawlen(L, -1);
	if (n > 1000000)
		luaL_error(L, "lab.interleave.run: schedule is too long");
	h->sched = budget_malloc((n ? n : 1) * sizeof *h->sched);
	if (!h->sched)
		return lab_fail(L, "lab.interleave.run: not enough memory");
	for (size_t i = 0; i < n; i++) {
		lua_rawgeti(L, -1, (lua_Integer)i + 1); /* push schedule[i] */
		if (!lua_isinteger(L, -1))
			luaL_error(L, "lab.interleave.run: schedule[%d] must be a thread number", (int)i + 1);
		lua_Integer t = lua_tointeger(L, -1);
		h->sched[i] = t < 1 || t > h->p.nthreads ? -1 : (int)t - 1;
		if (h->sched[i] < 0)
			luaL_error(L, "lab.interleave.run: schedule[%d]: no thread %d", (int)i + 1, (int)t);
		lua_pop(L, 1);                          /* pop it */
	}
	lua_pop(L, 1);                                  /* pop schedule */
	push_run(L, &h->p, h->sched, n);
	return 1;
}

static const luaL_Reg functions[] = {
	{"explore", l_explore},
	{"run", l_run},
	{NULL, NULL},
};

const struct lab_namespace lab_ns_interleave = {
	.functions = functions,
	.options = (const struct lab_fnopts[]){{"explore", explore_opts}, {"run", run_opts}, {NULL, NULL}},
};
