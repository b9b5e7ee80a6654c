#!/usr/bin/env bash
# test_faults.sh — contend under hostile conditions: CPU limits, broken
# allocators, hostile files, full and read-only disks, signals. Each case is
# a function; every case must end within its deadline (nothing hangs) and
# say what went wrong (nothing is lost silently).
#   test_faults.sh CONTEND BUILD_DIR [CASE...]
set -u
contend=$1; build=$2; shift 2
work=$(mktemp -d /tmp/contend-faults-XXXXXX)
crash=$build/libctcrashalloc.so
pass=0; fail=0; skip=0
tiny=(-w smaug -m heap -s 1KiB -t 1 -n 1 --benchtime 1ms -q)

ok()   { pass=$((pass + 1)); }
bad()  { fail=$((fail + 1)); echo "FAIL [$case] $*" >&2; }
check() { if eval "$1"; then ok; else bad "$1${2:+ ($2)}"; fi; }
col()  { # col FILE NAME: that column of every data row (RFC 4180 aware)
	python3 - "$1" "$2" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='')))
i = rows[0].index(sys.argv[2])
for r in rows[1:]:
    print(r[i])
PY
}

# ---------------------------------------------------------------- cases

# The CPUs the process may use are the CPUs used: topology, placement,
# the oversubscription flag and selftest all see one CPU under taskset.
case_taskset() {
	command -v taskset >/dev/null || return 77
	local out; out=$(taskset -c 0 "$contend" list 2>&1)
	check '[[ $out == *"1 core(s), 1 PU(s)"* ]]' "list under taskset -c 0"
	check 'grep -qx "  compact    threads 0.. on PUs 0" <<<"$out"' "compact plan"
	taskset -c 0 timeout 120 "$contend" run "${tiny[@]}" -a glibc -t 1,2 -o "$work/ts" 2>"$work/ts.err"
	check '[[ $(col "$work/ts/results.csv" oversubscribed | tr -d "\n") == 01 ]]' "2 threads on 1 CPU oversubscribed"
	check 'grep -q "\"cores\": 1," "$work/ts/machine.json"'
	check '[[ $(col "$work/ts/results.csv" threads_pinned | tr -d "\n") == 12 ]]' "both workers on CPU 0"
	check 'grep -q oversubscribed "$work/ts.err"'
}

# ---------------------------------------------------------------- main

cases=("$@")
[[ ${#cases[@]} -gt 0 ]] || cases=($(declare -F | awk '/ case_/ {sub("case_", "", $3); print $3}'))
for case in "${cases[@]}"; do
	before=$fail
	"case_$case"; rc=$?
	if [[ $rc == 77 ]]; then skip=$((skip + 1)); echo "SKIP $case"
	elif [[ $fail == "$before" ]]; then echo "ok   $case"
	else echo "FAIL $case"; fi
done
echo "faults: $pass checks passed, $fail failed, $skip cases skipped"
if [[ $fail == 0 ]]; then rm -rf "$work"; else echo "kept $work"; fi
[[ $fail == 0 ]] || exit 1
[[ $pass -gt 0 ]] || exit 77
