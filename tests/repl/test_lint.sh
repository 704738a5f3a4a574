#!/bin/sh
# backlab lint on purpose-made mistakes (tests/fixtures/lint): each must be
# reported at its line; and on good courses, nothing.
set -u
F=tests/fixtures/lint/01-m/01-mistakes.md
out=$("$BACKLAB" lint tests/fixtures/lint 2>&1)
rc=$?
expect() {
	name=$1
	shift
	if printf '%s\n' "$out" | grep -qF -- "$*"; then
		echo "ok lint/$name"
	else
		echo "not ok lint/$name"
		echo "    missing: $*"
		printf '%s\n' "$out" | sed 's/^/    | /'
	fi
}
expect solution_fails "$F:14: exercise 'bad-solution': the solution does not pass: fail: It is 42."
expect wrong_passes "$F:29: exercise 'wrong-passes': wrong answer 1 passes, but must be rejected"
expect feedback_differs "$F:41: exercise 'feedback': wrong answer 1 is rejected, but the feedback does not say \"evicted first\""
expect starter_passes "$F:47: exercise 'starter': the starter passes, but must be rejected"
expect check_crashes "$F:72: exercise 'crash': the check rejects wrong answer 1 only by raising a Lua error"
expect check_broken "$F:80: exercise 'broken': the check is broken (on the solution): $F:80: ')' expected (to close '(' at line 79) near <eof>"
expect answer_is_command "exercise 'command': the answer starts with the command 'show'"
expect reference_reachable "$F:108: exercise 'reachable': a file that hands back lab's own reference passes (\`return {new = function(cap) return lab.cache.new{capacity = …\`)"
expect summary "lint: 4 lessons, 13 exercises"
# what learners would see (tests/fixtures/lint/01-m/02-seen.md and the circle)
S=tests/fixtures/lint/01-m/02-seen.md
expect requires_itself "$S:3: the lesson requires itself ('m/seen')"
expect unknown_fence "$S:10: unknown block '\`\`\`hnit': learners would see it as code; did you mean \`hint\`?"
expect unknown_lua_fence "$S:49: unknown block '\`\`\`lua chek' (did you mean \`lua check\`?)"
expect reference_error "$S:26: exercise 'reference': the check is broken (on the solution): $S:26: differential: the reference raised an error on \`f(4, 7)\`: $S:24: attempt to index a nil value (local 't')"
expect wrong_unreadable "$S:46: exercise 'short': wrong answer 1 is not read as an answer"
expect answer_is_command_beginning "$S:60: exercise 'key': the solution: a learner typing \`c\` at the prompt is told it begins \`check\` and \`continue\`"
expect requires_circle "tests/fixtures/lint/01-m/03-circle.md:3: \`requires:\` goes round in a circle: m/circle -> m/circle-back -> m/circle"
expect requires_circle_both "tests/fixtures/lint/01-m/04-circle-back.md:3: \`requires:\` goes round in a circle"
if printf '%s\n' "$out" | grep -q "(seed [0-9]*)" && printf '%s\n' "$out" | grep "(seed [0-9]*)" | grep -qv "reference"; then
	echo "not ok lint/seed_only_where_random"
	printf '%s\n' "$out" | grep "(seed" | sed 's/^/    | /'
else
	echo "ok lint/seed_only_where_random"
fi
if [ "$rc" -eq 1 ]; then echo "ok lint/exit_status_1"; else echo "not ok lint/exit_status_1 (got $rc)"; fi
n=$(printf '%s\n' "$out" | grep -c "^$F:")
if [ "$n" -eq 9 ]; then echo "ok lint/exactly_these_problems"; else
	echo "not ok lint/exactly_these_problems (got $n)"
	printf '%s\n' "$out" | sed 's/^/    | /'
fi
good=$("$BACKLAB" lint tests/fixtures/course 2>&1)
if [ $? -eq 0 ] && printf '%s\n' "$good" | grep -q "0 problems"; then echo "ok lint/good_course"; else
	echo "not ok lint/good_course"
	printf '%s\n' "$good" | sed 's/^/    | /'
fi
# an empty course is a problem, not a success
mkdir -p "$TMPROOT/empty-course"
eout=$("$BACKLAB" --lessons "$TMPROOT/empty-course" lint 2>&1)
erc=$?
if [ "$erc" -eq 1 ] && printf '%s\n' "$eout" | grep -q "the course has no lessons"; then echo "ok lint/empty_course"; else
	echo "not ok lint/empty_course (exit $erc)"
	printf '%s\n' "$eout" | sed 's/^/    | /'
fi
# `new` starts a course in a folder that does not exist yet, and lint accepts it
nout=$("$BACKLAB" --lessons "$TMPROOT/fresh/course" new mod/first 2>&1)
if [ $? -eq 0 ] && [ -f "$TMPROOT/fresh/course/01-mod/01-first.md" ]; then echo "ok lint/new_creates_course"; else
	echo "not ok lint/new_creates_course"
	printf '%s\n' "$nout" | sed 's/^/    | /'
fi
if "$BACKLAB" --lessons "$TMPROOT/fresh/course" lint >/dev/null 2>&1; then echo "ok lint/new_skeleton_lints"; else echo "not ok lint/new_skeleton_lints"; fi
# lint deals lessons to worker processes: the same findings as one process
a=$(BACKLAB_LINT_JOBS=1 "$BACKLAB" lint tests/fixtures/lint tests/fixtures/course 2>&1)
b=$(BACKLAB_LINT_JOBS=3 "$BACKLAB" lint tests/fixtures/lint tests/fixtures/course 2>&1)
if [ "$a" = "$b" ]; then echo "ok lint/parallel_same_as_serial"; else echo "not ok lint/parallel_same_as_serial"; fi
