#!/usr/bin/env bash
# test_docs.sh — the options of each subcommand's --help, the man page and
# the README agree: every option in --help is in the man page and in the
# README, and every option the README's table of `contend run` lists is in
# --help. The help texts print no stray "%%", `help SUB` is `SUB --help`,
# and the version line names a git revision.
#   test_docs.sh CONTEND MANPAGE README
set -u
contend=$1 man=$2 readme=$3
fail=0
no() { echo "FAIL: $*"; fail=1; }

longs() { grep -oE '(^|[ ,])--[a-z][a-z-]*' | sed 's/^[ ,]*//' | sort -u; }
mantext=$(sed 's/\\-/-/g; s/\\f[BIR]//g' "$man")

for sub in run list report compare selftest; do
	help=$("$contend" help "$sub") || no "help $sub: exit $?"
	[ "$help" = "$("$contend" "$sub" --help)" ] || no "help $sub differs from $sub --help"
	grep -q '%%' <<<"$help" && no "help $sub prints a stray %%"
	for opt in $(grep -E '^ +-' <<<"$help" | longs); do
		grep -qF -- "$opt" <<<"$mantext" || no "$sub $opt: in --help, not in the man page"
		grep -qF -- "$opt" "$readme" || no "$sub $opt: in --help, not in README.md"
	done
done
grep -q '%%' <<<"$("$contend" --help)" && no "--help prints a stray %%"

# the README's table of run options lists nothing --help does not know
runhelp=$("$contend" help run)
table=$(sed -n '/^## Options of `contend run`/,/^## /p' "$readme" | grep '^| `-')
for opt in $(longs <<<"$table"); do
	grep -qF -- "$opt" <<<"$runhelp" || no "README's run table lists $opt, --help does not"
done
[ -n "$table" ] || no "README has no table under '## Options of \`contend run\`'"

ver=$("$contend" --version)
grep -qE '^contend [0-9]+\.[0-9]+\.[0-9]+$' <<<"$ver" || no "--version: no 'contend X.Y.Z' line"
grep -qE '^git revision [0-9a-f]{7,}(-dirty)?$|^git revision unknown$' <<<"$ver" ||
	no "--version: no git revision line"
[ "$ver" = "$("$contend" version)" ] || no "--version and version differ"

[ "$fail" -eq 0 ] && echo "docs: help, man page and README agree"
exit "$fail"
