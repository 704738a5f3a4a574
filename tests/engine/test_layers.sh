#!/bin/sh
# tests/engine/test_layers.sh — the layers of docs/HACKING.md, from every
# #include of the project's C code. Each layer may include only from itself
# and the layers below it:
#
#   base      engine/base/                  libc only
#   concepts  engine/concepts/NAME/ (pure)  base; its own folder; the folders
#                                           its page's `uses:` lists; no Lua
#   lab       engine/lab/, *_lua.c/.h       base, concepts (its own folder and
#                                           those it uses), lab, Lua
#   engine    engine/*.c/.h                 base, concepts, lab, engine, Lua
#   repl      repl/                         everything
#
# One line per file checked ("ok include/FILE" or "not ok include/FILE" with
# the offending lines), so a new file is covered without an edit here.
# Arguments, if any: the files to check (paths from the project's root)
# instead of all of them.
set -u
cd "$(dirname "$0")/../.." || exit 1

uses_of() { # uses_of NAME: the folders engine/concepts/NAME/NAME.md uses
	awk 'NR == 1 && /^---$/ { fm = 1; next } fm && /^---$/ { exit }
	     fm && sub(/^uses:[ \t]*/, "") { print }' "engine/concepts/$1/$1.md" 2>/dev/null |
		tr ',' ' '
}

layer_of() { # layer_of PATH: base, concept, binding, lab, engine, repl or other
	case $1 in
	engine/base/*) echo base ;;
	engine/concepts/*_lua.[ch]) echo binding ;;
	engine/concepts/*) echo concept ;;
	engine/lab/*) echo lab ;;
	engine/*) echo engine ;;
	repl/*) echo repl ;;
	*) echo other ;;
	esac
}

folder_of() { # folder_of PATH under engine/concepts/: NAME
	echo "$1" | sed 's|^engine/concepts/\([^/]*\)/.*|\1|'
}

# check FILE [AS]: prints the lines of FILE (read as if it were at the
# project path AS) that break the rule, if any
check() {
	file=$1
	as=${2:-$1}
	from=$(layer_of "$as")
	own=""
	uses=""
	case $from in concept | binding)
		own=$(folder_of "$as")
		uses=$(uses_of "$own") ;;
	esac
	grep -n '^[ 	]*#[ 	]*include' "$file" | while IFS= read -r line; do
		target=$(echo "$line" | sed -n 's/.*#[ 	]*include[ 	]*\([<"][^>"]*[>"]\).*/\1/p')
		name=$(echo "$target" | tr -d '<>"')
		why=""
		case $target in
		\<*)
			case $name in lua.h | lauxlib.h | lualib.h | luaconf.h)
				case $from in base | concept) why="a pure layer uses Lua" ;; esac ;;
			esac ;;
		*)
			to=$(layer_of "$name")
			case $from:$to in
			base:base) ;;
			base:*) why="base includes only base" ;;
			concept:base | binding:base | lab:base | engine:base) ;;
			concept:concept | binding:concept | binding:binding)
				t=$(folder_of "$name")
				if [ "$t" != "$own" ]; then
					case " $uses " in
					*" $t "*) ;;
					*) why="engine/concepts/$own uses $t, but $own.md's uses: does not list it" ;;
					esac
				fi ;;
			concept:*) why="a concept includes base and concepts only (no lab, no Lua)" ;;
			binding:lab | lab:lab | lab:concept | lab:binding) ;;
			binding:* | lab:*) why="the lab layer includes base, concepts and lab only" ;;
			engine:repl | engine:other) why="the engine does not include the REPL" ;;
			engine:*) ;;
			repl:*) ;;
			esac ;;
		esac
		[ -n "$why" ] && echo "    $as:${line%%:*}: $target: $why"
	done
}

files=${*:-$(find engine repl -name '*.[ch]' | sort)}
for f in $files; do
	out=$(check "$f")
	if [ -n "$out" ]; then
		echo "not ok include/$f"
		echo "$out"
	else
		echo "ok include/$f"
	fi
done

# the check itself: a file breaking each rule is caught
tmp=${TMPROOT:-/tmp}/layers.$$
selftest() { # selftest NAME AS LINE: a file at project path AS holding LINE must fail
	printf '%s\n' "$3" >"$tmp"
	if [ -n "$(check "$tmp" "$2")" ]; then echo "ok layers/catches_$1"; else echo "not ok layers/catches_$1"; fi
}
selftest base_up engine/base/probe.c '#include "engine/lab/lab.h"'
selftest concept_lua engine/concepts/rand/probe.c '#include <lauxlib.h>'
selftest concept_lab engine/concepts/rand/probe.c '#include "engine/lab/labkit.h"'
selftest undeclared engine/concepts/rand/probe.c '#include "engine/concepts/cache/cache.h"'
selftest lab_up engine/lab/probe.c '#include "engine/sandbox.h"'
selftest engine_repl engine/probe.c '#include "repl/repl.h"'
rm -f "$tmp"
