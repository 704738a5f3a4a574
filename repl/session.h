/*
 * session.h — what the front end knows during one run of backlab: the
 * options, the course, where the learner is, how to print.
 *
 * One struct session lives for the whole process. Commands (commands.c and
 * cmd_*.c) receive it; nothing else is global except the SIGINT flag.
 */
#ifndef BACKLAB_SESSION_H
#define BACKLAB_SESSION_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include "engine/catalog.h"
#include "repl/render.h"

struct lua_State;
struct store;

struct session {
	/* options, from the command line and the environment */
	char *lessons_dir; /* --lessons, BACKLAB_LESSONS, or the default */
	char *db_path;     /* --db, BACKLAB_DB, or NULL for the default */
	char *profile;     /* --profile, or NULL for the login name */
	bool no_color;     /* --no-color */

	/* the terminal */
	bool interactive; /* stdin and stdout are terminals: line editing */
	bool in_repl;     /* in the REPL loop (messages go to stdout, in order) */
	bool raw_output;  /* print() of Lua code writes its bytes as they are (`backlab
	                     run` into a pipe or a file); otherwise control characters
	                     are made visible (term_escape) */
	struct render_opts ro;

	/* the course, loaded on first need */
	struct catalog cat;
	bool cat_loaded;

	/* where the learner is: a lesson and a step (0-based), or none */
	struct lesson *lesson;
	int step;

	/* the learner's Lua state for `lua`, `=`/`!` lines and `run N` (lazy) */
	struct lua_State *L;
	int lua_env; /* registry reference of its environment table */

	/* progress (lazy: session_store() opens it) */
	struct store *store;
	bool store_tried;    /* an open was attempted (and failed if store is NULL) */
	long long active_at; /* wall seconds of the last command, for time spent */
	const struct exercise *retry_ex; /* a passed exercise the learner reopened */
	const struct exercise *hints_ex; /* hints shown in this session, for when */
	int hints_seen_here;             /* there is no store to count them */

	bool quit;
};

/*
 * The progress store, opened on first use (--db, BACKLAB_DB or the default
 * path; --profile or the login name). NULL if it cannot be opened: with
 * REQUIRED the reason is an error, otherwise a one-time warning that progress
 * is not being saved.
 */
struct store *session_store(struct session *s, bool required);
/* The learner's status for exercise E of L (all zero without a store);
 * false when the store cannot tell. */
struct store_status;
bool session_status(struct session *s, const struct lesson *l, const struct exercise *e,
		    struct store_status *st);
/* Saves the position and the active time since the last call; cheap. */
void session_touch(struct session *s);
/* Where the learner left off, if the store knows: opens it and returns 0. */
int session_resume(struct session *s);

/* Set by the SIGINT handler; cleared by whoever handles the interruption. */
extern volatile sig_atomic_t interrupted;

/* Loads the course if not yet done; returns 0, or -1 after saying why. */
int session_course(struct session *s);

/* Shows the current step (heading line, rendered body, where next). */
void session_show_step(struct session *s);

/* How many exercises of L the learner passed; the others' ids (with
 * "(skipped)" or "(stale)") are added to OPEN, comma-separated, if not NULL. */
struct sbuf;
int session_lesson_tally(struct session *s, struct lesson *l, struct sbuf *open);

/* Moves to lesson L, step STEP, and shows it. */
void session_open(struct session *s, struct lesson *l, int step);

/* The exercise of the current step, or NULL. */
struct exercise *session_exercise(struct session *s);

/* Messages. In the REPL they go to stdout (so transcripts keep their order);
 * from the command line, errors go to stderr as "backlab: ...". */
void say(struct session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void say_error(struct session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void say_note(struct session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Asks QUESTION with "[y/N]" and reads the answer the way the REPL reads
 * lines; true only for y or yes. On a pipe the answer is echoed, so the
 * transcript reads like the session. */
bool session_confirm(struct session *s, const char *question);
/* "no exercise ID", naming the exercises of its lesson when there is one. */
void say_no_exercise(struct session *s, const char *id);
/* Writes TEXT (lines ended by newlines; without a final one) to F wrapped to
 * the terminal's width: lines break at spaces, a line's indentation is kept
 * on its continuation lines; STYLE (wrap.h) applies when colour is on. */
void say_wrapped(struct session *s, FILE *f, const char *text, unsigned style);
/* Renders Markdown to stdout with the session's options. */
void say_markdown(struct session *s, const char *md);

/* The current prompt, e.g. "caching/lru 2/5> " (static buffer). */
const char *session_prompt(struct session *s);

#endif
