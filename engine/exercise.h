/*
 * exercise.h — grading an exercise of a parsed lesson, and the record of it.
 *
 * The glue between lesson.h (what an exercise is), grade.h (how an answer is
 * judged) and store.h (what is kept): the REPL, `backlab check` and `backlab
 * lint` all grade through here, so they agree.
 */
#ifndef BACKLAB_EXERCISE_H
#define BACKLAB_EXERCISE_H

#include <signal.h>

#include "engine/grade.h"
#include "engine/lesson.h"
#include "engine/store.h"

/* "module/lesson/exercise" in a new string (free it). */
char *exercise_full_id(const struct lesson *l, const struct exercise *e);

/*
 * What the learner's file of a code exercise finds in `lab`. A build
 * exercise must not pass by handing back the reference the check compares
 * against, so the submission's `lab` holds only the utility namespaces that
 * help to write code and are the reference of nothing (EXERCISE_LAB_UTILITY:
 * rand, clock, plot), minus any that the check itself names (a check that
 * compares against lab.plot takes lab.plot away), plus those the exercise
 * heading allows ("{#id allow=cache,clock}"). A check that grades on cost
 * (calls `instructions(...)`) gives no utility namespace by default: the
 * count does not charge work done inside lab (lab.plot.bins finds a minimum
 * in C for free), so only what the heading allows is left. The check always gets the whole
 * `lab`. Returns a NULL-terminated list of names (free with
 * exercise_lab_free); for other kinds of exercise, NULL (no code runs).
 */
#define EXERCISE_LAB_UTILITY {"rand", "clock", "plot", NULL}
char **exercise_lab_allowed(const struct exercise *e);

/* Whether CHECK calls `instructions(` (grades on cost); NULL is 0. */
int exercise_check_counts_cost(const char *check);

/*
 * The lab namespaces CHECK names (`lab.NAME`, `lab["NAME"]`), each once, in
 * order of first mention: a NULL-terminated list to free with
 * exercise_lab_free. Only names of the registry count.
 */
char **exercise_lab_mentions(const char *check);
void exercise_lab_free(char **names);

/*
 * Grades TEXT (the typed answer or choice letters, or the learner's Lua file
 * for a code exercise, named SOURCE_NAME in error messages) against exercise
 * E of lesson L with SEED, under the lesson's limits. CANCEL may be NULL; see
 * grade.h. Fills *V (free with verdict_free); returns grade_run()'s status.
 * A TEXT longer than STORE_MAX_SUBMISSION is not graded: VERDICT_UNREADABLE,
 * whose feedback says so (an attempt not recorded; store.h).
 */
int exercise_grade(const struct lesson *l, const struct exercise *e, const char *text,
		   const char *source_name, uint64_t seed, volatile sig_atomic_t *cancel,
		   struct verdict *v);

/*
 * Records the attempt graded into V in store ST, committed before it returns
 * (so a pass may be announced afterwards). Cancelled runs, broken checks
 * and unreadable answers are not the learner's attempts: they are not
 * recorded (returns STORE_OK).
 */
int exercise_record(struct store *st, const struct lesson *l, const struct exercise *e,
		    const char *text, const struct verdict *v);

/*
 * A stale pass (the exercise was passed under an older check) may still
 * hold: re-grades the newest visible passing attempt of E (its answer or
 * code, with its seed) against the current check, and when it passes,
 * records the pass under the current check (an attempt whose feedback says
 * it was re-graded) and updates *ST (passed, no longer stale). Does nothing
 * unless ST->stale. Returns true when the pass was kept. A failed re-grade
 * is remembered for this process, so the same stale pass is not re-graded
 * again and again.
 */
bool exercise_regrade(struct store *db, const struct lesson *l, const struct exercise *e,
		      struct store_status *st);

#endif
