#!/bin/sh
# Lint's cost per exercise as a lesson grows: CPU time (user + system, the
# graded children included) of `backlab lint` on one worker, over a lesson of
# N typed exercises (two graded runs each), divided by N. Flat means linear:
# a graded child must not pay for the size of the lesson its parent parsed
# (issue 8: 250, 500, 1000, 2000 exercises took 2.8, 6.7, 15.6, 59 s when
# each child copied pages of a heap the parse had fragmented).
set -eu
T="$BUILD/tools/timecmd"
echo "lint, CPU per exercise (one worker)"
for n in 250 500 1000; do
	course="$TMPROOT/exercises$n"
	sh tests/bench/genexercises.sh "$course" "$n"
	BACKLAB_LINT_JOBS=1 "$T" -n 3 -w 0 -c "$n" "lint, one lesson of $n typed exercises" -- \
		"$BACKLAB" --lessons "$course" lint
	rm -rf "$course"
done
