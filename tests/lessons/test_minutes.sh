#!/bin/sh
# A lesson's `minutes:` covers its reading and its exercises (review 1 of
# caching and traffic found lessons longer than they said). The floor:
# prose at 200 words a minute, 3 minutes an exercise, 10 more a build
# exercise (one with a starter). Checked for the modules reviewed so far.
set -u
for f in lessons/05-caching/[0-9]*.md lessons/08-traffic/[0-9]*.md lessons/06-apis/0[1-9]-*.md lessons/02-os/[0-9]*.md; do
	m=$(sed -n 's/^minutes: *//p' "$f")
	w=$(awk '/^(```|~~~)/ { fence = !fence; next } !fence' "$f" | wc -w)
	ex=$(grep -c '^## Exercise' "$f")
	b=$(grep -c '^```\(lua \)\{0,1\}starter' "$f")
	need=$((w / 200 + ex * 3 + b * 10))
	if [ -n "$m" ] && [ "$m" -ge "$need" ]; then
		echo "ok minutes/$f ($m >= $need)"
	else
		echo "not ok minutes/$f: minutes: ${m:-none}, but $w words, $ex exercises ($b to build) need $need"
	fi
done
