/*
 * luaprompt.c — the learner's Lua session: one sandboxed state per run of
 * backlab, shared by the `lua` prompt, `=`/`!` lines and `run N`, so that
 * what an example defines is there to poke at. Done the lua.c way: an
 * expression is tried as `return <line>` first so its value prints, an
 * "<eof>" syntax error means "read another line", and Ctrl-C only sets a hook.
 */
#include "repl/luaprompt.h"
#include "repl/lineedit.h"
#include "repl/term.h"
#include "engine/lab/lab.h"
#include "engine/sandbox.h"
#include "engine/base/files.h"
#include "engine/base/sbuf.h"

#include <lauxlib.h>
#include <lua.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static lua_State *volatile running; /* the state running code now, for SIGINT */

void luaprompt_sigint(void)
{
	lua_State *L = running;
	if (L)
		sandbox_interrupt(L);
}

/* Where print() writes: the terminal, with control characters made visible
 * (term_escape), or, for `backlab run` into a pipe or a file, the bytes as
 * they are (session.raw_output). */
static void to_stdout(void *ud, const char *s, size_t len)
{
	const struct session *ses = ud;
	if (ses->raw_output) {
		fwrite(s, 1, len, stdout);
		return;
	}
	struct sbuf sb = SBUF_INIT;
	term_escape(&sb, s, len);
	fwrite(sbuf_str(&sb), 1, sb.len, stdout);
	sbuf_free(&sb);
}

/* Creates the session's state on first use; 0, or -1 after saying why. */
static int luaprompt_state(struct session *s)
{
	if (s->L)
		return 0;
	lua_State *L = sandbox_new(0);
	if (!L) {
		say_error(s, "cannot start Lua: out of memory");
		return -1;
	}
	lab_configure(L, s->ro.width, s->ro.utf8);
	struct sandbox_env_opts o = {.seed = 1, .write = to_stdout, .write_ud = s};
	if (sandbox_push_env(L, &o) != LUA_OK) {
		say_error(s, "cannot start Lua: %s", lua_tostring(L, -1));
		sandbox_close(L);
		return -1;
	}
	s->lua_env = luaL_ref(L, LUA_REGISTRYINDEX); /* pops the environment */
	s->L = L;
	return 0;
}

void luaprompt_close(struct session *s)
{
	if (s->L)
		sandbox_close(s->L);
	s->L = NULL;
}

/* Shows one result: strings as they are (plots are strings), values with a
 * __tostring as it says, tables by their contents. */
static void show_value(lua_State *L, int idx, struct sbuf *sb)
{
	int t = lua_type(L, idx);
	if (t == LUA_TSTRING) {
		size_t n;
		const char *str = lua_tolstring(L, idx, &n);
		sbuf_add(sb, str, n);
		return;
	}
	if ((t == LUA_TUSERDATA || t == LUA_TTABLE) &&
	    luaL_getmetafield(L, idx, "__tostring") != LUA_TNIL) {
		lua_pop(L, 1);                          /* remove __tostring */
		lua_getglobal(L, "tostring");           /* the state's own tostring */
		lua_pushvalue(L, idx);
		if (sandbox_call(L, 1, 1) == LUA_OK && lua_type(L, -1) == LUA_TSTRING) {
			size_t n;
			const char *str = lua_tolstring(L, -1, &n);
			sbuf_add(sb, str, n);
			lua_pop(L, 1);                  /* remove the string */
			return;
		}
		lua_pop(L, 1);                          /* remove the error or value */
	}
	sandbox_describe(L, idx, sb);
}

/*
 * Prints the results above BASE, control characters made visible. Showing
 * one may run its __tostring, the learner's or a lesson's code: like the
 * code itself it stops at Ctrl-C, and it may take at most the lesson's time
 * limit (a __tostring that loops). Returns why it stopped, or
 * SANDBOX_RUNNING.
 */
static enum sandbox_stop print_results(struct session *s, int base)
{
	lua_State *L = s->L;
	int n = lua_gettop(L) - base;
	if (n <= 0)
		return SANDBOX_RUNNING;
	double limit = s->lesson && s->lesson->front.timeout > 0 ? s->lesson->front.timeout
								  : SANDBOX_DEFAULT_TIMEOUT;
	sandbox_reset(L);
	sandbox_set_timeout(L, limit);
	running = L;
	struct sbuf sb = SBUF_INIT, safe = SBUF_INIT;
	for (int i = 1; i <= n; i++) {
		if (i > 1)
			sbuf_adds(&sb, "\t");
		show_value(L, base + i, &sb);
	}
	running = NULL;
	enum sandbox_stop why = sandbox_stopped(L);
	/* (wrapped to the terminal where a line is longer: lab.help()'s text;
	 * charts are drawn to the width already) */
	term_escape(&safe, sb.buf, sb.len);
	say_wrapped(s, stdout, sbuf_str(&safe), 0);
	sbuf_free(&sb);
	sbuf_free(&safe);
	lua_settop(L, base);                            /* remove the results */
	sandbox_reset(L);
	return why;
}

/* Whether a syntax error is only "the chunk is not finished yet". */
static bool incomplete(lua_State *L)
{
	size_t n;
	const char *msg = lua_tolstring(L, -1, &n);
	return msg && n >= 5 && strcmp(msg + n - 5, "<eof>") == 0;
}

/*
 * Compiles CODE: first as "return CODE" when EXPR_FIRST (so a bare expression
 * shows its value), then as it is. Leaves the function, or the message, on
 * the stack; returns the load status.
 */
static int compile(lua_State *L, int env, const char *code, const char *name, bool expr_first)
{
	if (expr_first) {
		char *ret = xasprintf("return %s;", code);
		int rc = sandbox_load(L, ret, strlen(ret), name, env);
		free(ret);
		if (rc == LUA_OK)
			return rc;
		lua_pop(L, 1);                          /* remove the message */
	}
	return sandbox_load(L, code, strlen(code), name, env);
}

