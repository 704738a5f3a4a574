#!/bin/sh
# Crash and concurrency through the real command: `backlab check` processes
# killed with SIGKILL at random moments, and several run in parallel. Every
# run that printed "passed" must be in the database afterwards, the file must
# pass SQLite's integrity check, and no run may fail with "database is locked".
set -u
C="--lessons tests/fixtures/course --profile crash"
DB="$TMPROOT/check-crash.db"
rm -f "$DB"*
export BACKLAB_DB="$DB"
expected="$TMPROOT/crash-expected.txt"
: >"$expected"

# 1. kill -9 at random moments (0-6 ms after start: every phase of a run)
i=1
while [ $i -le 60 ]; do
	out="$TMPROOT/crash-$i.out"
	BACKLAB_SEED=$((1000 + i)) "$BACKLAB" $C check intro/first/answer --answer 42 >"$out" 2>&1 &
	pid=$!
	sleep "$(awk -v s=$i 'BEGIN { srand(s); printf "%.4f", rand() * 0.006 }')"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	grep -q "passed" "$out" && echo $((1000 + i)) >>"$expected"
	i=$((i + 1))
done
n=$(wc -l <"$expected")
if "$BUILD/tools/store_check" "$DB" crash </dev/null | grep -q "integrity ok"; then
	echo "ok check_crash/integrity_after_kill9 ($n of 60 runs finished)"
else
	echo "not ok check_crash/integrity_after_kill9"
fi
"$BACKLAB" $C export >"$TMPROOT/crash-export.jsonl" 2>&1
missing=0
while read -r seed; do
	grep -q "\"seed\":\"$seed\"" "$TMPROOT/crash-export.jsonl" || { missing=$((missing + 1)); echo "    seed $seed printed passed but is not stored"; }
done <"$expected"
if [ "$missing" -eq 0 ]; then echo "ok check_crash/every_printed_pass_is_stored"; else echo "not ok check_crash/every_printed_pass_is_stored ($missing missing)"; fi

# 2. two writers at once, 25 checks each, on the same file
rm -f "$DB"*
for w in 1 2; do
	(
		j=1
		while [ $j -le 25 ]; do
			BACKLAB_SEED=$((w * 100 + j)) "$BACKLAB" $C check intro/first/answer --answer 42 \
				>>"$TMPROOT/conc-$w.out" 2>&1
			j=$((j + 1))
		done
	) &
done
wait
if grep -qi "locked\|busy" "$TMPROOT"/conc-*.out; then
	echo "not ok check_crash/no_lock_errors"
	grep -i "locked\|busy" "$TMPROOT"/conc-*.out | head -3 | sed 's/^/    /'
else
	echo "ok check_crash/no_lock_errors"
fi
"$BACKLAB" $C history intro/first/answer >"$TMPROOT/conc-history.txt" 2>&1
n=$(grep -c "passed" "$TMPROOT/conc-history.txt")
if [ "$n" -eq 50 ]; then echo "ok check_crash/parallel_all_50_attempts_stored"; else echo "not ok check_crash/parallel_all_50_attempts_stored (got $n)"; fi
