/*
 * test_sandbox.c — the in-process sandbox: the allow-list, isolation between
 * environments, seeded randomness, load, the limits (memory, deadline,
 * interrupt) and the safe describer. Cases that would hang the test if the
 * sandbox failed run inside an isolate_run() child as a guard.
 */
#include "unit.h"

#include "engine/isolate.h"
#include "engine/sandbox.h"

#include <lauxlib.h>
#include <signal.h>
#include <sys/time.h>
#include <time.h>

/* Runs CODE in the environment at ENV; returns the lua status and, in
 * *MSG (freed by the caller), the error message or the first result as
 * described by sandbox_describe(). */
static int run(lua_State *L, int env, const char *code, char **msg)
{
	int top = lua_gettop(L);
	int rc = sandbox_load(L, code, strlen(code), "=test", env);
	if (rc == LUA_OK)
		rc = sandbox_call(L, 0, 1);
	struct sbuf sb = SBUF_INIT;
	if (rc == LUA_OK || lua_type(L, -1) != LUA_TSTRING)
		sandbox_describe(L, -1, &sb);
	else
		sbuf_adds(&sb, lua_tostring(L, -1));
	*msg = sbuf_detach(&sb);
	lua_settop(L, top);
	return rc;
}

/* A state with one environment at stack index 1 (seed 1, print to CAP). */
static lua_State *new_sandbox(size_t memory, struct sandbox_capture *cap)
{
	lua_State *L = sandbox_new(memory);
	if (!L)
		return NULL;
	struct sandbox_env_opts o = {.seed = 1, .write = cap ? sandbox_capture_write : NULL, .write_ud = cap};
	if (sandbox_push_env(L, &o) != LUA_OK) {
		sandbox_close(L);
		return NULL;
	}
	return L;
}

#define RUN_OK(L, env, code, want)                                               \
	do {                                                                     \
		char *m_;                                                        \
		int rc_ = run(L, env, code, &m_);                                \
		if (rc_ != LUA_OK || strcmp(m_, want) != 0) {                    \
			unit_fail_(__FILE__, __LINE__, code);                    \
			printf("      status %d: [%s]\n      want: [%s]\n", rc_, m_, want); \
			free(m_);                                                \
			return;                                                  \
		}                                                                \
		free(m_);                                                        \
	} while (0)

#define RUN_FAILS(L, env, code, fragment)                                        \
	do {                                                                     \
		char *m_;                                                        \
		int rc_ = run(L, env, code, &m_);                                \
		if (rc_ == LUA_OK || !strstr(m_, fragment)) {                    \
			unit_fail_(__FILE__, __LINE__, code);                    \
			printf("      status %d: [%s]\n      want an error with: [%s]\n", rc_, m_, fragment); \
			free(m_);                                                \
			return;                                                  \
		}                                                                \
		free(m_);                                                        \
	} while (0)

static void t_allow_list(void)
{
	lua_State *L = new_sandbox(0, NULL);
	CHECK(L);
	static const char *const absent[] = {
		"io", "debug", "package", "require", "dofile", "loadfile", "warn", "os.execute",
		"os.remove", "os.rename", "os.exit", "os.getenv", "os.tmpname", "os.setlocale",
		"string.dump", "(('').dump)", NULL,
	};
	for (const char *const *a = absent; *a; a++) {
		char code[128];
		snprintf(code, sizeof code, "return %s == nil", *a);
		RUN_OK(L, 1, code, "true");
	}
	static const char *const present[] = {
		"assert", "error", "getmetatable", "ipairs", "next", "pairs", "pcall", "rawequal",
		"rawget", "rawlen", "rawset", "select", "tonumber", "tostring", "type", "xpcall",
		"load", "collectgarbage", "setmetatable", "print", "_VERSION", "string.format",
		"table.concat", "math.random", "utf8.char", "coroutine.wrap", "os.time", "os.clock",
		"os.date", "lab", NULL,
	};
	for (const char *const *p = present; *p; p++) {
		char code[128];
		snprintf(code, sizeof code, "return %s ~= nil", *p);
		RUN_OK(L, 1, code, "true");
	}
	RUN_OK(L, 1, "return rawequal(_G, _ENV)", "true");
	RUN_OK(L, 1, "return getmetatable('')", "false");
	RUN_OK(L, 1, "return ('x'):upper() .. ('%d'):format(3)", "\"X3\"");
	RUN_OK(L, 1, "return collectgarbage('count') > 0", "true");
	RUN_FAILS(L, 1, "collectgarbage('stop')", "not available in the sandbox");
	RUN_FAILS(L, 1, "collectgarbage('generational')", "not available in the sandbox");
	RUN_FAILS(L, 1, "setmetatable({}, {__gc = print})", "__gc");
	RUN_OK(L, 1, "return setmetatable({}, {__index = {a = 1}}).a", "1");
	sandbox_close(L);
}

