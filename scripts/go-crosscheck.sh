#!/usr/bin/env bash
# go-crosscheck.sh — contend's go column beside Go's own harness on the same
# kernels (allocators/go/kernels_test.go: `go test -bench -benchmem -cpu 1,2`,
# b.N on one goroutine, RunParallel on two), run interleaved on this machine
# in the same minutes (kernel by kernel, the one going first alternating
# from round to round), medians of ROUNDS each.
#
#   scripts/go-crosscheck.sh [BUILD_DIR] [SIZES] [BENCHTIME] [ROUNDS] [WORKLOADS]
#   defaults: build  1KiB,64KiB,1MiB  100ms  9  bilbo,smaug
# WORKLOADS may also name churn (at its default parameters, sizes 64B, 1KiB,
# 16KiB in the benchmarks) and large (its default sizes); sizes that a
# benchmark does not cover print "-" on the go test side.
#
# ns/op are per thread on both sides: RunParallel reports wall time over all
# goroutines' operations, so its figure is multiplied by the goroutine count.
# B/op and allocs/op are -benchmem's (integers) and contend's census.
set -euo pipefail
build=${1:-build}; sizes=${2:-1KiB,64KiB,1MiB}; bt=${3:-100ms}; rounds=${4:-9}; wls=${5:-bilbo,smaug}
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$build" && pwd)
contend=$build/contend
gotool=$(sed -n 's/^CT_GO_EXE:FILEPATH=//p' "$build/CMakeCache.txt" 2>/dev/null || true)
if [ -z "$gotool" ] || [ ! -x "$build/contend-go" ]; then
	echo "go-crosscheck: no Go toolchain in $build (install golang-go, re-run cmake)" >&2
	exit 2
fi
work=$(mktemp -d /tmp/contend-xcheck-XXXXXX)
trap 'rm -rf "$work"' EXIT

# The benchmark binary, built once (offline, standard library only).
(cd "$root/allocators/go" && env GOPATH="$build/go/path" GOCACHE="$build/go/cache" GOPROXY=off \
	GOFLAGS= CGO_ENABLED=0 "$gotool" test -c -o "$work/kernels.test" .)

# Bytes of a size, for the benchmark filter: 1KiB -> 1024.
bytes() {
	local n=${1%[KMG]iB}
	n=${n%B}
	case $1 in *KiB) n=$((n << 10));; *MiB) n=$((n << 20));; esac
	echo "$n"
}

# The modes contend runs for a workload (go's zeroed is its heap kernel,
# control has no benchmark).
modes() { case $1 in churn) echo heap;; large) echo heap,stack;; *) echo stack,heap;; esac; }

gotest() { # FILTER: Go's harness on the matching benchmarks
	"$work/kernels.test" -test.run '^$' -test.bench "$1" \
		-test.benchmem -test.cpu 1,2 -test.benchtime "$bt" >>"$work/gotest.txt"
}
contend() { # WORKLOAD SIZES TAG: contend's go column on the same kernels
	"$contend" run -a go -w "$1" -m "$(modes "$1")" -s "$2" -t 1,2 -n 1 --ci-target 0 \
		--benchtime "$bt" -q -o "$work/contend-$3" >/dev/null 2>&1
	tail -n +2 "$work/contend-$3/results.csv" >>"$work/contend.csv"
	head -1 "$work/contend-$3/results.csv" >"$work/header.csv"
}

# The machine's speed drifts over seconds, so the two harnesses take turns
# kernel by kernel (a workload, or a workload at one size), not study by
# study, and the one that goes first alternates from round to round.
groups=()
for wl in ${wls//,/ }; do
	case $wl in
	bilbo) groups+=("bilbo - Bilbo");;
	smaug|churn|large)
		for s in ${sizes//,/ }; do
			groups+=("$wl $s ${wl^}/mode=.*/size=$(bytes "$s")\$")
		done;;
	*) echo "go-crosscheck: no Go benchmark of '$wl' (bilbo, smaug, churn, large)" >&2; exit 2;;
	esac
done
for r in $(seq 1 "$rounds"); do
	echo "round $r/$rounds: go test -bench and contend -a go, kernel by kernel" >&2
	i=0
	for g in "${groups[@]}"; do
		read -r wl size filter <<<"$g"
		[ "$size" = - ] && size=$sizes
		i=$((i + 1))
		if [ $(((r + i) % 2)) -eq 0 ]; then
			gotest "$filter"; contend "$wl" "$size" "$r-$i"
		else
			contend "$wl" "$size" "$r-$i"; gotest "$filter"
		fi
	done
done

# One line per sample: key (workload mode bytes threads) ns B allocs.
awk '/^Benchmark/ {
	name = $1; thr = 1
	if (match(name, /-[0-9]+$/)) { thr = substr(name, RSTART + 1); name = substr(name, 1, RSTART - 1) }
	split(name, p, "/"); wl = tolower(substr(p[1], 10)); mode = substr(p[2], 6)
	size = 16
	if (p[3] ~ /^size=/) { size = p[3]; sub(/^size=/, "", size) }
	print "gotest", wl, mode, size + 0, thr, $3 * thr, $5, $7
}' "$work/gotest.txt" >"$work/samples"
awk -F, 'NR == FNR { for (i = 1; i <= NF; i++) c[$i] = i; next }
$c["alloc"] == "go" && $c["status"] == "ok" {
	print "contend", $c["workload"], $c["mode"], $c["size_bytes"], $c["threads"], $c["ns_per_op"],
		$c["bytes_per_op"], $c["allocs_per_op"]
}' "$work/header.csv" "$work/contend.csv" >>"$work/samples"

# Medians side by side.
printf '%-6s %-6s %8s %4s  %12s %12s %8s  %16s %16s\n' workload mode size thr \
	"go test ns" "contend ns" diff "go test B/allocs" "contend B/allocs"
sort -k2,2 -k3,3 -k4,4n -k5,5n -k1,1 -k6,6g "$work/samples" | awk '
function flush() {
	if (key == "") return
	g = med("gotest"); c = med("contend")
	d = (g > 0 && c > 0) ? sprintf("%+.1f%%", 100 * (c - g) / g) : "-"
	printf "%-6s %-6s %8s %4s  %12s %12s %8s  %16s %16s\n", k[2], k[3], k[4], k[5], fig(g),
		fig(c), d, ("gotest" in ba) ? ba["gotest"] : "-", ("contend" in ba) ? ba["contend"] : "-"
	delete n; delete v; delete ba
}
# no sample: "-" (contend keeps none of a point whose repetitions were all
# rejected as not concurrent, which a busy machine causes at 2 threads)
function fig(x) { return x > 0 ? sprintf("%.4g", x) : "-" }
function med(src,   m) { m = n[src]; if (!m) return 0
	return m % 2 ? v[src, (m + 1) / 2] : (v[src, m / 2] + v[src, m / 2 + 1]) / 2 }
{
	this = $2 " " $3 " " $4 " " $5
	if (this != key) { flush(); key = this; split($0, k, " ") }
	v[$1, ++n[$1]] = $6; ba[$1] = $7 "/" $8
}
END { flush() }'
awk -F, 'NR == FNR { for (i = 1; i <= NF; i++) c[$i] = i; next }
$c["status"] != "ok" { bad[$c["status"]]++ }
END { for (s in bad) printf "contend: %d repetition(s) %s, not in the medians\n", bad[s], s }' \
	"$work/header.csv" "$work/contend.csv"
