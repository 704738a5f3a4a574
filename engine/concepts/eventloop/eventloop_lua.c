/*
 * eventloop_lua.c — lab.eventloop: the Lua binding of eventloop.h.
 *
 *   local log = lab.eventloop.run(function(loop)
 *     loop:timeout(0, function() loop:log("timeout") end)
 *     loop:immediate(function() loop:log("immediate") end)
 *     loop:tick(function() loop:log("tick") end)
 *     loop:micro(function() loop:log("promise") end)
 *     loop:io(5, function() loop:log("read") end)
 *     loop:block(10)
 *   end)
 *   lab.eventloop.serve{model = "loop", requests = 1000, rate = 100}
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/eventloop/eventloop.h"

#include <math.h>
#include <string.h>

/* A loop object: the C loop, and in its user values the callbacks (1) and the log (2). */
struct lloop {
	struct evl e;
	int ncb;                 /* callbacks queued so far (their ids) */
	enum evl_kind running;   /* the kind of the callback running */
	int done;                /* the run is over: queuing is an error */
};

static void free_loop(void *obj)
{
	evl_free(&((struct lloop *)obj)->e);
}

static const struct lab_class loop_class;

static struct lloop *toloop(lua_State *L)
{
	struct lloop *l = lab_self(L, &loop_class);
	if (l->done)
		luaL_error(L, "lab.eventloop: this loop has finished");
	return l;
}

/* Stores the function at FN as the next callback and queues it as KIND. */
static int queue(lua_State *L, struct lloop *l, enum evl_kind kind, double delay, int fn)
{
	luaL_checktype(L, fn, LUA_TFUNCTION);
	if (l->ncb >= 1000000)
		return luaL_error(L, "lab.eventloop: more than 1000000 callbacks queued");
	lua_getiuservalue(L, 1, 1);                     /* push callbacks */
	lua_pushvalue(L, fn);
	lua_rawseti(L, -2, ++l->ncb);                   /* callbacks[id] = fn */
	lua_pop(L, 1);                                  /* pop callbacks */
	if (evl_add(&l->e, kind, delay, l->ncb) != 0)
		return lab_fail(L, "lab.eventloop: not enough memory");
	return 0;
}

static double checkms(lua_State *L, int arg)
{
	double ms = luaL_checknumber(L, arg);
	luaL_argcheck(L, isfinite(ms) && ms >= 0 && ms <= 1e9, arg, "milliseconds between 0 and 1e9");
	return ms;
}

static int m_timeout(lua_State *L)
{
	struct lloop *l = toloop(L);
	return queue(L, l, EVL_TIMER, checkms(L, 2), 3);
}

static int m_io(lua_State *L)
{
	struct lloop *l = toloop(L);
	return queue(L, l, EVL_IO, checkms(L, 2), 3);
}

static int m_immediate(lua_State *L)
{
	return queue(L, toloop(L), EVL_IMMEDIATE, 0, 2);
}

static int m_tick(lua_State *L)
{
	return queue(L, toloop(L), EVL_TICK, 0, 2);
}

static int m_micro(lua_State *L)
{
	return queue(L, toloop(L), EVL_MICRO, 0, 2);
}

static int m_block(lua_State *L)
{
	struct lloop *l = toloop(L);
	l->e.now += checkms(L, 2);
	return 0;
}

static int m_now(lua_State *L)
{
	lua_pushnumber(L, ((struct lloop *)lab_self(L, &loop_class))->e.now);
	return 1;
}

static int m_log(lua_State *L)
{
	struct lloop *l = toloop(L);
	luaL_checkany(L, 2);
	lua_getiuservalue(L, 1, 2);                     /* push log */
	lua_createtable(L, 0, 3);                       /* push entry */
	lab_setnum(L, "t", l->e.now);
	lab_setstr(L, "kind", evl_kind_names[l->running]);
	lua_pushvalue(L, 2);
	lua_setfield(L, -2, "msg");
	lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);   /* append */
	lua_pop(L, 1);                                  /* pop log */
	return 0;
}

static const luaL_Reg loop_methods[] = {
	{"timeout", m_timeout}, {"io", m_io},       {"immediate", m_immediate},
	{"tick", m_tick},       {"micro", m_micro}, {"block", m_block},
	{"now", m_now},         {"log", m_log},     {NULL, NULL},
};

static const struct lab_class loop_class = {
	.name = "lab.eventloop.loop", .methods = loop_methods, .free = free_loop, .uservalues = 2};

static const struct lab_opt run_opts[] = {
	{"startup_ms", LAB_NUM, .num = 0, .min = 0, .max = 1e6,
	 .help = "time between the main script's end and the loop's first iteration"},
	{"max_callbacks", LAB_INT, .num = 100000, .min = 1, .max = 10000000,
	 .help = "callbacks run at most (then an error)"},
	{NULL},
};

