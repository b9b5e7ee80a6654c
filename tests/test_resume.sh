#!/usr/bin/env bash
# test_resume.sh — `contend run --resume DIR`. A study killed partway (the
# whole process group, SIGKILL) and resumed ends complete, with every planned
# (point, repetition) exactly once, the rows kept byte for byte, and the order
# of an uninterrupted run with the same seed — extra rounds included. A last
# row cut mid-write is dropped and rewritten; a study stopped before any row
# starts over. What cannot be resumed is refused in one line, exit status 2,
# nothing on stdout, the directory unchanged.
#   test_resume.sh CONTEND
set -u
contend=$1
work=$(mktemp -d /tmp/contend-resume-XXXXXX)
trap 'rm -rf "$work"' EXIT
fail=0
no() { echo "FAIL: $*"; fail=1; }

# 2 modes x 2 sizes, 1 thread (never rejected as not concurrent), 6 base
# rounds; a CI target no CI meets sends every point its 3 extra repetitions
# (the budget, half the base ones, covers them all), so the extra rounds do
# not depend on the figures and two runs with one seed share one order.
plan=(-w smaug -m heap,stack -s 64B,1KiB -t 1 -a glibc -n 6 --max-count 9 --ci-target 0.001
	--benchtime 20ms --seed 12345)
planned=36

# (point, rep) in file order: workload,mode,size,size_bytes,alloc,threads,place,rep
order() { tail -n +2 "$1/results.csv" | cut -d, -f1-8; }
# bytes of the whole lines of a file (a cut last line left out)
whole() { local n; n=$(wc -l <"$1"); head -n "$n" "$1" | wc -c; }
is_complete() { grep -q '"complete": true' "$1/machine.json"; }

# ---------------------------------------------------------------- reference
"$contend" run -q "${plan[@]}" -o "$work/ref" >/dev/null 2>"$work/ref.err" ||
	{ cat "$work/ref.err"; no "reference run failed"; exit 1; }
[ "$(order "$work/ref" | wc -l)" -eq "$planned" ] || no "reference: not $planned rows"
grep -q '"options": \["-w", "smaug"' "$work/ref/machine.json" || no "machine.json: no plan.options"
grep -q '"shuffle_seed": 12345' "$work/ref/machine.json" || no "machine.json: --seed not recorded"

# A resumed study: complete, every (point, rep) once, the order of ref, the
# first `keep` bytes of results.csv as they were.
check_resumed() { # NAME DIR KEEP_BYTES BEFORE_COPY
	local name=$1 dir=$2 keep=$3 before=$4
	is_complete "$dir" || no "$name: machine.json not complete after --resume"
	grep -q '"resumed": \[{"at": ' "$dir/machine.json" || no "$name: machine.json has no resumed"
	[ "$(order "$dir" | sort | uniq -d)" = "" ] || no "$name: a repetition twice"
	[ "$(order "$dir" | wc -l)" -eq "$planned" ] || no "$name: $(order "$dir" | wc -l) rows, not $planned"
	[ "$(order "$dir")" = "$(order "$work/ref")" ] ||
		no "$name: the order differs from an uninterrupted run with the same seed"
	cmp -s <(head -c "$keep" "$before") <(head -c "$keep" "$dir/results.csv") ||
		no "$name: the rows kept changed"
	[ "$(grep -c '^Benchmark\|^# FAILED\|^# REJECTED' "$dir/results.txt")" -eq "$planned" ] ||
		no "$name: results.txt does not hold $planned repetitions"
}

# ---------------------------------------------------------------- killed, resumed
# A study in its own process group; once results.csv has `rows` rows, the
# group gets `sig` (KILL: a lost session; INT: Ctrl-C). Prints the exit status.
stop_at() { # ROWS SIG ARGS...
	local rows=$1 sig=$2 pid n
	shift 2
	set -m
	"$contend" run -q "$@" >/dev/null 2>&1 &
	pid=$!
	set +m
	for _ in $(seq 1500); do
		n=$(($(wc -l 2>/dev/null <"$work/k/results.csv" || echo 1) - 1))
		[ "$n" -ge "$rows" ] && break
		sleep 0.02
	done
	kill -"$sig" -- -"$pid" 2>/dev/null
	wait "$pid"
}
stop_at 8 KILL "${plan[@]}" -o "$work/k"
if is_complete "$work/k"; then
	no "killed study: finished before the kill (machine too fast for this test?)"
