#!/usr/bin/env bash
# xfree-reference.sh — rank the allocators on one-way cross-thread frees with
# an independent producer→consumer program (scripts/pcref.c, in the manner of
# xmalloc-test: one producer, one consumer, 64 B objects, the consumer's
# frees per second), then with contend's xfree pc at 2 threads, in the same
# minute, and say whether the two rankings agree at the top and the bottom.
#
#   scripts/xfree-reference.sh [-r ROUNDS] [-t MS] [-p PLACE] [-c CONTEND] [-P PARAMS] [-o DIR] [-- PCREF_ARGS]
#     -r ROUNDS   rounds of the reference, every allocator once per round in a
#                 rotated order (default 7); the median is reported
#     -t MS       milliseconds per reference run (default 500)
#     -p PLACE    compact (default): contend pins its two threads to two cores and
#                 pcref pins its producer to CPU 0, its consumer to CPU 1 (-p);
#                 none: neither pins (xmalloc-test pins nothing). Both programs
#                 always run the same way: on a loaded machine pinning alone can
#                 reorder the allocators (README, "Cross-thread frees")
#     -c CONTEND  the contend binary (default build/contend; "none": skip it)
#     -P PARAMS   xfree parameters for contend (default: its own, batch=256,depth=2)
#     -o DIR      contend's results directory (default a new one under /tmp)
#     PCREF_ARGS  passed to pcref, e.g. -b 256 -d 2 -f to mirror contend's queue
#
# Allocators: glibc, and mimalloc, tcmalloc (minimal), jemalloc where
# ldconfig finds them, each preloaded with LD_PRELOAD as contend preloads it.
# Timing on a loaded machine is noisy: the script prints the load average.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
rounds=7 ms=500 contend=$here/build/contend params="" out="" place=compact
while getopts "r:t:p:c:P:o:" o; do
	case $o in
	r) rounds=$OPTARG ;; t) ms=$OPTARG ;; c) contend=$OPTARG ;; p) place=$OPTARG ;;
	P) params=$OPTARG ;; o) out=$OPTARG ;;
	*) echo "usage: $0 [-r ROUNDS] [-t MS] [-p PLACE] [-c CONTEND] [-P PARAMS] [-o DIR] [-- PCREF_ARGS]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
case $rounds$ms in *[!0-9]*|'') echo "$0: -r and -t take whole numbers" >&2; exit 2 ;; esac
case $place in
compact) set -- -p "$@" ;;
none) ;;
*) echo "$0: -p: bad value '$place': compact or none" >&2; exit 2 ;;
esac

work=$(mktemp -d /tmp/xfree-ref-XXXXXX)
trap 'rm -rf "$work"' EXIT
cc -O2 -pthread -o "$work/pcref" "$here/scripts/pcref.c"

lib() { ldconfig -p | awk -v n="$1" '$1 == n { print $NF; exit }'; }
names=(glibc) libs=("")
for pair in mimalloc:libmimalloc.so.2 tcmalloc:libtcmalloc_minimal.so.4 jemalloc:libjemalloc.so.2; do
	path=$(lib "${pair#*:}")
	[ -n "$path" ] && names+=("${pair%%:*}") && libs+=("$path")
