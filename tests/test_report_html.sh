#!/usr/bin/env bash
# test_report_html.sh — report.html in a real browser: headless Chromium
# renders the report of a synthetic study offline (network features off) and
# takes a screenshot, which must hold real content: several times the bytes
# of a blank page's screenshot, taken the same way. Skipped (77) without
# Chromium.
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
"$gen" gen "$work/study" known || exit 1
"$contend" report -q "$work/study" 2>/dev/null || { echo "FAIL: report"; exit 1; }
echo '<!DOCTYPE html><html><body></body></html>' > "$work/blank.html"

shot() { # html, png
	timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --disable-sync --no-first-run --disable-extensions \
		--user-data-dir="$work/profile-$(basename "$2")" --hide-scrollbars \
		--screenshot="$2" --window-size=1200,2000 "file://$1" >/dev/null 2>&1
}
shot "$work/study/report/report.html" "$work/report.png"
shot "$work/blank.html" "$work/blank.png"
size() { stat -c %s "$1" 2>/dev/null || echo 0; }
r=$(size "$work/report.png"); b=$(size "$work/blank.png")
echo "test_report_html: screenshot of report.html $r bytes, of a blank page $b bytes"
if [ "$r" -le 0 ] || [ "$b" -le 0 ]; then
	echo "FAIL: no screenshot"
	exit 1
fi
if [ "$r" -lt $((5 * b)) ] || [ "$r" -lt 50000 ]; then
	echo "FAIL: the screenshot looks empty"
	exit 1
fi
# the PNG signature, and an image of the size asked for (IHDR width, height)
sig=$(head -c 8 "$work/report.png" | od -An -tx1 | tr -d ' \n')
dims=$(head -c 24 "$work/report.png" | tail -c 8 | od -An -tu1 | awk '{print $3*256+$4, $7*256+$8}')
if [ "$sig" != 89504e470d0a1a0a ] || [ "$dims" != "1200 2000" ]; then
	echo "FAIL: not a 1200x2000 PNG ($sig, $dims)"
	exit 1
fi
echo "test_report_html: passed"
