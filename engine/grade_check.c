/*
 * grade_check.c — one run of a check inside a fresh sandbox state.
 *
 * The learner's file (code exercises) runs in an environment of its own; its
 * first return value becomes `submission` in a second environment, where
 * engine/lua/check.lua is loaded first and the lesson's check then runs.
 *
 * Who is to blame when an error reaches the top is decided by a message
 * handler in C (classify()), at the point the error is raised:
 *   failure     a failure object from the check API (expect, fail, ...):
 *               the answer is wrong, its message is the feedback;
 *   misuse      the check API was used wrongly: the check is broken;
 *   deliberate  the check called error() or assert() itself: wrong answer;
 *   learner     the innermost Lua function is not engine-loaded code, i.e.
 *               the learner's file or a chunk it loaded: wrong answer, and
 *               the feedback shows the learner's own file:line;
 *   check       a Lua error in the check's own code (indexing a nil the
 *               submission returned, ...): reported as a wrong answer whose
 *               feedback shows the error, with verdict.check_raised set so
 *               that `lint` can tell a check that only rejects by crashing.
 * Engine-loaded chunks are exactly those named "@...": the sandbox's load()
 * turns any name a program gives starting with '@' into '='.
 */
#include "engine/grade_int.h"
#include "engine/base/budget.h"
#include "engine/lab/lab.h"
#include "engine/sandbox.h"

#include <lauxlib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The check API (engine/lua/check*.lua, embedded by the build), in the
 * order the chunks run. */
extern const char lua_check[], lua_check_text[], lua_check_answer[], lua_check_rng[],
	lua_check_expect[], lua_check_cases[], lua_check_sql[];
extern const unsigned long lua_check_len, lua_check_text_len, lua_check_answer_len,
	lua_check_rng_len, lua_check_expect_len, lua_check_cases_len, lua_check_sql_len;
static const struct {
	const char *code;
	const unsigned long *len;
	const char *name;
} library[] = {
	{lua_check, &lua_check_len, "@backlab/check.lua"},
	{lua_check_text, &lua_check_text_len, "@backlab/check_text.lua"},
	{lua_check_answer, &lua_check_answer_len, "@backlab/check_answer.lua"},
	{lua_check_rng, &lua_check_rng_len, "@backlab/check_rng.lua"},
	{lua_check_expect, &lua_check_expect_len, "@backlab/check_expect.lua"},
	{lua_check_cases, &lua_check_cases_len, "@backlab/check_cases.lua"},
	{lua_check_sql, &lua_check_sql_len, "@backlab/check_sql.lua"},
};
#define NLIBRARY (sizeof library / sizeof library[0])

/* The library's chunks compiled by grade_warm(): owned for the process's
 * life (and inherited by the children it forks); code NULL: not compiled. */
static struct {
	char *code;
	size_t len;
} compiled[NLIBRARY];
static int warmed;

/* lua_Writer appending to the sbuf UD. */
static int dump_writer(lua_State *L, const void *p, size_t sz, void *ud)
{
	sbuf_add(ud, p, sz);
	return 0;
}

/* Runs protected: compiles chunk i (light userdata 1 holds i + 1) and keeps
 * its dump in compiled[i]. */
static int compile_one(lua_State *L)
{
	size_t i = (size_t)(uintptr_t)lua_touserdata(L, 1) - 1;
	if (luaL_loadbufferx(L, library[i].code, *library[i].len, library[i].name, "t") != LUA_OK)
		return lua_error(L);                   /* raise the message */
	struct sbuf sb = SBUF_INIT;
	lua_dump(L, dump_writer, &sb, 0);              /* keep debug info: line numbers */
	compiled[i].len = sb.len;
	compiled[i].code = sbuf_detach(&sb);
	return 0;
}

void grade_warm(void)
{
	if (warmed)
		return;
	warmed = 1;
	lua_State *L = luaL_newstate();
	if (!L)
		return;
	for (size_t i = 0; i < NLIBRARY; i++) {
		lua_pushcfunction(L, compile_one);     /* push compiler */
		lua_pushlightuserdata(L, (void *)(uintptr_t)(i + 1)); /* push i + 1 */
		if (lua_pcall(L, 1, 0, 0) != LUA_OK)   /* message on error */
			lua_pop(L, 1);                 /* that chunk is parsed per run */
	}
	lua_close(L);
}

