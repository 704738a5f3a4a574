#!/bin/sh
# A reset resets everything the learner sees, and a restore brings it all
# back: code exercise files, resets of parts of a target, and passes that a
# change to a check does not invalidate.
set -u
export BACKLAB_DB="$TMPROOT/reset.db" BACKLAB_WORKSPACE="$TMPROOT/reset-ws"
rm -rf "$BACKLAB_DB"* "$BACKLAB_WORKSPACE" "$TMPROOT/reset-course"
cp -r tests/fixtures/course "$TMPROOT/reset-course"
C="--lessons $TMPROOT/reset-course --profile tester"
F=tests/fixtures/files
FILE="$BACKLAB_WORKSPACE/more/third/double.lua"

ok() { if [ "$2" = 0 ]; then echo "ok reset/$1"; else echo "not ok reset/$1"; printf '%s\n' "$out" | sed 's/^/    | /' | head -12; fi; }
run() { out=$("$BACKLAB" $C "$@" 2>&1); rc=$?; out=$(printf '%s\n' "$out" | tr '\n' ' '); } # (joined: messages wrap)

mkdir -p "$(dirname "$FILE")"
cp $F/double-good.lua "$FILE"
run check more/third/double
ok code_passes $rc

# reset: the file goes back to the starter, so the next check does not pass
run reset more/third/double --yes
printf '%s\n' "$out" | grep -q "back to the starter"
ok reset_says_file_back $?
grep -q "return x$" "$FILE"
ok file_is_starter $?
run check more/third/double
[ "$rc" -eq 1 ]
ok check_after_reset_fails $?

# restore: the learner's file comes back
run restore more/third/double
cmp -s "$FILE" $F/double-good.lua
ok restore_brings_file_back $?
run check more/third/double
ok check_after_restore_passes $rc

# reset a lesson, then its module; restoring the module restores both
run check intro/first/answer --answer 42
run check intro/second/pick --answer b
run reset intro/first --yes
run reset intro --yes
run restore intro
printf '%s\n' "$out" | grep -q "undoing the reset of intro, and before it of intro/first"
ok restore_says_all_it_undoes $?
run progress intro
printf '%s\n' "$out" | grep -q "tester: 3 of 3 exercises passed"
ok restore_module_restores_lesson_reset_before $?
# resets of the target itself still stack: two resets need two restores
run reset intro --yes
run check intro/first/answer --answer 41
run reset intro --yes
run restore intro
run progress intro
printf '%s\n' "$out" | grep -q "tester: 1 of 3 exercises passed"
ok stacked_resets_one_restore $?
run restore intro
run progress intro
printf '%s\n' "$out" | grep -q "tester: 3 of 3 exercises passed"
ok stacked_resets_two_restores $?

# a check whose feedback changed still passes the recorded answer: not stale
LESSON="$TMPROOT/reset-course/01-intro/01-first.md"
sed -i 's/Multiply: 6 × 7\./Multiply six by seven./' "$LESSON"
run progress intro/first
printf '%s\n' "$out" | grep -q "✓ answer *passed"
ok feedback_typo_keeps_pass $?
printf '%s\n' "$out" | grep -q stale
[ $? -ne 0 ]
ok feedback_typo_not_stale $?
run history intro/first/answer
printf '%s\n' "$out" | grep -q "re-graded"
ok regrade_in_history $?
# a check that now wants another answer: the pass is stale
sed -i 's/equals("42"/equals("43"/' "$LESSON"
run progress intro/first
printf '%s\n' "$out" | grep -q "stale"
ok changed_answer_is_stale $?
