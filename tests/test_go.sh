#!/usr/bin/env bash
# test_go.sh — the go column end to end: the Go kernels under Go's own
# harness (they allocate exactly as the seed's do), a study with `-a go`
# through the same parent, pipes and writers as the C allocators (census
# B/op and allocs/op equal to the type sizes, every worker on its PU), the
# GOGC/GOMEMLIMIT variants read back from the runtime, the refusals, and
# churn and large, whose census equals `go test -benchmem` on the same kernels.
#   test_go.sh CONTEND BUILD_DIR GO_SOURCE_DIR GO_TOOLCHAIN
# Exit 77 (skipped) when the build found no Go toolchain.
set -u
contend=$1; build=$2; src=$3; gotool=${4:-}
if [ -z "$gotool" ] || [ ! -x "$build/contend-go" ]; then
	echo "test_go: no Go toolchain at build time: skipped"; exit 77
fi
work=$(mktemp -d /tmp/contend-go-XXXXXX)
trap 'rm -rf "$work"' EXIT
pass=0; fail=0
check() { # check DESCRIPTION COMMAND...
	if "${@:2}"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1"; fi
}

# 1. The kernels under `go test`: stack kernels 0 allocs/op, heap ones 1, the
#    copied bytes arrive (offline: standard library only).
check "go test of allocators/go" env GOPATH="$build/go/path" GOCACHE="$build/go/cache" \
	GOPROXY=off GOFLAGS= CGO_ENABLED=0 sh -c "cd '$src' && '$gotool' vet . && '$gotool' test -count=1 ."

# 2. A study: one row per repetition, census equal to the Go types' sizes.
out=$work/study
check "study with -a go exits 0" "$contend" run -a go -w bilbo,smaug -s 16B,1KiB,64KiB -t 1,2 \
	-n 2 --benchtime 2ms -q -o "$out"
csv=$out/results.csv
col() { head -1 "$csv" | tr ',' '\n' | grep -nx "$1" | cut -d: -f1; }
field() { # field WORKLOAD MODE SIZE THREADS COLUMN: values of the go rows
	awk -F, -v w="$1" -v m="$2" -v s="$3" -v t="$4" -v c="$(col "$5")" \
		'$1==w && $2==m && $3==s && $5=="go" && $6==t {print $c}' "$csv" | sort -u
}
# A repetition whose threads did not run together is redone, at worst kept
# as `rejected` (a busy machine): measured either way, never failed.
rows=$(awk -F, '$5=="go" && ($9=="ok" || $9=="rejected")' "$csv" | wc -l)
bad=$(awk -F, '$5=="go" && $9!="ok" && $9!="rejected"' "$csv" | wc -l)
check "18 points x 2 reps or more measured (got $rows)" test "$rows" -ge 36
check "no failed go rows (got $bad)" test "$bad" -eq 0
# The common window, as the C children report it: overlap in [0, 1] (1 at
# one thread), an on-CPU share, every thread's operations counted (at
# least iterations x threads), 1 to 3 attempts.
window=$(awk -F, -v t="$(col threads)" -v o="$(col overlap)" -v c="$(col cpu_share_min)" \
	-v n="$(col ops_total)" -v i="$(col iters_per_thread)" -v a="$(col attempts)" \
	'$5=="go" && !($o >= 0 && $o <= 1 && ($t > 1 || $o == 1) && $c > 0 && $c <= 1.05 &&
	 $n >= $i * $t - $t && $n > 0 && $a >= 1 && $a <= 3) {print}' "$csv" | wc -l)
check "overlap, cpu_share_min, ops_total, attempts sane ($window rows not)" test "$window" -eq 0
for t in 1 2; do
	check "bilbo heap $t thr 16 B/op" test "$(field bilbo heap 16B $t bytes_per_op)" = 16
	check "bilbo heap $t thr 1 alloc/op" test "$(field bilbo heap 16B $t allocs_per_op)" = 1
	check "bilbo stack $t thr 0 allocs" test "$(field bilbo stack 16B $t allocs_per_op)" = 0
	for s in 16B:16 1KiB:1024 64KiB:65536; do
		check "smaug heap ${s%:*} $t thr B/op" test "$(field smaug heap "${s%:*}" $t bytes_per_op)" = "${s#*:}"
		check "smaug heap ${s%:*} $t thr allocs" test "$(field smaug heap "${s%:*}" $t allocs_per_op)" = 1
		check "smaug stack ${s%:*} $t thr allocs" test "$(field smaug stack "${s%:*}" $t allocs_per_op)" = 0
	done
	check "workers on their PUs at $t thr" test "$(field smaug heap 1KiB $t threads_pinned)" = "$t"
