#!/usr/bin/env bash
# check-layout.sh — the architecture the folders promise, checked:
#   1. src/analyze/ never includes a header of src/measure/, src/measure/ none
#      of src/analyze/, src/common/ neither, and no file includes main.c's
#      (it has none: main.c only dispatches);
#   2. no cycle between files: a file depends on another when it includes
#      that file's header or, in the built objects, calls or reads a symbol
#      the other defines (X.c and X.h count as one file X).
# BUILD is a configured and built tree (for the objects); without one, only
# the includes are checked.
#   scripts/check-layout.sh [BUILD]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-}
cd "$root"
fail=0
say() { echo "layout: $*" >&2; fail=1; }

# ---------------------------------------------------------------- includes
half_of() { # the folder a header lives in, or "" for system and generated ones
	local h=$1 d
	for d in common measure analyze; do
		[ -e "src/$d/$h" ] && { echo "$d"; return; }
	done
	echo ""
}
edges=$(mktemp)
trap 'rm -f "$edges"' EXIT
for f in src/*/*.[ch] src/main.c workloads/*.c allocators/*.c; do
	from=$(basename "${f%.*}")
	mine=$(basename "$(dirname "$f")")
	while read -r h; do
		to=$(half_of "$h")
		[ -n "$to" ] || continue
		case "$mine:$to" in
		analyze:measure | measure:analyze | common:measure | common:analyze)
			say "$f includes $h (src/$to/): $mine/ must not depend on $to/" ;;
		esac
		[ "${h%.h}" = "$from" ] || echo "$from ${h%.h}" >>"$edges"
	done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f")
done

# ---------------------------------------------------------------- symbols
if [ -n "$build" ]; then
	objs=$(find "$build/CMakeFiles" -path '*/ct*.dir/*' -name '*.c.o' \
		\( -path '*ctcommon.dir*' -o -path '*ctmeasure.dir*' -o -path '*ctanalyze.dir*' \))
	[ -n "$objs" ] || { say "no objects under $build/CMakeFiles: build first"; exit 1; }
	defs=$(mktemp)
	trap 'rm -f "$edges" "$defs"' EXIT
	for o in $objs; do
		nm --defined-only "$o" 2>/dev/null |
			awk -v f="$(basename "$o" .c.o)" '$2 ~ /^[TDBRC]$/ { print $3, f }'
	done | sort -u >"$defs"
	for o in $objs; do
		from=$(basename "$o" .c.o)
		nm -u "$o" 2>/dev/null | awk '{ print $NF }' | sort -u |
			join - "$defs" | awk -v f="$from" '$2 != f { print f, $2 }'
	done >>"$edges"
fi

if ! out=$(tsort "$edges" 2>&1 >/dev/null); then
	say "a dependency cycle between files:"
	echo "$out" | sed -n 's/^tsort: \([^ ]*\)$/  \1/p' >&2
fi
[ "$fail" = 0 ] && echo "layout: no include across the halves, no cycle between $(wc -l <"$edges") dependencies"
exit $fail
