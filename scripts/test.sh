#!/usr/bin/env bash
# test.sh — installs what is missing, builds, and runs every test: the plain
# build (real allocators, real threads), then the same tests built with
# ASan+UBSan and with TSan. `--quick` runs the plain build only.
#   scripts/test.sh [--quick]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
ct_install "${CT_PACKAGES[@]}"
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
