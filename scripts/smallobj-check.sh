#!/usr/bin/env bash
# smallobj-check.sh BUILD_DIR [ROUNDS] — contend against the independent
# kernel (tests/diag/smallobj.c) on tcmalloc 16 B heap operations, 1 and 2
# threads, cold (prime=0 / -w 0) and primed (prime=64 / -w 64), with the same
# worker lifetime (new workers per repetition). Rounds interleave every
# condition, each a fresh process, so that machine drift hits all alike.
# Prints per condition the median, quartiles and minimum of per-thread ns/op
# over all repetitions, and contend/kernel per condition (median and min).
# README, "Why tcmalloc's small objects slow down under threads".
set -eu
build=${1:?usage: smallobj-check.sh BUILD_DIR [ROUNDS]}
rounds=${2:-5}
lib=$(sed -n 's/^#define CT_PATH_TCMALLOC "\(.*\)"/\1/p' "$build/ct_config.h")
[ -n "$lib" ] && [ -e "$lib" ] || { echo "smallobj-check: tcmalloc not found" >&2; exit 77; }
work=$(mktemp -d /tmp/smallobj-check-XXXXXX)
trap 'rm -rf "$work"' EXIT
out=$work/samples # condition ns_per_op, one line per thread-repetition mean
for r in $(seq 1 "$rounds"); do
	"$build/contend" run -q -w bilbo -m heap -a tcmalloc -t 1,2 -P prime=0/64 -n 10 \
		--ci-target 0 --benchtime 2ms -o "$work/c$r" 2>/dev/null
	# prime is left out of params at its default (64)
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		$col["status"] == "ok" { p = $col["params"] == "" ? "prime=64" : $col["params"]
			print "contend", p, $col["threads"] "thr", $col["ns_per_op"] }' \
		"$work/c$r/results.csv" >>"$out"
	for t in 1 2; do
		for w in 0 64; do
			LD_PRELOAD=$lib "$build/smallobj" -t "$t" -w "$w" -l per-rep -r 10 -m 2 -q |
				awk -v t="$t" -v w="$w" '/^rep=/ { split($3, a, "="); n = split(a[2], v, ","); if (a[2] ~ /nan/) next;
					s = 0; for (i = 1; i <= n; i++) s += v[i];
					print "kernel", "prime=" w, t "thr", s / n }' >>"$out"
		done
	done
done
awk '{ k = $2 " " $3; v[$1, k, ++n[$1, k]] = $4; keys[k] = 1 }
function stat(src, k, what,   m, i, j, t, a) {
	m = n[src, k]; for (i = 1; i <= m; i++) a[i] = v[src, k, i]
	for (i = 2; i <= m; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
	if (what == "min") return a[1]
	if (what == "q1") return a[int((m + 3) / 4)]
	if (what == "q3") return a[int((3 * m + 3) / 4)]
	return m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2 }
END {
	for (k in keys) {
		printf "%-15s contend %8.2f [%5.2f, %5.2f] %8.2f   kernel %8.2f [%5.2f, %5.2f] %8.2f   %.2f, %.2f\n", k,
		       stat("contend", k, "med"), stat("contend", k, "q1"), stat("contend", k, "q3"),
		       stat("contend", k, "min"), stat("kernel", k, "med"), stat("kernel", k, "q1"),
		       stat("kernel", k, "q3"), stat("kernel", k, "min"),
		       stat("contend", k, "med") / stat("kernel", k, "med"),
		       stat("contend", k, "min") / stat("kernel", k, "min")
	}
}' "$out" | sort >"$work/table"
printf "%-15s %-8s %22s %8s   %-8s %22s %8s   %s\n" "tcmalloc 16B" "" "median [q1, q3]" "min" "" \
	"median [q1, q3]" "min" "contend/kernel: median, min"
cat "$work/table"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
