#!/bin/sh
# Every example in the docs works against the bundled course:
#  - every id of the bundled course named in the README, the man page, the
#    authoring guide and every `help` text (of the REPL and of the shell)
#    exists: a token module/lesson[/exercise] whose module is one of the
#    course's must be one of its lessons or exercises;
#  - every `backlab ...` command shown in a shell block of the README and the
#    authoring guide, and in the man page's EXAMPLES, runs: no usage error
#    (exit 2), no unknown id;
#  - the README's sample `progress` counts are the course's.
set -u
ROOT=$(pwd)
RUN="$TMPROOT/doc-examples"
rm -rf "$RUN" && mkdir -p "$RUN"
# the bundled course is this tree's (a binary elsewhere, as under make asan,
# would look beside itself)
export BACKLAB_DB="$RUN/progress.db" BACKLAB_WORKSPACE="$RUN/ws" COLUMNS=80
export BACKLAB_LESSONS="$ROOT/lessons"

json=$("$BACKLAB" --lessons "$ROOT/lessons" progress --json)
ids=$(printf '%s\n' "$json" | grep -o '"id":"[^"]*"' | sed 's/"id":"\(.*\)"/\1/' | sort -u)
modules=$(printf '%s\n' "$ids" | grep -v /)
[ -n "$modules" ] || echo "not ok docs/course_ids_found"

# the texts: the docs, then every help text
texts="$RUN/texts"
mkdir -p "$texts"
cp README.md docs/authoring.md "$texts/"
sed 's/\\-/-/g; s/\\f[BIRP]//g' docs/backlab.1 >"$texts/backlab.1"
"$BACKLAB" --help >"$texts/help-cli" 2>&1
cmds=$("$BACKLAB" --help | sed -n 's/^  \([a-z][a-z]*\).*/\1/p')
for c in $cmds; do "$BACKLAB" help "$c" >>"$texts/help-cli" 2>&1; done
repl_cmds=$(printf 'help\n' | "$BACKLAB" --lessons "$ROOT/lessons" 2>&1 | sed -n 's/^  \([a-z][a-z]*\)\( .*\)\{0,1\}$/\1/p' | sort -u)
[ -n "$repl_cmds" ] || echo "not ok docs/repl_help_lists_commands"
for c in $repl_cmds; do printf 'help %s\n' "$c"; done | "$BACKLAB" --lessons "$ROOT/lessons" >"$texts/help-repl" 2>&1
"$BACKLAB" help lab >>"$texts/help-cli" 2>&1

# ids: tokens whose first part is a module of the course
for f in "$texts"/*; do
	name=$(basename "$f")
	bad=""
	# (what follows `new` is a lesson to be made, and a line with --lessons
	# speaks of another course: neither need exist in this one)
	for tok in $(sed 's/new [a-z0-9_/-]*//g; /--lessons/d' "$f" | grep -o '[a-z][a-z0-9_-]*/[a-z][a-z0-9_-]*\(/[a-z][a-z0-9_-]*\)\{0,1\}' | sort -u); do
		mod=${tok%%/*}
		printf '%s\n' "$modules" | grep -qx "$mod" || continue
		printf '%s\n' "$ids" | grep -qx "$tok" || bad="$bad $tok"
	done
	if [ -z "$bad" ]; then echo "ok docs/ids_exist/$name"; else echo "not ok docs/ids_exist/$name:$bad"; fi
done

# commands: shell blocks of the README and the guide, the man page's EXAMPLES
extract() { # the `backlab ...` lines of the ```sh blocks of $1
	awk '/^```sh/ {on = 1; next} /^```/ {on = 0} on && /^backlab / {print}' "$1"
}
{
	extract README.md
	extract docs/authoring.md
	sed -n '/^\.SH EXAMPLES/,/^\.SH /p' "$texts/backlab.1" | grep '^backlab'
} | sed 's/ *#.*$//' | tr ';' '\n' | sed 's/^ *//; s/ *$//' | grep '^backlab' >"$RUN/commands"
n=$(wc -l <"$RUN/commands")
[ "$n" -ge 15 ] && echo "ok docs/commands_found ($n)" || echo "not ok docs/commands_found ($n)"
ln -s "$ROOT/lessons" "$RUN/lessons"
i=0
while IFS= read -r line; do
	i=$((i + 1))
	# the files a command names: any Lua file that is not there yet is made
	for w in $line; do
		case $w in *.lua) [ -e "$RUN/$w" ] || echo 'return {}' >"$RUN/$w" ;; esac
	done
	# shellcheck disable=SC2086
	out=$(cd "$RUN" && set -- ${line#backlab} && "$BACKLAB" "$@" </dev/null 2>&1)
	rc=$?
	if [ "$rc" -eq 2 ] || printf '%s\n' "$out" | grep -q "no lesson '\|no exercise '\|no module '\|unknown command\|unknown option\|no such file\|cannot open the course"; then
		echo "not ok docs/command_$i: $line (exit $rc)"
		printf '%s\n' "$out" | head -5 | sed 's/^/    | /'
	else
		echo "ok docs/command_$i: $line"
	fi
done <"$RUN/commands"

# the README's sample progress is what the course counts: the welcome
# module's exercises exactly, and a total that is the sum of the module lines
# shown (the other modules grow as lessons are added; the README shows them
# as they were when it was written)
welcome=$(printf '%s\n' "$json" | grep -o '{"id":"welcome","exercises":[0-9]*' | grep -o '[0-9]*$')
if grep -q "^  welcome  *[^ ]* [0-9]*/$welcome\b" README.md; then echo "ok docs/readme_progress_welcome"; else
	echo "not ok docs/readme_progress_welcome: welcome has $welcome exercises"
	grep -n "^  welcome" README.md | sed 's/^/    | /'
fi
total=$(sed -n 's/^ada: [0-9]* of \([0-9]*\) exercises passed.*/\1/p' README.md)
sum=$(sed -n '/^ada: /,/^`progress/p' README.md | sed -n 's|^  [a-z-]*  *[^ ]* [0-9]*/\([0-9]*\).*|\1|p' | awk '{s += $1} END {print s + 0}')
if [ -n "$total" ] && [ "$total" -eq "$sum" ]; then echo "ok docs/readme_progress_total"; else
	echo "not ok docs/readme_progress_total: the header says ${total:-nothing}, the modules add up to $sum"
fi
