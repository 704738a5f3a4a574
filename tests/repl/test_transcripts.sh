#!/bin/sh
# Transcript tests: each tests/repl/transcripts/NAME.in is piped into backlab
# (with the options in NAME.args, if any) and everything it prints must equal
# NAME.out. With UPDATE=1 the .out files are rewritten (read the diff!).
set -u
dir=tests/repl/transcripts
export COLUMNS=72 NO_COLOR=1 BACKLAB_SEED=1234
for in in "$dir"/*.in; do
	name=$(basename "$in" .in)
	args=""
	[ -f "$dir/$name.args" ] && args=$(cat "$dir/$name.args")
	db="$TMPROOT/transcript-$name.db"
	rm -f "$db" "$db-wal" "$db-shm"
	rm -rf "$TMPROOT/ws-$name"
	got="$TMPROOT/transcript-$name.got"
	# shellcheck disable=SC2086
	BACKLAB_DB="$db" BACKLAB_WORKSPACE="$TMPROOT/ws-$name" "$BACKLAB" $args <"$in" >"$got" 2>&1
	echo "exit $?" >>"$got"
	# what differs from run to run: temporary paths, dates
	sed -i -e "s|$TMPROOT|TMP|g" \
		-e 's/, [0-9][0-9 hmins]* spent//' -e 's/, [0-9][0-9]* \(s\|min\|h [0-9]* min\)$//' -e 's/[0-9]\{4\}-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]/YYYY-MM-DD HH:MM/g' "$got"
	if [ "${UPDATE:-}" = 1 ]; then
		cp "$got" "$dir/$name.out"
	fi
	if cmp -s "$got" "$dir/$name.out"; then
		echo "ok transcript/$name"
	else
		echo "not ok transcript/$name"
		diff -u "$dir/$name.out" "$got" | head -40 | sed 's/^/    /'
	fi
done
