/*
 * sandbox.c — the sandboxed lua_State: a counting allocator for the memory
 * limit, a count hook for the deadline and for interrupts, loading and
 * calling with a safe message handler, and output capture. The environment
 * builder is sandbox_env.c, the value describer sandbox_describe.c.
 */
#include "engine/sandbox.h"
#include "engine/sandbox_int.h"
#include "engine/base/budget.h"

#include <lauxlib.h>
#include <lualib.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * The hook, three ways (enum mode):
 *   periodic  the main thread: every HOOK_COUNT instructions, counting them
 *             and looking at the clock;
 *   fine      coroutines: every instruction, counting it, with the cheap stop
 *             flags looked at every time and the clock every HOOK_COUNT. A
 *             thread counts from 0 when it is created: periodic counting
 *             would lose up to HOOK_COUNT - 1 instructions of every
 *             coroutine (a cost check could be cheated by doing the work in
 *             many short coroutines);
 *   stop      once a run must stop: every instruction, call and return,
 *             raising each time.
 */
#define HOOK_COUNT 1000
enum mode { MODE_PERIODIC, MODE_FINE, MODE_STOP };

/*
 * The control block of one state, passed to Lua as the allocator's ud and
 * found again with lua_getallocf(). Invariant: used is the sum of the sizes
 * of the blocks the state holds, and used <= limit except for the blocks of
 * the state's creation (which are never refused).
 */
struct sbx {
	struct budget budget;                          /* C memory of lab concepts and their
	                                                  stop polls (budget.h); first member */
	size_t used;
	size_t limit;
	/* the last refused request, until we know whether it was final (see
	 * sbx_alloc: Lua retries most requests once after collecting) */
	const void *refused_ptr;
	size_t refused_size;
	int refused;
	int oom;
	volatile sig_atomic_t interrupt;               /* set by sandbox_interrupt() */
	int timed_out;
	int64_t deadline_ns;                           /* CPU time (now_ns); 0: none */
	double timeout_s;
	char timeout_msg[48];
	enum sandbox_stop first;                       /* the first stop condition seen */
	uint64_t ticks;                                /* periodic hook calls: HOOK_COUNT
	                                                  Lua instructions each */
	uint64_t fine;                                 /* instructions counted one by one
	                                                  (coroutines) */
	unsigned fine_clock;                           /* fine counts since the last look
	                                                  at the clock */
	uint64_t work;                                 /* C library work done for the code, in
	                                                  instructions (sandbox_charge) */
	lua_State *main;                               /* the state's main thread */
};

static struct sbx *ctl(lua_State *L)
{
	void *ud;
	lua_getallocf(L, &ud);
	return ud;
}

/*
 * The clock of deadlines: the CPU time of the process. Sandboxed code cannot
 * sleep or wait (no io, no os.execute), so it runs all the time it is given;
 * counting that rather than wall time, a busy machine slows a run down but
 * never times out a right answer. (A graded run's parent also has a wall
 * deadline, further off, for a child that gets no CPU at all: grade.c.)
 */
static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void note_stop(struct sbx *s, enum sandbox_stop why)
{
	if (s->first == SANDBOX_RUNNING)
		s->first = why;
}

static void out_of_memory(struct sbx *s)
{
	s->oom = 1;
	note_stop(s, SANDBOX_MEMORY);
}

/*
 * The allocator (see lua_Alloc). Frees and shrinks always succeed; a growth
 * past the limit returns NULL. Lua's own allocations then collect garbage and
 * retry the same request once, so a refusal counts as running out of memory
 * when that retry is refused too, or when the next growth is another request
 * (lauxlib's buffers, for one, raise at the first refusal, without retrying).
 */
static void *sbx_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct sbx *s = ud;
	size_t old = ptr ? osize : 0;                  /* for a new block, osize is a type tag */
	if (nsize == 0) {
		free(ptr);
		s->used -= old;
		return NULL;
	}
	if (!ptr && osize == LUA_TSTRING)
		s->work += nsize;                      /* a new string: its bytes were made
		                                          (`..`, string.rep, sub, format) */
	if (nsize > old) {
		int retry = s->refused && s->refused_ptr == ptr && s->refused_size == nsize;
		if (s->refused && !retry)
			out_of_memory(s);              /* the last refusal was final */
		s->refused = 0;
		size_t room = s->used < s->limit ? s->limit - s->used : 0;
		if (nsize - old > room) {
			if (retry) {
				out_of_memory(s);
			} else {
				s->refused = 1;
				s->refused_ptr = ptr;
				s->refused_size = nsize;
			}
			return NULL;
		}
	}
	void *p = realloc(ptr, nsize);
	if (!p && nsize <= old)
		p = ptr; /* a shrink must not fail: keep the larger block */
	if (!p) {
		out_of_memory(s);
		return NULL;
	}
	s->used = s->used - old + nsize;
	return p;
}