done
# Copies cost more at 64 KiB than at 1 KiB: the compiler kept them.
small=$(field smaug stack 1KiB 1 ns_per_op | head -1); big=$(field smaug stack 64KiB 1 ns_per_op | head -1)
check "64KiB copy ($big ns) > 8x the 1KiB one ($small ns)" awk -v a="$small" -v b="$big" 'BEGIN{exit !(b > 8*a)}'
check "GC columns in alloc_stats" grep -q 'gc_per_op=.*gc_cpu_share=.*gomaxprocs=2' "$csv"
check "GC per repetition in results.txt" grep -Eq '^BenchmarkSmaug/mode=heap/.*alloc=go.*	[0-9.e+-]+ gc/op	[0-9.e+-]+ gc-cpu-%' "$out/results.txt"
check "Go version in results.txt" grep -Eq '^alloc-go: go[0-9.]+ .*contend-go verified' "$out/results.txt"
check "Go version in machine.json" grep -Eq '"name": "go".*"version": "go[0-9.]+", "verified": true' "$out/machine.json"

# 3. Variants: set through GOGC/GOMEMLIMIT, read back by the child.
out=$work/variants
check "variants exit 0" "$contend" run -a go:gogc=off,go:gogc=400,go:memlimit=1GiB -w bilbo -t 1 -n 1 \
	--benchtime 2ms -q -o "$out"
check "gogc=off verified" grep -q '"tunables": "gogc=off:verified"' "$out/machine.json"
check "memlimit verified" grep -q '"tunables": "memlimit=1GiB:verified"' "$out/machine.json"
check "gogc=off runs without GC" grep -q 'go:gogc=off,.*gogc=-1' "$out/results.csv"
check "gogc=400 recorded" grep -q 'go:gogc=400,.*gogc=400;' "$out/results.csv"
check "memlimit recorded" grep -q 'memlimit=1073741824' "$out/results.csv"

# 4. A go child that hangs past --timeout costs only its point: it is
#    killed, and a new one runs the next point.
out=$work/timeout
"$contend" run -a go -w smaug -s 64MiB,1KiB -m heap -t 1 -n 1 --benchtime 300x --timeout 1s -q \
	-o "$out" >/dev/null 2>&1; rc=$?
check "a failed point exits 1 (got $rc)" test "$rc" -eq 1
csv=$out/results.csv
check "64MiB point timed out" grep -q '^smaug,heap,64MiB,.*,failed,.*timed out after 1s' "$csv"
check "1KiB point measured after it" grep -q '^smaug,heap,1KiB,1024,go,1,compact,1,ok,' "$csv"

# 5. What go cannot run: one line naming it, exit 2, nothing written.
refuse() { # refuse ARGS TEXT
	local err rc
	err=$("$contend" run $1 -q -o "$work/refused" 2>&1 >/dev/null); rc=$?
	check "'$1' exits 2 (got $rc)" test "$rc" -eq 2
	check "'$1' names it: $err" sh -c 'test "$(printf "%s\n" "$1" | wc -l)" -eq 1 && case "$1" in *"$2"*) ;; *) exit 1;; esac' _ "$err" "$2"
	check "'$1' writes nothing" test ! -e "$work/refused"
}
refuse "-a go -w xfree" "go runs bilbo, smaug, churn and large only, not xfree"
refuse "-a go -w large -s 1000B" "go runs large at powers of two"
refuse "-a go -w smaug -s 1000B" "powers of two"
refuse "-a go:nosuch=1" "go has no tunable 'nosuch'"
refuse "-a go=/bin/sh" "runtime, not a library"
# By default go is skipped for such a study, the others still run.
check "default allocators skip go at 24B" sh -c "'$contend' run -w smaug -s 24B -t 1 -n 1 --benchtime 1ms -q \
	-o '$work/default' 2>&1 | grep -q 'go: skipped: go runs smaug at powers of two'"

