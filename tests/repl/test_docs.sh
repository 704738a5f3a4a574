#!/bin/sh
# The docs keep up with the command table: every command of `backlab --help`
# has an entry in the man page, and the README shows the two commands.
set -u
cmds=$("$BACKLAB" --help | sed -n 's/^  \([a-z][a-z]*\).*/\1/p')
for c in $cmds; do
	if grep -q "^\.B[RI]* $c\b\|^\.B[RI]* \"$c\"" docs/backlab.1; then echo "ok docs/man_has_$c"; else echo "not ok docs/man_has_$c"; fi
done
for c in "make run" "make test"; do
	if grep -q "$c" README.md; then echo "ok docs/readme_shows_${c#make }"; else echo "not ok docs/readme_shows_${c#make }"; fi
done
# the page renders without a warning (groff is what man uses; either will do)
if command -v groff >/dev/null 2>&1; then
	warn=$(groff -man -Tutf8 -ww -z docs/backlab.1 2>&1)
	if [ $? -eq 0 ] && [ -z "$warn" ]; then echo "ok docs/man_renders"; else
		echo "not ok docs/man_renders"
		printf '%s\n' "$warn" | sed 's/^/    | /' | head -10
	fi
elif command -v man >/dev/null 2>&1; then
	if man -l docs/backlab.1 >/dev/null 2>&1; then echo "ok docs/man_renders"; else echo "not ok docs/man_renders"; fi
else
	echo "skip docs/man_renders: neither groff nor man is installed"
fi
