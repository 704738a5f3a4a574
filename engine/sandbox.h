/*
 * sandbox.h — Lua states and environments for untrusted code.
 *
 * Learner code and lesson checks are both untrusted (a course can come from
 * anyone), so every piece of Lua the engine runs goes through here:
 *
 *   sandbox_new()        a lua_State whose allocator enforces a memory limit
 *                        and whose hook enforces a deadline and Ctrl-C;
 *   sandbox_push_env()   a fresh allow-list environment table, to be used as
 *                        the _ENV of the chunks loaded with sandbox_load().
 *
 * Several environments may live in one state (the grader runs the learner's
 * file in one and the check in another). They share nothing a program can
 * change: each gets its own copies of the library tables, its own math.random
 * state, its own `lab`; the string metatable is locked and its __index table
 * is reachable from no environment; the registry and the state's real globals
 * are reachable from none.
 *
 * What an environment holds (an allow-list: nothing that reaches the
 * file system, the process or the real globals):
 *   base     assert error getmetatable ipairs next pairs pcall rawequal rawget
 *            rawlen rawset select tonumber tostring type xpcall _VERSION, _G
 *            (the environment itself), and these replacements:
 *              load(chunk [, name [, mode [, env]]])  text chunks only; env
 *                  defaults to this environment; a name starting with '@' is
 *                  turned into '=' (only the engine names chunks after files)
 *              collectgarbage([opt])  "collect", "count", "step", "isrunning"
 *              setmetatable(t, mt)    refuses metatables with a __gc field (a
 *                  finalizer runs with hooks off, so it could not be stopped)
 *              xpcall(f, h, ...)      h is not run for the error that stops a
 *                  run (Lua calls it with hooks off when the hook raises)
 *              print(...)             to the environment's write callback
 *   string   without dump        table, utf8   as in Lua
 *   coroutine  as in Lua, except that a coroutine that dies while a run is
 *            being stopped is never closed (its __close handlers would run
 *            with hooks off: see sandbox_coro.c)
 *   math     a fresh copy; math.random seeded from the environment's seed,
 *            math.randomseed() without arguments reseeds with that seed
 *   os       time, clock, date only
 *   lab      a fresh table from lab_push(), or only some namespaces of it
 *            (opts->lab_only)
 * Absent: dofile, loadfile, require, package, io, debug, warn, the rest of os.
 *
 * Limits. Memory: every allocation of the state counts; past the limit the
 * allocator refuses and Lua raises "not enough memory". Time: the deadline
 * is in CPU seconds of the process (sandboxed code cannot sleep, so it uses
 * all the time it gets; a loaded machine does not time out a right answer);
 * after it the hook raises an error on every instruction, so a pcall loop
 * cannot swallow it. Interrupt: sandbox_interrupt() is async-signal-safe and
 * makes the hook raise "interrupted!" at the next instruction, likewise
 * repeatedly, until sandbox_reset(). Code inside one C function (a
 * pathological string.find) cannot be stopped in-process: graded runs are
 * therefore run in a child process (isolate.h), where a wall deadline backs
 * the hook up.
 *
 * Using it for the REPL's Lua prompt (state kept between lines):
 *
 *   lua_State *L = sandbox_new(0);                   // 256 MiB
 *   struct sandbox_env_opts o = {.seed = 42, .write = to_terminal, .write_ud = tty};
 *   if (sandbox_push_env(L, &o) != LUA_OK) ...       // message on the stack
 *   int env = lua_gettop(L);                         // or luaL_ref it
 *   // per line: SIGINT handler calls sandbox_interrupt(L)
 *   sandbox_reset(L);
 *   if (sandbox_load(L, "return 1 + 1", 12, "=stdin", env) == LUA_OK)
 *           rc = sandbox_call(L, 0, LUA_MULTRET);    // results or message
 *   // sandbox_stopped(L) says whether a limit or Ctrl-C ended the call;
 *   // sandbox_describe() renders results without running metamethods.
 *   sandbox_close(L);
 *
 * None of these functions prints; errors are returned as status codes with
 * a message on the Lua stack.
 */
#ifndef BACKLAB_SANDBOX_H
#define BACKLAB_SANDBOX_H

#include <lua.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/base/sbuf.h"

#define SANDBOX_DEFAULT_MEMORY ((size_t)256 << 20) /* bytes */
#define SANDBOX_DEFAULT_TIMEOUT 5.0                /* seconds, for graded runs */
#define SANDBOX_DEFAULT_OUTPUT ((size_t)64 << 10)  /* bytes of captured output */

/* Why the last run stopped early; see sandbox_stopped(). */
enum sandbox_stop {
	SANDBOX_RUNNING = 0, /* no limit was hit */
	SANDBOX_TIMEOUT,     /* the deadline passed */
	SANDBOX_MEMORY,      /* the memory limit was hit (even if pcall caught it) */
	SANDBOX_INTERRUPTED, /* sandbox_interrupt() was called */
};

/* Where print() writes: S holds LEN bytes (not NUL-terminated). */
typedef void (*sandbox_write_fn)(void *ud, const char *s, size_t len);

struct sandbox_env_opts {
	uint64_t seed;          /* seeds math.random of this environment */
	sandbox_write_fn write; /* print() output; NULL discards it */
	void *write_ud;         /* passed to write; must outlive the environment */
	/* What the environment's `lab` holds (NULL-terminated; read while the
	 * environment is built): namespaces ("clock") and single functions
	 * ("hash.ketama"); NULL: all of lab. Reading anything else of lab raises
	 * an error saying it is not available here; naming a function a
	 * namespace does not have fails sandbox_push_env(). */
	const char *const *lab_only;
};

