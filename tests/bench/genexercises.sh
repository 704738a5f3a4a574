#!/bin/sh
# genexercises.sh DIR N — write a one-lesson course whose lesson holds N
# typed exercises (each with a check, a solution, a wrong answer and a
# step of prose with an example before it), to time lint per exercise.
set -eu
dir=$1 n=$2
mkdir -p "$dir/01-mod"
printf -- '---\ntitle: Module\nsummary: Synthetic.\n---\n\nIntroduction.\n' >"$dir/01-mod/module.md"
para="Prose with *emphasis*, \`inline code\` and a [link](https://example.org/). More words to make a paragraph that wraps over several lines of a terminal, as lessons do."
{
	printf -- '---\ntitle: Lesson\nsummary: Synthetic lesson.\nminutes: 10\n---\n\n# Lesson\n\n'
	i=1
	while [ "$i" -le "$n" ]; do
		printf '## Step %d\n\n%s\n\n```lua\nlocal t = {}\nfor i = 1, 10 do t[i] = i * i end\nprint(#t)\n```\n\n' "$i" "$para"
		printf '## Exercise: Product %d {#ex%d}\n\nWhat is 6 x 7?\n\n```lua check\nexpect(answer):trim():equals("42", "Multiply.")\n```\n```solution\n42\n```\n```wrong Multiply\n41\n```\n\n' "$i" "$i"
		i=$((i + 1))
	done
} >"$dir/01-mod/01-les.md"