/* Pushes library chunk I with _ENV = the table at ENV: its bytecode when
 * grade_warm() compiled it, else its source.                     [-0, +1] */
static int load_library(lua_State *L, size_t i, int env)
{
	if (compiled[i].code)
		return sandbox_load_compiled(L, compiled[i].code, compiled[i].len, env);
	return sandbox_load(L, library[i].code, *library[i].len, library[i].name, env);
}

#define MAX_FEEDBACK ((size_t)16 << 10)
#define MAX_MESSAGE 1000 /* bytes of an error message shown */

/* Fixed stack slots of l_grade(). */
enum { SLOT_RUN = 1, SLOT_FAILURE, SLOT_MISUSE, SLOT_HANDLER, SLOT_SUBMISSION, SLOT_ENV };

enum blame_kind {
	BLAME_NONE,
	BLAME_FAILURE,
	BLAME_MISUSE,
	BLAME_DELIBERATE,
	BLAME_LEARNER,
	BLAME_CHECK,
};
static const char *const blame_names[] = {
	"none", "failure", "misuse", "deliberate", "learner", "check",
};

struct run {
	const struct grade_request *req;
	struct sandbox_capture mine;                   /* what the learner's code printed */
	struct sandbox_capture theirs;                 /* what the check's code printed */
	char *check_chunk;                             /* "@lessons/x.md" */
	char *source_chunk;                            /* "@cache.lua", or NULL */
	char *datadir;                                 /* the module's data/ (lab.sql datasets) */
	char check_src[LUA_IDSIZE];                    /* the check chunk's short_src */
	const void *failure_mt;
	const void *misuse_mt;
	lua_CFunction error_fn;                        /* the base library's error and assert */
	lua_CFunction assert_fn;
	enum blame_kind blame;                         /* of the last error to reach the top */
	int credit_k, credit_n;
	int answer_read;                               /* a reader of the API understood the answer */
	int seeded;                                    /* randomness from the seed was drawn */
	/* the outcome */
	int decided;
	enum verdict_status status;
	int check_raised;
	struct sbuf feedback;
};

