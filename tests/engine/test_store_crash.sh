#!/bin/sh
# Crash test of the progress store: writers recording attempts are killed
# with SIGKILL at random moments (during open and migration, inside
# transactions, between them), round after round on the same file. Then
# the file must pass PRAGMA integrity_check, and every attempt a writer
# printed as committed must be in it. A writer that reports an error (a
# lock error, a refused file) fails the test too.
set -u
BUILD=${BUILD:-build}
W=$BUILD/tools/store_writer
C=$BUILD/tools/store_check
dir=$(mktemp -d "${TMPROOT:-/tmp}/store-crash.XXXXXX")
db=$dir/new/progress.db
rounds=15
writers="1 2 3"

# a random delay in seconds from $1 to $2, seeded per call
delay() {
  awk -v a="$1" -v b="$2" -v s="$seq$$" 'BEGIN { srand(s); printf "%.3f", a + rand() * (b - a) }'
}

seq=0
r=0
while [ "$r" -lt "$rounds" ]; do
  pids=""
  for w in $writers; do
    "$W" "$db" learner "r${r}w$w" 0 >"$dir/out.r${r}w$w" 2>>"$dir/errors" &
    pids="$pids $!"
  done
  for p in $pids; do
    seq=$((seq + 1))
    sleep "$(delay 0.005 0.12)"
    kill -9 "$p" 2>/dev/null
  done
  wait
  r=$((r + 1))
done

# "committed N" lines of out.NAME -> "NAME N"; a line cut by the kill
# does not count
expected() {
  for f in "$@"; do
    name=${f##*/out.}
    sed -n "s/^committed \([0-9][0-9]*\)$/$name \1/p" "$f"
  done
}
expected "$dir"/out.* >"$dir/expected"
committed=$(wc -l <"$dir/expected")

# kills while a new file is being created, switched to WAL and migrated:
# each leaves a file that opens and holds what was committed
fresh_bad=0
mkdir "$dir/f"
i=0
while [ "$i" -lt 10 ]; do
  seq=$((seq + 1))
  "$W" "$dir/fresh$i/progress.db" learner "f$i" 0 >"$dir/f/out.f$i" 2>>"$dir/errors" &
  p=$!
  sleep "$(delay 0 0.012)"
  kill -9 "$p" 2>/dev/null
  wait
  expected "$dir/f/out.f$i" >"$dir/fresh.expected"
  if ! "$C" "$dir/fresh$i/progress.db" learner <"$dir/fresh.expected" >"$dir/fresh.check" 2>&1; then
    fresh_bad=$((fresh_bad + 1))
    sed 's/^/    /' "$dir/fresh.check" >>"$dir/fresh.report"
  fi
  i=$((i + 1))
done
if [ "$fresh_bad" -eq 0 ]; then
  echo "ok store-crash/killed-while-creating"
else
  echo "not ok store-crash/killed-while-creating"
  head -20 "$dir/fresh.report"
fi

if [ -s "$dir/errors" ]; then
  echo "not ok store-crash/no-writer-errors"
  sed 's/^/    /' "$dir/errors" | head -20
else
  echo "ok store-crash/no-writer-errors"
fi

"$C" "$db" learner <"$dir/expected" >"$dir/check" 2>&1
rc=$?
if grep -q '^integrity ok$' "$dir/check"; then
  echo "ok store-crash/integrity-check"
else
  echo "not ok store-crash/integrity-check"
  sed 's/^/    /' "$dir/check" | head -20
fi
if [ "$rc" -eq 0 ] && [ "$committed" -gt 0 ]; then
  echo "ok store-crash/every-committed-attempt-present # $(grep '^present' "$dir/check"), $rounds rounds of $(echo $writers | wc -w) writers"
else
  echo "not ok store-crash/every-committed-attempt-present"
  echo "    $committed committed"
  sed 's/^/    /' "$dir/check" | head -20
fi
[ -n "${KEEP:-}" ] || rm -rf "$dir"