/* Calls the function on top; prints its results or its error. 0 if it ran. */
static int call(struct session *s, int base, bool show)
{
	lua_State *L = s->L;
	sandbox_reset(L);
	running = L;
	int rc = sandbox_call(L, 0, LUA_MULTRET);
	running = NULL;
	fflush(stdout);
	if (rc != LUA_OK) {
		enum sandbox_stop why = sandbox_stopped(L);
		if (why == SANDBOX_INTERRUPTED)
			say_error(s, "interrupted (Ctrl-C)");
		else if (why == SANDBOX_MEMORY)
			say_error(s, "out of memory: the Lua session may use %zu MiB",
				  sandbox_memory_limit(L) >> 20);
		else
			say_error(s, "%s", lua_tostring(L, -1));
		char *sandboxed = sandbox_explain_error(lua_tostring(L, -1));
		if (sandboxed)
			say_note(s, "%s", sandboxed);
		free(sandboxed);
		lua_settop(L, base);
		sandbox_reset(L);
		interrupted = 0;
		return -1;
	}
	enum sandbox_stop why = show ? print_results(s, base) : SANDBOX_RUNNING;
	lua_settop(L, base);
	sandbox_reset(L);
	interrupted = 0;
	if (why == SANDBOX_INTERRUPTED)
		say_error(s, "interrupted (Ctrl-C) while showing the result (its __tostring)");
	else if (why == SANDBOX_TIMEOUT)
		say_error(s, "showing the result took too long: its __tostring was stopped");
	else if (why == SANDBOX_MEMORY)
		say_error(s, "out of memory while showing the result (its __tostring)");
	return why == SANDBOX_RUNNING ? 0 : -1;
}

int luaprompt_eval(struct session *s, const char *code, const char *name, bool expr_first,
		   bool show)
{
	if (luaprompt_state(s) != 0)
		return -1;
	lua_State *L = s->L;
	int base = lua_gettop(L);
	lua_rawgeti(L, LUA_REGISTRYINDEX, s->lua_env); /* push env */
	int env = lua_gettop(L);
	int rc = compile(L, env, code, name, expr_first);
	lua_remove(L, env);                             /* remove env */
	if (rc != LUA_OK) {
		say_error(s, "%s", lua_tostring(L, -1));
		lua_settop(L, base);
		return -1;
	}
	return call(s, base, show);
}

/* Reads a statement that may span lines; NULL when the learner left. */
static char *read_chunk(struct session *s, bool *cancelled)
{
	char *line = lineedit_read(s, "lua> ", cancelled);
	if (!line)
		return NULL;
	struct sbuf buf = SBUF_INIT;
	/* `= expr` and `! statement` work here as at the lesson prompt */
	const char *code = line;
	while (*code == ' ' || *code == '\t')
		code++;
	if (*code == '=' || *code == '!')
		code++;
	sbuf_adds(&buf, *code == '=' || *code == '!' ? line : code);
	free(line);
	lua_State *L = s->L;
	for (;;) {
		lua_rawgeti(L, LUA_REGISTRYINDEX, s->lua_env); /* push env */
		int env = lua_gettop(L);
		int rc = compile(L, env, buf.buf, "=lua", true);
		bool more = rc == LUA_ERRSYNTAX && incomplete(L);
		lua_pop(L, 2);                                 /* remove result and env */
		if (!more)
			break;
		line = lineedit_read(s, "  >> ", cancelled);
		if (!line) {
			sbuf_free(&buf);
			return NULL;
		}
		sbuf_addc(&buf, '\n');
		sbuf_adds(&buf, line);
		free(line);
	}
	return sbuf_detach(&buf);
}

void luaprompt_loop(struct session *s)
{
	if (luaprompt_state(s) != 0)
		return;
	say_note(s, "Lua %s with lab loaded; `.` or Ctrl-D goes back, Ctrl-C stops running code.",
		 LUA_VERSION_MAJOR "." LUA_VERSION_MINOR);
	for (;;) {
		bool cancelled = false;
		char *chunk = read_chunk(s, &cancelled);
		if (!chunk) {
			if (cancelled)
				continue;
			if (s->interactive)
				fputs("\n", stdout);
			break;
		}
		char *t = chunk;
		while (*t == ' ' || *t == '\t')
			t++;
		if (strcmp(t, ".") == 0) {
			free(chunk);
			break;
		}
		lineedit_remember(s, chunk);
		if (*t)
			luaprompt_eval(s, chunk, "=lua", true, true);
		free(chunk);
	}
}

int luaprompt_example(struct session *s, const struct lesson *l, int n)
{
	if (n < 1 || (size_t)n > l->nexample) {
		if (l->nexample)
			say_error(s, "%s has examples [1] to [%zu]", l->id, l->nexample);
		else
			say_error(s, "%s has no runnable examples", l->id);
		return -1;
	}
	char name[32];
	snprintf(name, sizeof name, "=example [%d]", n);
	return luaprompt_eval(s, l->examples[n - 1].code, name, false, true);
}

int luaprompt_file(struct session *s, const char *path)
{
	char *err = NULL;
	char *src = files_read(path, 16u << 20, NULL, &err);
	if (!src) {
		say_error(s, "%s: %s", path, err);
		free(err);
		return -1;
	}
	char *name = xasprintf("@%s", path);
	const char *code = src;
	if (code[0] == '#') /* a #! line: keep its newline, so lines keep their numbers */
		code = strchr(code, '\n') ? strchr(code, '\n') : "";
	int rc = luaprompt_eval(s, code, name, false, false);
	free(name);
	free(src);
	return rc;
}