else
	grep -q '"complete": false' "$work/k/machine.json" || no "killed study: machine.json not complete:false"
	cp "$work/k/results.csv" "$work/k.before"
	keep=$(whole "$work/k.before")
	kept=$(($(wc -l <"$work/k.before") - 1))
	# resumed, then interrupted again (Ctrl-C), then resumed to the end
	stop_at $((kept + 8)) INT --resume "$work/k"
	rc=$?
	[ "$rc" -eq 130 ] || no "resume stopped by SIGINT: exit $rc, want 130"
	grep -q '"complete": false' "$work/k/machine.json" || no "resume stopped by SIGINT: not complete:false"
	grep -q '"interrupted_by": "Interrupt"' "$work/k/machine.json" || no "resume stopped by SIGINT: interrupted_by not recorded"
	"$contend" run --resume "$work/k" -q >"$work/k.out" 2>"$work/k.err" ||
		{ cat "$work/k.err"; no "second resume: exit $?"; }
	check_resumed "resume after kill and Ctrl-C" "$work/k" "$keep" "$work/k.before"
	grep -q '"resumed": \[{"at": "[^"]*", "rows_kept": '"$kept"', [^]]*}, {"at": ' "$work/k/machine.json" ||
		no "resumed twice: machine.json does not list both, the first with $kept rows kept"
	[ "$(grep -c '^# resumed' "$work/k/results.txt")" -eq 2 ] || no "resumed twice: not two '# resumed' lines"
	# the report says the study was measured in parts, in every format
	"$contend" report -q -o "$work/k-report" "$work/k" >/dev/null 2>&1 || no "report of the resumed study: exit $?"
	for f in report.txt report.md report.html; do
		grep -q "36 repetitions, 0 failed; resumed 2 times, kept $kept and [0-9]* rows" \
			"$work/k-report/$f" || no "report of the resumed study: $f does not say it was resumed twice"
	done
	"$contend" report -q -o "$work/ref-report" "$work/ref" >/dev/null 2>&1
	! grep -q "resumed" "$work/ref-report/report.txt" || no "report of an uninterrupted study says resumed"
fi

# ---------------------------------------------------------------- a row cut mid-write
interrupted() { # DIR: a copy of ref as an interruption after `rows` rows leaves it
	cp -r "$work/ref" "$1"
	rm -rf "$1/report"
	sed -i 's/"complete": true/"complete": false/' "$1/machine.json"
}
interrupted "$work/cut"
head -n 11 "$work/ref/results.csv" >"$work/cut/results.csv"
sed -n 12p "$work/ref/results.csv" | head -c 30 >>"$work/cut/results.csv"
keep=$(head -n 11 "$work/ref/results.csv" | wc -c)
"$contend" run --resume "$work/cut" -q >/dev/null 2>"$work/cut.err" ||
	{ cat "$work/cut.err"; no "resume of a cut row: exit $?"; }
grep -q 'last row was cut' "$work/cut.err" || no "cut row: no warning"
check_resumed "cut row" "$work/cut" "$keep" "$work/ref/results.csv"
grep -q '"rows_kept": 10, "rows_dropped": 1' "$work/cut/machine.json" ||
	no "cut row: machine.json does not say 10 kept, 1 dropped"

# the same with too few fields but a line end, during the extra rounds
interrupted "$work/short"
head -n 30 "$work/ref/results.csv" >"$work/short/results.csv"
echo "smaug,heap,64B,64,glibc" >>"$work/short/results.csv"
"$contend" run --resume "$work/short" -q >/dev/null 2>"$work/short.err" ||
	{ cat "$work/short.err"; no "resume of a short row: exit $?"; }
check_resumed "short row" "$work/short" "$(head -n 30 "$work/ref/results.csv" | wc -c)" \
	"$work/ref/results.csv"

# ---------------------------------------------------------------- --dry-run
interrupted "$work/dry"
head -n 11 "$work/ref/results.csv" >"$work/dry/results.csv"
sum() { find "$1" -type f -print0 2>/dev/null | sort -z | xargs -0 -r md5sum; }
before=$(sum "$work/dry")
out=$("$contend" run --resume "$work/dry" --dry-run 2>&1) || no "--resume --dry-run: exit $?"
grep -q 'resumed: 10 repetitions kept' <<<"$out" || no "--resume --dry-run: does not say 10 kept: $out"
[ "$(sum "$work/dry")" = "$before" ] || no "--resume --dry-run: changed the study"

