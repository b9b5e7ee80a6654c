# ratio.gp — heap/stack ns/op against threads, one line per size, one panel
# per allocator, with the ratio's 95% CI; above the grey line at 1 the stack
# is faster. It makes the gap readable where log ns/op axes squash it.
# Set before `load`: as nsop_threads.gp (lines: one per size), and
#   ymin, ymax    range of the ratios and their CIs over every panel
# Data: one block per line:  threads  ratio  ci_lo  ci_hi
load dir.'common.gp'
set logscale x 2
set logscale y 2
set xrange [tmin / 1.35 : tmax * 1.35]
set xtics 2
set format x '%g'
set yrange [(ymin < 1 ? ymin : 1) / 1.15 : (ymax > 1 ? ymax : 1) * 1.15]
set format y '%g'
set xlabel 'threads'
set ylabel 'heap ns/op ÷ stack ns/op (95% CI)'
set multiplot layout rows, cols title ftitle font ',12' margins ML, MR, MB, MT spacing SX, SY
do for [p=1:npanel] {
	set title ptitle[p]
	if (p == 1) { eval legend_on } else { unset key }
	plot 1 with lines lc rgb '#888888' dt 2 lw 1.5 title 'heap = stack', \
	     for [i=1:nline] pfile[p] index (i-1) using ($1 * dodge_log(i, nline)):2:3:4 \
		with yerrorlines lc rgb col(lcolor[i]) dt 1 lw 1.5 pt ptype(lcolor[i]) ps 0.6 \
		title ltitle[i]
}
unset multiplot
