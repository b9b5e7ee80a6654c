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
	check '[[ $(col "$work/ts/results.csv" oversubscribed | sort -u | tr -d "\n") == 01 ]]' "2 threads on 1 CPU oversubscribed (rows shuffled; a rejected point gets extras)"
	check 'grep -q "\"cores\": 1," "$work/ts/machine.json"'
	check '[[ $(col "$work/ts/results.csv" threads_pinned | sort -u | tr -d "\n") == 12 ]]' "both workers on CPU 0"
	check 'grep -q oversubscribed "$work/ts.err"'
	taskset -c 0 timeout 300 "$contend" selftest >"$work/ts.self" 2>&1
	check 'grep -q "pinning .* 1 of 1 workers" "$work/ts.self"' "$(grep pinning "$work/ts.self")"
}

# running PID: alive and not a zombie (a zombie waits for a reaper this
# container may not have)
running() { [[ -r /proc/$1/stat ]] && ! awk '{exit !($3 == "Z")}' "/proc/$1/stat" 2>/dev/null; }
preload_ok() { [[ ${CT_SANITIZED:-0} != 1 && -e $crash ]]; }
# elapsed SECONDS CMD...: run CMD, fail the case when it took longer
within() {
	local limit=$1; shift
	local t0=$SECONDS; "$@"; local rc=$?
	check "(( SECONDS - t0 <= $limit ))" "took $((SECONDS - t0))s, limit ${limit}s: $*"
	return $rc
}

# An allocator hanging in a destructor at process exit: the child is
# killed after --timeout, the study ends, machine.json says complete.
case_dtor_hang() {
	preload_ok || return 77
	CT_CRASH_MODE=dtor-hang within 30 timeout 60 "$contend" run "${tiny[@]}" -a "crash=$crash" \
		--timeout 2s -o "$work/dh" 2>"$work/dh.err"
	check 'grep -q "\"complete\": true" "$work/dh/machine.json"'
	check 'grep -q "did not exit within 2s" "$work/dh.err"'
}

# The wait for a child's hello honours --timeout.
case_hello_hang() {
	preload_ok || return 77
	CT_CRASH_MODE=hello-hang within 15 timeout 60 "$contend" run "${tiny[@]}" -a "glibc,crash=$crash" \
		--timeout 2s -o "$work/hh" 2>"$work/hh.err"
	check 'grep -q "crash: not measured: child hung before proving" "$work/hh.err"'
	check '[[ $(col "$work/hh/results.csv" alloc) == glibc ]]' "glibc measured"
}

# An allocator that forks, then crashes: the crash is seen at once (not at
# the timeout), recorded as the crash, and the forked copy does not outlive
# the study.
case_fork_crash() {
	preload_ok || return 77
	CT_CRASH_MODE=fork-crash CT_CRASH_PIDFILE=$work/fc.pids within 30 timeout 120 "$contend" run \
		"${tiny[@]}" -s 1KiB,3KiB -n 2 -a "crash=$crash" --timeout 20s -o "$work/fc" 2>/dev/null
	check '[[ $(col "$work/fc/results.csv" error | grep -c "signal 11") == 2 ]]' "two crashes recorded"
	check '[[ -s $work/fc.pids ]]' "the allocator forked"
	local pid alive=0
	for pid in $(cat "$work/fc.pids" 2>/dev/null); do running "$pid" && alive=1; done
	check '(( alive == 0 ))' "forked copies still running"
}

# Allocator output on stdout: on stderr, never in results.txt, not even
# when contend's own stdout is closed; nowhere with -q.
case_alloc_stdout() {
	preload_ok || return 77
	CT_CRASH_MODE=stdout timeout 60 "$contend" run "${tiny[@]}" -a "crash=$crash" -o "$work/so" \
		>&- 2>"$work/so.err"
	check '! grep -q CRASHALLOC "$work/so/results.txt" "$work/so/results.csv"' "allocator output in results"
	check '[[ $(col "$work/so/results.csv" status) == ok ]]'
	CT_CRASH_MODE=stdout timeout 60 "$contend" run "${tiny[@]}" -a "crash=$crash" -o "$work/sq" \
		>"$work/sq.out" 2>"$work/sq.err"
	check '! grep -q CRASHALLOC "$work/sq.out" "$work/sq.err" "$work/sq/results.txt"' "-q"
	CT_CRASH_MODE=stdout timeout 60 "$contend" run -w smaug -m heap -s 1KiB -t 1 -n 1 \
		--benchtime 1ms -a "crash=$crash" -o "$work/sv" >"$work/sv.out" 2>"$work/sv.err"
	check 'grep -q CRASHALLOC "$work/sv.err" && ! grep -q CRASHALLOC "$work/sv.out"' "on stderr"
}

