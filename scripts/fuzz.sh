#!/usr/bin/env bash
# fuzz.sh — installs what is missing (clang, its libFuzzer runtime), builds the
# libFuzzer targets of tests/fuzz/ in build-fuzz/ (clang, -DCONTEND_FUZZ=ON),
# and runs each one for SECONDS (default 20) from its seed corpus in
# tests/fuzz/corpus/<target>/. Exits non-zero when any fuzzer crashes, leaks,
# hangs or breaks a property; the input is kept in build-fuzz/artifacts/.
#   scripts/fuzz.sh [SECONDS] [TARGET...]
# New interesting inputs land in build-fuzz/corpus/<target>/ (not in the
# tree); copy one into tests/fuzz/corpus/<target>/ to keep it as a seed.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

secs=${1:-20}
[[ $secs =~ ^[0-9]+$ ]] || { echo "fuzz.sh: SECONDS must be a whole number, not '$secs'" >&2; exit 2; }
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_size fuzz_list fuzz_duration fuzz_alloc_spec fuzz_readback)
dir=$CT_ROOT/build-fuzz

# Does clang link a libFuzzer target here? (Debian 12 ships the runtime in
# libclang-rt-14-dev; older releases in libclang-common-*-dev, with clang.)
fuzzer_links() {
	local probe
	probe=$(mktemp -d)
	printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n);\n%s\n' \
		'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return d && n; }' \
		>"$probe/p.c"
	clang -fsanitize=fuzzer,address,undefined "$probe/p.c" -o "$probe/p" >/dev/null 2>&1
	local rc=$?
	rm -rf "$probe"
	return $rc
}

ct_install "${CT_PACKAGES[@]}" clang
fuzzer_links || ct_install libclang-rt-dev
fuzzer_links || { echo "fuzz.sh: clang cannot link libFuzzer targets" >&2; exit 1; }

echo "== build-fuzz (clang, libFuzzer + ASan + UBSan)"
CC=clang cmake -S "$CT_ROOT" -B "$dir" -DCMAKE_BUILD_TYPE=Release -DCONTEND_FUZZ=ON \
	-DCONTEND_WERROR=ON >/dev/null
cmake --build "$dir" --target fuzzers -j "$(nproc)" >/dev/null

mkdir -p "$dir/artifacts" "$dir/scratch"
failed=()
for t in "${targets[@]}"; do
	seeds=$CT_ROOT/tests/fuzz/corpus/$t work=$dir/corpus/$t log=$dir/$t.log
	mkdir -p "$work"
	dict=()
	[ -f "$CT_ROOT/tests/fuzz/$t.dict" ] && dict=("-dict=$CT_ROOT/tests/fuzz/$t.dict")
	# From a scratch directory (fuzz_alloc_spec resolves relative paths),
	# stdin closed, one input at most 10 s; the outer timeout is a backstop.
	if (cd "$dir/scratch" && timeout $((secs + 60)) "$dir/$t" -max_total_time="$secs" \
		-timeout=10 -print_final_stats=1 "${dict[@]}" \
		-artifact_prefix="$dir/artifacts/$t-" "$work" "$seeds" </dev/null >"$log" 2>&1); then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
		printf '%-16s ok: %s runs in %ss, %s, corpus %s\n' "$t" "${runs:-?}" "$secs" \
			"${cov:-cov: ?}" "$(find "$work" -type f | wc -l)"
	else
		failed+=("$t")
		echo "$t FAILED (log: $log):"
		grep -E 'ERROR|SUMMARY|property failed|input:|^  |^    #[0-9]+ |Test unit written' \
			"$log" | grep -v 'BuildId' | head -40 | sed 's/^/  /'
	fi
done

if [ ${#failed[@]} -gt 0 ]; then
	echo "fuzz.sh: failed: ${failed[*]}; reproduce with build-fuzz/<target> <artifact>" >&2
	exit 1
fi
