#!/usr/bin/env bash
# test.sh — installs what is missing, builds, and runs every test: the plain
# build (real allocators, real threads), then the same tests built with
# ASan+UBSan and with TSan, the fuzzers of the parsers (scripts/fuzz.sh, 20 s
# each, CT_FUZZ_SECONDS to change) and the static analyzers
# (scripts/analyze.sh). `--quick` runs the plain build only.
#   scripts/test.sh [--quick]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
ct_install "${CT_PACKAGES[@]}"
ct_install "${CT_TEST_PACKAGES[@]}" ||
	echo "setup: no chromium: the report screenshot test will be skipped" >&2
builds=("build:")
[ "${1:-}" = "--quick" ] || builds+=("build-asan:-DCONTEND_SANITIZE=address"
	"build-tsan:-DCONTEND_SANITIZE=thread")
for b in "${builds[@]}"; do
	dir=$CT_ROOT/${b%%:*}; opt=${b#*:}
	echo "== ${b%%:*} ${opt}"
	# shellcheck disable=SC2086
	ct_build "$dir" -DCONTEND_WERROR=ON $opt >/dev/null
	(cd "$dir" && ctest --output-on-failure -j 2)
done
[ "${1:-}" = "--quick" ] && exit 0

# Both run even when the first fails, so one report shows everything.
rc=0
"$CT_ROOT/scripts/fuzz.sh" "${CT_FUZZ_SECONDS:-20}" || rc=1
"$CT_ROOT/scripts/analyze.sh" || rc=1
exit $rc
