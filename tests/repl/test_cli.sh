#!/bin/sh
# The command line: exit statuses, output, and the JSON forms.
set -u
C="--lessons tests/fixtures/course --profile tester"
export BACKLAB_DB="$TMPROOT/cli.db"
rm -f "$BACKLAB_DB"* "$TMPROOT/other.db"*
F=tests/fixtures/files

t() { # t NAME WANT-STATUS COMMAND... : runs it, keeps its output in $out
	name=$1 want=$2
	shift 2
	out=$("$@" 2>&1)
	rc=$?
	if [ "$rc" -eq "$want" ]; then
		return 0
	fi
	echo "not ok cli/$name (exit $rc, wanted $want)"
	printf '%s\n' "$out" | sed 's/^/    | /' | head -20
	return 1
}
has() { # has NAME TEXT : $out contains TEXT
	if printf '%s\n' "$out" | grep -qF -- "$2"; then echo "ok cli/$1"; else
		echo "not ok cli/$1: no '$2' in"
		printf '%s\n' "$out" | sed 's/^/    | /' | head -20
	fi
}

t version 0 "$BACKLAB" --version && has version "backlab "
t help 0 "$BACKLAB" --help && has help_lists_check "check [EXERCISE] [--answer TEXT | --file PATH]"
# help lab NAME on the command line lists the lessons that use lab.NAME
t help_lab_uses 0 "$BACKLAB" --lessons lessons help lab cache && has help_lab_uses "caching/basics"
t help_lab_unused 0 "$BACKLAB" $C help lab cache && has help_lab_unused "No lesson of this course uses lab.cache."
t unknown_command 2 "$BACKLAB" chek && has unknown_command_suggests "did you mean 'check'?"
t unknown_option 2 "$BACKLAB" --frobnicate && has unknown_option "unknown option '--frobnicate'"
t list 0 "$BACKLAB" $C list && has list_modules "intro"
t list_module 0 "$BACKLAB" $C list intro && has list_lessons "intro/second"
t list_bad 2 "$BACKLAB" $C list nosuch && has list_bad "no module 'nosuch'"
t show 0 "$BACKLAB" $C show intro/first && has show_renders "What is six times seven?"
if printf '%s' "$out" | grep -q "$(printf '\033')"; then echo "not ok cli/show_piped_no_escapes"; else echo "ok cli/show_piped_no_escapes"; fi
if printf '%s' "$out" | grep -q "expect(answer)"; then echo "not ok cli/show_hides_checks"; else echo "ok cli/show_hides_checks"; fi
t show_bad 2 "$BACKLAB" $C show nosuch && has show_bad "no lesson 'nosuch'"

# check: exit 0 passed, 1 failed, 2 error
t check_right 0 "$BACKLAB" $C check intro/first/answer --answer 42 && has check_right "intro/first/answer: passed"
t check_wrong 1 "$BACKLAB" $C check intro/first/answer --answer 41 && has check_wrong_feedback "Multiply"
t check_choice 0 "$BACKLAB" $C check intro/second/pick --answer B
t check_choice_wrong 1 "$BACKLAB" $C check intro/second/pick --answer a && has check_choice_explains "b is a consonant"
t check_bad_id 2 "$BACKLAB" $C check intro/first/nope --answer 1 && has check_bad_id "no exercise 'nope' in intro/first"
t check_no_answer 2 "$BACKLAB" $C check intro/first/answer
t check_usage 2 "$BACKLAB" $C check intro/first/answer --answer 1 --file x
t check_code_good 0 "$BACKLAB" $C check more/third/double --file $F/double-good.lua
t check_code_bad 1 "$BACKLAB" $C check more/third/double --file $F/double-bad.lua --seed 77 && has check_code_names_case "it should be"
first=$out
t check_seed_replay 1 "$BACKLAB" $C check more/third/double --file $F/double-bad.lua --seed 77
if [ "$out" = "$first" ]; then echo "ok cli/check_seed_replays_same_feedback"; else echo "not ok cli/check_seed_replays_same_feedback"; fi
t check_code_error 1 "$BACKLAB" $C check more/third/double --file $F/error.lua && has check_code_error_line "error.lua:2:"
t check_code_loop 1 "$BACKLAB" $C check more/third/double --file $F/loop.lua && has check_code_timeout "timed out"
t check_missing_file 2 "$BACKLAB" $C check more/third/double --file $F/none.lua
t check_json 1 "$BACKLAB" $C check intro/first/answer --answer 41 --seed 9 --json
has check_json_fields '"exercise":"intro/first/answer","passed":false,"score":0,"status":"fail"'
has check_json_seed '"seed":9'
t check_broken_lesson 2 "$BACKLAB" --lessons tests/fixtures/lint --profile tester check m/mistakes/broken --answer x