static void t_load(void)
{
	lua_State *L = new_sandbox(0, NULL);
	CHECK(L);
	RUN_OK(L, 1, "x = 5 return load('return x')()", "5");
	RUN_OK(L, 1, "return rawequal(load('return _ENV')(), _ENV)", "true");
	RUN_OK(L, 1, "return load('return x', 'n', 't', {x = 7})()", "7");
	RUN_OK(L, 1, "return load('return x', 'n', 't', nil) == nil", "false");
	RUN_OK(L, 1, "return select(2, load('\\27Lua', 'b', 'b'))",
	       "\"attempt to load a binary chunk (mode is 't')\"");
	RUN_OK(L, 1, "local p = {'return ', '4', '2'} local i = 0 "
		     "return load(function() i = i + 1 return p[i] end)()",
	       "42");
	/* a chunk may not be named like a file: '@' becomes '=' */
	RUN_OK(L, 1, "f = load('return 1', '@lessons/x.md') return 0", "0");
	lua_getfield(L, 1, "f");                       /* push f */
	lua_Debug ar;
	lua_getinfo(L, ">S", &ar);                     /* pops f */
	CHECK_STR(ar.source, "=lessons/x.md");
	sandbox_close(L);
}

static void t_isolation(void)
{
	lua_State *L = new_sandbox(0, NULL);
	CHECK(L);
	struct sandbox_env_opts o = {.seed = 1};
	CHECK(sandbox_push_env(L, &o) == LUA_OK);      /* environment 2 */
	RUN_OK(L, 1, "string.upper = function() return 'hacked' end "
		     "tostring = function() return 'lie' end "
		     "math.abs = nil; table.concat = nil; lab.help = nil; _G.shared = 1 "
		     "local ok = pcall(function() getmetatable('').__index.upper = nil end) "
		     "return ok",
	       "false");
	RUN_OK(L, 2, "return ('x'):upper() .. string.upper('y') .. tostring(1)", "\"XY1\"");
	RUN_OK(L, 2, "return math.abs(-2) + #table.concat({'a'}) .. type(lab.help) .. tostring(shared)",
	       "\"3functionnil\"");
	RUN_OK(L, 1, "return ('x'):upper()", "\"X\""); /* the metatable's table is untouched */
	RUN_OK(L, 1, "return rawequal(string, (load('return string', 'x', 't', nil) or print)) ",
	       "false");
	sandbox_close(L);
}

