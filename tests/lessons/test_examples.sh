#!/bin/sh
# Every runnable example of every bundled lesson runs without an error, in
# order, in one Lua session per lesson (as a learner would run them).
set -u
export BACKLAB_DB="$TMPROOT/examples.db" COLUMNS=80
export BACKLAB_LESSONS="${BACKLAB_LESSONS:-lessons}"
ids=$("$BACKLAB" list | awk '{print $1}' | while read -r m; do
	"$BACKLAB" list "$m" | sed -n '2,$p' | grep -o '[a-z][a-z0-9_-]*/[a-z0-9_-]*' | head -n 100; done)
[ -n "$ids" ] || echo "not ok examples/no_lessons_found"
for id in $ids; do
	if ! shown=$("$BACKLAB" show "$id" 2>&1); then
		echo "not ok examples/$id (show failed)"
		continue
	fi
	n=$(printf '%s\n' "$shown" | grep -c '^  \[[0-9]*\] lua')
	if [ "$n" -eq 0 ]; then
		echo "ok examples/$id (none)"
		continue
	fi
	script="open $id"
	i=1
	while [ $i -le "$n" ]; do script="$script
run $i"; i=$((i + 1)); done
	out=$(printf '%s\nquit\n' "$script" | "$BACKLAB" 2>&1)
	if printf '%s\n' "$out" | grep -q '^example \[[0-9]*\]:[0-9]*:\|^interrupted\|^out of memory'; then
		echo "not ok examples/$id"
		printf '%s\n' "$out" | grep -B2 -A2 '^example \[[0-9]*\]:[0-9]*:' | head -10 | sed 's/^/    /'
	else
		echo "ok examples/$id ($n examples)"
	fi
done
