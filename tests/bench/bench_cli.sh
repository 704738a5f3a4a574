#!/bin/sh
# Whole-process timings of backlab commands, and the engine in-process, on a
# generated 300-lesson course (15 modules x 20 lessons, ~8 KB each).
set -eu
course="$TMPROOT/course300"
sh tests/bench/gencourse.sh "$course" 15 20
T="$BUILD/tools/timecmd"
echo "lesson engine, $(find "$course" -name '*.md' | wc -l) files, $(du -sk "$course" | cut -f1) KB"
"$BUILD/tools/enginebench" "$course"
echo "whole process (fork+exec to exit)"
"$T" "backlab --version" -- "$BACKLAB" --version
"$T" "backlab list (300-lesson course)" -- "$BACKLAB" --lessons "$course" list
"$T" "backlab list MODULE (300-lesson course)" -- "$BACKLAB" --lessons "$course" list mod7
printf 'quit\n' >"$TMPROOT/quit.txt"
"$T" -i "$TMPROOT/quit.txt" "REPL start, first step, quit (300 lessons)" -- "$BACKLAB" --lessons "$course"
"$T" -i "$TMPROOT/quit.txt" "REPL start, first step, quit (bundled)" -- "$BACKLAB"
"$T" -n 5 "backlab lint (300-lesson course)" -- "$BACKLAB" --lessons "$course" lint
"$T" -n 5 "backlab lint (bundled course)" -- "$BACKLAB" lint
export BACKLAB_DB="$TMPROOT/bench.db"
"$T" "backlab check, typed answer (fixture)" -- "$BACKLAB" --lessons tests/fixtures/course check intro/first/answer --answer 42
"$T" "backlab check, code, 50 property cases" -- "$BACKLAB" --lessons tests/fixtures/course check more/third/double --file tests/fixtures/files/double-good.lua
"$T" "backlab check, welcome queue (200 cases)" -- "$BACKLAB" check welcome/lua/queue --file tests/bench/queue.lua
"$T" "backlab check, compound duration read (bundled)" -- "$BACKLAB" check caching/invalidation/ttl --answer "1 min 5 s"
"$T" "backlab check, labelled numbers read (bundled)" -- "$BACKLAB" check caching/eviction/anomaly --answer "3 entries: 10, 4 entries: 8"
