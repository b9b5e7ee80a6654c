#!/usr/bin/env bash
# test_report_html.sh — report.html in a real browser. Headless Chromium
# renders, offline, the report of two synthetic machines side by side (four
# allocators at 1, 2, 4, 8 and 16 threads; one noisy, one quiet: test_report
# gen wide, wide2) and checks what a reader sees:
#   - at 1400x900, the claims matrix and the trust panel of both machines lie
#     in the first screen, and the noisy machine's panel says "do not trust";
#   - a screenshot holds real content (several times a blank page's bytes);
#   - every figure has a title, both axis labels and exactly one legend
#     (read from its SVG: each legend entry is drawn once, not per panel).
# Skipped (77) without Chromium; the figure checks need gnuplot.
#   test_report_html.sh CONTEND TEST_REPORT
set -u
contend=$1; gen=$2
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
	echo "test_report_html: chromium not installed: skipped"
	exit 77
fi
work=$(mktemp -d /tmp/contend-html-XXXXXX)
trap 'rm -rf "$work"' EXIT
fail=0
bad() { fail=1; echo "FAIL: $*"; }
"$gen" gen "$work/noisy" wide && "$gen" gen "$work/quiet" wide2 || exit 1
"$contend" report -q -o "$work/rep" "$work/noisy" "$work/quiet" 2>/dev/null || { echo "FAIL: report"; exit 1; }
html=$work/rep/report.html
W=1400; H=900

chrome() { # profile-name, args...
	local p=$1; shift
	timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --disable-sync --no-first-run --disable-extensions \
		--user-data-dir="$work/profile-$p" --hide-scrollbars "$@" 2>/dev/null
}

# ---------------------------------------------------------------- the first screen
# A copy of the page with a probe that writes where the matrix and trust
# panels landed; --dump-dom returns the page after it ran.
probe='<script>(function(){var o=[];document.querySelectorAll("table.matrix, div.trust.compact")
.forEach(function(e){var r=e.getBoundingClientRect();o.push((e.tagName=="TABLE"?"matrix":"trust")+" "+
Math.round(r.left)+" "+Math.round(r.top)+" "+Math.round(r.right)+" "+Math.round(r.bottom)+" "+
(e.querySelector("p.overall")?e.querySelector("p.overall").textContent:"-"));});
var p=document.createElement("pre");p.id="probe";p.textContent=o.join("\n");document.body.appendChild(p);})();</script>'
{ sed 's#</body></html>##' "$html"; printf '%s</body></html>\n' "$probe"; } >"$work/probe.html"
boxes=$(chrome dom --window-size=$W,$H --dump-dom "file://$work/probe.html" |
	sed -n '/<pre id="probe">/,/<\/pre>/p' | sed 's/.*<pre id="probe">//; s/<[^>]*>//g' |
	grep -E '^(matrix|trust) ')
echo "$boxes" | sed 's/^/  /'
n_matrix=$(grep -c '^matrix' <<<"$boxes"); n_trust=$(grep -c '^trust' <<<"$boxes")
[ "$n_matrix" -eq 2 ] && [ "$n_trust" -eq 2 ] || bad "want 2 matrices and 2 trust panels, got $n_matrix and $n_trust"
while read -r what l t r b rest; do
	[ -n "$what" ] || continue
	if [ "$l" -lt 0 ] || [ "$t" -lt 0 ] || [ "$r" -gt $W ] || [ "$b" -gt $H ]; then
		bad "$what at ($l,$t)-($r,$b) is not within the first ${W}x$H screen"
	fi
done <<<"$boxes"
grep -q '^trust .*Trust \[1\]: do not trust' <<<"$boxes" || bad "the noisy machine's panel does not say 'do not trust'"
grep -q '^trust .*Trust \[2\]: \(good\|caution\)' <<<"$boxes" || bad "the quiet machine's panel is not good or caution"

# ---------------------------------------------------------------- a real screenshot
echo '<!DOCTYPE html><html><body></body></html>' >"$work/blank.html"
chrome shot --screenshot="$work/report.png" --window-size=$W,$H "file://$html" >/dev/null
chrome blank --screenshot="$work/blank.png" --window-size=$W,$H "file://$work/blank.html" >/dev/null
size() { stat -c %s "$1" 2>/dev/null || echo 0; }
r=$(size "$work/report.png"); b=$(size "$work/blank.png")
echo "test_report_html: screenshot of report.html $r bytes, of a blank page $b bytes"
if [ "$r" -le 0 ] || [ "$b" -le 0 ]; then
	bad "no screenshot"
elif [ "$r" -lt $((5 * b)) ] || [ "$r" -lt 50000 ]; then
	bad "the screenshot looks empty"
fi
sig=$(head -c 8 "$work/report.png" | od -An -tx1 | tr -d ' \n')
dims=$(head -c 24 "$work/report.png" | tail -c 8 | od -An -tu1 | awk '{print $3*256+$4, $7*256+$8}')
[ "$sig" = 89504e470d0a1a0a ] && [ "$dims" = "$W $H" ] || bad "not a ${W}x$H PNG ($sig, $dims)"

# ---------------------------------------------------------------- figures
if ! command -v gnuplot >/dev/null; then
	echo "test_report_html: gnuplot not installed: figure checks skipped"
	[ "$fail" -eq 0 ] && echo "test_report_html: passed"
	exit "$fail"
fi
grep -q 'grid-template-columns:repeat(2,1fr)' "$html" || bad "figures are not two machines side by side"
labels() { # kind: the axis labels its figure must show, exactly
	case $1 in
	nsop) echo "threads|ns/op per thread (median, 95% CI)" ;;
	ratio) echo "threads|heap ns/op ÷ stack ns/op (95% CI)" ;;
	heatmap) echo "threads|size|heap / stack" ;;
	throughput) echo "threads|ops/s ÷ ops/s at 1 thread (95% CI)" ;;
	contention) echo "threads|ns/op per thread (median, 95% CI)|aggregate Mops/s (median, 95% CI)" ;;
	latency) echo "threads|latency of one op, ns" ;;
	bandwidth) echo "size|GB/s per thread" ;;
	*) echo "?" ;;
	esac
}
nfig=0
for svg in "$work"/rep/figures/*.svg; do
	name=$(basename "$svg" .svg); kind=${name%%-*}; wl=${name#*-*-}
	nfig=$((nfig + 1))
	texts=$(grep -oE '>[^<>]*</(tspan|text)>' "$svg" | sed -E 's/^>//; s#</(tspan|text)>$##')
	[ "$kind" = bandwidth ] && wl="stack copy vs memcpy"
	grep -q "^$wl[ :]" <<<"$texts" || bad "$name: no title naming $wl"
	IFS='|' read -ra want <<<"$(labels "$kind")"
	for l in "${want[@]}"; do
		grep -qxF -- "$l" <<<"$texts" || bad "$name: no axis label '$l'"
	done
	entries=$(grep -o '<title>[^<]*</title>' "$svg" | sed 's/<[^>]*>//g' | grep -v -e '^Gnuplot$' -e '^gnuplot_plot_')
	[ -n "$entries" ] || bad "$name: no legend"
	while IFS= read -r e; do
		[ -n "$e" ] || continue
		k=$(grep -cxF -- "$e" <<<"$texts")
		[ "$k" -eq 1 ] || bad "$name: legend entry '$e' drawn $k times (one legend per figure)"
	done <<<"$(sort -u <<<"$entries")"
done
[ "$nfig" -ge 20 ] || bad "only $nfig figures"
echo "test_report_html: $nfig figures checked"
[ "$fail" -eq 0 ] && echo "test_report_html: passed"
exit "$fail"