static uint64_t derive(uint64_t seed, uint64_t salt)
{
	uint64_t z = seed + salt * 0x9E3779B97F4A7C15ull;
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static void write_learner(void *ud, const char *s, size_t len)
{
	struct run *r = ud;
	sandbox_capture_write(&r->mine, s, len);
}

static void write_check(void *ud, const char *s, size_t len)
{
	struct run *r = ud;
	sandbox_capture_write(&r->theirs, s, len);
}

/* ---- outcomes ---- */

static void decide(struct run *r, enum verdict_status status)
{
	r->decided = 1;
	r->status = status;
	sbuf_truncate(&r->feedback, 0);
}

/* The first MAX bytes of S (not cutting a UTF-8 sequence) and "…", in a new
 * string. */
static char *cut_text(const char *s, size_t max)
{
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	char *head = xstrndup(s, max);
	char *out = xasprintf("%s…", head);
	free(head);
	return out;
}

/* Decides STATUS with feedback INTRO followed by the message at IDX as a
 * code block (or its safe description if it is not a string). */
static void decide_with_message(lua_State *L, struct run *r, enum verdict_status status,
				const char *intro, int idx)
{
	decide(r, status);
	sbuf_adds(&r->feedback, intro);
	sbuf_adds(&r->feedback, "\n\n");
	if (lua_type(L, idx) == LUA_TSTRING) {
		size_t len;
		const char *msg = lua_tolstring(L, idx, &len);
		if (len > MAX_MESSAGE) {
			char *cut = cut_text(msg, MAX_MESSAGE);
			grade_add_code_block(&r->feedback, cut);
			free(cut);
		} else {
			grade_add_code_block(&r->feedback, msg);
		}
	} else {
		struct sbuf d = SBUF_INIT;
		sbuf_adds(&d, "error object ");
		sandbox_describe(L, idx, &d);
		grade_add_code_block(&r->feedback, sbuf_str(&d));
		sbuf_free(&d);
	}
}

/* ---- blame ---- */

static int engine_source(const struct run *r, const char *source)
{
	return source[0] == '@' && !(r->source_chunk && strcmp(source, r->source_chunk) == 0);
}

/* Who raised the error at IDX; see the top of the file. Called in a message
 * handler, where stack level 1 is the function that raised. */
static enum blame_kind classify(lua_State *L, const struct run *r, int idx)
{
	if (lua_getmetatable(L, idx)) {                /* push raw metatable */
		const void *mt = lua_topointer(L, -1);
		lua_pop(L, 1);                         /* remove it */
		if (mt == r->failure_mt)
			return BLAME_FAILURE;
		if (mt == r->misuse_mt)
			return BLAME_MISUSE;
	}
	lua_Debug ar;
	int deliberate = 0;
	if (lua_getstack(L, 1, &ar) && lua_getinfo(L, "f", &ar)) { /* push raiser */
		lua_CFunction f = lua_tocfunction(L, -1);
		deliberate = f && (f == r->error_fn || f == r->assert_fn);
		lua_pop(L, 1);                         /* remove raiser */
	}
	for (int level = 1; lua_getstack(L, level, &ar); level++) {
		lua_getinfo(L, "S", &ar);
		if (strcmp(ar.what, "C") == 0)
			continue;
		if (!engine_source(r, ar.source))
			return BLAME_LEARNER;
		return deliberate ? BLAME_DELIBERATE : BLAME_CHECK;
	}
	return BLAME_CHECK;
}

/* Message handler of top-level calls: records the blame, keeps the error. */
static int top_handler(lua_State *L)
{
	struct run *r = lua_touserdata(L, lua_upvalueindex(1));
	r->blame = classify(L, r, 1);
	return 1;                                      /* the error as is */
}

/* Whether the innermost Lua function at the error (in a message handler)
 * is the lesson's check itself, rather than the check library: a Lua error
 * in code the author wrote, such as a differential's reference. */
static int raised_in_check(lua_State *L, const struct run *r)
{
	lua_Debug ar;
	for (int level = 1; lua_getstack(L, level, &ar); level++) {
		lua_getinfo(L, "S", &ar);
		if (strcmp(ar.what, "C") == 0)
			continue;
		return strcmp(ar.source, r->check_chunk) == 0;
	}
	return 0;
}

/* engine.blame, an xpcall handler for check.lua: returns
 * {kind = "...", value = error, text = message of failures and misuses}. */
static int l_blame(lua_State *L)
{
	struct run *r = lua_touserdata(L, lua_upvalueindex(1));
	enum blame_kind k = classify(L, r, 1);
	lua_createtable(L, 0, 3);                      /* push info */
	lua_pushstring(L, blame_names[k]);             /* push kind */
	lua_setfield(L, -2, "kind");                   /* info.kind = it */
	lua_pushvalue(L, 1);                           /* push error */
	lua_setfield(L, -2, "value");                  /* info.value = it */
	if (k == BLAME_FAILURE || k == BLAME_MISUSE) {
		lua_pushliteral(L, "message");         /* push key */
		lua_rawget(L, 1);                      /* push err.message */
		lua_setfield(L, -2, "text");           /* info.text = it */
	}
	if (k == BLAME_CHECK && raised_in_check(L, r)) {
		lua_pushboolean(L, 1);                 /* push true */
		lua_setfield(L, -2, "in_check");       /* info.in_check = it */
	}
	return 1;
}

/* Calls the function below NARGS arguments with the blaming handler. */
static int call_blamed(lua_State *L, struct run *r, int nargs, int nresults)
{
	r->blame = BLAME_NONE;
	return lua_pcall(L, nargs, nresults, SLOT_HANDLER); /* results or error */
}

/* ---- the engine table given to check.lua ---- */

/* engine.where(): "file:line: " of the innermost frame of the check. */
static int l_where(lua_State *L)
{
	struct run *r = lua_touserdata(L, lua_upvalueindex(1));
	lua_Debug ar;
	for (int level = 1; lua_getstack(L, level, &ar); level++) {
		lua_getinfo(L, "Sl", &ar);
		if (strcmp(ar.source, r->check_chunk) == 0) {
			lua_pushfstring(L, "%s:%d: ", ar.short_src, ar.currentline); /* push position */
			return 1;
		}
	}
	lua_pushliteral(L, "");                        /* push no position */
	return 1;
}

/* engine.read(): the typed answer was read in the form the check asks for
 * (expect(answer):number(), :numbers(), :word()). */
static int l_read(lua_State *L)
{
	struct run *r = lua_touserdata(L, lua_upvalueindex(1));
	r->answer_read = 1;
	return 0;
}

/* engine.random_used(): a generator derived from the attempt's seed was
 * drawn from, so the seed decides the run and is worth showing. */
static int l_random_used(lua_State *L)
{
	struct run *r = lua_touserdata(L, lua_upvalueindex(1));
	r->seeded = 1;
	return 0;
}

/* math.random of a graded environment: marks the run as seeded, then calls
 * the environment's own math.random (upvalue 2). */
static int l_marked_random(lua_State *L)
{
	struct run *r = lua_touserdata(L, lua_upvalueindex(1));
	r->seeded = 1;
	lua_pushvalue(L, lua_upvalueindex(2));         /* push random */
	lua_insert(L, 1);                              /* below the arguments */
	lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);   /* random(...) */
	return lua_gettop(L);
}

