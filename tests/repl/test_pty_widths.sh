#!/bin/sh
# The terminal at every width: on a real terminal of 40, 80, 100 and 120
# columns, every screen of the welcome module (each step of each lesson,
# hints, wrong and unreadable answers, choice explanations, the listings,
# help, progress, history, the Lua prompt and lab.help()) fits: no line is
# wider than the terminal, so the terminal never breaks a word.
set -u
ids=$(BACKLAB_DB="$TMPROOT/widths-ids.db" "$BACKLAB" --lessons lessons progress welcome --json |
	grep -o '"id":"welcome/[a-z-]*/[a-z-]*"' | sed 's/"id":"\(.*\)"/\1/')
[ -n "$ids" ] || echo "not ok widths/welcome_exercises_found"
# the steps: each lesson's opening and each ## section
steps=$(for f in lessons/00-welcome/0*.md; do echo 1; grep -c '^## ' "$f"; done | awk '{n += $1} END {print n}')
# the choice exercises of the course and how many choices each has
choices=$(for f in lessons/*/[0-9]*.md; do
	m=$(basename "$(dirname "$f")"); l=$(basename "$f" .md)
	awk -v p="${m#*-}/${l#*-}" '
		/^## / { if (id && n) print p "/" id, n; id = ""; n = 0
			if ($0 ~ /^## Exercise:.*\{#[a-z0-9_-]+\}/) { id = $0; sub(/.*\{#/, "", id); sub(/\}.*/, "", id) } }
		id && /^- \[[ xX]\] / { n++ }
		END { if (id && n) print p "/" id, n }' "$f"
done)
[ -n "$choices" ] || echo "not ok widths/choices_found"
for cols in 40 80 100 120; do
	script="$TMPROOT/widths-$cols.pty"
	db="$TMPROOT/widths-$cols.db"
	rm -f "$db"*
	{
		echo 'expect "> "'
		echo 'send "open welcome/tour\r"'
		echo 'expect "> "'
		i=0
		while [ "$i" -lt "$steps" ]; do
			# at an exercise: a hint, an answer it cannot read, a wrong one
			echo 'send "hint\r"'
			echo 'expect "> "'
			echo 'send "answer z\r"'
			echo 'expect "> "'
			echo 'send "answer 7\r"'
			echo 'expect "> "'
			echo 'send "next\r"'
			echo 'expect "> "'
			i=$((i + 1))
		done
		# (from a short prompt, so that what is typed fits the line too)
		echo 'send "open welcome/tour\r"'
		echo 'expect "> "'
		for c in help lessons "lessons all" modules progress "progress welcome" \
			"progress welcome/lab" history "help reset" "help lab" "help lab plot" \
			"= lab.help()" "= lab.help('plot')" "open lua" ne ne ne ne ne ne ne ne edit check \
			"lua" "= 1 + 1" "io.write('x')" "." "run 1"; do
			printf 'send "%s\\r"\n' "$c"
			echo 'expect "> "'
		done
		echo 'send "\x04"'
		# then, from the shell on the same terminal: every choice of every
		# welcome exercise (explanations), and the CLI's own messages
		echo 'expect "CLI DONE" 120'
		echo "maxwidth $cols"
	} >"$script"
	{
		echo 'set -u'
		echo "B=\"$BACKLAB\""
		echo "\"$BACKLAB\" --lessons lessons"
		for id in $ids; do
			for a in a b c; do echo "\"$BACKLAB\" --lessons lessons check $id --answer $a"; done
		done
		if [ "$cols" = 100 ]; then
			# where the terminal is as wide as the renderer goes: the
			# explanations of every choice of the course, all letters at once
			printf '%s\n' "$choices" | while read -r id n; do
				[ -n "$id" ] || continue
				letters=$(echo "a b c d e f g h i j" | cut -d' ' -f1-"$n")
				echo "\"$BACKLAB\" --lessons lessons check $id --answer '$letters'"
			done
		fi
		echo "\"$BACKLAB\" --lessons lessons history"
		echo "\"$BACKLAB\" --lessons lessons progress welcome"
		echo "\"$BACKLAB\" --lessons lessons --help"
		echo "\"$BACKLAB\" --lessons lessons show welcome/exercises"
		echo 'echo CLI DONE'
	} >"$TMPROOT/widths-$cols.sh"
	if out=$(BACKLAB_DB="$db" BACKLAB_WORKSPACE="$TMPROOT/widths-ws-$cols" EDITOR=true \
		"$BUILD/tools/ptydrive" -c "$cols" -r 40 -- sh "$TMPROOT/widths-$cols.sh" <"$script" 2>&1); then
		echo "ok widths/$cols"
	else
		echo "not ok widths/$cols"
		printf '%s\n' "$out" | grep -A12 "lines wider\|script line" | sed 's/^/    /' | head -30
	fi
done