/* Why the running code must stop now, or NULL. */
static const char *stop_reason(struct sbx *s)
{
	if (s->interrupt) {
		note_stop(s, SANDBOX_INTERRUPTED);
		return "interrupted!";
	}
	if (s->refused) {
		/* Lua retries a refused request at once, without running code:
		 * one still pending when code runs again was final */
		s->refused = 0;
		out_of_memory(s);
	}
	if (s->oom)
		return "not enough memory";
	if (s->deadline_ns && (s->timed_out || now_ns() >= s->deadline_ns)) {
		s->timed_out = 1;
		note_stop(s, SANDBOX_TIMEOUT);
		return s->timeout_msg;
	}
	return NULL;
}

/* The budget account of a state (budget.h): C memory that lab concepts
 * allocate on the code's behalf counts in `used` like Lua's own, and a
 * refusal is final (the run ends with the memory verdict). */
static void arm(lua_State *L, enum mode mode);

static int budget_charge(struct budget *b, size_t n)
{
	struct sbx *s = (struct sbx *)b;
	size_t room = s->used < s->limit ? s->limit - s->used : 0;
	if (n > room) {
		out_of_memory(s);
		if (s->main)
			arm(s->main, MODE_STOP); /* stop at the next instruction */
		return -1;
	}
	s->used += n;
	return 0;
}

static void budget_credit(struct budget *b, size_t n)
{
	((struct sbx *)b)->used -= n;
}

/* The system refused memory during a call of this state (budget.h). */
static void budget_exhausted(struct budget *b)
{
	struct sbx *s = (struct sbx *)b;
	out_of_memory(s);
	if (s->main)
		arm(s->main, MODE_STOP);
}

static const char *budget_stopper(struct budget *b)
{
	return stop_reason((struct sbx *)b);
}

static void hook(lua_State *L, lua_Debug *ar);

