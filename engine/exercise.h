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
 * Grades TEXT (the typed answer or choice letters, or the learner's Lua file
 * for a code exercise, named SOURCE_NAME in error messages) against exercise
 * E of lesson L with SEED, under the lesson's limits. CANCEL may be NULL; see
 * grade.h. Fills *V (free with verdict_free); returns grade_run()'s status.
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

#endif