static void t_random(void)
{
	lua_State *L = sandbox_new(0);
	CHECK(L);
	struct sandbox_env_opts five = {.seed = 5}, six = {.seed = 6};
	CHECK(sandbox_push_env(L, &five) == LUA_OK);   /* 1 */
	CHECK(sandbox_push_env(L, &five) == LUA_OK);   /* 2 */
	CHECK(sandbox_push_env(L, &six) == LUA_OK);    /* 3 */
	const char *draw = "local t = {} for i = 1, 5 do t[i] = math.random(1, 1000000) end "
			   "return table.concat(t, ',')";
	char *a, *b, *c, *d;
	CHECK(run(L, 1, draw, &a) == LUA_OK);
	CHECK(run(L, 2, draw, &b) == LUA_OK);
	CHECK(run(L, 3, draw, &c) == LUA_OK);
	RUN_OK(L, 2, "math.randomseed() return 0", "0"); /* back to the seed */
	CHECK(run(L, 2, draw, &d) == LUA_OK);
	int same = strcmp(a, b) == 0 && strcmp(a, c) != 0 && strcmp(a, d) == 0;
	free(a);
	free(b);
	free(c);
	free(d);
	CHECK(same);
	sandbox_close(L);
}

static void t_print(void)
{
	struct sandbox_capture cap = {.limit = 16};
	lua_State *L = new_sandbox(0, &cap);
	CHECK(L);
	RUN_OK(L, 1, "print('a', 1, nil, true) return 0", "0");
	CHECK_STR(sbuf_str(&cap.buf), "a\t1\tnil\ttrue\n");
	RUN_OK(L, 1, "print(string.rep('x', 100)) return 0", "0");
	char *text = sandbox_capture_text(&cap);
	CHECK_STR(text, "a\t1\tnil\ttrue\nxxx\n[output truncated: 98 more bytes were not kept]\n");
	free(text);
	sandbox_capture_free(&cap);
	sandbox_close(L);
}

static void t_memory(void)
{
	lua_State *L = new_sandbox(8 << 20, NULL);
	CHECK(L);
	CHECK(sandbox_memory_limit(L) == 8 << 20);
	RUN_FAILS(L, 1, "local t = {} while true do t[#t + 1] = {} end", "not enough memory");
	CHECK_INT(sandbox_stopped(L), SANDBOX_MEMORY);
	CHECK(sandbox_memory_used(L) <= sandbox_memory_limit(L));
	/* caught by pcall, it still counts, and the hook stops what follows */
	sandbox_reset(L);
	RUN_FAILS(L, 1, "pcall(string.rep, 'x', 100 << 20) for i = 1, 1e7 do end", "not enough memory");
	CHECK_INT(sandbox_stopped(L), SANDBOX_MEMORY);
	sandbox_reset(L);
	RUN_OK(L, 1, "collectgarbage() return #string.rep('x', 1000)", "1000");
	CHECK_INT(sandbox_stopped(L), SANDBOX_RUNNING);
	sandbox_close(L);
	CHECK(sandbox_new(1000) == NULL); /* too small for a state */
}

/* CPU seconds this process has run: a deadline in wall time passes before
 * the code has run that long, whatever the load, so a bound on it is a
 * bound for a hang that no busy machine can break. */
static double cpu_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void t_timeout(void)
{
	lua_State *L = new_sandbox(0, NULL);
	CHECK(L);
	RUN_OK(L, 1, "kept = 'still here' return 0", "0");
	sandbox_set_timeout(L, 0.1);
	double t0 = cpu_s();
	RUN_FAILS(L, 1, "while true do pcall(function() while true do end end) end", "timed out after 0.1 s");
	CHECK(cpu_s() - t0 < 1.5); /* ends soon after its limit: no hang (not a speed claim) */
	CHECK_INT(sandbox_stopped(L), SANDBOX_TIMEOUT);
	CHECK(sandbox_must_stop(L));
	sandbox_reset(L);
	CHECK(!sandbox_must_stop(L));
	RUN_OK(L, 1, "return kept", "\"still here\"");
	/* in a coroutine, which has a hook of its own */
	sandbox_set_timeout(L, 0.1);
	RUN_FAILS(L, 1, "local co = coroutine.wrap(function() while true do pcall(function() while true do end end) end end) "
			"while true do pcall(co) end",
		  "timed out");
	sandbox_reset(L);
	RUN_OK(L, 1, "local n = 0 for i = 1, 1e6 do n = n + 1 end return n", "1000000");
	sandbox_close(L);
}