/* Arms the hook of thread L in MODE. Async-signal-safe, like lua.c's use. */
static void arm(lua_State *L, enum mode mode)
{
	switch (mode) {
	case MODE_PERIODIC:
		lua_sethook(L, hook, LUA_MASKCOUNT, HOOK_COUNT);
		break;
	case MODE_FINE:
		lua_sethook(L, hook, LUA_MASKCOUNT, 1);
		break;
	case MODE_STOP:
		lua_sethook(L, hook, LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
		break;
	}
}

static enum mode mode_of(lua_State *L)
{
	if (lua_gethookmask(L) & LUA_MASKCALL)
		return MODE_STOP;
	return lua_gethookcount(L) == 1 ? MODE_FINE : MODE_PERIODIC;
}

/*
 * The hook of every thread (see enum mode). Raises the stop reason and
 * re-arms itself in stop mode, so that an error caught by pcall is raised
 * again at once; when nothing is wrong any more (after sandbox_reset) it
 * goes back to counting.
 */
static void hook(lua_State *L, lua_Debug *ar)
{
	struct sbx *s = ctl(L);
	enum mode mode = mode_of(L);
	if (mode == MODE_FINE) {
		s->fine++;
		if (++s->fine_clock < HOOK_COUNT && !s->interrupt && !s->oom && !s->refused &&
		    !s->timed_out)
			return;                        /* nothing to look at the clock for */
		s->fine_clock = 0;
	}
	const char *why = stop_reason(s);
	if (!why) {
		if (mode == MODE_STOP)
			arm(L, L == s->main ? MODE_PERIODIC : MODE_FINE);
		else if (mode == MODE_PERIODIC && ar->event == LUA_HOOKCOUNT)
			s->ticks++;
		return;
	}
	arm(L, MODE_STOP);
	lua_pushstring(L, why);                        /* push message */
	lua_error(L);                                  /* raise the message on top */
}

void sandbox_arm_coroutine(lua_State *co)
{
	arm(co, sandbox_must_stop(co) ? MODE_STOP : MODE_FINE);
}

void sandbox_charge(lua_State *L, uint64_t units)
{
	ctl(L)->work += units;
}

/* Opens the standard libraries the environments copy from, into the state's
 * real globals (which no environment can reach). Run under lua_pcall. */
static int open_world(lua_State *L)
{
	static const luaL_Reg libs[] = {
		{LUA_GNAME, luaopen_base},       {LUA_STRLIBNAME, luaopen_string},
		{LUA_TABLIBNAME, luaopen_table}, {LUA_MATHLIBNAME, luaopen_math},
		{LUA_UTF8LIBNAME, luaopen_utf8}, {LUA_COLIBNAME, luaopen_coroutine},
		{LUA_OSLIBNAME, luaopen_os},     {NULL, NULL},
	};
	for (const luaL_Reg *lib = libs; lib->name; lib++) {
		luaL_requiref(L, lib->name, lib->func, 1); /* push library */
		lua_pop(L, 1);                         /* remove library */
	}
	/* The string metatable's __index is the string library table: take
	 * dump out of it, and lock the metatable so getmetatable("") is false. */
	lua_getglobal(L, LUA_STRLIBNAME);              /* push string */
	lua_pushnil(L);                                /* push nil */
	lua_setfield(L, -2, "dump");                   /* string.dump = nil */
	lua_pop(L, 1);                                 /* remove string */
	lua_pushliteral(L, "");                        /* push a string */
	lua_getmetatable(L, -1);                       /* push its metatable */
	lua_pushboolean(L, 0);                         /* push false */
	lua_setfield(L, -2, "__metatable");            /* lock it */
	lua_pop(L, 2);                                 /* remove metatable, string */
	sandbox_open_stopped(L);
	sandbox_open_costs(L);
	return 0;
}

lua_State *sandbox_new(size_t memory)
{
	struct sbx *s = xcalloc(1, sizeof *s);
	s->limit = memory ? memory : SANDBOX_DEFAULT_MEMORY;
	s->budget.charge = budget_charge;
	s->budget.credit = budget_credit;
	s->budget.stop = budget_stopper;
	s->budget.exhausted = budget_exhausted;
	lua_State *L = lua_newstate(sbx_alloc, s);     /* a state counting its memory */
	if (!L) {
		free(s);
		return NULL;
	}
	s->main = L;
	lua_pushcfunction(L, open_world);              /* push opener */
	if (lua_pcall(L, 0, 0, 0) != LUA_OK) {         /* run it; message on error */
		lua_close(L);
		free(s);
		return NULL;
	}
	arm(L, MODE_PERIODIC);
	return L;
}

void sandbox_close(lua_State *L)
{
	if (!L)
		return;
	struct sbx *s = ctl(L);
	struct budget *prev = budget_enter(&s->budget); /* finalizers free C memory */
	lua_close(L);
	budget_leave(prev == &s->budget ? NULL : prev);
	free(s);
}

void sandbox_set_timeout(lua_State *L, double seconds)
{
	struct sbx *s = ctl(L);
	s->timed_out = 0;
	s->timeout_s = seconds > 0 ? seconds : 0;
	s->deadline_ns = seconds > 0 ? now_ns() + (int64_t)(seconds * 1e9) : 0;
	snprintf(s->timeout_msg, sizeof s->timeout_msg, "timed out after %g s", seconds);
}

void sandbox_interrupt(lua_State *L)
{
	void *ud;
	lua_getallocf(L, &ud);
	((struct sbx *)ud)->interrupt = 1;
	arm(L, MODE_STOP);
}

void sandbox_reset(lua_State *L)
{
	struct sbx *s = ctl(L);
	s->interrupt = 0;
	s->oom = 0;
	s->refused = 0;
	s->timed_out = 0;
	s->deadline_ns = 0;
	s->timeout_s = 0;
	s->first = SANDBOX_RUNNING;
	arm(L, MODE_PERIODIC);
}

int sandbox_must_stop(lua_State *L)
{
	lua_Alloc f = lua_getallocf(L, NULL);
	if (f != sbx_alloc)
		return 0;                              /* not a sandbox state */
	struct sbx *s = ctl(L);
	return s->interrupt || s->oom || s->timed_out ||
	       (s->deadline_ns && now_ns() >= s->deadline_ns);
}

enum sandbox_stop sandbox_stopped(lua_State *L)
{
	struct sbx *s = ctl(L);
	if (s->first == SANDBOX_RUNNING && s->interrupt)
		return SANDBOX_INTERRUPTED;
	if (s->refused) {
		s->refused = 0;
		out_of_memory(s);                      /* a refusal nobody retried */
	}
	if (s->first == SANDBOX_RUNNING && s->deadline_ns && now_ns() >= s->deadline_ns)
		note_stop(s, SANDBOX_TIMEOUT);         /* passed inside a C function */
	return s->first;
}

struct budget *sandbox_budget(lua_State *L)
{
	return &ctl(L)->budget;
}

size_t sandbox_memory_limit(lua_State *L)
{
	return ctl(L)->limit;
}

size_t sandbox_memory_used(lua_State *L)
{
	return ctl(L)->used;
}

/* Pushes the chunk SRC of MODE with _ENV = the table at ENV.   [-0, +1] */
static int load_mode(lua_State *L, const char *src, size_t len, const char *chunkname, int env,
		     const char *mode)
{
	env = lua_absindex(L, env);
	int rc = luaL_loadbufferx(L, src, len, chunkname, mode); /* push chunk or message */
	if (rc != LUA_OK)
		return rc;
	lua_pushvalue(L, env);                         /* push env */
	if (!lua_setupvalue(L, -2, 1))                 /* chunk's _ENV = env */
		lua_pop(L, 1);                         /* no upvalue: remove env */
	return LUA_OK;
}

int sandbox_load(lua_State *L, const char *src, size_t len, const char *chunkname, int env)
{
	return load_mode(L, src, len, chunkname, env, "t");
}

int sandbox_load_compiled(lua_State *L, const char *code, size_t len, int env)
{
	return load_mode(L, code, len, "=backlab", env, "b"); /* the name is in the dump */
}

/* Message handler of sandbox_call(): strings pass, anything else becomes a
 * safe description (its __tostring is never called). */
static int safe_message(lua_State *L)
{
	if (lua_type(L, 1) == LUA_TSTRING)
		return 1;                              /* message as is */
	struct sbuf sb = SBUF_INIT;
	sbuf_adds(&sb, "(error object is ");
	sandbox_describe(L, 1, &sb);
	sbuf_adds(&sb, ")");
	lua_pushlstring(L, sb.buf, sb.len);            /* push description */
	sbuf_free(&sb);
	return 1;
}

int sandbox_call(lua_State *L, int nargs, int nresults)
{
	int base = lua_gettop(L) - nargs;              /* function index */
	lua_pushcfunction(L, safe_message);            /* push handler */
	lua_insert(L, base);                           /* put handler under function */
	struct budget *prev = budget_enter(&ctl(L)->budget);
	int rc = lua_pcall(L, nargs, nresults, base);  /* results or message */
	budget_leave(prev);
	lua_remove(L, base);                           /* remove handler */
	return rc;
}

void sandbox_capture_write(void *capture, const char *s, size_t len)
{
	struct sandbox_capture *c = capture;
	size_t limit = c->limit ? c->limit : SANDBOX_DEFAULT_OUTPUT;
	size_t room = c->buf.len < limit ? limit - c->buf.len : 0;
	size_t take = len < room ? len : room;
	sbuf_add(&c->buf, s, take);
	c->dropped += len - take;
}

char *sandbox_capture_text(const struct sandbox_capture *c)
{
	struct sbuf sb = SBUF_INIT;
	sbuf_add(&sb, sbuf_str(&c->buf), c->buf.len);
	if (c->dropped) {
		if (sb.len && sb.buf[sb.len - 1] != '\n')
			sbuf_addc(&sb, '\n');
		sbuf_addf(&sb, "[output truncated: %zu more bytes were not kept]\n", c->dropped);
	}
	return sbuf_detach(&sb);
}

void sandbox_capture_free(struct sandbox_capture *c)
{
	sbuf_free(&c->buf);
	c->dropped = 0;
}

uint64_t sandbox_instructions(lua_State *L)
{
	struct sbx *s = ctl(L);
	return s->ticks * HOOK_COUNT + s->fine + s->work;
}
