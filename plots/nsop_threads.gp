# nsop_threads.gp — per-thread ns/op against threads, one panel per
# allocator, log scales; flat lines are perfect scaling, rising ones contention.
# Set before `load` (contend report does): the terminal and output, and
#   ftitle        figure title
#   npanel, rows, cols
#   pfile[i], ptitle[i]        data file and title of panel i (1..npanel)
#   nline                      lines per panel: index i-1 of each data file
#   ltitle[i], lcolor[i] (0..1), ldash[i] (1 solid, 2 dashed)
# Data: one block per line (separated by two blank lines):
#   threads  median_ns  ci_lo_ns  ci_hi_ns
load dir.'common.gp'
set logscale x 2
set logscale y 10
set xlabel 'threads'
set ylabel 'ns/op per thread (median, 95% CI)'
set format y '%g'
set multiplot layout rows, cols title ftitle font ',12'
do for [p=1:npanel] {
	set title ptitle[p]
	plot for [i=1:nline] pfile[p] index (i-1) using 1:2:3:4 with yerrorlines \
		lc palette frac lcolor[i] dt ldash[i] lw 1.5 pt 7 ps 0.5 title ltitle[i]
}
unset multiplot
