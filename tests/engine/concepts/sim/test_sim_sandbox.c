/*
 * test_sim_sandbox.c — lab.sim under the sandbox: a learner's handler that
 * loops, allocates without end or is interrupted ends the run with the
 * sandbox's verdict (never a hang, never swallowed by the simulation), and
 * a handler's error is reported with its node, time and message. Each case
 * runs in an isolate_run() child, so a failure cannot hang the test.
 */
#include "unit.h"

#include "engine/base/budget.h"
#include "engine/isolate.h"
#include "engine/sandbox.h"

#include <lauxlib.h>
#include <signal.h>
#include <sys/time.h>

static lua_State *child_state;

static void on_alarm(int sig)
{
	(void)sig;
	if (child_state)
		sandbox_interrupt(child_state);
}

/* In the child: runs the code (arg) with a 0.3 s deadline and 32 MiB, or
 * with an interrupt after 0.2 s when the code starts with "--int", or an
 * 8 s deadline when it starts with "--mem". */
static void child(struct isolate_out *out, void *arg)
{
	const char *code = arg;
	lua_State *L = sandbox_new(32 << 20);
	struct sandbox_env_opts o = {1, NULL, NULL, NULL};
	sandbox_push_env(L, &o);
	child_state = L;
	if (strncmp(code, "--int", 5) == 0) {
		signal(SIGALRM, on_alarm);
		struct itimerval it = {{0, 0}, {0, 200000}};
		setitimer(ITIMER_REAL, &it, NULL);
	} else {
		/* loops meet the deadline; memory cases must meet the limit first */
		sandbox_set_timeout(L, strncmp(code, "--mem", 5) == 0 ? 8 : 0.3);
	}
	int rc = sandbox_load(L, code, strlen(code), "=learner", 1);
	if (rc == LUA_OK)
		rc = sandbox_call(L, 0, 1);
	const char *msg = lua_type(L, -1) == LUA_TSTRING || lua_type(L, -1) == LUA_TNUMBER
				  ? lua_tostring(L, -1)
				  : "(not a string)";
	char *text = xasprintf("%d|%d|%s", rc, (int)sandbox_stopped(L), msg);
	isolate_puts(out, 'r', text);
	free(text);
}

/* "status|stop|message", or NULL if the child had to be killed. */
static char *guarded(const char *code)
{
	struct isolate_limits lim = {30.0, 0, 0};
	struct isolate_result res;
	char *out = NULL;
	if (isolate_run(child, (void *)code, &lim, NULL, &res) == 0) {
		size_t len;
		const char *p = isolate_get(&res, 'r', &len);
		out = p ? xstrndup(p, len) : NULL;
	}
	isolate_result_free(&res);
	return out;
}

#define EXPECT(code, want)                                                       \
	do {                                                                     \
		char *got_ = guarded(code);                                      \
		if (!got_ || !strstr(got_, want)) {                              \
			unit_fail_(__FILE__, __LINE__, code);                    \
			printf("      got:  [%s]\n      want: [%s]\n", got_ ? got_ : "(killed)", want); \
			free(got_);                                              \
			return;                                                  \
		}                                                                \
		free(got_);                                                      \
	} while (0)

#define EXPECT2(code, a, b)                                                       \
	do {                                                                     \
		char *got_ = guarded(code);                                      \
		if (!got_ || !strstr(got_, a) || !strstr(got_, b)) {             \
			unit_fail_(__FILE__, __LINE__, code);                    \
			printf("      got:  [%s]\n      want: [%s] and [%s]\n",     \
			       got_ ? got_ : "(killed)", a, b);                  \
			free(got_);                                              \
			return;                                                  \
		}                                                                \
		free(got_);                                                      \
	} while (0)

/* status 2 = LUA_ERRRUN; stops: 1 timeout, 2 memory, 3 interrupted */
static void t_loop_in_handler(void)
{
	EXPECT("local s = lab.sim.new{nodes = 2, seed = 1, node = {"
	       "  start = function(n) n:set_timer(0.5) end,"
	       "  timer = function(n) while true do end end}}"
	       "return s:run(10)",
	       "2|1|timed out");
}

static void t_pcall_loop_in_handler(void)
{
	EXPECT("local s = lab.sim.new{nodes = 2, seed = 1, node = {"
	       "  receive = function(n) while true do pcall(function() while true do end end) end end,"
	       "  start = function(n) n:send(2, 'x') end}}"
	       "return pcall(s.run, s, 10)",
	       "|1|timed out");
}

static void t_endless_ping_pong(void)
{
	/* each handler is quick; the simulation never ends: its loop must stop
	 * (without a trace, so that the deadline comes before the memory limit) */
	EXPECT2("local s = lab.sim.new{nodes = 2, seed = 1, latency = 0, trace = false, node = {"
		"  start = function(n) if n.id == 1 then n:send(2, 0) end end,"
		"  receive = function(n, from, x) n:send(from, x + 1) end}}"
		"return s:run(1e9)",
		"2|1|", "timed out");
}

static void t_memory_plain(void)
{
	EXPECT("--mem\nlocal t = {} while true do t[#t + 1] = string.rep('x', 1e5) .. #t end", "|2|not enough memory");
}

static void t_memory_in_handler(void)
{
	EXPECT("--mem\nlocal s = lab.sim.new{nodes = 2, seed = 1, node = {"
	       "  start = function(n) local t = {} while true do t[#t + 1] = string.rep('x', 1e5) .. #t end end}}"
	       "return s:run(1)",
	       "2|2|learner:2: not enough memory");
}

