#!/bin/sh
# What a learner meets (issue 10): clear errors, messages at the end of a
# lesson, a module and the course, the footer, history, the seed only where
# it matters, the Lua prompt, the sandbox's explanations, imports whose
# counts add up, a read-only database, check --file on a choice.
set -u
ROOT=$(pwd)
export BACKLAB_DB="$TMPROOT/experience.db" BACKLAB_WORKSPACE="$TMPROOT/experience-ws" COLUMNS=80
rm -rf "$BACKLAB_DB"* "$BACKLAB_WORKSPACE"
C="--lessons tests/fixtures/course --profile tester"
L="--lessons lessons"

t() { # t NAME WANT-STATUS COMMAND... : runs it, keeps its output in $out
	name=$1 want=$2
	shift 2
	out=$("$@" 2>&1)
	rc=$?
	[ "$rc" -eq "$want" ] && return 0
	echo "not ok experience/$name (exit $rc, wanted $want)"
	printf '%s\n' "$out" | sed 's/^/    | /' | head -12
	return 1
}
flat() { printf '%s\n' "$out" | tr '\n' ' ' | tr -s ' '; } # messages wrap at the width
has() { # has NAME TEXT : $out contains TEXT
	if flat | grep -qF -- "$2"; then echo "ok experience/$1"; else
		echo "not ok experience/$1: no '$2' in"
		printf '%s\n' "$out" | sed 's/^/    | /' | head -20
	fi
}
hasnt() { # hasnt NAME TEXT : $out does not contain TEXT
	if flat | grep -qF -- "$2"; then
		echo "not ok experience/$1: '$2' in"
		printf '%s\n' "$out" | sed 's/^/    | /' | head -20
	else echo "ok experience/$1"; fi
}
repl() { out=$(printf '%s\n' "$@" "" | "$BACKLAB" $L 2>&1); } # (the empty line shows the last prompt)

# clearer errors
t history_nope 2 "$BACKLAB" $L history nope && has history_nope "no module, lesson or exercise 'nope'"
t reset_nope 2 "$BACKLAB" $L reset welcome/lua/nope --yes &&
	has reset_names_lesson "no exercise 'nope' in welcome/lua (its exercises: truthy, ordered, queue)"
t not_a_folder 2 "$BACKLAB" --lessons /etc/passwd list && has not_a_folder "/etc/passwd is not a folder"
repl "open welcome/lua/queue"
has open_exercise_id "welcome/lua 9/9 code>"

# the footer names the next step with the next step's number
repl "open welcome/tour"
has footer_next_number "next: Moving around (2/6)"

# the end of a lesson, of a module, of the course
repl "open welcome/lab" next next next next next next next next next
has lesson_finished "You finished reading welcome/lab; 0 of 4 exercises passed. Still open: welcome/lab/timers"
has module_finished "That was the last lesson of the module welcome (Welcome): 0 of 12 exercises passed, 12 still open"
out=$(printf 'open more/third\nnext\nnext\nnext\n' | "$BACKLAB" $C 2>&1)
has course_end "This is the end of the course. 3 of its 3 exercises are still open: \`continue\` takes you to the first of them"
# "builds on" only when the lesson built on is not just read, nor done
repl "open welcome/lua"
has builds_on_shown "This lesson builds on welcome/tour"
out=$(printf 'open welcome/tour\nnext\nnext\nnext\nnext\nnext\nnext\nshow\n' |
	"$BACKLAB" $L --db "$TMPROOT/experience-fresh.db" 2>&1)
has went_on_to_lua "welcome/lua 1/9>"
hasnt builds_on_not_after_reading "This lesson builds on welcome/tour"

# the seed only where randomness decided the run
t typed_wrong 1 "$BACKLAB" $L check welcome/lab/timers --answer 2
hasnt typed_no_seed "seed"
printf 'return function(x, lo, hi) return x end\n' >"$TMPROOT/clamp-bad.lua"
t code_wrong 1 "$BACKLAB" $L check welcome/exercises/clamp --file "$TMPROOT/clamp-bad.lua"
has code_seed "seed"