# The parent SIGKILLed: its children do not run on — not even one hung in
# the middle of a repetition (the 5 KiB request of the broken allocator
# never returns, so nothing but the parent-death signal ends it), nor
# anything else in the session.
case_parent_killed() {
	preload_ok || return 77
	setsid "$contend" run -w smaug -m heap -s 5KiB -t 1 -n 3 --benchtime 50ms \
		--timeout 120s -q -a "crash=$crash" -o "$work/pk" 2>/dev/null &
	local pid=$! kids="" k
	for _ in $(seq 100); do kids=$(pgrep -P "$pid"); [[ -n $kids ]] && break; sleep 0.1; done
	check '[[ -n $kids ]]' "no child seen"
	sleep 1 # the child is inside the hung request now
	for k in $kids; do running "$k" || bad "child $k gone before the parent was killed"; done
	kill -KILL "$pid"; wait "$pid" 2>/dev/null
	local left=""
	for _ in $(seq 50); do left=$(pgrep -s "$pid"); [[ -z $left ]] && break; sleep 0.1; done
	check '[[ -z $left ]]' "outlived the parent by 5 s: $left"
	[[ -z $left ]] || kill -KILL $left 2>/dev/null
}

# SIGTERM to contend's whole process group never records an allocator
# failure, and machine.json agrees with the exit status.
case_sigterm_group() {
	local i rc
	for i in 1 2 3; do
		setsid bash -c "exec \"$contend\" run -w smaug -m heap -s 1KiB -t 1 -n 40 \
			--benchtime 20ms -q -o \"$work/tg$i\" 2>/dev/null" &
		local pid=$!
		sleep "0.$((3 * i))"
		kill -TERM -- "-$pid" 2>/dev/null
		wait "$pid"; rc=$?
		check '(( rc == 143 ))' "exit $rc"
		# (a slow start, e.g. under a sanitizer, may be stopped before any file)
		check '! grep -qs failed "$work/tg$i/results.csv"' "a failure recorded"
		check '[[ ! -e $work/tg$i/machine.json ]] || grep -q "\"complete\": false" "$work/tg$i/machine.json"'
	done
}

# A full disk (a 64 KiB tmpfs): the study stops at the first failed write
# with exit status 3, says so, and machine.json says incomplete.
case_full_disk() {
	local mnt=$work/full
	mkdir -p "$mnt"
	mount -t tmpfs -o size=64k tmpfs "$mnt" 2>/dev/null || return 77
	within 60 timeout 120 "$contend" run -w bilbo,smaug -s 1KiB-64KiB -t 1 -n 100 \
		--benchtime 1ms -a glibc -q -o "$mnt/r" 2>"$work/full.err"
	local rc=$?
	check '(( rc == 3 ))' "exit $rc"
	check 'grep -q "No space left on device" "$work/full.err"'
	check '! grep -q "\"complete\": true" "$mnt/r/machine.json"' "machine.json says complete"
	check '! grep -q "done in" "$work/full.err"' "success claimed"
	umount "$mnt"
}

# A read-only -o: refused in one line, with nothing created.
case_read_only() {
	local mnt=$work/ro
	mkdir -p "$mnt"
	mount -t tmpfs -o size=1m tmpfs "$mnt" 2>/dev/null || return 77
	mkdir "$mnt/r" && chmod 555 "$mnt/r"
	mount -o remount,ro "$mnt"
	"$contend" run "${tiny[@]}" -a glibc -o "$mnt/r/a/b" 2>"$work/ro.err"
	local rc=$?
	check '(( rc == 2 ))' "exit $rc"
	check '[[ $(wc -l <"$work/ro.err") == 1 ]]' "$(cat "$work/ro.err")"
	mount -o remount,rw "$mnt"
	check '[[ ! -e $mnt/r/a ]]' "intermediate directory left behind"
	# (a target turning read-only halfway cannot be staged: remount refuses
	# while files are open for writing; the full disk covers that path)
	mount -o remount,rw "$mnt" 2>/dev/null
	umount "$mnt"
}

