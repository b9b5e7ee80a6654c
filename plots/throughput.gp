# throughput.gp — aggregate throughput against threads, relative to one
# thread, with the ideal line (N threads, N times the throughput); one
# panel per allocator.
# Set before `load`: the terminal and output, and
#   ftitle, npanel, rows, cols, pfile[i], ptitle[i]
#   nline, ltitle[i], lcolor[i], ldash[i]     (as in nsop_threads.gp)
#   tmax       largest thread count
# Data: one block per line:  threads  speedup  ci_lo  ci_hi
load dir.'common.gp'
set xlabel 'threads'
set ylabel 'ops/s ÷ ops/s at 1 thread'
set xrange [0.8:tmax*1.05]
if (tmax <= 16) { set xtics 1 }
set yrange [0:*]
set multiplot layout rows, cols title ftitle font ',12'
do for [p=1:npanel] {
	set title ptitle[p]
	plot x with lines lc rgb '#999999' dt 3 lw 1.5 title 'ideal', \
	     for [i=1:nline] pfile[p] index (i-1) using 1:2:3:4 with yerrorlines \
		lc palette frac lcolor[i] dt ldash[i] lw 1.5 pt 7 ps 0.5 title ltitle[i]
}
unset multiplot
