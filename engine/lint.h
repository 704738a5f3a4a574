/*
 * lint.h — checking a course, for its authors: every file parses; ids,
 * links, `requires:` and `uses:` are right; every exercise's solution
 * passes and every wrong answer fails with the feedback it promises; no
 * build exercise passes by handing back lab's reference (lint_delegate.h).
 * The REPL's `lint` command prints what this finds.
 *
 * Lessons are dealt to worker processes, one per core; each grades in its
 * own children, as always. A worker parses its lessons on a thread of its
 * own, so the parse's heap (its malloc arena) is not the one the graded
 * children allocate from: see lint.c.
 */
#ifndef BACKLAB_LINT_H
#define BACKLAB_LINT_H

#include <stddef.h>
#include <stdint.h>

#include "engine/base/diag.h"
#include "engine/lesson.h"

struct lint_opts {
	uint64_t seed; /* 0: a fixed seed per exercise (from its id) */
	int jobs;      /* worker processes; 0: BACKLAB_LINT_JOBS, or one per core (at most 8) */
	/* Whether WORD, the first word of an answer, is a command at a
	 * question's prompt (so a learner typing the answer runs it); NULL:
	 * never. */
	int (*is_command)(const char *word);
	/* The commands of that prompt, NULL-ended: an answer a learner would be
	 * told is one of them cut short is reported; NULL: none. */
	const char *const *command_names;
	/* Called in this process for each lesson linted (parsed), once the
	 * workers are done; NULL: none. */
	void (*each_lesson)(void *ud, const struct lesson *l);
	void *ud;
};

struct lint_result {
	size_t lessons, exercises, runs;
	struct diags d; /* the problems; diags_sort() orders them by file and line */
};

/*
 * Lints the course at ROOT into R (counts added, problems appended): all of
 * it, or with NPATHS > 0 only what is under PATHS (lesson files, module
 * folders). A course that cannot be read is one problem.
 */
void lint_course(const char *root, char *const *paths, int npaths, const struct lint_opts *o,
		 struct lint_result *r);

/* The course folder that PATH (a course, a module folder or a lesson file)
 * belongs to; a new string. */
char *lint_course_root(const char *path);

/*
 * Adds to D the problems of lesson L's `uses:` (parsed): a namespace that
 * does not exist, and a `lab.X` in its examples, checks, starters,
 * solutions or wrong answers whose X the list does not give.
 */
void lint_uses(const struct lesson *l, struct diags *d);

void lint_result_free(struct lint_result *r);

#endif
