#!/bin/sh
# tests/bench/run.sh — `make bench`: timings, reported, never asserted.
#
# Machines are noisy: every figure is a median of repeated runs, and where
# there is a comparison (lab in C vs the same thing in pure Lua) the ratio is
# the figure to read. Kinds of benchmark, found by name:
#   $BUILD/tools/bench_*        C programs (tests/tools/bench_*.c)
#   tests/bench/*_bench.lua     Lua scripts run with lab loaded (tests/bench/lib.lua first)
#   tests/bench/bench_*.sh      whole-process timings of backlab commands
set -u
BACKLAB=${BACKLAB:-./backlab}
BUILD=${BUILD:-build}
case $BACKLAB in /*) ;; *) BACKLAB=$(pwd)/$BACKLAB ;; esac
export BACKLAB BUILD NO_COLOR=1
TMPROOT=$(mktemp -d "${TMPDIR:-/tmp}/backlab-bench.XXXXXX")
export TMPROOT XDG_DATA_HOME="$TMPROOT/data" XDG_STATE_HOME="$TMPROOT/state" HOME="$TMPROOT/home"
mkdir -p "$HOME"
trap 'rm -rf "$TMPROOT"' EXIT INT TERM

echo "backlab bench — $(uname -m), $(nproc 2>/dev/null || echo '?') cores, $(date -u +%Y-%m-%d)"
for b in $(find "$BUILD/tools" -name 'bench_*' -type f ! -name '*.d' 2>/dev/null | sort); do
	[ -x "$b" ] && "$b"
done
for b in $(find tests/bench -name '*_bench.lua' 2>/dev/null | sort); do
	"$BUILD/tools/labrun" tests/bench/lib.lua "$b"
done
for b in $(find tests/bench -name 'bench_*.sh' 2>/dev/null | sort); do
	sh "$b"
done
