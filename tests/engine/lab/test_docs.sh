#!/bin/sh
# tests/engine/lab/test_docs.sh — docs/lab/ is the reference of `lab`,
# derived from the namespaces' pages (engine/concepts/NAME/NAME.md, with
# their `@options FN` lines expanded) by `make docs`. This test derives it
# again and compares, file by file: an edited page, a new namespace or a
# changed option spec without `make docs` fails here, so docs/ never
# drifts from the one source.
#
# Environment: BUILD (the build folder holding tools/labdocs).
set -u
cd "$(dirname "$0")/../../.." || exit 1
BUILD=${BUILD:-build}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/backlab-docs.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM

if ! "$BUILD/tools/labdocs" "$TMP"; then
	echo "not ok docs/generate: $BUILD/tools/labdocs failed"
	exit 1
fi

for f in "$TMP"/*.md; do
	n=$(basename "$f")
	if [ ! -f "docs/lab/$n" ]; then
		echo "not ok docs/lab/$n: missing (run make docs)"
	elif ! cmp -s "$f" "docs/lab/$n"; then
		echo "not ok docs/lab/$n: out of date with its page (run make docs)"
		diff -u "docs/lab/$n" "$f" | head -20 | sed 's/^/    /'
	else
		echo "ok docs/lab/$n"
	fi
done
for f in docs/lab/*; do
	n=$(basename "$f")
	[ -f "$TMP/$n" ] || echo "not ok docs/lab/$n: no namespace has this page (run make docs)"
done

# every namespace has its page and its row in the index, and the page is
# its NAME.md: the first heading of each page reappears
for p in engine/concepts/*/; do
	n=$(basename "$p")
	[ -f "$p$n.md" ] || continue
	h=$(awk 'NR == 1 && /^---$/ { fm = 1; next } fm && /^---$/ { fm = 0; next }
		!fm && /^#/ { print; exit }' "$p$n.md")
	if grep -qF "(${n}.md)" docs/lab/README.md && grep -qxF "$h" "docs/lab/$n.md" 2>/dev/null; then
		echo "ok docs/index/$n"
	else
		echo "not ok docs/index/$n: docs/lab lacks lab.$n's page or its row in README.md"
	fi
done
