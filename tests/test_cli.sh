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
-t	needs a value
extra	unexpected argument 'extra'
--timeout 1ns	--timeout: bad value '1e-09s': below 100ms
--timeout 200ms --benchtime 1s	not above --benchtime
-w churn -s 1MiB -P k=16777216 -t 2	the plan needs about
-t 1-64 -n 10000 --max-count 100000	MiB of records
-w ,smaug	empty item in list
-m heap,,stack	empty item in list
-P k=5,,batch=2	empty item in list
-w churn -P k=5,k=6	'k' given twice
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
check "list extra" "list: unexpected argument 'x'" "$contend" list x

# help exits 0 with text on stdout
for sub in "--help" "run --help" "list --help" "help"; do
	# shellcheck disable=SC2086
	if "$contend" $sub | grep -q usage; then pass=$((pass + 1)); else
		echo "FAIL [$sub]: no usage text"; fail=$((fail + 1)); fi
done
echo "test_cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
