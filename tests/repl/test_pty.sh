#!/bin/sh
# Real-terminal tests: each tests/repl/pty/NAME.pty script drives backlab on a
# pseudo-terminal through build/tools/ptydrive (see its header for the
# script language). The first line of a script may be "# args: ..." to give
# backlab's arguments; "# workspace: more/third/double.lua=FILE" lines copy
# FILE into the workspace first; "# env: EDITOR=..." sets the editor;
# "# command: ..." runs a shell command line (with $BACKLAB) instead.
set -u
for script in tests/repl/pty/*.pty; do
	name=$(basename "$script" .pty)
	args=$(sed -n '1s/^# args: //p' "$script")
	db="$TMPROOT/pty-$name.db"
	rm -f "$db"
	# "# workspace: EXERCISE-PATH=FILE" lines put files in the workspace first
	ws="$TMPROOT/pty-ws-$name"
	rm -rf "$ws"
	sed -n 's/^# workspace: //p' "$script" | while IFS='=' read -r dest src; do
		mkdir -p "$(dirname "$ws/$dest")" && cp "$src" "$ws/$dest"
	done
	# "# env: NAME=VALUE" lines set the environment; "# command: ..." runs a
	# shell command line instead of backlab itself ($BACKLAB is backlab)
	editor=$(sed -n 's/^# env: EDITOR=//p' "$script")
	command=$(sed -n 's/^# command: //p' "$script")
	[ -n "$command" ] || command='exec "$BACKLAB" '"$args"
	# shellcheck disable=SC2086
	if out=$(WS="$ws" BACKLAB_DB="$db" BACKLAB_WORKSPACE="$ws" EDITOR="$editor" \
		"$BUILD/tools/ptydrive" -c 80 -r 30 -- sh -c "$command" <"$script" 2>&1); then
		echo "ok pty/$name"
	else
		echo "not ok pty/$name"
		printf '%s\n' "$out" | sed 's/^/    /' | tail -40
	fi
done

# line history is kept under $XDG_STATE_HOME/backlab/ across sessions
if grep -q "^open.040intro/second" "${XDG_STATE_HOME:-$HOME/.local/state}/backlab/history" 2>/dev/null; then
	echo "ok pty/history_saved"
else
	echo "not ok pty/history_saved"
fi
