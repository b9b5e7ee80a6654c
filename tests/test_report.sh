#!/usr/bin/env bash
# test_report.sh — `contend report` and `contend compare` end to end on
# synthetic results directories with known answers (test_report gen):
# verdicts, a partial study, several machines side by side, a self-contained
# report.html, figures with and without gnuplot, latency and bandwidth
# figures when their data exist, the compare table, bad input (one line,
# exit status 2), and the time of a 10 000-row report (printed, not judged).
#   test_report.sh CONTEND TEST_REPORT
set -u
contend=$1; gen=$2
work=$(mktemp -d /tmp/contend-report-XXXXXX)
trap 'rm -rf "$work"' EXIT
pass=0; fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
expect() { # label, command...: the command succeeds
	local label=$1; shift
	if "$@"; then ok; else bad "$label"; fi
}
has_gnuplot=0; command -v gnuplot >/dev/null && has_gnuplot=1

for k in known shifted partial latency big; do
	"$gen" gen "$work/$k" "$k" || { echo "cannot generate $k"; exit 1; }
done

# ---------------------------------------------------------------- verdicts
out=$("$contend" report "$work/known" 2>"$work/err"); rc=$?
expect "report exits 0 (rc=$rc: $(cat "$work/err"))" test "$rc" -eq 0
line() { # claim alloc threads verdict: that row is in the text report
	printf '%s\n' "$out" | awk -v c="$1" -v a="$2" -v t="$3 thr" -v v="$4" '
		/^[A-Z][0-9]/ { claim = $1 }
		claim == c && $1 == a && ($2 " " $3) == t && $4 == v { found = 1 }
		END { exit !found }'
}
for c in C1 C2 C3a C3b C4; do
	expect "$c alpha holds" line "$c" alpha 1 HOLDS
	expect "$c gamma inconclusive" line "$c" gamma 2 INCONCLUSIVE
done
for c in C2 C3a C3b C4 C5; do expect "$c beta fails" line "$c" beta 2 FAILS; done
expect "C5 alpha holds" line C5 alpha 2 HOLDS
for c in C1 C2 C3a C4; do expect "$c gamma equal" line "$c" gamma 1 EQUAL; done
expect "C5 gamma inconclusive" line C5 gamma 2 INCONCLUSIVE
expect "margin recorded" grep -q "^Margin of practical equivalence: 5% around each threshold" <<<"$out"
expect "C4 gamma: sizes by outcome" grep -q "gamma *1 thr  EQUAL .*; equal at bilbo 16B, smaug 256KiB 1MiB; holds at smaug 1KiB 4KiB 64KiB (6 points, CIs at 99.2%: 95% together)" <<<"$out"
expect "C4 beta: sizes by outcome" grep -q "beta *1 thr  FAILS  *smaug 1MiB 0.800x \[.*\]; fails at smaug 256KiB 1MiB; holds at bilbo 16B, smaug 1KiB 4KiB 64KiB (6 points, CIs at 99.2%: 95% together)" <<<"$out"
expect "C2 alpha: holds at each size" grep -q "alpha *1 thr  HOLDS  *1KiB 3.00x \[.*\]; holds at each of 3 sizes (the weakest shown; each CI at 95%)" <<<"$out"
expect "C1 gamma: equal in percent" grep -Eq "gamma *1 thr  EQUAL  *\+0\.0% \[-[0-9.]+%, \+[0-9.]+%\]$" <<<"$out"
out0=$("$contend" report -q --no-figures --margin 0 -o "$work/m0" "$work/known" >/dev/null 2>&1; cat "$work/m0/report.txt")
out=$out0 expect "margin 0: exactly at the threshold is undecided" line C1 gamma 1 INCONCLUSIVE
expect "margin 0 recorded" grep -q "^Margin of practical equivalence: 0%" <<<"$out0"
out20=$("$contend" report -q --no-figures --margin 20% -o "$work/m20" "$work/known" >/dev/null 2>&1; cat "$work/m20/report.txt")
out=$out20 expect "margin 20%: 5% apart is equal" line C1 gamma 2 EQUAL
expect "margin in html" grep -q "equivalence: <b>20%</b>" "$work/m20/report.html"
expect "C2 beta names the numbers" grep -q "beta *1 thr  FAILS  *[0-9]*KiB 1.20x \[" <<<"$out"
expect "contention table" grep -q "^bilbo *heap *16B *alpha *1.50 \[" <<<"$out"
expect "mechanism: faults" grep -q "smaug heap, beta: page faults rise with size" <<<"$out"
expect "mechanism: switches" grep -q "bilbo heap, gamma: voluntary context switches rise" <<<"$out"
expect "report.txt saved" test -s "$work/known/report/report.txt"
# the first screen of the text report: the matrix, the paragraphs, the trust lines
expect "matrix: C1 alpha" grep -Eq '^C1 +alpha +H 7.00x +H 10.5x' <<<"$out"
expect "matrix: C5 baseline" grep -Eq '^ +gamma +base +\? 1.16x' <<<"$out"
expect "paragraph per allocator" grep -q "^Under beta: bilbo: heap/stack 7.00x at 1 thread" <<<"$out"
expect "trust: overall" grep -q "^Overall: caution" <<<"$out"
expect "trust: repetitions" grep -Eq '^  good +repetitions per point +9 to 9, median 9 \(planned 9\)' <<<"$out"
"$gen" gen "$work/wide" wide || exit 1
wide=$("$contend" report --no-figures "$work/wide" 2>&1)
expect "trust: noisy study" grep -q "^Overall: do not trust: 3 lines (points within the CI target, unstable points, load at start)" <<<"$wide"
expect "trust: load" grep -Eq '^  do not trust +load at start +1.77 on 2 cores' <<<"$wide"
expect "trust: unstable" grep -Eq '^  do not trust +unstable points +104 of 260' <<<"$wide"
expect "trust: oversubscribed" grep -Eq '^  caution +oversubscription +yes: up to 16 threads on 2 cores' <<<"$wide"
expect "trust: VM" grep -Eq '^  caution +virtual machine +yes \(QEMU Virtual CPU\)' <<<"$wide"
expect "gap: C3a said and filled" grep -q "^C3a   not judged: the study's smaug sizes (1KiB-64KiB) miss 128KiB-1MiB" <<<"$wide"
expect "gap: command" grep -q "to fill: contend run -w smaug -m stack,heap -s 128KiB-1MiB -a glibc,mimalloc,tcmalloc,jemalloc -t 1,2,4,8,16" <<<"$wide"
expect "html: anchors" bash -c "for a in verdicts trust figures contention machines; do grep -q \"id=\\\"\$a\\\"\" '$work/wide/report/report.html' || exit 1; done"
expect "html: table of contents" grep -q '<nav class="toc"><a href="#verdicts">' "$work/wide/report/report.html"

