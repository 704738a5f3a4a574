#!/bin/sh
# gencourse.sh DIR MODULES LESSONS — write a synthetic course for timings:
# MODULES modules of LESSONS lessons, each lesson about 8 KB with prose,
# examples and three exercises (answer, choice, code), like a real lesson.
set -eu
dir=$1 nmod=$2 nles=$3
para="Prose with *emphasis*, \`inline code\` and a [link](https://example.org/). More words to make a paragraph that wraps over several lines of a terminal, as lessons do."
m=1
while [ "$m" -le "$nmod" ]; do
	md=$(printf '%s/%02d-mod%d' "$dir" "$m" "$m")
	mkdir -p "$md"
	printf -- '---\ntitle: Module %d\nsummary: Synthetic.\n---\n\nIntroduction.\n' "$m" >"$md/module.md"
	l=1
	while [ "$l" -le "$nles" ]; do
		f=$(printf '%s/%02d-les%d.md' "$md" "$l" "$l")
		{
			printf -- '---\ntitle: Lesson %d.%d\nsummary: Synthetic lesson.\nminutes: 10\n---\n\n# Lesson %d.%d\n\n' "$m" "$l" "$m" "$l"
			s=1
			while [ "$s" -le 6 ]; do
				printf '## Step %d\n\n%s\n\n%s\n\n%s\n\n```lua\nlocal t = {}\nfor i = 1, 10 do t[i] = i * i end\nprint(#t)\n```\n\n' "$s" "$para" "$para" "$para"
				s=$((s + 1))
			done
			printf '## Exercise: Compute {#compute}\n\nWhat is 6 x 7?\n\n```lua check\nexpect(answer):trim():equals("42")\n```\n```solution\n42\n```\n```wrong\n41\n```\n\n'
			printf '## Exercise: Choose {#choose}\n\nWhich?\n\n- [ ] one\n- [x] two\n- [ ] three\n\n'
			printf '## Exercise: Build {#build}\n\nReturn a function.\n\n```lua starter\nreturn nil\n```\n```lua check\nexpect(submission):is_type("function")\n```\n```lua solution\nreturn function() end\n```\n```lua wrong\nreturn 1\n```\n'
		} >"$f"
		l=$((l + 1))
	done
	m=$((m + 1))
done