done
n=${#names[@]}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
echo "reference: pcref $* (1 producer, 1 consumer), $rounds rounds of ${ms} ms, placement $place, $(date -u +%H:%M:%S) UTC"
for ((r = 0; r < rounds; r++)); do
	for ((k = 0; k < n; k++)); do
		i=$(((k + r) % n))
		line=$(LD_PRELOAD=${libs[$i]} "$work/pcref" -t "$ms" "$@")
		echo "${names[$i]} $line" >>"$work/ref.txt"
	done
done

# name median_ns_per_object min max median_own: own is the slower thread's
# CPU time per object, max(prod_cpu_ns, cons_cpu_ns): its work without the
# time it slept or was preempted (one line per allocator, fastest first)
summarize_ref() {
	for name in "${names[@]}"; do
		grep "^$name " "$work/ref.txt" |
			sed 's/.*ns_per_object=\([^ ]*\) prod_cpu_ns=\([^ ]*\) cons_cpu_ns=\([^ ]*\).*/\1 \2 \3/' |
			awk -v n="$name" '
				function med(v, k,   i, j, t) {
					for (i = 2; i <= k; i++) for (j = i; j > 1 && v[j - 1] > v[j]; j--) {
						t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
					return k % 2 ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2 }
				{ ns[NR] = $1 + 0; own[NR] = ($2 > $3 ? $2 : $3) + 0 }
				END { m = med(ns, NR); printf "%s %.2f %.2f %.2f %.2f\n", n, m, ns[1], ns[NR], med(own, NR) }'
	done | sort -k2 -g
}
summarize_ref >"$work/ref.rank"
sort -k5 -g "$work/ref.rank" >"$work/ref.own"
printf '%-10s %12s %12s %14s   %s\n' allocator "ns/object" "Mfrees/s" "own CPU ns/obj" "range ns/object"
awk '{ printf "%-10s %12.2f %12.2f %14.2f   %.2f..%.2f\n", $1, $2, 1e3 / $2, $5, $3, $4 }' "$work/ref.rank"

[ "$contend" = none ] && exit 0
if [ ! -x "$contend" ]; then
	echo "no contend binary at $contend: build it first, or pass -c none" >&2
	exit 1
fi
[ -n "$out" ] || out=$(mktemp -d /tmp/xfree-pc-XXXXXX)/study
echo
echo "contend: xfree pc and remote, 64B, 2 threads, placement $place, $(date -u +%H:%M:%S) UTC"
"$contend" run -q -w xfree -m pc,remote -s 64B -t 2 -n 12 -p "$place" ${params:+-P "$params"} -o "$out" >/dev/null
# median ns_per_op (and its wait, prod and cons parts) per allocator of one mode
# at 2 threads, then own: the allocator's time without waits (pc: the slower
# side's, max(prod, cons); the ring: ns_per_op - wait)
summarize_contend() {
	awk -F, -v mode="$1" '
		NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["mode"] == mode && $c["threads"] == 2 && $c["status"] == "ok" {
			a = $c["alloc"]; k = ++cnt[a]
			ns[a, k] = $c["ns_per_op"]; w[a, k] = $c["wait_ns_per_op"]
			p[a, k] = $c["prod_ns_per_op"]; q[a, k] = $c["cons_ns_per_op"] }
		function med(arr, a, n,   i, j, t, v) {
			for (i = 1; i <= n; i++) v[i] = arr[a, i]
			for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) {
				t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
			return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2 }
		END { for (a in cnt) {
			n = cnt[a]; mp = med(p, a, n); mq = med(q, a, n)
			own = mode == "pc" ? (mp > mq ? mp : mq) : med(ns, a, n) - med(w, a, n)
			printf "%s %.2f %.2f %s %s %.2f %d\n", a, med(ns, a, n), med(w, a, n),
				mode == "pc" ? sprintf("%.2f", mp) : "-",
				mode == "pc" ? sprintf("%.2f", mq) : "-", own, n } }' \
		"$out/results.csv" | sort -k2 -g
}
for mode in pc remote; do
	summarize_contend $mode >"$work/$mode.rank"
	printf '%-10s %10s %10s %10s %10s %10s  (%s, median of n)\n' allocator ns/op wait-ns/op \
		prod-ns/op cons-ns/op own-ns/op "$mode"
	awk '{ printf "%-10s %10s %10s %10s %10s %10s  n=%d\n", $1, $2, $3, $4, $5, $6, $7 }' \
		"$work/$mode.rank"
done
echo "results: $out"

names_of() { cut -d' ' -f1 "$1" | tr '\n' ' '; }
sort -k6 -g "$work/pc.rank" >"$work/pc.own"
echo
echo "ranking, fastest first:"
echo "  reference (frees/s):       $(names_of "$work/ref.rank")"
echo "  reference by own CPU:      $(names_of "$work/ref.own")"
echo "  contend pc by ns/op:       $(names_of "$work/pc.rank")"
echo "  contend pc by own ns/op:   $(names_of "$work/pc.own")"
agree() { # two ranked files: do their tops and bottoms match?
	[ "$(head -1 "$1" | cut -d' ' -f1)" = "$(head -1 "$2" | cut -d' ' -f1)" ] &&
		[ "$(tail -1 "$1" | cut -d' ' -f1)" = "$(tail -1 "$2" | cut -d' ' -f1)" ]
}
for k in rank:rank:frees/s:ns/op own:own:own\ CPU:own-ns/op; do
	IFS=: read -r r c rl cl <<<"$k"
	if agree "$work/ref.$r" "$work/pc.$c"; then v="agree"; else v="differ"; fi
	echo "top and bottom, reference by $rl vs contend pc by $cl: $v"
done
