#!/bin/sh
# A pass means the learner did the work. Each file
# tests/lessons/cheats/MODULE/LESSON/EXERCISE/NAME.lua is a submission for
# that code exercise of the bundled course that tries to pass without doing
# it (issue 8's red team found these passing with full marks): handing back
# lab's own reference, hiding linear work inside string functions or short
# coroutines. Each must fail, and the feedback must contain the text of its
# first line, "-- feedback: TEXT". (`lint` generates more delegates to the
# reference for every code exercise; these are written by hand.)
set -u
export BACKLAB_DB="$TMPROOT/cheats.db"
D=tests/lessons/cheats
for f in $(find $D -name '*.lua' | sort); do
	rel=${f#$D/}
	ex=${rel%/*}
	want=$(sed -n '1s/^-- feedback: //p' "$f")
	out=$("$BACKLAB" --lessons lessons --profile tester check "$ex" --file "$f" --seed 7 2>&1)
	rc=$?
	if [ -z "$want" ]; then
		echo "not ok cheats/${rel%.lua} (no '-- feedback: TEXT' first line)"
	elif [ "$rc" -eq 1 ] && printf '%s' "$out" | tr '\n' ' ' | grep -qF -- "$want"; then
		echo "ok cheats/${rel%.lua}"
	else
		echo "not ok cheats/${rel%.lua} (exit $rc; wanted a fail saying \"$want\")"
		printf '%s\n' "$out" | sed 's/^/    | /' | head -12
	fi
done