/* Wraps math.random of the environment on top of the stack. */
static void mark_random(lua_State *L, struct run *r)
{
	if (lua_getfield(L, -1, "math") != LUA_TTABLE) { /* push env.math */
		lua_pop(L, 1);
		return;
	}
	lua_pushlightuserdata(L, r);                   /* push run */
	lua_getfield(L, -2, "random");                 /* push math.random */
	lua_pushcclosure(L, l_marked_random, 2);       /* pop both, push wrapper */
	lua_setfield(L, -2, "random");                 /* math.random = wrapper */
	lua_pop(L, 1);                                 /* remove env.math */
}

static int l_credit(lua_State *L)
{
	struct run *r = lua_touserdata(L, lua_upvalueindex(1));
	r->credit_k = (int)luaL_checkinteger(L, 1);
	r->credit_n = (int)luaL_checkinteger(L, 2);
	return 0;
}

/* engine.printed(): what the learner's code printed so far. */
static int l_printed(lua_State *L)
{
	struct run *r = lua_touserdata(L, lua_upvalueindex(1));
	lua_pushlstring(L, sbuf_str(&r->mine.buf), r->mine.buf.len); /* push output */
	return 1;
}

/* engine.metatable(v): the raw metatable, ignoring __metatable. */
static int l_metatable(lua_State *L)
{
	if (!lua_getmetatable(L, 1))                   /* push mt */
		lua_pushnil(L);                        /* push nil */
	return 1;
}

/* engine.callable(v): a function, or a value whose raw metatable has __call. */
static int l_callable(lua_State *L)
{
	int ok = lua_type(L, 1) == LUA_TFUNCTION;
	if (!ok && lua_getmetatable(L, 1)) {           /* push mt */
		lua_pushliteral(L, "__call");          /* push key */
		ok = lua_rawget(L, -2) != LUA_TNIL;    /* push mt.__call */
		lua_pop(L, 2);                         /* remove it, mt */
	}
	lua_pushboolean(L, ok);                        /* push result */
	return 1;
}

/* __tostring of failures and misuses: their message. */
static int l_message(lua_State *L)
{
	lua_pushliteral(L, "message");                 /* push key */
	if (lua_rawget(L, 1) != LUA_TSTRING) {         /* push self.message */
		lua_pop(L, 1);                         /* remove it */
		lua_pushliteral(L, "(no message)");    /* push placeholder */
	}
	return 1;
}

/* Pushes a new locked metatable for failure or misuse objects and records
 * its identity in *ID. */
static void push_error_class(lua_State *L, const void **id)
{
	lua_createtable(L, 0, 2);                      /* push mt */
	lua_pushcfunction(L, l_message);               /* push __tostring */
	lua_setfield(L, -2, "__tostring");             /* mt.__tostring = it */
	lua_pushboolean(L, 0);                         /* push false */
	lua_setfield(L, -2, "__metatable");            /* lock it */
	*id = lua_topointer(L, -1);
}

