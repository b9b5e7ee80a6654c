#!/bin/sh
# test_smallobj.sh SMALLOBJ TCMALLOC_LIB — the independent kernel under
# tcmalloc: workers that primed their thread caches in turn (-w 64) must
# never touch a cache line another worker touches, at sizes that share lines
# (16, 32, 48, 80 B) and 2, 4 and 8 threads (asserted up to the CPUs this
# process may use; oversubscribed counts are recorded), with pools and
# per-repetition workers. Cold workers (-w 0) are printed for the record: whether they
# share is tcmalloc's business (README, "Why tcmalloc's small objects slow
# down under threads"), not a property this test may fix.
# Exit 77 (skip) without tcmalloc.
set -u
bin=$1 lib=${2:-}
[ -n "$lib" ] && [ -e "$lib" ] || { echo "SKIP: tcmalloc not installed"; exit 77; }
fail=0
cpus=$(nproc)
for life in once per-rep; do
	for t in 2 4 8; do
		for s in 16 32 48 80; do
			out=$(LD_PRELOAD=$lib "$bin" -t "$t" -s "$s" -w 64 -l "$life" -r 3 -m 2) || {
				echo "FAIL: smallobj -t $t -s $s -w 64 -l $life exited with $?"; fail=1; continue; }
			if [ "$t" -gt "$cpus" ]; then
				# oversubscribed: workers take turns on the CPUs and some never run
				# in a window, so their priming order is the scheduler's: recorded
				echo "$out" | grep -q 'shared_lines=[1-9]' &&
					echo "note: oversubscribed (-t $t on $cpus CPUs, -s $s -l $life): a shared line"
				continue
			fi
			if echo "$out" | grep -q 'shared_lines=[1-9]'; then
				echo "FAIL: primed workers share a cache line (-t $t -s $s -l $life):"
				echo "$out"
				fail=1
			fi
			echo "$out" | grep -q 'shared_lines=0' || { echo "FAIL: no report line"; fail=1; }
		done
	done
done
echo "cold workers, for the record:"
LD_PRELOAD=$lib "$bin" -t 2 -s 16 -w 0 -r 2 -m 2 | sed 's/^/  /'
# bad input: one line, status 2
"$bin" -t 0 2>/dev/null; [ $? -eq 2 ] || { echo "FAIL: -t 0 not refused with status 2"; fail=1; }
"$bin" -l forever 2>/dev/null; [ $? -eq 2 ] || { echo "FAIL: -l forever not refused"; fail=1; }
[ $fail -eq 0 ] && echo "PASS"
exit $fail
