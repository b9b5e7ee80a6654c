#!/usr/bin/env bash
# bench-report.sh — how long `contend report` and `contend compare` take,
# and how much memory they use, on synthetic results directories of ROWS
# rows with REPS repetitions per point. The readers are linear in ROWS and
# nearly so in REPS: a ratio interval selects order statistics of the
# REPS x REPS pairwise log-ratios without forming them (src/common/mwu.c),
# O(REPS log REPS) per selection and O(REPS) memory.
#   scripts/bench-report.sh [CONTEND] [ROWS REPS]...
#   default: build/contend 10000 5000 1000000 1000
set -eu
contend=${1:-build/contend}; shift || true
[[ $# -ge 2 ]] || set -- 10000 5000 1000000 1000
work=$(mktemp -d /tmp/contend-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT

# results.csv with the columns the readers use; points cycle through mode,
# size, threads and allocator; times log-normal-ish around 100 ns/op.
gen() { # gen DIR ROWS REPS
	mkdir -p "$1"
	awk -v rows="$2" -v reps="$3" 'BEGIN {
		srand(7);
		print "workload,mode,size,size_bytes,alloc,threads,place,rep,status,ns_per_op,ops_per_s,bytes_per_op,allocs_per_op,error";
		split("heap stack", mode, " "); split("glibc mimalloc", alloc, " ");
		for (n = 0; n < rows; n++) {
			p = int(n / reps);
			m = mode[p % 2 + 1]; s = 2 ^ (10 + int(p / 2) % 6); t = 2 ^ (int(p / 12) % 4);
			a = alloc[int(p / 48) % 2 + 1]; v = (m == "heap" ? 150 : 100) * exp((rand() - 0.5) / 5);
			printf "smaug,%s,%dB,%d,%s,%d,compact,%d,ok,%.6g,%.6g,%d,%d,\n", m, s, s, a, t, n % reps + 1, v, 1e9 / v, m == "heap" ? s : 0, m == "heap";
		}
	}' >"$1/results.csv"
	printf '{"contend_version": "bench", "complete": true, "cpu": {"model": "synthetic", "cores": 8}}\n' >"$1/machine.json"
}

measure() { # measure WHAT CMD...: wall seconds and peak memory
	local what=$1; shift
	/usr/bin/time -o "$work/time" -f "%e %U %S %M" "$@" >/dev/null 2>&1
	local t; t=$(tail -1 "$work/time"); read -r wall user sys kib <<<"$t"
	# CPU time too: on a shared machine the wall time says more about the
	# neighbours than about contend
	printf '  %-8s %7.2f s wall %7.2f s CPU %6d MiB peak\n' "$what" "$wall" \
		"$(echo "$user + $sys" | bc)" "$((kib / 1024))"
}

while [[ $# -ge 2 ]]; do
	rows=$1 reps=$2; shift 2
	gen "$work/r$rows" "$rows" "$reps"
	echo "$rows rows, $reps repetitions per point ($(du -h "$work/r$rows/results.csv" | cut -f1)):"
	measure report "$contend" report -q --no-figures -o "$work/out$rows" "$work/r$rows"
	measure compare "$contend" compare "$work/r$rows" "$work/r$rows"
	rm -rf "$work/r$rows" "$work/out$rows"
done