# history: one exercise named once, answers quoted once, long ones cut
t long_answer 1 "$BACKLAB" $L check welcome/tour/predict-power --answer "\"1024\" is what I think it prints when it runs, and I am sure of it, very sure indeed"
t history_one 0 "$BACKLAB" $L history welcome/tour/predict-power
has history_id_once "welcome/tour/predict-power:"
has history_quotes_not_doubled "'\"1024\" is what"
has history_long_cut "…'"
hasnt history_no_double_quotes '""1024'

# Lua: `= expr` at lua>; what the sandbox leaves out is said so
repl lua "= 6 * 7" "! x = 5" "= x + 1" .
has lua_equals "42"
has lua_bang "6"
printf 'print(io.open("x"))\n' >"$TMPROOT/io.lua"
t run_io 1 "$BACKLAB" run "$TMPROOT/io.lua" && has run_io "io is not available here: lessons run in a sandbox"
printf 'return function(x, lo, hi) return os.execute("true") end\n' >"$TMPROOT/os.lua"
t check_os 1 "$BACKLAB" $L check welcome/exercises/clamp --file "$TMPROOT/os.lua" &&
	has check_os "os.execute is not available here"

# check --file on a choice: refused, nothing recorded
printf 'b\n' >"$TMPROOT/choice.txt"
t choice_file 2 "$BACKLAB" $L check welcome/lua/ordered --file "$TMPROOT/choice.txt" &&
	has choice_file "is a multiple-choice question: give the letters with --answer"
t choice_file_history 0 "$BACKLAB" $L history welcome/lua/ordered && has choice_file_not_recorded "No attempts"

# import: the counts add up to the lines of the file
t export 0 "$BACKLAB" $L export "$TMPROOT/exp.jsonl"
lines=$(grep -c . "$TMPROOT/exp.jsonl")
for round in first again; do
	t "import_$round" 0 "$BACKLAB" $L --db "$TMPROOT/experience-other.db" import "$TMPROOT/exp.jsonl"
	sum=$(flat | sed 's/.*lines\.//' | tr -c '0-9' ' ' | awk '{for (i = 1; i <= NF; i++) s += $i} END {print s + 0}')
	if flat | grep -q ": $lines lines\." && [ "$sum" -eq "$lines" ]; then
		echo "ok experience/import_counts_add_up_$round"
	else
		echo "not ok experience/import_counts_add_up_$round: $lines lines, counts sum to $sum"
		printf '%s\n' "$out" | sed 's/^/    | /'
	fi
done

# a read-only database still shows progress, lists, lessons and the export
RO="$TMPROOT/ro"
mkdir -p "$RO/d" && cp "$BACKLAB_DB" "$RO/d/db" && rm -f "$BACKLAB_DB-wal" "$BACKLAB_DB-shm"
chmod 755 "$TMPROOT" "$RO" "$RO/d" && chmod 644 "$RO/d/db"
if [ "$(id -u)" -eq 0 ]; then as="setpriv --reuid=65534 --regid=65534 --clear-groups"; else
	as=""
	chmod 555 "$RO/d" && chmod 444 "$RO/d/db"
fi
for c in "progress" "list" "show welcome/tour" "export"; do
	# shellcheck disable=SC2086
	out=$(cd / && env BACKLAB_DB="$RO/d/db" HOME="$RO" XDG_STATE_HOME="$RO" $as "$BACKLAB" --lessons "$ROOT/lessons" --profile "$(id -un)" $c 2>&1)
	rc=$?
	if [ "$rc" -eq 0 ] && ! printf '%s\n' "$out" | grep -q "cannot use your progress\|read-only:.*attempt"; then
		echo "ok experience/readonly_$c"
	else
		echo "not ok experience/readonly_$c (exit $rc)"
		printf '%s\n' "$out" | sed 's/^/    | /' | head -5
	fi
done
# shellcheck disable=SC2086
out=$(cd / && env BACKLAB_DB="$RO/d/db" HOME="$RO" $as "$BACKLAB" --lessons "$ROOT/lessons" --profile "$(id -un)" export 2>/dev/null)
if printf '%s\n' "$out" | grep -q '"type":"attempt"'; then echo "ok experience/readonly_export_has_attempts"; else
	echo "not ok experience/readonly_export_has_attempts"
	printf '%s\n' "$out" | sed 's/^/    | /' | head -5
fi
