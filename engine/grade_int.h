/*
 * grade_int.h — what the parts of the grader share (not for other modules).
 *
 *   grade.c         the entry points, isolation, the verdict's wire format
 *   grade_check.c   one run of a check inside a sandbox state
 *   grade_choice.c  multiple-choice questions
 */
#ifndef BACKLAB_GRADE_INT_H
#define BACKLAB_GRADE_INT_H

#include "engine/grade.h"
#include "engine/base/sbuf.h"

/* The request's limits with the defaults filled in. */
struct grade_limits grade_limits_of(const struct grade_request *req);

/*
 * Runs the check of REQ (answer or code) in a new sandbox state in this
 * process and fills *V except duration_ms. CLOSE says whether to close the
 * state afterwards (a child about to _exit() need not). Never fails: every
 * problem becomes a verdict.
 */
void grade_check(const struct grade_request *req, struct verdict *v, int close);

/*
 * Compiles the check library once in this process and keeps its bytecode,
 * so that every graded run forked after it loads bytecode rather than
 * parsing ~70 KB of Lua (about 2 ms of the 3 ms a run spends before the
 * check starts). Idempotent; when it fails (no memory), runs parse the
 * source as before. Called by grade_run() in the parent before it forks.
 */
void grade_warm(void);

/* Grades a choice question into *V (all fields but duration_ms). */
void grade_choices(const struct grade_request *req, struct verdict *v);

/* The learner-facing text of a limit or crash verdict ("The run timed out
 * after 5 s. ..."), into a new string. SIGNAL and STATUS: see verdict. */
char *grade_stop_text(enum verdict_status s, const struct grade_limits *lim, int signal,
		      int exit_status);

/* Appends TEXT to SB as a fenced code block (fence longer than any run of
 * backticks in TEXT). */
void grade_add_code_block(struct sbuf *sb, const char *text);

#endif
