#!/usr/bin/env bash
# test-arm64.sh — cross-builds contend for Linux arm64 on a Debian 12 /
# Ubuntu x86-64 host and runs every CTest test under qemu-user: real arm64
# allocator libraries preloaded in the children, identity checks, pinning and
# result files included. Installs what is missing (arm64 multiarch, the cross
# compiler, qemu-user-static), makes the kernel run arm64 programs itself
# (binfmt_misc), then builds and tests: the plain build, then the ASan+UBSan
# build (without leak checking). `--quick`: the plain build only.
# No TSan build: under qemu 7.2 every TSan process takes 15-40 s to start,
# so contend's children miss their start-up deadline ("child hung before
# proving its allocator") and the CLI test alone runs for half an hour.
#   scripts/test-arm64.sh [--quick]        builds in $CT_ROOT/build-arm64*
#
# Timings under emulation mean nothing; the tests check none but the
# proof-of-work ratios of test_kernels, which hold under qemu.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

# libjemalloc-dev is not multiarch (its arm64 package would remove the
# native one) and nothing links an allocator: the runtime library will do.
# The ASan and UBSan runtimes are the ones an arm64 machine would load. The
# native CT_PACKAGES too: the report tests run the host's gnuplot and chromium.
CT_ARM64_PACKAGES=(gcc-aarch64-linux-gnu qemu-user-static
	libc6:arm64 libhwloc-dev:arm64 libmimalloc-dev:arm64 libgoogle-perftools-dev:arm64
	libjemalloc2:arm64 libasan8:arm64 libubsan1:arm64)
CT_TOOLCHAIN=$CT_ROOT/cmake/aarch64-linux-gnu.cmake
BINFMT=/proc/sys/fs/binfmt_misc

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"

die() {
	echo "test-arm64: $*" >&2
	exit 1
}

# dpkg --add-architecture arm64, then the packages. --no-remove: the arm64
# copies of multiarch libraries must match the native versions, and apt may
# upgrade native packages for that, but it must never remove one.
install_arm64() {
	if ! dpkg --print-foreign-architectures | grep -qx arm64; then
		echo "test-arm64: adding the arm64 architecture to dpkg" >&2
		$sudo dpkg --add-architecture arm64
		$sudo apt-get update -qq
	fi
	local missing
	missing=$(ct_missing_packages "${CT_PACKAGES[@]}" "${CT_ARM64_PACKAGES[@]}")
	[ -z "$missing" ] && return 0
	echo "test-arm64: installing $missing" >&2
	$sudo apt-get update -qq
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
		--no-remove $missing >/dev/null
}

# contend re-executes /proc/self/exe for each allocator and the CLI tests
# start it from bash, so qemu as CMAKE_CROSSCOMPILING_EMULATOR is not enough:
# the kernel itself must hand arm64 ELF files to qemu. qemu-user-static ships
# the entry (/usr/lib/binfmt.d); systemd registers it at boot, but not in a
# container, so it is written here as systemd-binfmt would. Its F flag opens
# the static qemu now, so it works in any mount namespace; LD_PRELOAD is then
# read by the arm64 ld.so inside the emulated process, as on a real machine.
register_binfmt() {
	[ -e $BINFMT/register ] ||
		$sudo mount -t binfmt_misc binfmt_misc $BINFMT 2>/dev/null || true
	[ -e $BINFMT/register ] ||
		die "no binfmt_misc at $BINFMT and it cannot be mounted here (needs CAP_SYS_ADMIN, e.g. docker run --privileged)"
	if [ ! -e $BINFMT/qemu-aarch64 ]; then
		local conf=/usr/lib/binfmt.d/qemu-aarch64.conf
		[ -r $conf ] || die "$conf is missing (package qemu-user-static)"
		grep -v '^[#;]' $conf | $sudo tee $BINFMT/register >/dev/null ||
			die "cannot register qemu-aarch64 in $BINFMT"
	fi
	grep -qx enabled $BINFMT/qemu-aarch64 || echo 1 | $sudo tee $BINFMT/qemu-aarch64 >/dev/null
	grep -qx enabled $BINFMT/status || echo 1 | $sudo tee $BINFMT/status >/dev/null
}

# The kernel runs an arm64 program directly, with the multiarch libraries.
check_exec() {
	local exe=$1/contend
	"$exe" --help >/dev/null 2>&1 && return 0
	echo "test-arm64: the kernel does not run $exe itself:" >&2
	"$exe" --help 2>&1 | head -3 >&2 || true
	grep -H . $BINFMT/qemu-aarch64 >&2 2>/dev/null || true
	exit 1
}

# LeakSanitizer stops the world with ptrace, which qemu-user does not
# emulate: ASan and UBSan run in full, leak checking does not.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
install_arm64
register_binfmt
builds=("build-arm64:")
[ "${1:-}" = "--quick" ] || builds+=("build-arm64-asan:-DCONTEND_SANITIZE=address")
for b in "${builds[@]}"; do
	dir=$CT_ROOT/${b%%:*}; opt=${b#*:}
	echo "== ${b%%:*} (aarch64 under qemu-user) ${opt}"
	# shellcheck disable=SC2086
	ct_build "$dir" -DCMAKE_TOOLCHAIN_FILE="$CT_TOOLCHAIN" -DCONTEND_WERROR=ON $opt >/dev/null
	check_exec "$dir"
	(cd "$dir" && ctest --output-on-failure -j 2)
done