# ---------------------------------------------------------------- report.html
html=$work/known/report/report.html
expect "report.html written" test -s "$html"
expect "html: no network references" \
	bash -c "! grep -Eiq '(src|href) *= *[\"'\'']? *(https?:)?//' '$html'"
expect "html: no external stylesheet or script" bash -c "! grep -Eiq '<link|<script' '$html'"
order=$(grep -o -e 'id="verdicts"' -e 'id="figures"' -e 'id="machines"' "$html" | tr '\n' ' ')
expect "html: verdicts, figures, machine in that order ($order)" \
	test "$order" = 'id="verdicts" id="figures" id="machines" '
if [ "$has_gnuplot" = 1 ]; then
	expect "figures embedded" grep -q 'src="data:image/png;base64,' "$html"
	for f in nsop-0-smaug heatmap-0-smaug throughput-0-bilbo; do
		expect "$f.svg" test -s "$work/known/report/figures/$f.svg"
		expect "$f.png" test -s "$work/known/report/figures/$f.png"
	done
	for f in ratio-0-smaug ratio-0-bilbo; do
		expect "$f.png" test -s "$work/known/report/figures/$f.png"
	done
	# the heatmap labels a cell whose CI includes 1 as the tables do: gamma's
	# large Smaug sizes are built with heap = stack
	expect "heatmap: ~ cells" grep -q ' 0 "1.00x ~"$' "$work/known/report/data/heatmap-0-smaug-2.dat"
	expect "heatmap: decided cells" grep -q ' 1 "3.00x"$' "$work/known/report/data/heatmap-0-smaug-0.dat"
	expect "no gnuplot errors" test ! -s "$work/known/report/figures/gnuplot.log"
	# a point left out: its heatmap cell says so rather than staying blank
	mkdir -p "$work/gap"
	grep -v ',smaug,heap,64KiB,65536,alpha,2,' "$work/known/results.csv" >"$work/gap/results.csv"
	cp "$work/known/machine.json" "$work/gap/"
	"$contend" report -q "$work/gap" >/dev/null 2>&1
	expect "heatmap: no data" grep -q '^1 2 NaN 1 "no data"$' "$work/gap/report/data/heatmap-0-smaug-0.dat"
	expect "no latency figure without latency columns" \
		test ! -e "$work/known/report/figures/latency-0-bilbo.png"
	"$contend" report -q "$work/latency" 2>/dev/null
	expect "latency figure" test -s "$work/latency/report/figures/latency-0-smaug.png"
	expect "bandwidth figure" test -s "$work/latency/report/figures/bandwidth-0.svg"
