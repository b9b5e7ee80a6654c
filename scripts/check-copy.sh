#!/usr/bin/env bash
# check-copy.sh — does contend's smaug stack mode cost what a by-value pass of
# a real struct costs in a program of its own?
#
# Builds a small standalone C program with the compiler and flags of the
# contend build (CMakeCache.txt, ct_config.h): a `struct { unsigned char b[N]; }`
# held in the caller, passed by value to a noipa function that reads one byte
# of its copy, in a timed loop. Then, in alternating rounds (so both see the
# same state of the machine), runs that program and `contend run -w smaug
# -m stack` at the same sizes, on one thread pinned to the same CPU, and
# prints both medians and their ratio — and, for comparison, contend with
# --param copy=memcpy (a library memcpy of run-time length). Exit status 1 when a ratio is outside
# 1 ± TOLERANCE (default 0.15), 2 on bad input.
#
#   scripts/check-copy.sh [BUILD_DIR] [SIZES] [ROUNDS]
#   defaults: build, "1024 4096", 5
# Environment: TOLERANCE=0.15, BENCHTIME=20ms (per repetition, both programs).
set -euo pipefail

build=${1:-build}
sizes=${2:-1024 4096}
rounds=${3:-5}
tol=${TOLERANCE:-0.15}
bt_ms=${BENCHTIME:-20ms}
bt_ms=${bt_ms%ms}

die() { echo "check-copy: $*" >&2; exit 2; }
[ -x "$build/contend" ] || die "no contend in '$build': build it first (cmake --build $build)"
if [ ! -f "$build/ct_config.h" ] || [ ! -f "$build/CMakeCache.txt" ]; then
	die "'$build' is not a contend build"
fi
[[ "$bt_ms" =~ ^[0-9]+$ ]] || die "BENCHTIME must be in ms, e.g. 20ms"
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || die "bad ROUNDS '$rounds'"
read -ra size_list <<<"$sizes"
[ "${#size_list[@]}" -gt 0 ] || die "no sizes"
for n in "${size_list[@]}"; do
	if ! [[ "$n" =~ ^[0-9]+$ ]] || [ "$n" -lt 16 ] || [ $((n & (n - 1))) -ne 0 ]; then
		die "size '$n' is not a power of two of at least 16 bytes"
	fi
done

cc=$(sed -n 's/^CMAKE_C_COMPILER:[A-Z]*=//p' "$build/CMakeCache.txt")
flags=$(sed -n 's/^#define CT_CFLAGS "\(.*\)"$/\1/p' "$build/ct_config.h")
case "$flags" in *-fsanitize*) die "'$build' is a sanitizer build: use a plain one" ;; esac
cpu=$(taskset -pc $$ 2>/dev/null | sed 's/.*: *//; s/[,-].*//')
cpu=${cpu:-0}

work=$(mktemp -d /tmp/check-copy-XXXXXX)
trap 'rm -rf "$work"' EXIT

# ---------------------------------------------------------------- the reference
# One function per size, as a user writes it: the value is a local of the
# caller, the callee takes it by value, its address escapes, one byte comes
# back. Same read-back pattern as smaug (offset += 13 mod N).
{
	cat <<'EOF'
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#define NOIPA __attribute__((noipa, noinline))
#define ESCAPE(p) __asm__ volatile("" : : "r"(p) : "memory")
static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
EOF
	for n in "${size_list[@]}"; do
		cat <<EOF
typedef struct { unsigned char b[$n]; } s$n;
NOIPA static unsigned char callee$n(s$n v, size_t probe)
{
	ESCAPE(&v);
	return v.b[probe];
}
NOIPA static double run$n(uint64_t iters, uint64_t *sink)
{
	s$n v;
	for (size_t i = 0; i < sizeof v.b; i++)
		v.b[i] = (unsigned char)(i * 131);
	ESCAPE(&v);
	size_t probe = 0;
	uint64_t sum = 0, t0 = now_ns();
	for (uint64_t i = 0; i < iters; i++) {
		sum += callee$n(v, probe);
		probe += 13;
		if (probe >= $n)
			probe -= $n;
	}
	uint64_t t1 = now_ns();
	*sink += sum;
	return (double)(t1 - t0) / (double)iters;
}
EOF
	done
	cat <<'EOF'
/* Calibrate like contend: grow the count until a run lasts the benchtime. */
static double measure(double (*run)(uint64_t, uint64_t *), uint64_t target_ns, uint64_t *sink)
{
	uint64_t iters = 100;
	double ns = run(iters, sink);
	while (ns * (double)iters < (double)target_ns) {
		double want = 1.2 * (double)target_ns / (ns > 0.1 ? ns : 0.1);
		iters = want > 100.0 * (double)iters ? 100 * iters : (uint64_t)want + 1;
		ns = run(iters, sink);
	}
	return ns;
}
int main(int argc, char **argv)
{
	uint64_t target = strtoull(argv[1], NULL, 10) * 1000000ull, sink = 0;
	for (int i = 0; i < 3 * (argc - 2); i++) { /* three repetitions, like contend -n 3 */
		unsigned long n = strtoul(argv[2 + i % (argc - 2)], NULL, 10);
		double ns = -1;
EOF
	for n in "${size_list[@]}"; do
		echo "		if (n == $n) ns = measure(run$n, target, &sink);"
	done
	cat <<'EOF'
		printf("%lu %.3f\n", n, ns);
	}
	return sink == 1; /* keeps the sink */
}
EOF
} >"$work/byvalue.c"

