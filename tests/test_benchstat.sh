#!/usr/bin/env bash
# test_benchstat.sh — the benchstat recipes of README.md, run on two fresh
# small studies: each must succeed and print clean tables (no row pooling
# benchmarks: "benchmarks vary in", no "benchmark set differs"). benchstat
# is not a dependency: without one on PATH (or in $BENCHSTAT) this skips.
#   test_benchstat.sh CONTEND README
set -u
contend=$1 readme=$2
bs=${BENCHSTAT:-$(command -v benchstat)}
[ -n "$bs" ] && [ -x "$bs" ] || { echo "no benchstat: skipped"; exit 77; }
work=$(mktemp -d /tmp/contend-benchstat-XXXXXX)
trap 'rm -rf "$work"' EXIT
for d in old new; do
	"$contend" run -q -w bilbo,smaug -s 1KiB,4KiB -t 1,2 -a all -a glibc:arena_max=1 -n 6 \
		--benchtime 1ms --ci-target 0 -o "$work/$d" >/dev/null 2>&1 ||
		{ echo "FAIL: study $d"; exit 1; }
done
cp "$work/old/results.txt" "$work/results.txt"
# the recipes name jemalloc: glibc stands in where it is not installed
sub=cat
grep -q '^alloc-jemalloc: .* verified' "$work/results.txt" || sub="sed s/jemalloc/glibc/g"
recipes=$(sed -n '/^```sh$/,/^```$/p' "$readme" | grep '^benchstat ' | $sub)
[ -n "$recipes" ] || { echo "FAIL: no benchstat recipe in $readme"; exit 1; }
fail=0 n=0
while IFS= read -r cmd; do
	n=$((n + 1))
	out=$(cd "$work" && eval "${cmd/#benchstat/\"\$bs\"}" 2>&1)
	rc=$?
	if [ "$rc" -ne 0 ] || ! grep -q '│' <<<"$out" ||
		grep -Eq 'vary in|set differs|no benchmarks|unknown' <<<"$out"; then
		fail=1
		echo "FAIL: $cmd (exit $rc)"
		echo "$out" | head -20
	fi
done <<<"$recipes"
[ "$fail" -eq 0 ] && echo "benchstat: $n recipes give clean tables"
exit "$fail"
