# throughput.gp — aggregate throughput against threads, relative to one
# thread, with the ideal line (N threads, N times the throughput); one
# panel per allocator.
# Set before `load`: the terminal and output, and
#   figw, figh, ftitle, npanel, rows, cols, pfile[i], ptitle[i]
#   nline, ltitle[i], lcolor[i], ldash[i]     (as in nsop_threads.gp)
#   tmin, tmax     smallest and largest thread count
#   ycap           top of the y axis: the ideal line and the medians fit, a
#                  CI reaching above is cut there and marked with a triangle
#   nclip          how many CIs were cut (the legend explains the mark)
# Data: one block per line:  threads  speedup  ci_lo  ci_hi  clipped(0/1)
load dir.'common.gp'
set xlabel 'threads'
set ylabel 'ops/s ÷ ops/s at 1 thread (95% CI)'
set xrange [0 : tmax * 1.08]
if (tmax <= 8) { set xtics 1 } else { if (tmax <= 16) { set xtics 2 } else { set xtics autofreq } }
set yrange [0 : ycap]
set multiplot layout rows, cols title ftitle font ',12' margins ML, MR, MB, MT spacing SX, SY
w = tmax / 150.0
do for [p=1:npanel] {
	set title ptitle[p]
	if (p == 1) { eval legend_on } else { unset key }
	plot x with lines lc rgb '#999999' dt 3 lw 1.5 title 'ideal (N x 1 thread)', \
	     for [i=1:nline] pfile[p] index (i-1) using ($1 + dodge_lin(i, nline, w)):2:3:($4 > ycap ? ycap : $4) \
		with yerrorlines lc rgb col(lcolor[i]) dt ldash[i] lw 1.5 pt ptype(lcolor[i]) ps 0.6 \
		title ltitle[i], \
	     for [i=1:nline] pfile[p] index (i-1) using ($1 + dodge_lin(i, nline, w)):($5 > 0 ? ycap : NaN) \
		with points lc rgb col(lcolor[i]) pt 9 ps 1.3 notitle, \
	     keyentry with points lc rgb '#444444' pt 9 ps 1.3 \
		title (nclip > 0 ? 'CI goes above the top' : '')
}
unset multiplot