# FIFOs, devices and symlinks to them where a regular file is expected:
# refused at once, never waited on or read without end.
case_hostile_files() {
	mkfifo "$work/fifo.so"
	within 20 timeout 30 "$contend" run "${tiny[@]}" -a "x=$work/fifo.so" -o "$work/hf0" 2>"$work/hf.err"
	check '[[ $? == 2 ]] && grep -q "not a regular file" "$work/hf.err"' "-a FIFO"
	check '[[ ! -e $work/hf0 ]]'
	mkdir "$work/hf1" && mkfifo "$work/hf1/results.csv"
	within 20 timeout 30 "$contend" run "${tiny[@]}" -a glibc -o "$work/hf1" 2>"$work/hf.err"
	check '[[ $? == 2 ]] && grep -q "not a regular file" "$work/hf.err"' "results.csv FIFO"
	check '[[ ! -e $work/hf1/results.txt ]]' "results.txt left behind"
	timeout 60 "$contend" run "${tiny[@]}" -a glibc -o "$work/hf2" 2>/dev/null
	cp -r "$work/hf2" "$work/hf3"
	rm "$work/hf2/machine.json" && mkfifo "$work/hf2/machine.json"
	within 20 timeout 30 "$contend" report --no-figures "$work/hf2" >/dev/null 2>"$work/hf.err"
	check 'grep -q "machine.json ignored: .*not a regular file" "$work/hf.err"' "report of a FIFO machine.json"
	rm "$work/hf3/results.csv" && ln -s /dev/zero "$work/hf3/results.csv"
	within 20 timeout 30 "$contend" report --no-figures "$work/hf3" >/dev/null 2>"$work/hf.err"
	check '[[ $? != 0 ]] && grep -q "not a regular file" "$work/hf.err"' "/dev/zero as results.csv"
}

