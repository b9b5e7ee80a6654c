# latency.gp — latency percentiles (p50, p99, p99.9 of one operation)
# against threads, one panel per allocator, log scale.
# Set before `load`: the terminal and output, and
#   figw, figh, ftitle, npanel, rows, cols, pfile[i], ptitle[i]
#   nline, ltitle[i], lcolor[i], ldash[i]     (as in nsop_threads.gp)
#   tmin, tmax, ymin, ymax                    (as in nsop_threads.gp)
# Data: one block per line:  threads  median_of_percentile_ns
load dir.'common.gp'
set logscale x 2
set logscale y 10
set xrange [tmin / 1.35 : tmax * 1.35]
set xtics 2
set format x '%g'
set yrange [ymin / 1.25 : ymax * 1.25]
set format y (ymax >= 1e6 ? '%.0s%c' : '%g')   # 1M, not 1e+06
set xlabel 'threads'
set ylabel 'latency of one op, ns'
set multiplot layout rows, cols title ftitle font ',12' margins ML, MR, MB, MT spacing SX, SY
do for [p=1:npanel] {
	set title ptitle[p]
	if (p == 1) { eval legend_on } else { unset key }
	plot for [i=1:nline] pfile[p] index (i-1) using 1:2 with linespoints \
		lc rgb col(lcolor[i]) dt ldash[i] lw 1.5 pt ptype(lcolor[i]) ps 0.5 title ltitle[i]
}
unset multiplot