fi
# without gnuplot: text and HTML all the same, and a note
PATH=/nonexistent "$contend" report -q -o "$work/nognuplot" "$work/known" 2>"$work/err"
expect "no gnuplot: exit 0" test $? -eq 0
expect "no gnuplot: html" grep -q "figures skipped: gnuplot not found" "$work/nognuplot/report.html"
expect "no gnuplot: said" grep -q "gnuplot not found" "$work/err"

# ---------------------------------------------------------------- partial, several machines
out=$("$contend" report --no-figures "$work/partial" 2>&1)
expect "partial: exit 0" test $? -eq 0
expect "partial: said" grep -q "PARTIAL: machine.json says \"complete\": false" <<<"$out"
expect "partial: failures listed" grep -q "smaug heap 1MiB alpha 2 thr: 1 of 10 failed" <<<"$out"
expect "partial: cut line counted" grep -q "1 malformed line(s)" <<<"$out"
expect "partial: html" grep -q "Partial study" "$work/partial/report/report.html"
out=$("$contend" report --no-figures -o "$work/multi" "$work/known" "$work/shifted" 2>&1)
expect "multi: exit 0" test $? -eq 0
expect "multi: side by side" grep -q "Verdicts side by side" <<<"$out"
expect "multi: both machines" grep -q "Other CPU" "$work/multi/report.html"
expect "multi: machine table" grep -q "Synthetic CPU</td><td>Other CPU" "$work/multi/report.html"
# the seed-layout tables: every thread count, the seed's published figures
# beside (quoted: M1 Max Smaug 1KB stack 78.36 ns, heap 207.6 ns), and a size
# the study lacks said so with the command that fills it
mh=$work/multi/report.html
expect "seed tables: quoted figures labelled" grep -q "quoted from the seed README, not measured here" "$mh"
expect "seed tables: M1 Max 1KiB" grep -q '>78.4</td><td class="num seedv" rowspan="2">208</td>' "$mh"
expect "seed tables: 2 threads" grep -q '<td class="num">2</td>' "$mh"
expect "seed tables: missing size" grep -q "the study ran no smaug at 2KiB. To fill it: <code>contend run -w smaug -m stack,heap -s 2KiB" "$mh"

# ---------------------------------------------------------------- compare
out=$("$contend" compare "$work/known" "$work/shifted" 2>&1)
expect "compare: exit 0" test $? -eq 0
expect "compare: +25% significant" \
	grep -Eq '^bilbo/heap/16B/alpha/compact-1 +14.0 ±2% +17.5 ±1% +\+25.0%    \[\+2[0-9.]+%, \+2[0-9.]+%\] +p=0.000 n=9\+9' <<<"$out"
expect "compare: ~ unchanged" grep -Eq '^bilbo/heap/16B/beta/compact-1 .* \+0.0% ~ ' <<<"$out"
expect "compare: summary" grep -q "72 benchmarks compared, 12 changed significantly" <<<"$out"
out=$("$contend" compare -a alpha=beta "$work/known" "$work/known" 2>&1)
expect "compare --alloc" grep -Eq '^bilbo/heap/16B/alpha>beta/compact-2 .* -33.3% ' <<<"$out"
expect "compare --alloc scope" grep -q "24 benchmarks compared" <<<"$out"

# ---------------------------------------------------------------- bad input
mkdir -p "$work/empty"
check() { # label, expected text, command...
	local label=$1 want=$2; shift 2
	local so rc lines err
	so=$("$@" 2>"$work/err"); rc=$?
	err=$(cat "$work/err"); lines=$(printf '%s' "$err" | grep -c '')
	if [ "$rc" -eq 2 ] && [ -z "$so" ] && [ "$lines" -eq 1 ] && [[ "$err" == *"$want"* ]]; then ok
	else bad "[$label] rc=$rc lines=$lines want '$want': $err"; fi
}
check "report no dir" "report: DIR: missing" "$contend" report
check "report missing dir" "No such file or directory" "$contend" report "$work/nosuch"
check "report empty dir" "not a results directory (no results.csv)" "$contend" report "$work/empty"
check "report bad option" "report: unknown option '--frob'" "$contend" report --frob "$work/known"
check "report -o no value" "report: option '-o' needs a value" "$contend" report "$work/known" -o
check "report --margin text" "--margin: bad value 'abc'" "$contend" report --margin abc "$work/known"
check "report --margin too big" "--margin: bad value '60'" "$contend" report --margin 60 "$work/known"
check "report --margin negative" "--margin: bad value '-1'" "$contend" report --margin -1 "$work/known"
check "report --margin nan" "--margin: bad value 'nan'" "$contend" report -m nan "$work/known"
check "compare one dir" "compare: NEW: missing" "$contend" compare "$work/known"
check "compare no dir" "compare: OLD: missing" "$contend" compare
check "compare extra" "compare: unexpected argument" "$contend" compare "$work/known" "$work/known" x
check "compare missing dir" "compare: OLD '$work/nosuch'" "$contend" compare "$work/nosuch" "$work/known"
check "compare bad metric" "--metric: bad value 'nosuch'" "$contend" compare -m nosuch "$work/known" "$work/known"
check "compare bad map" "--alloc: bad value 'alpha': want OLD=NEW" "$contend" compare -a alpha "$work/known" "$work/known"
check "compare nothing common" "no benchmark in common" "$contend" compare -a nosuch=beta "$work/known" "$work/known"
for sub in report compare; do
	if "$contend" $sub --help | grep -q "usage: contend $sub"; then ok; else bad "$sub --help"; fi
