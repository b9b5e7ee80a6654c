#!/usr/bin/env bash
# setup.sh — installs what contend needs (Debian 12 / Ubuntu 22.04+ package
# names) when it is missing, then configures and builds BUILD_DIR (default
# build/). Sourced by study.sh and test.sh; safe to run again.
#   scripts/setup.sh [BUILD_DIR] [extra cmake -D options...]
set -euo pipefail

CT_PACKAGES=(build-essential cmake pkg-config libhwloc-dev libmimalloc-dev
	libgoogle-perftools-dev libjemalloc-dev gnuplot-nox golang-go)

# For the tests only: the report's headless-browser screenshot test (it
# skips without a browser; on Ubuntu `chromium` is a snap and may not install).
CT_TEST_PACKAGES=(chromium)

# Added by scripts/test.sh's checks (fuzz.sh, analyze.sh): clang with its
# libFuzzer runtime (fuzz.sh adds libclang-rt-dev where clang lacks it),
# clang-tidy and cppcheck.
CT_CHECK_PACKAGES=(clang clang-tidy cppcheck)

ct_missing_packages() {
	local p missing=()
	command -v dpkg-query >/dev/null || return 0
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
			missing+=("$p")
	done
	echo "${missing[@]:-}"
}

ct_install() {
	local missing
	missing=$(ct_missing_packages "$@")
	[ -z "$missing" ] && return 0
	if ! command -v apt-get >/dev/null; then
		echo "setup: missing packages ($missing) and no apt-get: install them by hand" >&2
		return 1
	fi
	local sudo=""
	[ "$(id -u)" -ne 0 ] && sudo="sudo"
	echo "setup: installing $missing" >&2
	$sudo apt-get update -qq
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
}

ct_build() {
	local dir=$1; shift
	cmake -S "$CT_ROOT" -B "$dir" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
	cmake --build "$dir" -j "$(nproc)"
}

CT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	ct_install "${CT_PACKAGES[@]}"
	ct_build "${1:-$CT_ROOT/build}" "${@:2}"
fi
