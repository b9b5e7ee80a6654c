#!/usr/bin/env bash
# test_cli.sh — bad input: one line on stderr naming the option and the
# value, exit status 2, nothing on stdout, no results written.
#   test_cli.sh CONTEND BUILD_DIR
set -u
contend=$1; build=$2
work=$(mktemp -d /tmp/contend-cli-XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/taken" && echo x > "$work/taken/results.txt" && echo x > "$work/file"
mkfifo "$work/fifo"
long=$(printf 'bilbo%.0s,' $(seq 90))smaug
pass=0; fail=0

# args<TAB>text the error line must contain
cases=$(cat <<CASES
-w nosuch	--workload: bad value 'nosuch'
-w bilbo,	--workload
-w ''	--workload
-m nosuch	--mode: bad value 'nosuch'
-m ,	--mode
-a nosuch	--alloc: bad value 'nosuch'
-a glibc,glibc	named twice
-a 'x=/nonexistent/lib.so'	does not exist
-a "x=$work/file"	not a shared library
-a glibc:nosuch=1	glibc has no tunable 'nosuch'
-a glibc:arena_max	not key=value
-a 'bad name'	bad allocator name
-a ''	--alloc
-a ,glibc	empty item
-t 0	--threads: bad value '0'
-t -1	--threads
-t 4-1	runs backwards
-t 1,,2	empty item
-t 1025	--threads
-t 99999999999999999999999	--threads
-t abc	--threads
-s 0	--size
-s 8B	smaug takes sizes 16B to 64MiB
-s 128MiB	smaug takes sizes
-s 1KiBB	unknown size unit
-s 1XiB	unknown size unit
-s 1.3B	whole number of bytes
-s 2MiB-1KiB	runs backwards
-s ''	--size
-p middle	--place: bad value 'middle'
-n 0	--count: bad value '0'
-n -3	--count
-n 100001	--count
-n 3.5	--count
--benchtime 0s	--benchtime
--benchtime 50	needs a unit
--benchtime 50parsecs	unknown time unit
--benchtime 0x	--benchtime
--benchtime -5ms	--benchtime
--timeout 0ms	--timeout
--benchtime 5us	shorter than 1000 steps of this clock
-w smaug -s 64MiB -t 1024	the plan needs about
-P nosuch=1	no selected workload has this parameter
-w bilbo -P prime=0/0	--param: bad value '0': the same value given twice
-w bilbo -P prime=0/64/64B	the same value given twice
-w bilbo -P prime=0,prime=64	given twice: to sweep it, name it once with values a/b
-w bilbo -P prime=0/	--param: bad value '0/': empty value in list
-w bilbo -P prime=/0	empty value in list
-w bilbo -P prime=0//64	empty value in list
-w bilbo -P prime=2000000	bilbo: prime takes 0 to 1048576
-w bilbo -P prime=0/2000000	--param: bad value '2000000': bilbo: prime takes 0 to 1048576
-w bilbo -P prime=0/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16	at most 16 values per parameter
-w smaug -P copy=compiler/nosuch	--param: bad value 'nosuch': smaug: copy is one of compiler, memcpy
-w smaug -P copy=memcpy/memcpy	the same value given twice
-P k	want name=value
-w churn -P k=	want name=value
-w churn -P k=1,k=2	given twice
-P copy=nosuch	copy is one of compiler, memcpy
-P copy=memcpy,copy=compiler	given twice
-w churn -P k=0	churn: k takes 1 to 16777216
-w churn -P dist=2	churn: dist takes 0 to 1
-w xfree -m pc -t 3	--threads: bad value '3': xfree pc pairs
-w xfree -m remote,pc -t 1,2,5	--threads: bad value '5'
-w xfree -P depth=0	xfree: depth takes 1 to 1024
--ci-target 200	--ci-target
--ci-target x	--ci-target
-n 9 --max-count 3	below --count
--timeout soon	--timeout
-o $work/taken	already holds a study
-o $work/file	not a directory
--nosuch	unknown option '--nosuch'
-benchtime 2ms	unknown option '-benchtime' (a flag of go test: use --benchtime T)
-count 3	unknown option '-count' (a flag of go test: use -n, --count N)
-cpu 1,2	use -t, --threads LIST
-bench Smaug	use --filter REGEX
-quiet	unknown option '-quiet' (did you mean '--quiet'?)
-qz	unknown option '-z' in '-qz'
-a no-nosuch	--alloc: bad value 'no-nosuch': names no allocator
-a no-glibc,no-mimalloc,no-tcmalloc,no-jemalloc,no-go	leaves no allocator
-a glibc -a glibc	named twice
-P k=1 -P k=2	--param: bad value 'k': given twice
--filter '('	--filter: bad value '('
--filter 'alloc=nosuch'	matches no benchmark of the plan
--timeout 1m30	duration needs a unit
--benchtime 1m30parsecs	unknown time unit 'parsecs'
-t	needs a value
extra	unexpected argument 'extra'
--timeout 1ns	--timeout: bad value '1ns': below 100ms
--timeout 200ms --benchtime 1s	not above --benchtime
-w churn -s 1MiB -P k=16777216 -t 2	the plan needs about
-t 1-64 -n 10000 --max-count 100000	MiB of records
-w ,smaug	empty item in list
-m heap,,stack	empty item in list
-P k=5,,batch=2	empty item in list
-w churn -P k=5,k=6	given twice: to sweep it, name it once with values a/b
-w churn -P k=5 -P k=6	given twice
-w bilbo,bilbo	'bilbo' given twice
-w $long	list longer than 511 bytes
-n 3 -xq	unknown option '-x'
-qn	option '-n' needs a value
-a "x=$work/fifo"	not a regular file
-a "x=$work/a b.so"	space, which LD_PRELOAD cannot carry
-a "\$(printf 'x=/tmp/a\\nb.so')"	control character
CASES
)

check() { # label, expected substring, command...
	local label=$1 want=$2; shift 2
	local out err rc
	out=$("$@" 2>"$work/err"); rc=$?
	err=$(cat "$work/err")
	local lines; lines=$(printf '%s' "$err" | grep -c '')
	if [ "$rc" -eq 2 ] && [ -z "$out" ] && [ "$lines" -eq 1 ] && [[ "$err" == *"$want"* ]]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL [$label]: rc=$rc lines=$lines want '$want'"
		echo "  stderr: $err"
		[ -n "$out" ] && echo "  stdout: ${out:0:200}"
	fi
}

while IFS=$'\t' read -r args want; do
	[ -n "$args" ] || continue
	eval "set -- $args"
	check "run $args" "$want" "$contend" run -q -o "$work/out" "$@"
	[ -e "$work/out" ] && { echo "FAIL [$args]: wrote $work/out"; fail=$((fail + 1)); rm -rf "$work/out"; }
done <<<"$cases"

# a refused --out leaves none of the directories it made
check "out made" "--out" "$contend" run -q -o "$work/made/../file/x"
[ -e "$work/made" ] && { echo "FAIL [out made]: left $work/made"; fail=$((fail + 1)); }

check "bad subcommand" "unknown subcommand 'frobnicate'" "$contend" frobnicate
check "help of no subcommand" "help: bad value 'frobnicate'" "$contend" help frobnicate
check "go flag, no subcommand" "use --benchtime T" "$contend" -benchtime 2ms

# expect LABEL TEXT: the last output holds TEXT
expect() {
	if grep -qF -- "$2" <<<"$got"; then pass=$((pass + 1)); else
		fail=$((fail + 1)); echo "FAIL [$1]: no '$2' in:"; echo "$got" | head -20; fi
}
# --dry-run: the plan on stdout, exit 0, nothing written; repeated lists add up
dry() { got=$("$contend" run --dry-run -o "$work/dry" "$@" 2>/dev/null); local rc=$?
	[ "$rc" -eq 0 ] || { fail=$((fail + 1)); echo "FAIL [dry-run $*]: exit $rc"; }
	[ ! -e "$work/dry" ] || { fail=$((fail + 1)); echo "FAIL [dry-run $*]: wrote"; rm -rf "$work/dry"; }; }
dry -w bilbo -m heap -a glibc -t 1,2 -t 4 -t 2
expect "-t adds up" "plan: 3 points x 1 allocators x 9 repetitions"
expect "-t adds up" "bilbo      heap     16B        4 thr"
expect "estimate" "estimated duration: about "
dry -w bilbo -w smaug -m heap -m stack -s 1KiB -s 2KiB,1KiB -a glibc -t 1
expect "-w -m -s add up" "plan: 6 points x 1 allocators"
dry -w bilbo -t 1 -a all   # those not installed are listed, marked so
got=$(grep '^allocators:' <<<"$got")
for a in "allocators: glibc" ", mimalloc" ", tcmalloc" ", jemalloc"; do expect "-a all" "$a"; done
dry -w bilbo -t 1 -a no-jemalloc -a no-mimalloc
expect "-a no-NAME" "allocators: glibc, tcmalloc"
dry -w bilbo -t 1,2 -a all --filter 'mode=heap/.*alloc=(glibc|tcmalloc)/.*-2$'
expect "--filter allocators" "allocators: glibc, tcmalloc"
expect "--filter points" "plan: 1 points x"
expect "--filter points" "bilbo      heap     16B        2 thr"
# a filtered run writes exactly the matching benchmarks
"$contend" run -q -w bilbo -t 1 -a all -n 2 --benchtime 1ms --filter 'mode=(heap|stack)/.*alloc=glibc' \
	-o "$work/f" >/dev/null 2>&1
got=$(grep '^Benchmark' "$work/f/results.txt" 2>/dev/null | cut -f1 | sort | uniq -c | sed 's/^ *//')
expect "filtered run" "2 BenchmarkBilbo/mode=heap/size=16B/alloc=glibc/place=compact-1"
expect "filtered run" "2 BenchmarkBilbo/mode=stack/size=16B/alloc=glibc/place=compact-1"
[ "$(grep -c '^Benchmark' "$work/f/results.txt" 2>/dev/null)" = 4 ] && pass=$((pass + 1)) ||
	{ fail=$((fail + 1)); echo "FAIL [filtered run]: other lines: $got"; }

# tables fit $COLUMNS (whole allocator groups per slice), and stdout and
# stderr into one file keep their order: the tables, then "done in", then the
# report line. The notes under the tables are prose, not columns: the
# concurrency line and the list of rejected repetitions by full name ("  Bilbo/…")
# are left out of the check like the other notes.
COLUMNS=70 "$contend" run -w bilbo -t 1,2,3 -a glibc -a glibc:arena_max=1 -n 2 --benchtime 1ms \
	-o "$work/w" >"$work/w.log" 2>&1
got=$(LC_ALL=C.UTF-8 awk '/^(census|±|\*|precision|latency|oversub|contend|report|concurrency|failed or rejected|  [^ ])/ { next }
	length($0) > 70 { print "too wide: " $0 }' "$work/w.log")
[ -z "$got" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL [COLUMNS=70]: $got"; }
got=$(grep -c '^size    mode  *1 thr  *2 thr  *3 thr$' "$work/w.log")
expect "one slice per allocator at 70 columns" "2"
got=$(grep -n -e '^precision:' -e '^contend: done in' -e '^report: ' "$work/w.log" | cut -d: -f2 | tr '\n' ' ')
expect "order in one file" "precision contend report "
check "list extra" "list: unexpected argument 'x'" "$contend" list x

# help exits 0 with text on stdout
for sub in "--help" "run --help" "list --help" "help"; do
	# shellcheck disable=SC2086
	if "$contend" $sub | grep -q usage; then pass=$((pass + 1)); else
		echo "FAIL [$sub]: no usage text"; fail=$((fail + 1)); fi
done
# values separated by / are swept: every combination measured, each set in
# its names and its own table; a quiet parameter at its default (prime=64,
# copy=compiler) is left out of both
if "$contend" run -w smaug -m heap -s 16B -a glibc -t 1 -n 1 --benchtime 100x \
	-P prime=0/64,copy=compiler/memcpy -o "$work/sweep" >"$work/sweep.out" 2>/dev/null &&
	[ "$(grep -c '^BenchmarkSmaug/' "$work/sweep/results.txt")" -eq 4 ] &&
	grep -q '^BenchmarkSmaug/mode=heap/size=16B/alloc=glibc' "$work/sweep/results.txt" &&
	grep -q '^BenchmarkSmaug/mode=heap/size=16B/prime=0/alloc=glibc' "$work/sweep/results.txt" &&
	grep -q '^BenchmarkSmaug/mode=heap/size=16B/copy=memcpy/alloc=glibc' "$work/sweep/results.txt" &&
	grep -q '^BenchmarkSmaug/mode=heap/size=16B/copy=memcpy/prime=0/alloc=glibc' "$work/sweep/results.txt" &&
	grep -q '^smaug — ns/op' "$work/sweep.out" &&
	grep -q '^smaug (prime=0) — ns/op' "$work/sweep.out" &&
	grep -q '^smaug (copy=memcpy) — ns/op' "$work/sweep.out" &&
	grep -q '^smaug (copy=memcpy, prime=0) — ns/op' "$work/sweep.out"; then
	pass=$((pass + 1))
else
	echo "FAIL [sweep]: -P prime=0/64,copy=compiler/memcpy did not measure and title all four sets"
	grep -E '^Benchmark|ns/op per thread' "$work/sweep/results.txt" "$work/sweep.out" 2>/dev/null | head -20
	fail=$((fail + 1))
fi
echo "test_cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