# shellcheck disable=SC2086 # flags are a list
"$cc" $flags -o "$work/byvalue" "$work/byvalue.c" || die "cannot build the reference with $cc $flags"

# ---------------------------------------------------------------- the rounds
list=$(IFS=,; echo "${size_list[*]}")
: >"$work/ref" && : >"$work/compiler" && : >"$work/memcpy"
echo "compiler: $("$cc" --version | head -1); flags: $flags; CPU $cpu; $rounds rounds"
for r in $(seq "$rounds"); do
	taskset -c "$cpu" "$work/byvalue" "$bt_ms" "${size_list[@]}" | sed "s/\$/ $r/" >>"$work/ref"
	for copy in compiler memcpy; do
		out="$work/run$r-$copy"
		"$build/contend" run -q -w smaug -m stack -s "$list" -a glibc -t 1 -n 3 --ci-target 0 \
			-P copy=$copy --benchtime "${bt_ms}ms" -o "$out" >/dev/null 2>"$work/err" ||
			die "contend run failed: $(tail -1 "$work/err")"
		# workload,mode,...,size_bytes (4th), status (9th), ns_per_op (12th)
		awk -F, -v r="$r" 'NR > 1 && $1 == "smaug" && $9 == "ok" { print $4, $12, r }' \
			"$out/results.csv" >>"$work/$copy"
	done
done

median() { sort -g | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# shellcheck disable=SC2317 # called through col()
least() { sort -g | head -1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
col() { awk -v n="$2" '$1 == n { print $2 }' "$work/$1" | "$3"; }
# The ratio of the two programs' medians within each round (seconds apart,
# so a change in the machine's load between rounds cancels), then their median.
paired() {
	for r in $(seq "$rounds"); do
		a=$(awk -v n="$2" -v r="$r" '$1 == n && $3 == r { print $2 }' "$work/$1" | median)
		b=$(awk -v n="$2" -v r="$r" '$1 == n && $3 == r { print $2 }' "$work/ref" | median)
		ratio "$a" "$b"
		echo
	done | median
}
status=0
echo "ns/op, median (least) over each program's runs; ratio: the median over rounds of"
echo "contend / by-value program within a round, the verdict is on it"
printf '%-7s %18s %18s %7s   %18s %7s\n' size "by-value program" "contend" ratio "contend memcpy" ratio
for n in "${size_list[@]}"; do
	q=$(paired compiler "$n")
	verdict=$(awk -v q="$q" -v t="$tol" 'BEGIN { print (q >= 1 - t && q <= 1 + t) ? "ok" : "OUTSIDE" }')
	[ "$verdict" = ok ] || status=1
	printf '%-7s %9.2f (%6.2f) %9.2f (%6.2f) %7.3f   %9.2f (%6.2f) %7.3f  %s (±%s)\n' "${n}B" \
		"$(col ref "$n" median)" "$(col ref "$n" least)" "$(col compiler "$n" median)" \
		"$(col compiler "$n" least)" "$q" "$(col memcpy "$n" median)" \
		"$(col memcpy "$n" least)" "$(paired memcpy "$n")" "$verdict" "$tol"
done
exit "$status"
