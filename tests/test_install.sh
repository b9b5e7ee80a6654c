#!/usr/bin/env bash
# test_install.sh — `cmake --install` into a temporary prefix gives a contend
# that works from there: it finds its census interposer and gnuplot scripts
# under the prefix, runs a small study with B/op and allocs/op measured, and
# draws its figures; the binary copied away from its files refuses to run a
# study (exit 1, naming the missing interposer) instead of dropping B/op.
#   test_install.sh BUILD_DIR
set -u
build=$1
work=$(mktemp -d /tmp/contend-install-XXXXXX)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
fail=0
no() { echo "FAIL: $*"; fail=1; }

cmake --install "$build" --prefix "$prefix" >"$work/install.log" 2>&1 ||
	{ cat "$work/install.log"; echo "FAIL: cmake --install"; exit 1; }
exe=$prefix/bin/contend
[ -x "$exe" ] || { echo "FAIL: no $exe"; exit 1; }
census=$(find "$prefix" -name libctcensus.so -path '*/contend/*')
[ -n "$census" ] || no "no lib*/contend/libctcensus.so under the prefix"
[ -r "$prefix/share/contend/plots/common.gp" ] || no "no share/contend/plots/common.gp"
[ -r "$prefix/share/man/man1/contend.1.gz" ] || no "no share/man/man1/contend.1.gz"
command -v man >/dev/null && { man -l "$prefix/share/man/man1/contend.1.gz" 2>/dev/null |
	grep -q 'RUN OPTIONS' || no "man -l contend.1.gz shows no RUN OPTIONS"; }
[ -r "$prefix/share/doc/contend/README.md" ] || no "no share/doc/contend/README.md"

# the installed binary reports its own files under the prefix, not the build tree
ver=$(cd "$work" && "$exe" version) || no "contend version: exit $?"
grep -qx "census interposer $census" <<<"$ver" || no "version names another census: $ver"
grep -qx "gnuplot scripts $prefix/share/contend/plots/" <<<"$ver" ||
	no "version names other plots: $ver"

# a small study from the prefix, census included
out=$work/study
(cd "$work" && "$exe" run -w bilbo -m heap,stack -a glibc -t 1 -n 2 --benchtime 1ms \
	-o "$out" -q) >"$work/run.log" 2>&1 || { cat "$work/run.log"; no "run: exit $?"; }
heap=$(grep -c '^BenchmarkBilbo/mode=heap/.*	16 B/op	1 allocs/op' "$out/results.txt" 2>/dev/null)
stack=$(grep -c '^BenchmarkBilbo/mode=stack/.*	0 B/op	0 allocs/op' "$out/results.txt" 2>/dev/null)
[ "${heap:-0}" -eq 2 ] && [ "${stack:-0}" -eq 2 ] ||
	no "census figures: $heap heap lines with 16 B/op 1 allocs/op, $stack stack lines with 0/0 (want 2, 2)"
if command -v gnuplot >/dev/null; then
	ls "$out"/report/figures/*.svg >/dev/null 2>&1 || no "no figures drawn from the installed scripts"
fi

# the binary alone, away from its files: an error, nothing written
mkdir -p "$work/alone" && cp "$exe" "$work/alone/contend"
(cd "$work" && "$work/alone/contend" run -w bilbo -a glibc -t 1 -n 1 -o "$work/lost" -q) \
	>"$work/alone.log" 2>&1
rc=$?
[ "$rc" -eq 1 ] || no "moved binary: exit $rc, want 1"
grep -q 'libctcensus.so is missing (looked in ' "$work/alone.log" || no "moved binary said: $(cat "$work/alone.log")"
[ ! -e "$work/lost" ] || no "moved binary wrote $work/lost"

[ "$fail" -eq 0 ] && echo "install: all checks passed"
exit "$fail"