/*
 * A new state with the standard libraries opened into its (unreachable) real
 * globals and the string metatable locked. MEMORY is the allocation limit in
 * bytes (0: SANDBOX_DEFAULT_MEMORY). Returns NULL if even that cannot be
 * allocated. Close with sandbox_close().
 */
lua_State *sandbox_new(size_t memory);
void sandbox_close(lua_State *L);

/*
 * Pushes a fresh environment table built from OPTS (copied; write_ud is not).
 * Returns LUA_OK with the table on the stack, or an error status (LUA_ERRMEM)
 * with the message on the stack instead.                          [-0, +1]
 */
int sandbox_push_env(lua_State *L, const struct sandbox_env_opts *opts);

/*
 * Loads SRC (LEN bytes, text only: binary chunks are refused) as a function
 * whose _ENV is the table at index ENV. CHUNKNAME is used as in lua_load
 * ("@file.lua" or "=name"). Returns LUA_OK with the function pushed, or
 * LUA_ERRSYNTAX/LUA_ERRMEM with the message pushed.              [-0, +1]
 */
int sandbox_load(lua_State *L, const char *src, size_t len, const char *chunkname, int env);

/*
 * As sandbox_load(), for a binary chunk that backlab itself compiled and
 * dumped in this process (grade_warm()): never for anything a learner or a
 * lesson wrote, since Lua does not check binary chunks.           [-0, +1]
 */
int sandbox_load_compiled(lua_State *L, const char *code, size_t len, int env);

/*
 * Calls the function below NARGS arguments like lua_pcall, with a message
 * handler that leaves string messages alone and turns any other error value
 * into a string describing it safely (no __tostring is run). Returns the
 * lua_pcall status; on error the message is the only thing pushed. Whether a
 * limit or an interrupt caused it is sandbox_stopped(L).     [-(nargs+1), +?]
 */
int sandbox_call(lua_State *L, int nargs, int nresults);

/* Sets the deadline SECONDS of CPU time from now (0 or less: no deadline). */
void sandbox_set_timeout(lua_State *L, double seconds);

/*
 * Async-signal-safe: asks the running code to stop. From the next instruction
 * on, every instruction raises "interrupted!" until sandbox_reset(L).
 */
void sandbox_interrupt(lua_State *L);

/*
 * Whether the code running in L must stop (interrupted, out of memory, or
 * past its deadline); 0 for a state not made by sandbox_new(). C code with a
 * long loop (a lab binding) may poll it and raise, since the hook cannot run
 * inside C functions.
 */
int sandbox_must_stop(lua_State *L);

/* Clears the deadline and every stop condition, before the next run. */
void sandbox_reset(lua_State *L);

/* The first limit hit since the last sandbox_reset(), or SANDBOX_RUNNING; a
 * deadline that passed while a C function ran counts too. */
enum sandbox_stop sandbox_stopped(lua_State *L);

/*
 * The cost of what ran in L so far, in instructions: a cost that, unlike
 * time, is the same on every machine and under any load. It counts
 *   - Lua VM instructions: those of the main thread to within HOOK_COUNT
 *     (1000) at any moment, those of coroutines exactly (their hook fires on
 *     every instruction, so coroutine code runs about three times slower);
 *   - the work of library functions done on the code's behalf, about one
 *     per byte or element: every byte of every new string (`..`, sub, rep,
 *     format...), the bytes find/match/gmatch/gsub scan, the elements
 *     table.insert/remove move, table.sort compares, and so on (the list is
 *     sandbox_cost.c).
 * Not counted: lab functions, table rehashing, garbage collection.
 */
uint64_t sandbox_instructions(lua_State *L);

/*
 * The budget account of L (engine/base/budget.h): C memory that lab concepts
 * allocate counts against the same limit as Lua's, and their long loops stop
 * when L must. sandbox_call() makes it current for the call; a caller that
 * runs L's code with lua_pcall itself wraps the call in budget_enter() and
 * budget_leave().
 */
struct budget *sandbox_budget(lua_State *L);

/* The memory limit and the bytes in use now, as the allocator counts them
 * (Lua's and the budget's). */
size_t sandbox_memory_limit(lua_State *L);
size_t sandbox_memory_used(lua_State *L);

/*
 * Appends a short, deterministic, one-line description of the value at IDX
 * to OUT: `42`, `"text"`, `{1, 2, x = "y"}` (keys sorted, nested tables to a
 * few levels, long strings and tables cut with "…"), `function`, `coroutine`,
 * `<lab.cache>` for a userdata whose metatable has __name. Never calls a
 * metamethod, never raises, never changes the stack.               [-0, +0]
 */
void sandbox_describe(lua_State *L, int idx, struct sbuf *out);

/*
 * Lua binding of sandbox_describe(): describe(v) returns the description as
 * a string. Given to checks (see grade.h).
 */
int sandbox_l_describe(lua_State *L);

/*
 * A ready-made write callback that captures output into a buffer of at most
 * LIMIT bytes; what does not fit is dropped and remembered, and
 * sandbox_capture_text() then ends the text with a note saying so.
 */
struct sandbox_capture {
	struct sbuf buf;
	size_t limit;     /* 0: SANDBOX_DEFAULT_OUTPUT */
	size_t dropped;   /* bytes that did not fit */
};
void sandbox_capture_write(void *capture, const char *s, size_t len);
/* The captured text plus the truncation note if any, in a new string the
 * caller frees. */
char *sandbox_capture_text(const struct sandbox_capture *c);
void sandbox_capture_free(struct sandbox_capture *c);

/*
 * A sentence that explains the Lua error MSG when it comes from code that
 * reached for what the sandbox leaves out: "... (global 'io')" gets "io is
 * not available here: lessons run in a sandbox ...". A new string, or NULL
 * when MSG is about something else.
 */
char *sandbox_explain_error(const char *msg);

#endif
