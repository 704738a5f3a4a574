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
expect check_broken "$F:78: exercise 'broken': the check is broken on the solution"
expect answer_is_command "exercise 'command': the answer starts with the command 'show'"
expect reference_reachable "$F:108: exercise 'reachable': a file that hands back lab's own reference passes (\`return {new = function(cap) return lab.cache.new{capacity = …\`)"
expect summary "lint: 1 lesson, 10 exercises"
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
# lint deals lessons to worker processes: the same findings as one process
a=$(BACKLAB_LINT_JOBS=1 "$BACKLAB" lint tests/fixtures/lint tests/fixtures/course 2>&1)
b=$(BACKLAB_LINT_JOBS=3 "$BACKLAB" lint tests/fixtures/lint tests/fixtures/course 2>&1)
if [ "$a" = "$b" ]; then echo "ok lint/parallel_same_as_serial"; else echo "not ok lint/parallel_same_as_serial"; fi