/* engine.instructions(): Lua instructions run so far in this state. */
static int l_instructions(lua_State *L)
{
	lua_pushinteger(L, (lua_Integer)sandbox_instructions(L));
	return 1;
}

/* engine.reload(n): runs the learner's file again in a fresh environment
 * built as the first one (the same view of lab), with math.random seeded
 * apart (N, an integer, picks the seed): the module another process would
 * load. Returns the file's first result; an error of the file propagates
 * (blamed on the learner, as its source is the learner's chunk). Code
 * exercises only (check.lua makes sure). */
static int l_reload(lua_State *L)
{
	struct run *r = lua_touserdata(L, lua_upvalueindex(1));
	lua_Integer n = luaL_checkinteger(L, 1);
	struct sandbox_env_opts o = {derive(r->req->seed, 1000 + (uint64_t)n), write_learner, r,
				     r->req->lab_allow};
	if (sandbox_push_env(L, &o) != LUA_OK)         /* push env or message */
		return lua_error(L);
	mark_random(L, r);
	const char *src = r->req->source;
	if (sandbox_load(L, src, strlen(src), r->source_chunk, -1) != LUA_OK) /* push chunk */
		return lua_error(L);
	lua_remove(L, -2);                             /* remove env */
	lua_call(L, 0, 1);                             /* push its first result */
	return 1;
}

static void set_closure(lua_State *L, struct run *r, const char *name, lua_CFunction f)
{
	lua_pushlightuserdata(L, r);                   /* push run */
	lua_pushcclosure(L, f, 1);                     /* push closure */
	lua_setfield(L, -2, name);                     /* engine[name] = it */
}

static void push_engine(lua_State *L, struct run *r)
{
	lua_createtable(L, 0, 12);                     /* push engine */
	set_closure(L, r, "blame", l_blame);
	set_closure(L, r, "where", l_where);
	set_closure(L, r, "credit", l_credit);
	set_closure(L, r, "printed", l_printed);
	set_closure(L, r, "read", l_read);
	set_closure(L, r, "random_used", l_random_used);
	if (r->req->kind == GRADE_CODE)
		set_closure(L, r, "reload", l_reload);
	lua_pushboolean(L, r->req->kind == GRADE_ANSWER); /* push typed */
	lua_setfield(L, -2, "typed");                  /* engine.typed = it */
	lua_pushcfunction(L, sandbox_l_describe);      /* push describe */
	lua_setfield(L, -2, "describe");               /* engine.describe = it */
	lua_pushcfunction(L, l_metatable);             /* push function */
	lua_setfield(L, -2, "metatable");              /* engine.metatable = it */
	lua_pushcfunction(L, l_callable);              /* push function */
	lua_setfield(L, -2, "callable");               /* engine.callable = it */
	lua_pushcfunction(L, l_instructions);          /* push function */
	lua_setfield(L, -2, "instructions");           /* engine.instructions = it */
	lua_pushvalue(L, SLOT_FAILURE);                /* push failure class */
	lua_setfield(L, -2, "failure");                /* engine.failure = it */
	lua_pushvalue(L, SLOT_MISUSE);                 /* push misuse class */
	lua_setfield(L, -2, "misuse");                 /* engine.misuse = it */
	lua_pushinteger(L, (lua_Integer)r->req->seed); /* push seed */
	lua_setfield(L, -2, "seed");                   /* engine.seed = it */
}

/* ---- the steps of a run ---- */

/* Code exercises: runs the learner's file; pushes its first result. Returns
 * 0 (with the outcome decided) if it does not compile or raises. */
