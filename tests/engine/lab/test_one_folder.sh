#!/bin/sh
# tests/engine/lab/test_one_folder.sh — docs/HACKING.md's walk-through, done
# by the letter: a new namespace is one folder.
#
# The files the walk-through shows (each a line `PATH`: and the fenced block
# after it) are written into a copy of the tree, which is then built on top
# of the objects already built (their timestamps kept). The test checks that
#   - every file it shows lies in engine/concepts/topk/ or its test folder
#     tests/engine/concepts/topk/ (or is the demo it runs);
#   - the build compiles the new folder and the generated registry, nothing
#     else, and links;
#   - `help lab` lists the namespace, `help lab topk` shows its page with the
#     options expanded from the binding's spec;
#   - every `CMD` prints: line of the walk-through, run in the copy, prints
#     exactly the block after it;
#   - the layer test, the help-coverage test and the namespace's own tests
#     (found by name) pass in the copy;
#   - `make docs` derives the reference from the page: it adds
#     docs/lab/topk.md and the namespace's row in docs/lab/README.md, and
#     changes nothing else in docs/;
#   - without its page, the folder is no namespace (the registry is made
#     from the pages).
# Needs the tree built (make test does it first).
set -u
ROOT=$(pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac
COPY="$TMPROOT/one-folder"
DOC="$ROOT/docs/HACKING.md"
rm -rf "$COPY" && mkdir -p "$COPY/build/tools" "$COPY/tests/engine/lab" "$COPY/tests/tools"
unset MAKEFLAGS MFLAGS MAKELEVEL

if [ ! -f "$BUILD/gen/flags.txt" ] || [ ! -f "$BUILD/libengine.a" ]; then
	echo "not ok one_folder/built: build the tree first (make test)"
	exit 0
fi

# the sources (mtimes kept), and what is built from them
cp -p Makefile VERSION "$COPY/"
cp -Rp mk engine repl "$COPY/"
cp -Rp tests/unit.h tests/run.sh tests/lib "$COPY/tests/"
mkdir -p "$COPY/docs" && cp -Rp docs/lab "$COPY/docs/"
cp -p tests/tools/labrun.c "$COPY/tests/tools/"
cp -p tests/engine/test_layers.sh "$COPY/tests/engine/"
cp -p tests/engine/lab/test_help.c "$COPY/tests/engine/lab/"
cp -Rp "$BUILD/obj" "$BUILD/gen" "$BUILD/deps.mk" "$COPY/build/"
cp -p "$BUILD/tools/embed" "$BUILD/tools/registry" "$COPY/build/tools/"
cflags=$(sed -n 1p "$BUILD/gen/flags.txt")
ldflags=$(sed -n 2p "$BUILD/gen/flags.txt")

# the walk-through's files: a line `PATH`: then a fenced block (``` or ````)
awk -v out="$COPY/files.list" -v dir="$COPY" '
	/^`[^`]+`:$/ && !fence { path = substr($0, 2, length($0) - 3); next }
	!fence && /^```/ {
		if (path == "") next
		match($0, /^`+/); fence = substr($0, 1, RLENGTH)
		file = dir "/" path; print path >> out
		system("mkdir -p \"$(dirname \"" file "\")\"")
		printf "" > file; next
	}
	fence && $0 == fence { close(file); fence = ""; path = ""; next }
	fence { print > file }
	!fence && NF { path = "" }
' "$DOC"
n=$(wc -l <"$COPY/files.list" 2>/dev/null || echo 0)
[ "$n" -ge 6 ] && echo "ok one_folder/files_shown ($n)" || echo "not ok one_folder/files_shown ($n)"
bad=""
while IFS= read -r f; do
	case $f in
	engine/concepts/topk/* | tests/engine/concepts/topk/* | demo.lua) ;;
	*) bad="$bad $f" ;;
	esac
done <"$COPY/files.list"
[ -z "$bad" ] && echo "ok one_folder/only_the_folder" || echo "not ok one_folder/only_the_folder:$bad"

# the build: the new folder and the registry compiled, nothing else
build() { # build TARGET...: make in the copy, output in $COPY/make.log
	(cd "$COPY" && make BUILD=build BIN=backlab CFLAGS="$cflags" LDFLAGS="$ldflags" "$@") \
		>"$COPY/make.log" 2>&1
}
if build backlab build/tools/labrun build/tests/engine/lab/test_help \
	build/tests/engine/concepts/topk/test_topk; then
	echo "ok one_folder/builds"
else
	echo "not ok one_folder/builds"
	sed 's/^/    | /' "$COPY/make.log" | tail -20
	exit 0
fi
compiled=$(sed -n 's/.* -c -o \([^ ]*\) .*/\1/p' "$COPY/make.log" | sort | tr '\n' ' ')
want="build/gen/lab_registry.o build/obj/engine/concepts/topk/topk.o build/obj/engine/concepts/topk/topk_lua.o "
if [ "$compiled" = "$want" ]; then
	echo "ok one_folder/compiles_only_the_folder"
else
	echo "not ok one_folder/compiles_only_the_folder"
	echo "    compiled: $compiled"
	echo "    expected: $want (is the tree built? make test builds it)"
fi

B="$COPY/backlab"
export BACKLAB_DB="$COPY/progress.db" BACKLAB_WORKSPACE="$COPY/ws"
summary=$(sed -n 's/^summary: //p' "$COPY/engine/concepts/topk/topk.md")
if "$B" help lab 2>&1 | grep -qF "lab.topk"; then
	"$B" help lab 2>&1 | tr '\n' ' ' | tr -s ' ' | grep -qF "$(echo "$summary" | cut -c1-30)" &&
		echo "ok one_folder/help_lists_it" || echo "not ok one_folder/help_lists_it (summary)"
else
	echo "not ok one_folder/help_lists_it"
fi
page=$("$B" help lab topk 2>&1)
if printf '%s\n' "$page" | grep -q 'lab.topk.stream options (defaults)' &&
	printf '%s\n' "$page" | grep -q 'seed of the draws'; then
	echo "ok one_folder/help_page"
else
	echo "not ok one_folder/help_page"
	printf '%s\n' "$page" | head -20 | sed 's/^/    | /'
fi

# every `CMD` prints: with its block
awk -v dir="$COPY" '
	/^`[^`]+` prints:$/ && !fence { cmd = substr($0, 2, length($0) - 10); next }
	!fence && /^```/ && cmd != "" {
		match($0, /^`+/); fence = substr($0, 1, RLENGTH); i++
		print cmd > (dir "/cmd." i); close(dir "/cmd." i)
		printf "" > (dir "/want." i); next
	}
	fence && $0 == fence { fence = ""; cmd = ""; next }
	fence { print > (dir "/want." i) }
	!fence && NF { cmd = "" }
' "$DOC"
runs=0
for c in "$COPY"/cmd.*; do
	[ -e "$c" ] || continue
	i=${c##*.}
	runs=$((runs + 1))
	cmd=$(cat "$c")
	(cd "$COPY" && sh -c "$cmd") >"$COPY/got.$i" 2>&1
	if cmp -s "$COPY/got.$i" "$COPY/want.$i"; then
		echo "ok one_folder/prints_$i: $cmd"
	else
		echo "not ok one_folder/prints_$i: $cmd"
		diff "$COPY/want.$i" "$COPY/got.$i" | sed 's/^/    | /' | head -20
	fi
done
[ "$runs" -ge 1 ] && echo "ok one_folder/examples_found ($runs)" || echo "not ok one_folder/examples_found"

# the layer rule, help coverage and the namespace's own tests, in the copy
layers=$(cd "$COPY" && sh tests/engine/test_layers.sh engine/concepts/topk/*.[ch])
if printf '%s\n' "$layers" | grep -q '^ok include/engine/concepts/topk/topk.c$' &&
	! printf '%s\n' "$layers" | grep -q '^not ok'; then
	echo "ok one_folder/layers"
else
	echo "not ok one_folder/layers"
	printf '%s\n' "$layers" | grep -A3 '^not ok' | sed 's/^/    | /' | head -20
fi
help=$("$COPY/build/tests/engine/lab/test_help" 2>&1)
if printf '%s\n' "$help" | grep -q '^not ok' || ! printf '%s\n' "$help" | grep -q '^ok'; then
	echo "not ok one_folder/help_coverage"
	printf '%s\n' "$help" | sed 's/^/    | /' | head -20
else
	echo "ok one_folder/help_coverage"
fi
own=$(cd "$COPY" && BACKLAB="$B" BUILD=build sh tests/run.sh topk 2>&1)
last=$(printf '%s\n' "$own" | tail -1)
case $last in
"0 passed"*) echo "not ok one_folder/own_tests: $last" ;;
*" passed, 0 failed, 0 skipped") echo "ok one_folder/own_tests ($last)" ;;
*)
	echo "not ok one_folder/own_tests: $last"
	printf '%s\n' "$own" | sed 's/^/    | /' | head -30 ;;
esac
printf '%s\n' "$own" | grep -q 'topk_test.lua' && printf '%s\n' "$own" | grep -q 'test_topk' &&
	echo "ok one_folder/own_tests_found" || echo "not ok one_folder/own_tests_found"

# make docs: the page becomes docs/lab/topk.md and a row of the index
if build docs; then
	cp -Rp "$ROOT/docs/lab" "$COPY/docs-before"
	changed=$(cd "$COPY" && diff -rq docs-before docs/lab 2>&1 | sort | tr '\n' ' ')
	want="Files docs-before/README.md and docs/lab/README.md differ Only in docs/lab: topk.md "
	if [ "$changed" = "$want" ] && grep -qF '[`lab.topk`](topk.md)' "$COPY/docs/lab/README.md" &&
		grep -qF 'lab.topk.stream options (defaults)' "$COPY/docs/lab/topk.md"; then
		echo "ok one_folder/docs"
	else
		echo "not ok one_folder/docs: $changed"
	fi
else
	echo "not ok one_folder/docs: make docs failed"
	tail -5 "$COPY/make.log" | sed 's/^/    | /'
fi

# no page, no namespace: the registry comes from the pages
mv "$COPY/engine/concepts/topk/topk.md" "$COPY/topk.md.away"
if build backlab && ! "$B" help lab 2>&1 | grep -qF 'lab.topk'; then
	echo "ok one_folder/page_makes_the_namespace"
else
	echo "not ok one_folder/page_makes_the_namespace"
	tail -5 "$COPY/make.log" | sed 's/^/    | /'
fi