# ---------------------------------------------------------------- stopped before any row
interrupted "$work/none"
head -n 1 "$work/ref/results.csv" >"$work/none/results.csv"
"$contend" run --resume "$work/none" -q >/dev/null 2>"$work/none.err" ||
	{ cat "$work/none.err"; no "resume with no rows: exit $?"; }
is_complete "$work/none" || no "no rows: not complete"
[ "$(order "$work/none")" = "$(order "$work/ref")" ] || no "no rows: the order differs"

# ---------------------------------------------------------------- refused
mkdir "$work/empty"
interrupted "$work/foreign" && echo '{"hello": 1}' >"$work/foreign/machine.json"
interrupted "$work/garbage" && echo 'not json {' >"$work/garbage/machine.json"
interrupted "$work/fifo" && rm "$work/fifo/machine.json" && mkfifo "$work/fifo/machine.json"
interrupted "$work/old" && sed -i 's/"contend_version": "[^"]*"/"contend_version": "0.0.1"/' "$work/old/machine.json"
interrupted "$work/noopts" && sed -i 's/"options": \[[^]]*\]/"x": 0/' "$work/noopts/machine.json"
interrupted "$work/cpu" && sed -i 's/"model": "[^"]*"/"model": "Another CPU"/' "$work/cpu/machine.json"
interrupted "$work/row"
sed -n 2p "$work/ref/results.csv" | sed 's/,glibc,/,jemalloc,/' >>"$work/row/results.csv"
interrupted "$work/dup" && sed -n 2p "$work/ref/results.csv" >>"$work/dup/results.csv"
interrupted "$work/mid"
{ head -n 3 "$work/ref/results.csv"; echo "smaug,heap"; tail -n +4 "$work/ref/results.csv"; } >"$work/mid/results.csv"
interrupted "$work/rep" && sed -n 2p "$work/ref/results.csv" | sed 's/,compact,[0-9]*,/,compact,10,/' >>"$work/rep/results.csv"
interrupted "$work/hdr" && sed -i '1s/ns_per_op/ns_op/' "$work/hdr/results.csv"
interrupted "$work/allocver" && sed -i '0,/"version": "[^"]*"/s//"version": "0.0"/' "$work/allocver/machine.json"

# args<TAB>exit status<TAB>text the one line must contain
cases=$(cat <<CASES
--resume $work/nodir	2	no such directory
--resume $work/empty	2	holds no machine.json
--resume $work/ref	2	nothing to resume
--resume $work/foreign	2	not one contend run writes
--resume $work/garbage	2	not one contend run writes
--resume $work/fifo	2	not a regular file
--resume $work/old	2	started by contend 0.0.1
--resume $work/noopts	2	records no plan options
--resume $work/cpu	2	resume it where it started
--resume $work/row	2	not a repetition of the plan
--resume $work/dup	2	is there twice
--resume $work/mid	2	line 4 has 2 fields
--resume $work/rep	2	not a repetition of the plan
--resume $work/hdr	2	header is not the one
--resume $work/cut -n 3	2	option '-n' cannot be given with --resume
-t 2 --resume $work/cut	2	option '-t' cannot be given with --resume
--resume $work/cut -o $work/x	2	option '-o' cannot be given with --resume
--resume $work/cut --seed=1	2	option '--seed' cannot be given with --resume
--resume	2	needs a value
--resume $work/allocver	1	0.0 in the interrupted study
CASES
)
while IFS=$'\t' read -r args want text; do
	dir=$(sed -n 's/.*--resume \([^ ]*\).*/\1/p' <<<"$args")
	before=$(sum "$dir")
	eval "set -- $args"
	out=$("$contend" run "$@" 2>"$work/err")
	rc=$?
	err=$(cat "$work/err")
	[ "$rc" -eq "$want" ] || no "run $args: exit $rc, want $want ($err)"
	[ -z "$out" ] || no "run $args: wrote to stdout"
	if [ "$want" -eq 2 ]; then
		[ "$(wc -l <"$work/err")" -eq 1 ] || no "run $args: not one line: $err"
	fi
	grep -qF -- "$text" <<<"$err" || no "run $args: '$err' lacks '$text'"
	[ "$(sum "$dir")" = "$before" ] || no "run $args: changed $dir"
done <<<"$cases"

[ "$fail" -eq 0 ] && echo "resume: killed, cut and empty studies resumed in the uninterrupted order; refusals one line"
exit "$fail"