# run
printf 'print("hello from " .. _VERSION)\nreturn 1\n' >"$TMPROOT/hello.lua"
t run 0 "$BACKLAB" run "$TMPROOT/hello.lua" && has run_prints "hello from Lua 5.4"
printf 'print(io)\nprint(os.getenv)\nprint(lab.rand.new(1):int(6))\n' >"$TMPROOT/sandboxed.lua"
t run_sandboxed 0 "$BACKLAB" run "$TMPROOT/sandboxed.lua" && has run_no_io "nil"
t run_error 1 "$BACKLAB" run $F/error.lua && has run_error_line "error.lua:2:"

# progress, reset, restore, export, import
t progress 0 "$BACKLAB" $C progress && has progress_counts "tester: 3 of 3 exercises passed"
t progress_json 0 "$BACKLAB" $C progress --json
j1=$out
t progress_json_again 0 "$BACKLAB" $C progress --json
if [ "$out" = "$j1" ]; then echo "ok cli/progress_json_deterministic"; else echo "not ok cli/progress_json_deterministic"; fi
has progress_json_shape '{"profile":"tester","exercises":3,"passed":3'
t reset_needs_yes 2 "$BACKLAB" $C reset intro </dev/null && has reset_needs_yes "add --yes"
t reset_bad_target 2 "$BACKLAB" $C reset intro/nothing --yes
t reset 0 "$BACKLAB" $C reset intro --yes && has reset_says_what "Reset intro: 2 completions"
t progress_after_reset 0 "$BACKLAB" $C progress && has progress_after_reset "tester: 1 of 3"
t restore 0 "$BACKLAB" $C restore intro
t progress_restored 0 "$BACKLAB" $C progress --json
if [ "$out" = "$j1" ]; then echo "ok cli/reset_restore_round_trip"; else echo "not ok cli/reset_restore_round_trip"; fi
t history 0 "$BACKLAB" $C history intro/first/answer && has history_lists "intro/first/answer"
t export 0 "$BACKLAB" $C export "$TMPROOT/export.jsonl"
t import 0 "$BACKLAB" $C --db "$TMPROOT/other.db" import "$TMPROOT/export.jsonl"
t progress_imported 0 "$BACKLAB" $C --db "$TMPROOT/other.db" progress --json
if [ "$out" = "$j1" ]; then echo "ok cli/export_import_same_progress"; else echo "not ok cli/export_import_same_progress"; fi
t import_twice 0 "$BACKLAB" $C --db "$TMPROOT/other.db" import "$TMPROOT/export.jsonl" && has import_twice_adds_nothing "Records: 0 added"
printf 'not json\n' >"$TMPROOT/bad.jsonl"
t import_bad 2 "$BACKLAB" $C --db "$TMPROOT/other.db" import "$TMPROOT/bad.jsonl" && has import_bad_line "bad.jsonl:1:"

# a database that is not ours is refused and left alone
printf 'my notes\n' >"$TMPROOT/notes.txt"
cp "$TMPROOT/notes.txt" "$TMPROOT/notes.orig"
t bad_db 2 "$BACKLAB" $C --db "$TMPROOT/notes.txt" progress && has bad_db_message "not a backlab progress database"
if cmp -s "$TMPROOT/notes.txt" "$TMPROOT/notes.orig"; then echo "ok cli/bad_db_untouched"; else echo "not ok cli/bad_db_untouched"; fi

# new: a skeleton that lint accepts as it is
NC="$TMPROOT/newcourse"
rm -rf "$NC" && mkdir -p "$NC"
t new 0 "$BACKLAB" --lessons "$NC" new caching/my-lru && has new_creates_module "module.md"
t new_second 0 "$BACKLAB" --lessons "$NC" new caching/other && has new_numbers "02-other.md"
t new_lints_clean 0 "$BACKLAB" --lessons "$NC" lint && has new_lints_clean "2 lessons, 6 exercises"
t new_exists 2 "$BACKLAB" --lessons "$NC" new caching/my-lru && has new_exists "already exists"
t new_bad_id 2 "$BACKLAB" --lessons "$NC" new "Caching LRU"