# 6. churn and large on go: measured like bilbo and smaug, and their census
#    equal to what `go test -benchmem` reports for the same kernels (churn
#    at its default k=4096, batch=256, as BenchmarkChurn runs it). 20000
#    operations: -benchmem divides all bytes by them, the runtime's own
#    (goroutine starts, GC workers) included, so those must stay below one
#    byte per operation.
out=$work/churnlarge
check "churn,large study with -a go exits 0" "$contend" run -a go -w churn,large -s 1KiB,64KiB \
	-t 1,2 -n 2 --benchtime 2ms -q -o "$out"
csv=$out/results.csv
bad=$(awk -F, '$5=="go" && $9!="ok" && $9!="rejected"' "$csv" | wc -l)
rows=$(awk -F, '$5=="go" && ($9=="ok" || $9=="rejected")' "$csv" | wc -l)
check "churn,large: 12 points x 2 reps or more (got $rows), none failed (got $bad)" \
	test "$rows" -ge 24 -a "$bad" -eq 0
check "go test -c" env GOPATH="$build/go/path" GOCACHE="$build/go/cache" GOPROXY=off GOFLAGS= \
	CGO_ENABLED=0 sh -c "cd '$src' && '$gotool' test -c -o '$work/kernels.test' ."
"$work/kernels.test" -test.run '^$' -test.bench 'Churn/mode=heap/size=(1024|65536)$|Large/mode=.*/size=(1024|65536)$' \
	-test.benchmem -test.cpu 1,2 -test.benchtime 20000x >"$work/bench.txt" 2>&1
