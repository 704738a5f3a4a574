#!/bin/sh
# The code exercises of lessons/04-distributed-data: each check runs the
# learner's nodes on lab.sim over several seeds and fault schedules. Whole
# `backlab check` runs of each exercise's solution (a pass: every seed run
# to the end), to hold them to about a second.
set -eu
T="$BUILD/tools/timecmd"
export BACKLAB_DB="$TMPROOT/simchecks.db"
dir="$TMPROOT/simchecks"
mkdir -p "$dir"
echo "backlab check, distributed-data code exercises (solution, all seeds pass)"
for f in lessons/04-distributed-data/[0-9]*.md; do
	lesson=$(basename "$f" .md)
	lesson=${lesson#[0-9][0-9]-}
	# one file per exercise with a starter: ID.lua holds its solution
	awk -v dir="$dir" -v lesson="$lesson" '
		/^## Exercise:/ { match($0, /\{#[A-Za-z0-9_-]+/); id = substr($0, RSTART + 2, RLENGTH - 2); starter = 0 }
		/^```(lua )?starter/ { starter = 1 }
		/^```(lua )?solution/ { if (starter) { out = dir "/" lesson "." id ".lua"; insol = 1; next } }
		insol && /^```$/ { insol = 0; close(out); next }
		insol { print > out }
	' "$f"
done
for s in "$dir"/*.lua; do
	name=$(basename "$s" .lua)
	ex="distributed-data/${name%%.*}/${name#*.}"
	if ! "$BACKLAB" check "$ex" --file "$s" --seed 1 >/dev/null 2>&1; then
		echo "  $ex: the solution did not pass (not timed)"
		continue
	fi
	"$T" -n 5 "$ex" -- "$BACKLAB" check "$ex" --file "$s" --seed 1
done