static int run_submission(lua_State *L, struct run *r)
{
	struct sandbox_env_opts o = {derive(r->req->seed, 1), write_learner, r, r->req->lab_allow};
	if (sandbox_push_env(L, &o) != LUA_OK) {       /* push env or message */
		if (sandbox_stopped(L))
			lua_error(L);                  /* raise the message on top */
		decide_with_message(L, r, VERDICT_CHECK_ERROR,
				    "Your file's sandbox could not be built (a bug in the lesson):", -1);
		return 0;
	}
	mark_random(L, r);
	const char *src = r->req->source;
	int rc = sandbox_load(L, src, strlen(src), r->source_chunk, -1); /* push chunk */
	if (rc == LUA_ERRSYNTAX) {
		decide_with_message(L, r, VERDICT_FAIL, "Your file does not compile:", -1);
		return 0;
	}
	if (rc != LUA_OK)
		lua_error(L);                          /* raise the message on top */
	lua_remove(L, -2);                             /* remove env */
	if (call_blamed(L, r, 0, 1) != LUA_OK) {       /* push submission or error */
		decide_with_message(L, r, VERDICT_FAIL,
				    "Your file raised an error while it was loading:", -1);
		return 0;
	}
	return 1;
}

/* Pushes the check's environment with the check API loaded into it. */
static int open_check_env(lua_State *L, struct run *r)
{
	const struct grade_request *req = r->req;
	struct sandbox_env_opts o = {derive(req->seed, 2), write_check, r, NULL};
	if (sandbox_push_env(L, &o) != LUA_OK)         /* push env */
		lua_error(L);                          /* raise the message on top */
	mark_random(L, r);
	lua_getfield(L, SLOT_ENV, "error");            /* push error */
	r->error_fn = lua_tocfunction(L, -1);
	lua_getfield(L, SLOT_ENV, "assert");           /* push assert */
	r->assert_fn = lua_tocfunction(L, -1);
	lua_pop(L, 2);                                 /* remove them */
	if (req->kind == GRADE_ANSWER) {
		lua_pushstring(L, req->answer ? req->answer : ""); /* push answer */
		lua_setfield(L, SLOT_ENV, "answer");   /* env.answer = it */
	} else {
		lua_pushstring(L, req->source);        /* push source */
		lua_setfield(L, SLOT_ENV, "source");   /* env.source = it */
	}
	lua_pushvalue(L, SLOT_SUBMISSION);             /* push submission */
	lua_setfield(L, SLOT_ENV, "submission");       /* env.submission = it */
	lua_pushlstring(L, sbuf_str(&r->mine.buf), r->mine.buf.len); /* push output */
	lua_setfield(L, SLOT_ENV, "output");           /* env.output = it */
	lua_pushinteger(L, (lua_Integer)req->seed);    /* push seed */
	lua_setfield(L, SLOT_ENV, "seed");             /* env.seed = it */

	push_engine(L, r);                             /* push engine */
	lua_newtable(L);                               /* push lib, shared by the chunks */
	int rc = LUA_OK;
	for (size_t i = 0; rc == LUA_OK && i < NLIBRARY; i++) {
		rc = load_library(L, i, SLOT_ENV);     /* push chunk */
		if (rc != LUA_OK)
			break;
		lua_pushvalue(L, SLOT_ENV);            /* push env */
		lua_pushvalue(L, -4);                  /* push engine */
		lua_pushvalue(L, -4);                  /* push lib */
		rc = call_blamed(L, r, 3, 0);          /* run the chunk */
	}
	if (rc != LUA_OK) {
		decide_with_message(L, r, VERDICT_CHECK_ERROR,
				    "The check library failed to load (a bug in backlab):", -1);
		return 0;
	}
	lua_pop(L, 2);                                 /* remove engine, lib */
	return 1;
}

/* A deliberate error("message") of the check: its message without the
 * "file:line: " that error() put in front. */
static const char *strip_position(const struct run *r, const char *msg)
{
	size_t n = strlen(r->check_src);
	if (n == 0 || strncmp(msg, r->check_src, n) != 0 || msg[n] != ':')
		return msg;
	const char *p = msg + n + 1;
	while (*p >= '0' && *p <= '9')
		p++;
	return (p > msg + n + 1 && p[0] == ':' && p[1] == ' ') ? p + 2 : msg;
}