# stale: a pass that an older check gave and the new one refuses is shown as
# stale, by progress and lint (a pass the new check still gives is kept:
# tests/repl/test_reset.sh)
SC="$TMPROOT/stalecourse"
rm -rf "$SC" && cp -R tests/fixtures/course "$SC"
export BACKLAB_DB="$TMPROOT/stale.db"
rm -f "$BACKLAB_DB"*
t stale_pass 0 "$BACKLAB" --lessons "$SC" --profile s check intro/first/answer --answer 42
t stale_not_yet 0 "$BACKLAB" --lessons "$SC" --profile s progress intro/first && has stale_not_yet "passed, 1 attempt"
sed -i -e 's/equals("42", "Multiply: 6 × 7.")/equals("43", "Multiply six by seven, plus one.")/' -e '/^```solution/{n;s/^42$/43/}' "$SC/01-intro/01-first.md"
t stale_progress 0 "$BACKLAB" --lessons "$SC" --profile s progress intro/first && has stale_progress "stale"
t stale_lint 0 "$BACKLAB" --lessons "$SC" --profile s lint && has stale_lint "note: s has passed 1 exercise under an older version of its check (stale; answer again to update): intro/first/answer"
t stale_repass 0 "$BACKLAB" --lessons "$SC" --profile s check intro/first/answer --answer 43
t stale_gone 0 "$BACKLAB" --lessons "$SC" --profile s progress --json && has stale_gone '"stale":0'
t lint_no_db_created 0 "$BACKLAB" --lessons "$SC" --db "$TMPROOT/never.db" lint
if [ -e "$TMPROOT/never.db" ]; then echo "not ok cli/lint_creates_no_database"; else echo "ok cli/lint_creates_no_database"; fi

# the REPL resumes where the learner left off
export BACKLAB_DB="$TMPROOT/resume.db"
rm -f "$BACKLAB_DB"*
printf 'open second\nnext\nquit\n' | "$BACKLAB" $C >/dev/null 2>&1
out=$(printf 'quit\n' | "$BACKLAB" $C 2>&1)
has resume "Welcome back. You were at intro/second, step 2 of 2."
has resume_prompt "intro/second 2/2 a-c> quit"
out=$(printf 'quit\n' | "$BACKLAB" $C --profile someone-else 2>&1)
has resume_per_profile "Welcome to backlab."
t check_lists_exercises 2 "$BACKLAB" $C check intro/first/nope --answer 1 && has check_lists_exercises "(its exercises: answer)"

# what code prints reaches the terminal with its control characters shown,
# never obeyed; `backlab run` into a pipe writes the bytes as they are
export BACKLAB_DB="$TMPROOT/escape.db"
ESC=$(printf '\033')
noesc() { # noesc NAME : $out holds no ESC or BEL byte
	if printf '%s' "$out" | grep -q "[$ESC$(printf '\007')]"; then echo "not ok cli/$1 (a raw control byte)"; else echo "ok cli/$1"; fi
}
t check_output_escaped 1 "$BACKLAB" $C check more/third/double --file $F/escape.lua
has check_output_labelled "Your code printed:"
has check_output_shown '\27]52;c;aGk=\7\27[2Jend'
noesc check_output_no_raw_escape
t run_pipe_raw 0 "$BACKLAB" run $F/escape.lua
if [ "$out" = "$(printf '\033]52;c;aGk=\007\033[2Jend')" ]; then echo "ok cli/run_pipe_raw_bytes"; else echo "not ok cli/run_pipe_raw_bytes"; fi
out=$(printf 'lua\nprint("\\27[2J" .. "x")\nsetmetatable({}, {__tostring = function() while true do end end})\n.\nquit\n' | "$BACKLAB" $C 2>&1)
has lua_prompt_escaped '\27[2Jx'
noesc lua_prompt_no_raw_escape
has tostring_bounded "showing the result took too long: its __tostring was stopped"

# `run N` shows a lesson example's result under the same bound: a
# __tostring that loops is stopped at the lesson's time limit
RC="$TMPROOT/runcourse"
rm -rf "$RC" && cp -R tests/fixtures/course "$RC"
sed -i 's/^minutes: 5$/minutes: 5\ntimeout: 1/; s/^return 6 \* 7$/return setmetatable({}, {__tostring = function() while true do end end})/' \
	"$RC/01-intro/01-first.md"