static lua_State *interrupt_target;

static void on_alarm(int sig)
{
	(void)sig;
	sandbox_interrupt(interrupt_target);
}

static void t_interrupt(void)
{
	lua_State *L = new_sandbox(0, NULL);
	CHECK(L);
	interrupt_target = L;
	struct sigaction sa = {0}, old;
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, &old);
	const char *loops[] = {
		"while true do pcall(function() while true do end end) end",
		"local co = coroutine.wrap(function() while true do end end) co()",
		"xpcall(function() while true do end end, function() while true do end end)",
	};
	for (int i = 0; i < 3; i++) {
		struct itimerval it = {{0, 0}, {0, 50000}}; /* 50 ms */
		setitimer(ITIMER_REAL, &it, NULL);
		double t0 = cpu_s();
		RUN_FAILS(L, 1, loops[i], "interrupted!");
		CHECK(cpu_s() - t0 < 1.5); /* ends soon after its limit: no hang (not a speed claim) */
		CHECK_INT(sandbox_stopped(L), SANDBOX_INTERRUPTED);
		sandbox_reset(L);
	}
	sigaction(SIGALRM, &old, NULL);
	RUN_OK(L, 1, "return 1 + 1", "2");
	sandbox_close(L);
}

/* ---- cases that would hang the process if the sandbox failed ---- */

static void guarded_child(struct isolate_out *out, void *arg)
{
	lua_State *L = new_sandbox(16 << 20, NULL);
	char *msg;
	sandbox_set_timeout(L, 0.2);
	run(L, 1, arg, &msg);
	int stop = sandbox_stopped(L);
	sandbox_reset(L);
	char *after;
	run(L, 1, "return later and later() or 'none'", &after);
	char *text = xasprintf("%d|%s|%s", stop, msg, after);
	isolate_puts(out, 'r', text);
	free(text);
	free(after);
	free(msg);
	if (isolate_tidy()) /* a leak checker watches (Valgrind) */
		sandbox_close(L);
}

/* Runs CODE in-process in a child; returns "stop|message|after" or NULL if
 * the child had to be killed. */
static char *guarded(const char *code)
{
	struct isolate_limits lim = {30.0, 0, 0}; /* a bound for a hang: returns when done */
	struct isolate_result res;
	char *out = NULL;
	if (isolate_run(guarded_child, (void *)code, &lim, NULL, &res) == 0) {
		size_t len;
		const char *p = isolate_get(&res, 'r', &len);
		out = p ? xstrndup(p, len) : NULL;
	}
	isolate_result_free(&res);
	return out;
}

static void t_hooks_off_traps(void)
{
	static const char *const traps[] = {
		/* a message handler runs with hooks off when the hook raises */
		"local function again() xpcall(function() while true do end end, function() again() end) end "
		"while true do pcall(again) end",
		/* a dead coroutine's __close, run by coroutine.wrap */
		"local f = coroutine.wrap(function() "
		"  local x <close> = setmetatable({}, {__close = function() while true do end end}) "
		"  while true do end end) "
		"f()",
		/* the same, the error raised where the coroutine cannot yield */
		"local f = coroutine.wrap(function() "
		"  local x <close> = setmetatable({}, {__close = function() while true do end end}) "
		"  table.sort({5, 4, 3, 2, 1, 9, 8, 7, 6}, function() while true do end end) end) "
		"f()",
		/* closing later, from the next line of the REPL */
		"co = coroutine.create(function() "
		"  local x <close> = setmetatable({}, {__close = function() while true do end end}) "
		"  while true do end end) "
		"later = function() return select(2, pcall(coroutine.close, co)) end "
		"coroutine.resume(co) while true do end",
	};
	for (size_t i = 0; i < sizeof traps / sizeof traps[0]; i++) {
		char *r = guarded(traps[i]);
		if (!r || strncmp(r, "1|", 2) != 0) {
			unit_fail_(__FILE__, __LINE__, traps[i]);
			printf("      got: %s\n", r ? r : "(killed: the sandbox did not stop it)");
		}
		if (r && i == 3)
			CHECK(strstr(r, "cannot close a coroutine that a limit stopped"));
		free(r);
	}
}