static void t_memory_in_flight(void)
{
	/* messages pile up in the simulator's C memory, charged to the sandbox */
	EXPECT("--mem\nlocal s = lab.sim.new{nodes = 2, seed = 1, latency = 1e5, node = {"
	       "  start = function(n) local big = string.rep('x', 1000)"
	       "    for i = 1, 1e7 do n:send(2, big) end end}}"
	       "return s:run(1)",
	       "|2|not enough memory");
}

static void t_interrupt(void)
{
	EXPECT("--int\nlocal s = lab.sim.new{nodes = 2, seed = 1, node = {"
	       "  start = function(n) n:set_timer(0.5) end,"
	       "  timer = function(n) while true do end end}}"
	       "return s:run(10)",
	       "2|3|interrupted!");
}

static void t_handler_error_named(void)
{
	EXPECT("local s = lab.sim.new{nodes = 3, seed = 1, latency = 0.25, node = {"
	       "  start = function(n) if n.id == 1 then n:send(3, {x = 1}) end end,"
	       "  receive = function(n, from, msg) return msg.y.z end}}"
	       "return s:run(10)",
	       "2|0|n3's receive handler failed at 0.250000 s (a message from n1): learner:1: "
	       "attempt to index a nil value (field 'y')");
}

static void t_check_reports_error(void)
{
	EXPECT("local bad = lab.sim.check{runs = 3, seed = 10, time = 5,"
	       "  build = function(seed) return lab.sim.new{nodes = 2, seed = seed, node = {"
	       "    start = function(n) if seed == 11 then error('boom') end end}} end}"
	       "return bad.message .. ' / run ' .. bad.run .. ' seed ' .. bad.seed",
	       "0|0|n1's start handler failed at 0.000000 s: learner:1: boom / run 2 seed 11");
	/* a stop is never a failure of the run: it ends the whole check */
	EXPECT("local bad = lab.sim.check{runs = 3, seed = 10, time = 5,"
	       "  build = function(seed) return lab.sim.new{nodes = 2, seed = seed, node = {"
	       "    start = function(n) while true do end end}} end}"
	       "return 'not stopped'",
	       "2|1|timed out");
}

static void t_nested_run_refused(void)
{
	EXPECT("local s; s = lab.sim.new{nodes = 1, seed = 1, node = {"
	       "  start = function(n) s:run(5) end}}"
	       "return s:run(1)",
	       "running already");
}

static void t_unsendable(void)
{
	EXPECT("local s = lab.sim.new{nodes = 2, seed = 1, node = {"
	       "  start = function(n) local t = {} t.me = t n:send(2, t) end}}"
	       "return s:run(1)",
	       "nested more than 32 tables deep");
	EXPECT("local s = lab.sim.new{nodes = 2, seed = 1, node = {"
	       "  start = function(n) n:send(2, {f = print}) end}}"
	       "return s:run(1)",
	       "contains a function");
}

static void t_crashed_handle(void)
{
	EXPECT("local old; local s = lab.sim.new{nodes = 2, seed = 1,"
	       "  faults = {{at = 1, crash = 1}, {at = 2, restart = 1}}, node = {"
	       "  start = function(n, again) if n.id ~= 1 then return end"
	       "    if again then old:send(2, 'x') else old = n end end}}"
	       "return s:run(3)",
	       "n1 crashed since this handle was made");
}

static void t_isolate(void)
{
	/* each node gets its own module: a shared table in the module is not shared */
	EXPECT("local src = 'local shared = {} return {start = function(n) shared[n.id] = true "
	       "  n.store.seen = 0 for _ in pairs(shared) do n.store.seen = n.store.seen + 1 end end}'"
	       "local s = lab.sim.new{nodes = 3, seed = 1}"
	       "s:node(lab.sim.isolate(src, _ENV))"
	       "s:run(1)"
	       "return s:store(1).seen + s:store(2).seen + s:store(3).seen",
	       "0|0|3");
	/* and sees no lab, no load */
	EXPECT("local s = lab.sim.new{nodes = 1, seed = 1}"
	       "s:node(lab.sim.isolate('return {start = function(n) n.store.x = tostring(lab) .. tostring(load) end}', _ENV))"
	       "s:run(1) return s:store(1).x",
	       "0|0|nilnil");
}

static const struct test tests[] = {
	{"sim_sandbox/loop_in_handler", t_loop_in_handler},
	{"sim_sandbox/pcall_loop_in_handler", t_pcall_loop_in_handler},
	{"sim_sandbox/endless_ping_pong", t_endless_ping_pong},
	{"sim_sandbox/memory_plain", t_memory_plain},
	{"sim_sandbox/memory_in_handler", t_memory_in_handler},
	{"sim_sandbox/memory_in_flight", t_memory_in_flight},
	{"sim_sandbox/interrupt", t_interrupt},
	{"sim_sandbox/handler_error_named", t_handler_error_named},
	{"sim_sandbox/check_reports_error", t_check_reports_error},
	{"sim_sandbox/nested_run_refused", t_nested_run_refused},
	{"sim_sandbox/unsendable", t_unsendable},
	{"sim_sandbox/crashed_handle", t_crashed_handle},
	{"sim_sandbox/isolate", t_isolate},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
