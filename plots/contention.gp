# contention.gp — one contention workload (churn, xfree, falseshare):
# ns/op per thread (left) and aggregate throughput (right) against threads,
# every allocator in the same panel (colour) and each mode its dash.
# Set before `load`: the terminal and output, and
#   figw, figh, ftitle, pfile (one file), nline, ltitle[i], lcolor[i], ldash[i]
#   tmin, tmax, ymin, ymax (ns/op, CI ends), omax (Mops/s, CI ends)
# Data: one block per line:
#   threads  ns_median  ns_lo  ns_hi  mops_median  mops_lo  mops_hi
load dir.'common.gp'
set multiplot layout 1, 2 title ftitle font ',12' margins ML, MR, MB, MT spacing SX, SY
set logscale x 2
set xrange [tmin / 1.35 : tmax * 1.35]
set xtics 2
set format x '%g'
set xlabel 'threads'
set logscale y 10
set format y (ymax >= 1e6 ? '%.0s%c' : '%g')   # 1M, not 1e+06
set yrange [ymin / 1.25 : ymax * 1.25]
set ylabel 'ns/op per thread (median, 95% CI)'
set title 'cost per operation, per thread'
eval legend_on
plot for [i=1:nline] pfile index (i-1) using ($1 * dodge_log(i, nline)):2:3:4 with yerrorlines \
	lc rgb col(lcolor[i]) dt ldash[i] lw 1.5 pt ptype(lcolor[i]) ps 0.6 title ltitle[i]
unset key
unset logscale y
set yrange [0 : omax * 1.1]
set ylabel 'aggregate Mops/s (median, 95% CI)'
set title 'throughput of all threads'
plot for [i=1:nline] pfile index (i-1) using ($1 * dodge_log(i, nline)):5:6:7 with yerrorlines \
	lc rgb col(lcolor[i]) dt ldash[i] lw 1.5 pt ptype(lcolor[i]) ps 0.6 notitle
unset multiplot