benched=$(grep -c '^Benchmark' "$work/bench.txt")
check "go test -bench ran 10 benchmarks (got $benched)" test "$benched" -eq 10
while read -r name _ _ _ bytes _ allocs _; do # BenchmarkLarge/mode=heap/size=1024-2 N x ns/op B B/op a allocs/op
	thr=${name##*-}; case $name in *-[0-9]*) ;; *) thr=1;; esac
	name=${name%-"$thr"}; wl=$(printf '%s' "${name#Benchmark}" | cut -d/ -f1 | tr A-Z a-z)
	mode=${name#*/mode=}; mode=${mode%%/*}; size=${name##*size=}
	label=$([ "$size" = 1024 ] && echo 1KiB || echo 64KiB)
	check "$wl $mode $label $thr thr: census B/op = -benchmem's $bytes" \
		test "$(field "$wl" "$mode" "$label" "$thr" bytes_per_op)" = "$bytes"
	check "$wl $mode $label $thr thr: census allocs/op = -benchmem's $allocs" \
		test "$(field "$wl" "$mode" "$label" "$thr" allocs_per_op)" = "$allocs"
done < <(grep '^Benchmark' "$work/bench.txt")
check "churn heap 1KiB: 1 alloc of 1024 B per op" \
	test "$(field churn heap 1KiB 1 bytes_per_op)/$(field churn heap 1KiB 1 allocs_per_op)" = 1024/1
check "large stack 64KiB: nothing allocated" test "$(field large stack 64KiB 2 allocs_per_op)" = 0

# B/op written whole at 1 MiB (not 1.04858e+06), so it can equal -benchmem's.
out=$work/mib
"$contend" run -a go,glibc -w smaug -m heap -s 1MiB -t 1 -n 1 --benchtime 2ms --ci-target 0 -q \
	-o "$out" >/dev/null 2>&1
csv=$out/results.csv
for a in go glibc; do
	got=$(awk -F, -v a="$a" -v c="$(col bytes_per_op)" '$5==a {print $c}' "$csv")
	check "$a smaug heap 1MiB: B/op 1048576 exactly (got $got)" test "$got" = 1048576
done

# 7. Threads that did not run together are caught in the go column too: a
#    busy loop pinned beside the second worker keeps its thread waiting on
#    the run queue half the time, so every 2-thread repetition is redone,
#    then kept as rejected for an on-CPU share below 90% (near one half).
#    The stack kernel, which does not allocate: the CPU time of the
#    runtime's own threads is forgiven, which beside a heap kernel under
#    emulation (arm64 tests) can be most of the window and hide the loop.
#    50 ms spans many of the kernel's time slices: a 5 ms window can fall
#    inside one.
if [ "$(nproc)" -ge 2 ]; then
	taskset -c 1 sh -c 'while :; do :; done' &
	hog=$!
	out=$work/hog
	"$contend" run -a go -w bilbo -m stack -t 2 -n 3 --ci-target 0 --benchtime 50ms -q \
		-o "$out" >/dev/null 2>&1
	kill "$hog"; wait "$hog" 2>/dev/null
	csv=$out/results.csv
	share=$(awk -F, -v c="$(col cpu_share_min)" -v s="$(col status)" \
		'$5=="go" && $s=="rejected" && $c < 0.9 {n++} END {print n + 0}' "$csv")
	check "a busy loop beside a go worker: 3 of 3 repetitions rejected (got $share)" \
		test "$share" -eq 3
fi

# 8. Nothing stalls under load. Two busy loops pinned on each of two CPUs
#    keep the workers off their CPUs much of the time, so gate waiters give
#    up their CPU over and over, while GOGC=10 keeps the GC cycling. A
#    waiter that did so with sched_yield was starved for seconds by the
#    kernel's scheduler while a GC waited on its P, stalling a repetition
#    for up to a minute (here every run lost 1 to 6 of its 24 repetitions to
#    a 5 s timeout): now every repetition ends, measured or rejected.
if [ "$(nproc)" -ge 2 ]; then
	hogs=()
	for c in 0 0 1 1; do
		taskset -c "$c" sh -c 'while :; do :; done' &
		hogs+=("$!")
	done
	out=$work/load
	"$contend" run -a go:gogc=10 -w bilbo,smaug -m heap,zeroed -s 16B,1KiB,64KiB -t 2 -n 3 \
		--ci-target 0 --benchtime 2ms --timeout 5s -q -o "$out" >/dev/null 2>&1
	kill "${hogs[@]}"; wait "${hogs[@]}" 2>/dev/null
	csv=$out/results.csv
	rows=$(awk -F, '$5=="go:gogc=10" && ($9=="ok" || $9=="rejected")' "$csv" | wc -l)
	bad=$(awk -F, '$5=="go:gogc=10" && $9!="ok" && $9!="rejected" {print $1, $2, $3, $NF}' "$csv")
	# bilbo's value has one size: (1 + 3 sizes) x 2 modes x 3 repetitions
	check "under load: 24 repetitions measured or rejected (got $rows)" test "$rows" -eq 24
	check "under load: none failed (got: ${bad:-none})" test -z "$bad"
fi

# 9. The cross-check script runs end to end (one short round): a row for
#    each kernel at 1 and 2 threads, and at 1 thread contend's census equal
#    to -benchmem's.
xc=$("$(dirname "$0")/../scripts/go-crosscheck.sh" "$build" 1KiB 2ms 1 bilbo,smaug 2>/dev/null)
check "go-crosscheck exits 0" test $? -eq 0
for row in "bilbo heap 16 1 16/1" "bilbo stack 16 1 0/0" "smaug heap 1024 1 1024/1" \
	"smaug stack 1024 1 0/0"; do
	read -r w m b t ba <<<"$row"
	got=$(awk -v w="$w" -v m="$m" -v b="$b" -v t="$t" \
		'$1==w && $2==m && $3==b && $4==t {print $(NF-1), $NF}' <<<"$xc")
	check "go-crosscheck: $w $m $b at $t thread: B/allocs $ba on both sides (got '$got')" \
		test "$got" = "$ba $ba"
done
rows=$(awk '$4==2' <<<"$xc" | wc -l)
check "go-crosscheck: 2-thread rows for the 4 kernels (got $rows)" test "$rows" -eq 4

echo "test_go: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
