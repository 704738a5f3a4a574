/*
 * lint_delegate.h — lint's proof that a code exercise cannot be passed by
 * handing back lab's own reference.
 *
 * The check of a build exercise compares the learner's code with a `lab`
 * namespace (`lab.cache.new{policy = "lru"}`, `lab.hash.jump`). The learner's
 * file sees only part of lab (exercise_lab_allowed()), so a file that
 * delegates to the reference should fail; this module makes sure it does, by
 * generating such files from the check's text and grading them:
 *
 *   for every namespace X the check names:
 *     return lab.X
 *     a table forwarding every function of lab.X
 *   for every lab.X.F the check names (K: each field the check reads from
 *   `submission`, as in `submission.new` or `submission:pick`):
 *     return lab.X.F          return function(...) return lab.X.F(...) end
 *     return {K = function(...) return lab.X.F(...) end}
 *   for every function in the check whose body names lab (the check's own
 *   reference, `reference = function(cap) return lab.cache.new{...} end`):
 *     return <that function>  return {K = <that function>}
 *
 * A delegate that passes means the exercise's file can reach the reference:
 * lint reports it (usually an allow= too wide).
 */
#ifndef BACKLAB_LINT_DELEGATE_H
#define BACKLAB_LINT_DELEGATE_H

#include <stdint.h>

#include "engine/base/diag.h"
#include "engine/lesson.h"

/* At most this many delegates are graded per exercise. */
#define LINT_DELEGATE_MAX 24

/*
 * The delegate files for code exercise E, as a NULL-terminated list of Lua
 * sources (free with lint_delegates_free); an empty list when E is not a
 * code exercise or its check names no lab namespace.
 */
char **lint_delegates(const struct exercise *e);
void lint_delegates_free(char **sources);

/*
 * Grades every delegate of E (lesson L) with SEED and adds a diagnostic to D
 * at the exercise's heading for each that passes. Returns the number of
 * graded runs.
 */
size_t lint_delegates_check(const struct lesson *l, const struct exercise *e, uint64_t seed,
			    struct diags *d);

#endif
