#!/usr/bin/env bash
# analyze.sh — static analysis of every C file the build compiles (src/,
# allocators/, workloads/, census/, tests/ including tests/fuzz/): cppcheck
# with tests/cppcheck-suppressions.txt, then clang-tidy with .clang-tidy
# (and tests/.clang-tidy). Installs what is missing, configures build-analyze/
# (clang, compile_commands.json; nothing is compiled), exits 1 on any finding.
#   scripts/analyze.sh [--cppcheck-only | --tidy-only]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

ct_install "${CT_PACKAGES[@]}" "${CT_CHECK_PACKAGES[@]}"
dir=$CT_ROOT/build-analyze
jobs=$(nproc)
cd "$CT_ROOT"

# clang for the compile commands: clang-tidy reads them with clang's
# front end, which rejects some gcc-only flags. CONTEND_FUZZ=ON adds the
# fuzz targets' sources; configuring generates ct_config.h, all they need.
CC=clang cmake -S "$CT_ROOT" -B "$dir" -DCMAKE_BUILD_TYPE=Debug -DCONTEND_FUZZ=ON \
	-DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null
# Each file once (units.c is in the engine and in every fuzz target).
mapfile -t files < <(sed -n 's/^ *"file": "\(.*\)",\{0,1\}$/\1/p' "$dir/compile_commands.json" |
	sort -u)
echo "== analyze: ${#files[@]} files"

status=0
run_cppcheck() {
	local t0=$SECONDS out
	out=$(cppcheck --project="$dir/compile_commands.json" --std=c11 -j "$jobs" --quiet \
		--enable=warning,style,performance,portability --inline-suppr \
		--suppressions-list="$CT_ROOT/tests/cppcheck-suppressions.txt" \
		--template='{file}:{line}: {severity}: {message} [{id}]' 2>&1 | sort -u) || true
	if [ -n "$out" ]; then
		echo "${out//$CT_ROOT\//}"
		echo "cppcheck: $(echo "$out" | wc -l) finding(s) ($((SECONDS - t0))s)"
		status=1
	else
		echo "cppcheck: clean ($((SECONDS - t0))s)"
	fi
}

run_tidy() {
	local t0=$SECONDS log=$dir/clang-tidy.log
	# One process per file, nproc at a time; --quiet drops the "N warnings
	# generated" chatter. WarningsAsErrors in .clang-tidy sets the status.
	if printf '%s\n' "${files[@]}" |
		xargs -P "$jobs" -n 1 clang-tidy -p "$dir" --quiet >"$log" 2>&1; then
		echo "clang-tidy: clean ($((SECONDS - t0))s)"
	else
		local found
		found=$(grep -E '^/.*: (warning|error): ' "$log" | sort -u | sed "s|$CT_ROOT/||") || true
		if [ -n "$found" ]; then echo "$found"; else tail -20 "$log"; fi
		echo "clang-tidy: $(echo "$found" | grep -c .) finding(s)" \
			"($((SECONDS - t0))s; with their notes in ${log#"$CT_ROOT"/})"
		status=1
	fi
}

[ "${1:-}" = "--tidy-only" ] || run_cppcheck
[ "${1:-}" = "--cppcheck-only" ] || run_tidy
exit $status