/* ---- the describer ---- */

static void t_describe(void)
{
	lua_State *L = new_sandbox(0, NULL);
	CHECK(L);
	static const struct {
		const char *expr, *want;
	} cases[] = {
		{"nil", "nil"},
		{"true", "true"},
		{"42", "42"},
		{"-0.5", "-0.5"},
		{"2.0", "2.0"},
		{"1e100", "1e+100"},
		{"1/0", "math.huge"},
		{"-1/0", "-math.huge"},
		{"0/0", "nan"},
		{"'a\\n\"b\"\\0'", "\"a\\n\\\"b\\\"\\0\""},
		{"{}", "{}"},
		{"{1, 2, 3}", "{1, 2, 3}"},
		{"{b = 1, a = 2, [1] = 'x', [3.5] = true, ['end'] = 0, ['a b'] = 1, [false] = 1}",
		 "{\"x\", [3.5] = true, a = 2, [\"a b\"] = 1, b = 1, [\"end\"] = 0, [false] = 1}"},
		{"{{{{{}}}}}", "{{{{…}}}}"},
		{"{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}", "{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, … (12 entries)}"},
		{"string.rep('ab', 50)",
		 "\"abababababababababababababababababababababababababababababab…\" (100 bytes)"},
		{"print", "function"},
		{"coroutine.create(print)", "coroutine"},
		{"lab.rand and lab.rand.new(1) or setmetatable({}, {})", NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (!cases[i].want)
			continue;
		char code[256];
		snprintf(code, sizeof code, "return %s", cases[i].expr);
		RUN_OK(L, 1, code, cases[i].want);
	}
	RUN_OK(L, 1, "local t = {} t.self = t t[1] = t return t", "{<cycle>, self = <cycle>}");
	/* no metamethod of a hostile value runs */
	RUN_OK(L, 1, "touched = false "
		     "local function touch() touched = true return 1 end "
		     "return setmetatable({1, x = 2}, {__index = touch, __len = touch, __pairs = touch, "
		     "__tostring = touch, __name = 'Liar', __eq = touch, __lt = touch, __concat = touch})",
	       "{1, x = 2}");
	RUN_OK(L, 1, "return touched", "false");
	/* a userdata is named by its metatable's __name */
	luaL_newmetatable(L, "thing");                 /* push metatable */
	lua_pop(L, 1);                                 /* remove it */
	lua_newuserdatauv(L, 1, 0);                    /* push userdata */
	luaL_setmetatable(L, "thing");
	struct sbuf sb = SBUF_INIT;
	sandbox_describe(L, -1, &sb);
	lua_pop(L, 1);                                 /* remove userdata */
	CHECK_STR(sbuf_str(&sb), "<thing>");
	sbuf_free(&sb);
	/* sandbox_call describes non-string errors without running __tostring */
	RUN_FAILS(L, 1, "error(setmetatable({code = 1}, {__tostring = function() while true do end end}))",
		  "(error object is {code = 1})");
	sandbox_close(L);
}

static const struct test tests[] = {
	{"sandbox/allow-list", t_allow_list},
	{"sandbox/load", t_load},
	{"sandbox/isolation", t_isolation},
	{"sandbox/random", t_random},
	{"sandbox/print", t_print},
	{"sandbox/memory", t_memory},
	{"sandbox/timeout", t_timeout},
	{"sandbox/interrupt", t_interrupt},
	{"sandbox/hooks-off-traps", t_hooks_off_traps},
	{"sandbox/describe", t_describe},
	{NULL, NULL},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
