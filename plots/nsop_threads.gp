# nsop_threads.gp — per-thread ns/op against threads, one panel per
# allocator, log scales; flat lines are perfect scaling, rising ones contention.
# Set before `load` (contend report does): the terminal and output, and
#   figw, figh                 figure size in pixels
#   ftitle                     figure title
#   npanel, rows, cols
#   pfile[i], ptitle[i]        data file and title of panel i (1..npanel)
#   nline                      lines per panel: index i-1 of each data file
#   ltitle[i], lcolor[i] (1..7: okabe[]), ldash[i] (1 solid, 2 dashed)
#   tmin, tmax                 smallest and largest thread count
#   ymin, ymax                 the lowest CI end and highest of every panel
# Data: one block per line (separated by two blank lines):
#   threads  median_ns  ci_lo_ns  ci_hi_ns
load dir.'common.gp'
set logscale x 2
set logscale y 10
set xrange [tmin / 1.35 : tmax * 1.35]   # padded: CIs of the end points clear the frame
set xtics 2
set format x '%g'
set yrange [ymin / 1.25 : ymax * 1.25]   # one range for every panel
set xlabel 'threads'
set ylabel 'ns/op per thread (median, 95% CI)'
set format y (ymax >= 1e6 ? '%.0s%c' : '%g')   # 1M, not 1e+06
set multiplot layout rows, cols title ftitle font ',12' margins ML, MR, MB, MT spacing SX, SY
do for [p=1:npanel] {
	set title ptitle[p]
	if (p == 1) { eval legend_on } else { unset key }
	plot for [i=1:nline] pfile[p] index (i-1) using ($1 * dodge_log(i, nline)):2:3:4 \
		with yerrorlines lc rgb col(lcolor[i]) dt ldash[i] lw 1.5 pt ptype(lcolor[i]) ps 0.6 \
		title ltitle[i]
}
unset multiplot
