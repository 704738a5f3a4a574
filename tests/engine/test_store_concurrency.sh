#!/bin/sh
# Concurrency test of the progress store: several writers start together
# on a file that does not exist yet (so they also race to create and
# migrate it) while another process resets, reads and restores in a loop,
# like two REPLs and a `backlab check` from an editor. No process may fail
# ("database is locked" or anything else) and no attempt may be lost.
set -u
BUILD=${BUILD:-build}
W=$BUILD/tools/store_writer
C=$BUILD/tools/store_check
dir=$(mktemp -d "${TMPROOT:-/tmp}/store-conc.XXXXXX")
db=$dir/progress.db
count=150
writers="a b c d"

pids=""
for w in $writers; do
  "$W" "$db" learner "$w" "$count" >"$dir/out.$w" 2>>"$dir/errors" &
  pids="$pids $!"
done
"$W" "$db" learner resetter 40 >"$dir/resets" 2>>"$dir/errors" &
pids="$pids $!"
failed=0
for p in $pids; do
  wait "$p" || failed=$((failed + 1))
done

if [ "$failed" -eq 0 ] && [ ! -s "$dir/errors" ]; then
  echo "ok store-concurrency/no-errors"
else
  echo "not ok store-concurrency/no-errors"
  echo "    $failed processes failed"
  sed 's/^/    /' "$dir/errors" | head -20
fi

for w in $writers; do
  sed -n "s/^committed \([0-9][0-9]*\)$/$w \1/p" "$dir/out.$w"
done >"$dir/expected"
n=$(wc -l <"$dir/expected")
want=$(($(echo $writers | wc -w) * count))
"$C" "$db" learner <"$dir/expected" >"$dir/check" 2>&1
if [ $? -eq 0 ] && [ "$n" -eq "$want" ] && grep -q "in all$" "$dir/check" &&
  grep -q "^present $want of $want expected, $want in all$" "$dir/check"; then
  echo "ok store-concurrency/every-attempt-present # $want attempts by $(echo $writers | wc -w) writers, $(wc -l <"$dir/resets") reset cycles"
else
  echo "not ok store-concurrency/every-attempt-present"
  echo "    $n of $want reported committed"
  sed 's/^/    /' "$dir/check" | head -20
fi
rm -rf "$dir"