# Labels with commas and quotes-worthy characters: results.csv stays
# RFC 4180 (every row as wide as the header), report and compare read the
# rows back; a failed repetition leaves its figure columns empty.
case_csv_quoting() {
	preload_ok || return 77
	local v='glibc:arena_max=1,tcache_count=0'
	timeout 60 "$contend" run "${tiny[@]}" -s 1KiB,3KiB -a "glibc,$v,crash=$crash" --timeout 5s \
		-o "$work/cq" 2>/dev/null
	check 'python3 -c "import csv,sys; r=list(csv.reader(open(sys.argv[1]))); sys.exit(any(len(x)!=len(r[0]) for x in r))" "$work/cq/results.csv"' "ragged rows"
	check '[[ $(col "$work/cq/results.csv" alloc | grep -cx "$v") == 2 ]]' "variant rows"
	local failed; failed=$(python3 -c "
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
bad = [r for r in rows if r['status'] == 'failed']
figs = ['ns_per_op', 'ops_per_s', 'iters_per_thread', 'wall_ns', 'minflt_per_op', 'threads_pinned']
print(len(bad), sum(1 for r in bad for k in figs if r[k] != ''))" "$work/cq/results.csv")
	check '[[ $failed == "1 0" ]]' "failed rows / non-empty figures: $failed"
	"$contend" report "$work/cq" >"$work/cq.rep" 2>&1
	check 'grep -q "6 repetitions, 1 failed" "$work/cq.rep"' "$(grep repetitions "$work/cq.rep")"
	"$contend" compare -a "glibc=$v" "$work/cq" "$work/cq" >"$work/cq.cmp" 2>&1
	check '! grep -q "no benchmark in common" "$work/cq.cmp"' "compare of a variant"
}

# Hostile results directories: inf/nan times and a thread count that
# overflows are malformed rows (warned, skipped), never "HOLDS inf x" or a
# wrapped count; a missing machine.json is said.
case_hostile_results() {
	local d=$work/hr
	mkdir -p "$d"
	{
		echo "workload,mode,size,size_bytes,alloc,threads,place,rep,status,ns_per_op"
		for r in 1 2 3 4 5; do
			echo "smaug,heap,1KiB,1024,glibc,1,compact,$r,ok,$((100 + r))"
			echo "smaug,stack,1KiB,1024,glibc,1,compact,$r,ok,$((50 + r))"
		done
		echo "smaug,heap,1KiB,1024,glibc,1,compact,6,ok,inf"
		echo "smaug,stack,1KiB,1024,glibc,1,compact,6,ok,nan"
		echo "smaug,heap,1KiB,1024,glibc,4294967297,compact,1,ok,100"
		echo "smaug,heap,1KiB,1024,glibc,1,compact,7,ok,1e999"
	} >"$d/results.csv"
	within 30 "$contend" report --no-figures "$d" >"$work/hr.out" 2>"$work/hr.err"
	check '[[ $? == 0 ]]'
	check 'grep -q "4 malformed row" "$work/hr.err"' "$(cat "$work/hr.err")"
	check 'grep -q "no machine.json" "$work/hr.err"'
	check '! grep -qi "inf\b\|nan\b" "$work/hr.out"' "$(grep -i "inf\b\|nan\b" "$work/hr.out" | head -2)"
	check '! grep -q "4294967297\|-1 thr\|threads 1, 1\b" "$work/hr.out"'
	"$contend" compare "$d" "$d" >"$work/hr.cmp" 2>"$work/hr.err"
	check 'grep -q "4 malformed row" "$work/hr.err"' "compare"
	"$contend" compare -m workload "$d" "$d" >/dev/null 2>"$work/hr.err"
	local rc=$?
	check '[[ $rc == 2 && $(wc -l <"$work/hr.err") == 1 ]]' "compare -m workload: $(cat "$work/hr.err")"
}

# Allocator tuning in contend's environment does not reach the columns
# unrecorded: the stock jemalloc column runs with jemalloc's own arena
# count whatever MALLOC_CONF says, and machine.json names what was cleared.
case_env_cleared() {
	preload_ok || return 77
	timeout 60 "$contend" run "${tiny[@]}" -a jemalloc -o "$work/env0" 2>/dev/null || return 77
	MALLOC_CONF=narenas:1,tcache:false GLIBC_TUNABLES=glibc.malloc.arena_max=1 timeout 60 \
		"$contend" run "${tiny[@]}" -a jemalloc,glibc -o "$work/env1" 2>"$work/env.err"
	local stock tuned
	stock=$(col "$work/env0/results.csv" alloc_stats | grep -o "arenas=[0-9]*")
	tuned=$(col "$work/env1/results.csv" alloc_stats | grep -o "arenas=[0-9]*" | head -1)
	check '[[ -n $stock && $stock == "$tuned" ]]' "stock $stock, with MALLOC_CONF $tuned"
	check 'grep -q "MALLOC_CONF=narenas:1,tcache:false" "$work/env1/machine.json"'
	check 'grep -q "GLIBC_TUNABLES, MALLOC_CONF set in the environment\|MALLOC_CONF, GLIBC_TUNABLES set in the environment" "$work/env.err"'
}

# A signal at any moment, the closing tables and report included: the
# exit status and machine.json agree (143 and incomplete, or 0 and
# complete), and no allocator failure is recorded.
case_signal_anytime() {
	local i rc out
	for i in 1 2 3 4 5 6 7 8; do
		out=$work/sa$i
		"$contend" run -w smaug -m heap -s 1KiB -t 1 -n 3 --benchtime 1ms -a glibc -o "$out" \
			>/dev/null 2>&1 &
		local pid=$!
		sleep "0.$((i * 12))"
		kill -TERM "$pid" 2>/dev/null
		wait "$pid"; rc=$?
		if [[ $rc == 0 ]]; then
			check 'grep -q "\"complete\": true" "$out/machine.json"' "exit 0, run $i"
		else
			check '[[ $rc == 143 ]]' "exit $rc, run $i"
			check '[[ ! -e $out/machine.json ]] || grep -q "\"complete\": false" "$out/machine.json"' "exit $rc, run $i"
		fi
		check '! grep -q failed "$out/results.csv" 2>/dev/null' "failure recorded, run $i"
	done
}

# contend installed under a path LD_PRELOAD cannot carry: its census
# interposer cannot load, which is an error, not silently missing B/op.
case_census_path() {
	preload_ok || return 77
	local dir="$work/with space:colon"
	mkdir -p "$dir" && cp "$contend" "$build/libctcensus.so" "$dir/"
	timeout 60 "$dir/contend" run "${tiny[@]}" -a glibc -o "$work/cp" 2>"$work/cp.err"
	local rc=$?
	check '(( rc == 1 ))' "exit $rc"
	check 'grep -q "error: glibc: no census" "$work/cp.err"' "$(cat "$work/cp.err")"
	check '[[ $(col "$work/cp/results.csv" status) == ok ]]' "timed rows kept"
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
for m in "$work/full" "$work/ro"; do umount "$m" 2>/dev/null; done
echo "faults: $pass checks passed, $fail failed, $skip cases skipped"
if [[ $fail == 0 ]]; then rm -rf "$work"; else echo "kept $work"; fi
[[ $fail == 0 ]] || exit 1
[[ $pass -gt 0 ]] || exit 77
