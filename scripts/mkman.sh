#!/usr/bin/env bash
# mkman.sh — builds contend.1 from doc/contend.1.in and the binary's own
# --help texts, so that the options in the man page are the options in
# --help: a line "@OPTIONS sub@" becomes the option list of `contend help sub`.
#   scripts/mkman.sh CONTEND TEMPLATE OUT
set -euo pipefail
contend=$1 template=$2 out=$3
version=$("$contend" --version | sed -n 's/^contend //p' | head -1)

# help text -> roff: an option line ("  -w, --workload LIST   text") opens a
# .TP entry, deeper-indented lines continue its text; dashes and backslashes
# escaped, a line starting with '.' or "'" guarded.
options() {
	"$contend" help "$1" | awk '
	function esc(s) { gsub(/\\/, "\\e", s); gsub(/-/, "\\-", s); if (s ~ /^[.'\'']/) s = "\\&" s; return s }
	function optline(s) { return match(s, /^ +-/) && RLENGTH <= 7 }
	optline($0) {
		line = $0; sub(/^ +/, "", line)
		spec = line; text = ""
		if (match(line, /  +/)) { spec = substr(line, 1, RSTART - 1); text = substr(line, RSTART + RLENGTH) }
		n = split(spec, w, " "); head = ""
		for (i = 1; i <= n; i++) {
			sep = (i > 1 ? " " : "")
			if (w[i] ~ /^-/) head = head sep "\\fB" esc(w[i]) "\\fR"
			else head = head sep "\\fI" esc(w[i]) "\\fR"
		}
		print ".TP"; print head
		if (text != "") print esc(text)
		inopt = 1; next
	}
	inopt && /^       +[^ ]/ { t = $0; sub(/^ +/, "", t); print esc(t); next }
	{ inopt = 0 }'
}

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
while IFS= read -r line; do
	case "$line" in
	"@OPTIONS "*@) sub=${line#@OPTIONS }; options "${sub%@}" ;;
	*) printf '%s\n' "${line//@VERSION@/$version}" ;;
	esac
done <"$template" >"$tmp"
mv "$tmp" "$out"
trap - EXIT