/* Decides the outcome of the check's error at the top of the stack. */
static void judge_error(lua_State *L, struct run *r)
{
	int err = lua_gettop(L);
	int is_text = lua_type(L, err) == LUA_TSTRING || lua_type(L, err) == LUA_TNUMBER;
	switch (r->blame) {
	case BLAME_FAILURE:
		lua_pushliteral(L, "unreadable");      /* push key */
		lua_rawget(L, err);                    /* push err.unreadable */
		decide(r, lua_toboolean(L, -1) && r->req->kind == GRADE_ANSWER ? VERDICT_UNREADABLE
									       : VERDICT_FAIL);
		lua_pop(L, 1);                         /* remove it */
		lua_pushliteral(L, "message");         /* push key */
		if (lua_rawget(L, err) == LUA_TSTRING) /* push err.message */
			sbuf_adds(&r->feedback, lua_tostring(L, -1));
		else
			sbuf_adds(&r->feedback, "The check failed.");
		break;
	case BLAME_MISUSE:
		lua_pushliteral(L, "message");         /* push key */
		lua_rawget(L, err);                    /* push err.message */
		decide_with_message(L, r, VERDICT_CHECK_ERROR,
				    "The check of this exercise is broken (a bug in the lesson, "
				    "not in your answer):", -1);
		break;
	case BLAME_DELIBERATE:
		if (!is_text) {
			decide_with_message(L, r, VERDICT_CHECK_ERROR,
					    "The check of this exercise is broken (a bug in the lesson): "
					    "it raised a value that is not a message:", err);
			break;
		}
		decide(r, VERDICT_FAIL);
		sbuf_adds(&r->feedback, strip_position(r, lua_tostring(L, err)));
		break;
	case BLAME_LEARNER:
		decide_with_message(L, r, VERDICT_FAIL, "Your code raised an error:", err);
		break;
	case BLAME_CHECK:
	case BLAME_NONE:
		if (r->req->kind == GRADE_CODE && lua_isnil(L, SLOT_SUBMISSION)) {
			decide(r, VERDICT_FAIL);
			sbuf_adds(&r->feedback,
				  "Your file returned nothing, so the check had nothing to test. End "
				  "it with `return` followed by what the exercise asks for (for "
				  "example `return M`).");
		} else {
			decide_with_message(L, r, VERDICT_FAIL,
					    r->req->kind == GRADE_CODE
						    ? "The check could not use what your code returned:"
						    : "The check could not use your answer:",
					    err);
		}
		r->check_raised = 1;
		break;
	}
}

/* Loads and runs the lesson's check in the environment at SLOT_ENV. */
static void run_check(lua_State *L, struct run *r)
{
	const struct grade_request *req = r->req;
	struct sbuf src = SBUF_INIT;
	if (req->check_line > 1)
		sbuf_repeat(&src, "\n", (size_t)req->check_line - 1); /* line numbers match the file */
	sbuf_adds(&src, req->check);
	int rc = sandbox_load(L, sbuf_str(&src), src.len, r->check_chunk, SLOT_ENV); /* push check */
	sbuf_free(&src);
	if (rc != LUA_OK) {
		decide_with_message(L, r, VERDICT_CHECK_ERROR,
				    "The check of this exercise does not compile (a bug in the lesson):", -1);
		return;
	}
	lua_Debug ar;
	lua_pushvalue(L, -1);                          /* push check again */
	lua_getinfo(L, ">S", &ar);                     /* pops it */
	snprintf(r->check_src, sizeof r->check_src, "%s", ar.short_src);
	if (call_blamed(L, r, 0, 0) == LUA_OK) {
		decide(r, VERDICT_PASS);
		sbuf_adds(&r->feedback, "Correct.");
	} else {
		judge_error(L, r);
	}
}

/* The whole run, under lua_pcall: argument 1 is the struct run. */
static int l_grade(lua_State *L)
{
	struct run *r = lua_touserdata(L, SLOT_RUN);
	lua_settop(L, SLOT_RUN);                       /* only the run */
	lab_set_datadir(L, r->datadir);
	push_error_class(L, &r->failure_mt);           /* SLOT_FAILURE */
	push_error_class(L, &r->misuse_mt);            /* SLOT_MISUSE */
	lua_pushlightuserdata(L, r);                   /* push run */
	lua_pushcclosure(L, top_handler, 1);           /* SLOT_HANDLER */
	if (r->req->kind == GRADE_CODE) {
		if (!run_submission(L, r))             /* SLOT_SUBMISSION */
			return 0;
	} else {
		lua_pushnil(L);                        /* SLOT_SUBMISSION */
	}
	if (!open_check_env(L, r))                     /* SLOT_ENV */
		return 0;
	run_check(L, r);
	return 0;
}

