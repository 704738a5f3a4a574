/*
 * luaprompt.h — the learner's Lua session (sandboxed, lab loaded, state kept
 * for the whole run of backlab): the `lua` prompt, `=expr` and `!stmt` lines,
 * `run N`, and `backlab run FILE.lua`.
 */
#ifndef BACKLAB_LUAPROMPT_H
#define BACKLAB_LUAPROMPT_H

#include "repl/session.h"

void luaprompt_close(struct session *s);

/*
 * Runs CODE (chunk name NAME, "=..." or "@file") in the session. With
 * EXPR_FIRST a bare expression is accepted and its value shown; with SHOW
 * the returned values are printed. Errors are printed. 0 if it ran.
 */
int luaprompt_eval(struct session *s, const char *code, const char *name, bool expr_first,
		   bool show);

/* The `lua` command: a prompt until `.` or Ctrl-D. */
void luaprompt_loop(struct session *s);
/* Runs example N (1-based) of lesson L, showing what it returns. */
int luaprompt_example(struct session *s, const struct lesson *l, int n);
/* Runs a Lua file in the session. */
int luaprompt_file(struct session *s, const char *path);

/* For the SIGINT handler: stops running Lua at its next instruction. */
void luaprompt_sigint(void);

#endif
