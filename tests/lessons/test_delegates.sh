#!/bin/sh
# A pass means the learner did the work: a code exercise's file that hands
# back lab's own reference (the one the check compares against) must fail.
# Each file tests/lessons/delegates/MODULE/LESSON/EXERCISE.lua is such a
# submission for that exercise of the bundled course (issue 8's red team
# found these passing with full marks). `lint` generates more of them for
# every code exercise; these are the ones written by hand.
set -u
export BACKLAB_DB="$TMPROOT/delegates.db"
D=tests/lessons/delegates
for f in $(find $D -name '*.lua' | sort); do
	ex=${f#$D/}
	ex=${ex%.lua}
	out=$("$BACKLAB" --lessons lessons --profile tester check "$ex" --file "$f" --seed 7 2>&1)
	rc=$?
	if [ "$rc" -eq 1 ] && printf '%s' "$out" | grep -q "is not available to your code"; then
		echo "ok delegates/$ex"
	else
		echo "not ok delegates/$ex (exit $rc; wanted a fail saying lab is not available)"
		printf '%s\n' "$out" | sed 's/^/    | /' | head -12
	fi
done
