#!/bin/sh
# Graded runs are clean under Valgrind, so that it can be used as a check:
# the child frees its Lua state before it leaves when a leak checker watches,
# keeps Valgrind's log descriptor, and may write its log file. Each run must
# give its verdict (not "crash") and every process's log must end with no
# error and nothing definitely lost. Skipped without valgrind, and for an
# AddressSanitizer build (the two cannot run together).
set -u
if ! command -v valgrind >/dev/null 2>&1; then
	echo "skip valgrind/graded_runs: valgrind is not installed"
	exit 0
fi
if ldd "$BACKLAB" 2>/dev/null | grep -q "libasan\|libubsan"; then
	echo "skip valgrind/graded_runs: an AddressSanitizer build"
	exit 0
fi
C="--lessons tests/fixtures/course --profile vg"
export BACKLAB_DB="$TMPROOT/valgrind.db"
F=tests/fixtures/files
logs="$TMPROOT/vg"
for case in "double-good.lua passed" "error.lua fail"; do
	file=${case% *}
	want=${case#* }
	rm -rf "$logs" && mkdir -p "$logs"
	out=$(valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
		--log-file="$logs/%p.log" "$BACKLAB" $C check more/third/double --file "$F/$file" 2>&1)
	n=$(ls "$logs" | wc -l)
	bad=$(grep -L "ERROR SUMMARY: 0 errors" "$logs"/*.log)
	if printf '%s\n' "$out" | grep -q "more/third/double: $want" && [ "$n" -ge 2 ] && [ -z "$bad" ]; then
		echo "ok valgrind/${file%.lua} ($n processes)"
	else
		echo "not ok valgrind/${file%.lua} ($n logs)"
		printf '%s\n' "$out" | sed 's/^/    | /' | head -5
		for f in $bad; do grep -v "^==[0-9]*== *$" "$f" | tail -20 | sed 's/^/    > /'; done
	fi
done
