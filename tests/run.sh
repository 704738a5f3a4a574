#!/bin/sh
# tests/run.sh — run every test and end with "N passed, N failed, N skipped".
#
# Each test program prints "ok NAME" or "not ok NAME" (plus indented detail)
# per case, or "skip NAME: why" for a case that cannot run on this machine (no
# pseudo-terminal, no man page renderer). A skip is never a pass. A program
# that exits with an error, or prints no result at all, fails. Kinds of test,
# all found by name so that adding one needs no edit:
#   $BUILD/tests/**/test_*        C unit tests (built from tests/**/test_*.c)
#   tests/**/*_test.lua           Lua tests, run by `backlab run` after tests/lib/harness.lua
#   tests/**/test_*.sh            shell tests (CLI, transcripts, pty, crash, concurrency)
# and finally `backlab lint` over lessons/.
#
# Environment: BACKLAB (binary under test), BUILD (build directory),
# LINT_PATHS (modules or lessons the final lint covers; all of lessons/ if
# empty).
# Arguments: words; only test files whose path contains one of them run.
set -u
BACKLAB=${BACKLAB:-./backlab}
BUILD=${BUILD:-build}
case $BACKLAB in /*) ;; *) BACKLAB=$(pwd)/$BACKLAB ;; esac
LINT_PATHS=${LINT_PATHS:-}
export BACKLAB BUILD LINT_PATHS
export NO_COLOR=1 LC_ALL=C.UTF-8
TMPROOT=$(mktemp -d "${TMPDIR:-/tmp}/backlab-test.XXXXXX")
export TMPROOT
# INT or TERM stops the whole run (the rest of the suite is not run), with
# the exit status a shell gives a process killed by that signal
trap 'rm -rf "$TMPROOT"' EXIT
trap 'rm -rf "$TMPROOT"; trap - EXIT; exit 130' INT
trap 'rm -rf "$TMPROOT"; trap - EXIT; exit 143' TERM
# tests never touch the learner's own progress, history or workspace
export XDG_DATA_HOME="$TMPROOT/data" XDG_STATE_HOME="$TMPROOT/state"
export XDG_CONFIG_HOME="$TMPROOT/config" HOME="$TMPROOT/home"
unset BACKLAB_DB BACKLAB_LESSONS VISUAL EDITOR
mkdir -p "$HOME"

passed=0
failed=0
skipped=0
failures=""
skips=""

selected() {
	[ -z "$FILTER" ] && return 0
	for w in $FILTER; do
		case $1 in *"$w"*) return 0 ;; esac
	done
	return 1
}
FILTER="$*"

# run_one LABEL COMMAND... — run a test program, count its ok/not ok lines
run_one() {
	label=$1
	shift
	out="$TMPROOT/out.txt"
	# a bound for a hang, not a speed: a whole test program under ASan on
	# a loaded machine takes minutes
	timeout 1800 "$@" >"$out" 2>&1
	rc=$?
	p=$(grep -c '^ok ' "$out")
	f=$(grep -c '^not ok ' "$out")
	k=$(grep -c '^skip ' "$out")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok $label (exit status $rc)" >>"$out"
		f=1
	elif [ $((p + f + k)) -eq 0 ]; then
		echo "not ok $label (it printed no result: no ok, not ok or skip line)" >>"$out"
		f=1
	fi
	if [ "$f" -gt 0 ]; then
		echo "FAIL $label: $p passed, $f failed, $k skipped"
		sed 's/^/  | /' "$out" | tail -n 60
		failures="$failures $label"
	elif [ "$k" -gt 0 ]; then
		printf '%-52s %4d passed, %d skipped\n' "$label" "$p" "$k"
		skips="$skips$(sed -n 's/^skip /  skipped: /p' "$out")
"
	else
		printf '%-52s %4d passed\n' "$label" "$p"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + k))
}

# one binary per tests/**/test_*.c (a stale binary whose source is gone does not run)
for src in $(find tests -name 'test_*.c' | sort); do
	t="$BUILD/${src%.c}"
	selected "$t" || continue
	if [ ! -x "$t" ]; then
		echo "FAIL ${src%.c}: not built"
		failed=$((failed + 1))
		failures="$failures ${src%.c}"
		continue
	fi
	run_one "${t#$BUILD/}" "$t"
done

for t in $(find tests -name '*_test.lua' | sort); do
	selected "$t" || continue
	run_one "$t" "$BUILD/tools/labrun" tests/lib/harness.lua "$t"
done

for t in $(find tests -name 'test_*.sh' | sort); do
	selected "$t" || continue
	run_one "$t" sh "$t"
done

if selected lint; then
	# shellcheck disable=SC2016
	run_one "lint ${LINT_PATHS:-lessons/}" sh -c '"$BACKLAB" lint --lessons lessons $LINT_PATHS &&
		echo "ok lint ${LINT_PATHS:-lessons/}" || echo "not ok lint ${LINT_PATHS:-lessons/}"'
fi

echo
[ -n "$skips" ] && printf '%s' "$skips"
[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
