#!/usr/bin/env bash
# study.sh — installs what is missing, builds, and runs the default study
# (or `contend run` with the arguments given).
#   scripts/study.sh [contend run options...]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
ct_install "${CT_PACKAGES[@]}"
ct_build "$CT_ROOT/build" >/dev/null
cd "$CT_ROOT"
exec ./build/contend run "$@"
