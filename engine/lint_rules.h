/*
 * lint_rules.h — what `backlab lint` checks beyond "every solution passes,
 * every wrong answer fails": what a learner would see, told to the author
 * first. Each rule is a function called from lint (and, for fences, from the
 * lesson parser, so that the REPL counts the problem too).
 */
#ifndef BACKLAB_LINT_RULES_H
#define BACKLAB_LINT_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/base/diag.h"
#include "engine/catalog.h"
#include "engine/grade.h"

/*
 * A fenced block's info string that is neither a hidden block (check,
 * starter, solution, wrong, hint, with or without `lua`) nor a language
 * learners may be shown (lua, text, sql, sh, http, json...): a typo such as
 * ```hnit would show the hint to learners as code. Returns a new message
 * (with a did-you-mean) or NULL when INFO is fine.
 */
char *lint_fence_problem(const char *info);

/*
 * The feedback of a verdict as one line for a lint message: its first
 * paragraph, then (when there is one) the first line of the message in its
 * code block — the compiler's or Lua's own message with its file:line —
 * cut at a word boundary before MAX bytes, with "…". MESSAGE_ONLY: only the
 * code block's message when there is one (the learner-facing sentence
 * before it says nothing to an author). A new string.
 */
char *lint_feedback_line(const char *feedback, size_t max, bool message_only);

/* The line of file PATH that FEEDBACK's message points at ("PATH:LINE:"),
 * or 0: where a check that does not compile or raises is wrong. */
int lint_feedback_file_line(const char *feedback, const char *path);

/*
 * A typed answer TEXT (a solution or wrong answer) that a learner typing it
 * at the prompt would be told is a command cut short: one word (or a first
 * word of two letters or more) that begins one of COMMANDS (NULL-ended), in
 * a check that did not read it (V->answer_read false). Returns a new
 * message naming the command(s), or NULL.
 */
char *lint_answer_as_command(const char *text, const struct verdict *v,
			     const char *const *commands);

/*
 * Course-wide problems into D: a lesson that requires itself, a `requires:`
 * cycle (reported once, at each lesson on it), a course with no lesson.
 */
void lint_course_rules(const struct catalog *c, struct diags *d);

#endif
