#!/bin/sh
# tests/run.sh itself: a skip is counted as a skip, never a pass; a test that
# prints no result, or exits with an error after printing only "ok" lines,
# fails; the summary is the last line, and the status says whether all passed.
set -u
RUNNER=$(pwd)/tests/run.sh
dir="$TMPROOT/runner"
rm -rf "$dir" && mkdir -p "$dir/tests/fake" "$dir/build"
cd "$dir" || exit 1
printf 'echo "ok fake/one"\necho "ok fake/two"\n' >tests/fake/test_pass.sh
printf 'echo "ok fake/three"\necho "skip fake/four: no pty"\n' >tests/fake/test_skip.sh
printf 'true\n' >tests/fake/test_silent.sh
printf 'echo "ok fake/five"\nexit 3\n' >tests/fake/test_dies.sh

run() { # run WORD... : the runner over the fake tests; $out, $rc
	out=$(BUILD="$dir/build" TMPDIR="$TMPROOT" sh "$RUNNER" "$@" 2>&1)
	rc=$?
}
last() { printf '%s\n' "$out" | tail -n 1; }
is() { # is NAME WANT GOT
	if [ "$2" = "$3" ]; then echo "ok runner/$1"; else
		echo "not ok runner/$1: wanted '$2', got '$3'"
		printf '%s\n' "$out" | sed 's/^/    | /' | tail -n 20
	fi
}

run test_pass test_skip
is skip_not_a_pass "3 passed, 0 failed, 1 skipped" "$(last)"
is skip_status 0 "$rc"
case $out in *"skipped: fake/four: no pty"*) echo "ok runner/skip_listed" ;;
*) echo "not ok runner/skip_listed" ;; esac

run test_silent
is silent_fails "0 passed, 1 failed, 0 skipped" "$(last)"
is silent_status 1 "$rc"
case $out in *"printed no result"*) echo "ok runner/silent_says_why" ;;
*) echo "not ok runner/silent_says_why" ;; esac

run test_dies
is exit_status_fails "1 passed, 1 failed, 0 skipped" "$(last)"
is exit_status_status 1 "$rc"

run fake/
is all_summary_last "4 passed, 2 failed, 1 skipped" "$(last)"