export BACKLAB_DB="$TMPROOT/runn.db"
out=$(printf 'run 1\nrun 2\nquit\n' | timeout 300 "$BACKLAB" --lessons "$RC" 2>&1)
if [ $? -ne 124 ]; then echo "ok cli/run_n_tostring_finishes"; else echo "not ok cli/run_n_tostring_finishes (hung)"; fi
has run_n_tostring_bounded "showing the result took too long: its __tostring was stopped"
has run_n_lives_on "x is 1"

# a lesson that is a FIFO (or any file that is not a regular one) is
# reported, never opened to wait for a writer: every command finishes
FC="$TMPROOT/fifocourse"
rm -rf "$FC" && cp -R tests/fixtures/course "$FC"
mkfifo "$FC/01-intro/03-fifo.md" "$FC/02-more/module.md.fifo"
rm "$FC/02-more/module.md" && mv "$FC/02-more/module.md.fifo" "$FC/02-more/module.md"
export BACKLAB_DB="$TMPROOT/fifo.db"
for cmd in list progress "show intro/first" lint; do
	# shellcheck disable=SC2086
	out=$(timeout 300 "$BACKLAB" --lessons "$FC" $cmd 2>&1)
	if [ $? -ne 124 ]; then echo "ok cli/fifo_${cmd%% *}_finishes"; else echo "not ok cli/fifo_${cmd%% *}_finishes (hung)"; fi
done
has fifo_lint_says "03-fifo.md: cannot read the file: it is a FIFO (named pipe), not a regular file"
out=$(printf 'list\nquit\n' | timeout 300 "$BACKLAB" --lessons "$FC" 2>&1)
if [ $? -ne 124 ]; then echo "ok cli/fifo_repl_finishes"; else echo "not ok cli/fifo_repl_finishes (hung)"; fi

# paths named on the command line (check --file, run, import, export) are
# opened only if they are regular files, never waiting for a FIFO's writer
# or reader, nor writing into a device
export BACKLAB_DB="$TMPROOT/fifo.db"
mkfifo "$TMPROOT/pipe"
for target in "$TMPROOT/pipe:FIFO (named pipe)" "/dev/zero:device" "$TMPROOT:folder"; do
	p=${target%%:*} kind=${target#*:}
	for cmd in "check more/third/double --file" "check intro/first/answer --file" run import \
		export; do
		# shellcheck disable=SC2086
		out=$(timeout 300 "$BACKLAB" $C $cmd "$p" 2>&1)
		rc=$?
		out=$(printf '%s' "$out" | tr '\n' ' ') # the message wraps
		name="nonregular_$(echo "${cmd%% --*}_$kind" | tr ' /()' '____')"
		if [ "$rc" -eq 2 ] || { [ "$rc" -eq 1 ] && [ "$cmd" = run ]; }; then
			has "$name" "it is a $kind, not a regular file"
		else
			echo "not ok cli/$name (exit $rc$([ $rc -eq 124 ] && echo ': hung'))"
		fi
	done
done
out=$(printf '' | "$BACKLAB" $C import - 2>&1) && has import_stdin_pipe "Imported -: 0 lines."
out=$("$BACKLAB" $C --db "$TMPROOT/cli.db" export - | cat) &&
	has export_stdout_pipe '"type":"attempt","learner":"tester"'


# a typed answer longer than an attempt may hold (4 MiB, as a file) is not
# graded nor recorded: it used to be, and its export line could then pass
# import's cap
export BACKLAB_DB="$TMPROOT/bigans.db"
rm -f "$BACKLAB_DB"*
{
	printf 'open intro/first/answer\n'
	head -c 5242880 /dev/zero | tr '\0' 4
	printf '\nanswer '
	head -c 4194300 /dev/zero | tr '\0' 4
	printf '\nquit\n'
} >"$TMPROOT/bigans.txt"
out=$("$BACKLAB" $C <"$TMPROOT/bigans.txt" 2>&1 | cut -c1-200)
has big_answer_refused "This answer is 5.0 MiB long; one may be at most 4 MiB."
n=$("$BACKLAB" $C export - | grep -c '"type":"attempt"')
if [ "$n" -eq 1 ]; then echo "ok cli/big_answer_not_recorded"; else echo "not ok cli/big_answer_not_recorded ($n attempts, wanted 1: the 4 MiB one)"; fi