done

# ---------------------------------------------------------------- xfree shapes
# Two allocators that swap places between the ring and the one-way shape:
# alpha 100 ns/op in the ring, 50 one way (its producer the slower side);
# beta 60 in the ring, 80 one way (its consumer the slower side).
mkdir -p "$work/xf"
{
	echo "workload,mode,size,size_bytes,alloc,threads,place,rep,status,ns_per_op,ops_per_s,wait_ns_per_op,prod_ns_per_op,cons_ns_per_op,params"
	for rep in 1 2 3 4 5 6 7; do
		for t in 1 2; do
			echo "xfree,remote,64B,64,alpha,$t,compact,$rep,ok,$((t * 50 + rep % 3 - 1)),1e7,$(((t - 1) * 60)),,,batch=8"
			echo "xfree,remote,64B,64,beta,$t,compact,$rep,ok,$((t * 30 + rep % 3 - 1)),1e7,$(((t - 1) * 20)),,,batch=8"
		done
		echo "xfree,pc,64B,64,alpha,1,compact,$rep,ok,40,1e7,0,,,batch=8"
		echo "xfree,pc,64B,64,beta,1,compact,$rep,ok,40,1e7,0,,,batch=8"
		echo "xfree,pc,64B,64,alpha,2,compact,$rep,ok,$((50 + rep % 3 - 1)),1e7,20,30,12,batch=8"
		echo "xfree,pc,64B,64,beta,2,compact,$rep,ok,$((80 + rep % 3 - 1)),1e7,35,9,45,batch=8"
	done
} >"$work/xf/results.csv"
out=$("$contend" report "$work/xf" 2>"$work/err"); rc=$?
expect "xfree report exits 0 (rc=$rc: $(cat "$work/err"))" test "$rc" -eq 0
shape() { # alloc, ring, ring own, pc, pc own: the 2-thread row of the shapes table
	printf '%s\n' "$out" | sed -n '/Cross-thread frees: ring and one way/,/^$/p' |
		grep -q "^  64B  *2  $1  *$2  *$3  *$4  *$5 "
}
# own: ring ns/op less its wait (a tie at 40), pc the slower side (30 and 45)
expect "shapes: alpha last in the ring, first one way" \
	shape alpha "100 (w 60.0) #2" "40.0 #1" "50.0 (w 20.0) #1" "30.0 #1"
expect "shapes: beta first in the ring, last one way" \
	shape beta "60.0 (w 20.0) #1" "40.0 #1" "80.0 (w 35.0) #2" "45.0 #2"
mech() { printf '%s\n' "$out" | grep -q "$1"; }
expect "mechanism: alpha's producer" mech "pc, alpha: remote frees one way at 2 threads, 64B: 50 ns/op, 20 of it waiting; producer 30 ns/op, consumer 12: the producer (malloc) is the bottleneck"
expect "mechanism: beta's consumer" mech "pc, beta: .*the consumer (free) is the bottleneck"
expect "mechanism: the ring" mech "remote, beta: remote frees in a ring at 2 threads, 64B: 60 ns/op, 20 of it waiting"
"$contend" report "$work/xf" >/dev/null 2>&1
expect "html: shapes table" grep -q "Cross-thread frees: ring and one way" "$work/xf/report/report.html"

# ---------------------------------------------------------------- 10 000 rows
start=$(date +%s%N)
"$contend" report -q "$work/big" 2>/dev/null; rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
expect "big report exits 0" test "$rc" -eq 0
rows=$(($(wc -l <"$work/big/results.csv") - 1))
echo "report on $rows rows: $ms ms (figures drawn: $has_gnuplot; target: under 2000 ms)"

echo "test_report.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