/* ---- the verdict ---- */

/* A limit hit anywhere overrides whatever the check concluded. */
static void apply_stop(lua_State *L, struct run *r, const struct grade_limits *lim, int rc)
{
	enum verdict_status s;
	switch (sandbox_stopped(L)) {
	case SANDBOX_TIMEOUT: s = VERDICT_TIMEOUT; break;
	case SANDBOX_MEMORY: s = VERDICT_MEMORY; break;
	case SANDBOX_INTERRUPTED: s = VERDICT_CANCELLED; break;
	default:
		if (rc == LUA_ERRMEM) {
			s = VERDICT_MEMORY;
			break;
		}
		if (!r->decided) {
			decide(r, VERDICT_CHECK_ERROR);
			sbuf_adds(&r->feedback, "The check could not be run (an internal error).");
		}
		return;
	}
	decide(r, s);
	r->check_raised = 0;
	char *text = grade_stop_text(s, lim, 0, 0);
	sbuf_adds(&r->feedback, text);
	free(text);
}

static char *chunk_name(const char *name, const char *fallback)
{
	return xasprintf("@%s", name && *name ? name : fallback);
}

static void fill_verdict(struct run *r, struct verdict *v)
{
	v->status = r->status;
	v->passed = r->status == VERDICT_PASS;
	v->check_raised = r->check_raised;
	v->answer_read = r->answer_read && r->status != VERDICT_UNREADABLE;
	v->seeded = r->seeded;
	if (r->credit_n > 0) {
		v->cases_passed = r->credit_k;
		v->cases_total = r->credit_n;
	}
	v->score = v->passed ? 1.0 : v->cases_total ? (double)v->cases_passed / v->cases_total : 0.0;
	/* an error from reaching for what the sandbox leaves out: say so, once */
	char *why = r->status == VERDICT_FAIL ? sandbox_explain_error(sbuf_str(&r->feedback)) : NULL;
	if (why && !strstr(sbuf_str(&r->feedback), "is not available here"))
		sbuf_addf(&r->feedback, "\n\n%s", why);
	free(why);
	if (r->feedback.len > MAX_FEEDBACK) {
		sbuf_truncate(&r->feedback, MAX_FEEDBACK);
		sbuf_adds(&r->feedback, "…");
	}
	v->feedback = sbuf_detach(&r->feedback);
	v->output = sandbox_capture_text(&r->mine);
	v->check_output = sandbox_capture_text(&r->theirs);
}

void grade_check(const struct grade_request *req, struct verdict *v, int close)
{
	struct grade_limits lim = grade_limits_of(req);
	struct run r = {.req = req};
	r.mine.limit = lim.output;
	r.theirs.limit = lim.output;
	r.check_chunk = chunk_name(req->check_file, "check");
	if (req->kind == GRADE_CODE)
		r.source_chunk = chunk_name(req->source_name, "submission.lua");
	r.datadir = lab_datadir_of(req->check_file);
	lua_State *L = sandbox_new(lim.memory);
	if (!L) {
		decide(&r, VERDICT_MEMORY);
		sbuf_adds(&r.feedback, "Not enough memory to start the check.");
	} else {
		sandbox_set_timeout(L, lim.timeout);
		lua_pushcfunction(L, l_grade);         /* push the run */
		lua_pushlightuserdata(L, &r);          /* push its state */
		struct budget *prev = budget_enter(sandbox_budget(L));
		int rc = lua_pcall(L, 1, 0, 0);        /* protected: memory errors */
		budget_leave(prev);
		apply_stop(L, &r, &lim, rc);
		if (close)
			sandbox_close(L);
	}
	fill_verdict(&r, v);
	sandbox_capture_free(&r.mine);
	sandbox_capture_free(&r.theirs);
	free(r.check_chunk);
	free(r.source_chunk);
	free(r.datadir);
}