static int l_run(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TFUNCTION);
	const struct lab_val *v = lab_opts(L, 2, "lab.eventloop.run", run_opts);   /* push opts */
	lua_Integer max = v[1].i;
	double startup = v[0].num;
	lua_settop(L, 2);                               /* drop opts: numbers read */
	struct lloop *l = lab_newobj(L, &loop_class, sizeof *l);   /* push loop (3) */
	evl_init(&l->e);
	l->e.startup = startup;
	lua_newtable(L);
	lua_setiuservalue(L, 3, 1);                     /* callbacks */
	lua_newtable(L);
	lua_setiuservalue(L, 3, 2);                     /* log */
	l->running = EVL_MAIN;
	lua_pushvalue(L, 1);
	lua_pushvalue(L, 3);
	lua_call(L, 1, 0);                              /* main(loop) */
	for (lua_Integer n = 0;; n++) {
		int id;
		enum evl_kind kind;
		if (!evl_next(&l->e, &id, &kind))
			break;
		if (n >= max)
			return luaL_error(L, "lab.eventloop.run: more than %d callbacks (max_callbacks)", (int)max);
		lab_poll(L);
		lua_getiuservalue(L, 3, 1);             /* push callbacks */
		lua_rawgeti(L, -1, id);                 /* push the callback */
		lua_pushnil(L);
		lua_rawseti(L, -3, id);                 /* it runs once */
		lua_remove(L, -2);                      /* pop callbacks */
		l->running = kind;
		lua_pushvalue(L, 3);
		lua_call(L, 1, 0);                      /* callback(loop) */
	}
	l->done = 1;
	lua_getiuservalue(L, 3, 2);                     /* push log */
	return 1;
}

static const struct lab_opt serve_opts[] = {
	{"model", LAB_ENUM, .str = "loop", .choices = "loop threads pool",
	 .help = "one event loop, a thread per request, or a pool of workers"},
	{"requests", LAB_INT, .num = 1000, .min = 1, .max = 1000000},
	{"rate", LAB_NUM, .num = 100, .min = 0, .max = 1e7, .flags = LAB_ABOVE, .help = "arrivals a second (Poisson)"},
	{"cpu_ms", LAB_NUM, .num = 2, .min = 0, .max = 1e6, .help = "CPU work of a request"},
	{"io_ms", LAB_NUM, .num = 50, .min = 0, .max = 1e6, .help = "I/O wait of a request"},
	{"block_every", LAB_INT, .num = 0, .min = 0, .max = 1000000, .help = "every Nth request makes a blocking call (0: none)"},
	{"block_ms", LAB_NUM, .num = 200, .min = 0, .max = 1e6, .help = "how long that call blocks"},
	{"workers", LAB_INT, .num = 8, .min = 1, .max = 100000, .help = "pool: threads"},
	{"cores", LAB_INT, .num = 4, .min = 1, .max = 1024, .help = "threads and pool: CPUs"},
	{"stack_kb", LAB_NUM, .num = 1024, .min = 0, .max = 1e7, .help = "memory of a thread"},
	{"conn_kb", LAB_NUM, .num = 4, .min = 0, .max = 1e7, .help = "memory of a connection's state"},
	{"seed", LAB_INT, .num = 1},
	{NULL},
};

static void free_serve(void *obj)
{
	evl_serve_free(obj);
}

static int l_serve(lua_State *L)
{
	const struct lab_val *v = lab_opts(L, 1, "lab.eventloop.serve", serve_opts);   /* push opts */
	struct evl_serve_config c = {
		(enum evl_model)v[0].choice, (size_t)v[1].i, v[2].num, v[3].num, v[4].num,
		(size_t)v[5].i, v[6].num, (int)v[7].i, (int)v[8].i, v[9].num, v[10].num,
		(uint64_t)v[11].i};
	struct evl_serve_result *r = lab_holder(L, sizeof *r, free_serve);   /* push holder */
	if (evl_serve(&c, r) != 0)
		return lab_fail(L, "lab.eventloop.serve: not enough memory");
	lua_createtable(L, 0, 9);                       /* push result */
	lab_setnum(L, "throughput", r->throughput);
	lab_setnum(L, "p50", r->p50);
	lab_setnum(L, "p99", r->p99);
	lab_setnum(L, "max", r->max);
	lab_setnum(L, "peak_kb", r->peak_kb);
	lab_setint(L, "peak_concurrent", (lua_Integer)r->peak_concurrent);
	lab_pushnums(L, r->arrival, r->n);
	lua_setfield(L, -2, "arrival");
	lab_pushnums(L, r->latency, r->n);
	lua_setfield(L, -2, "latency");
	return 1;
}

static const luaL_Reg functions[] = {
	{"run", l_run},
	{"serve", l_serve},
	{NULL, NULL},
};

const struct lab_namespace lab_ns_eventloop = {
	.functions = functions,
	.classes = (const struct lab_class *const[]){&loop_class, NULL},
	.options = (const struct lab_fnopts[]){{"run", run_opts}, {"serve", serve_opts}, {NULL, NULL}},
};
