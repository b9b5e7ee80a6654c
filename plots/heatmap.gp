# heatmap.gp — heap/stack ratio of median ns/op, sizes x threads, one panel
# per allocator. Above 1 (orange): the stack is faster; below 1 (blue): the
# heap. A ratio whose 95% CI includes 1 is not a difference: its cell is grey
# and hatched and its label ends in ~, as in the report's tables (the labels
# are the tables' own text).
# Set before `load`: the terminal and output, and
#   figw, figh, ftitle, npanel, rows, cols, pfile[i], ptitle[i]
#   nx, xlab[j] (thread counts), ny, ylab[k] (sizes)
#   cbmax      colour range is [1/cbmax, cbmax], log scale
# Data: x_index  y_index  ratio  significant(0/1)  "label"
#   (indices from 0; blank line between x columns; a point not measured has
#   ratio NaN and the label "no data")
load dir.'common.gp'
set palette defined (0 '#2166ac', 0.5 '#f7f7f7', 1 '#b35806')
set logscale cb
set cbrange [1.0/cbmax:cbmax]
set cbtics ()
do for [e=-int(log(cbmax)/log(2)+0.5):int(log(cbmax)/log(2)+0.5)] {
	set cbtics add (sprintf('%g', 2.0**e) 2.0**e)
}
set cblabel 'heap / stack'
set xlabel 'threads'
set ylabel 'size'
set xrange [-0.5:nx-0.5]
set yrange [-0.5:ny-0.5]
unset grid
set xtics () ; set ytics ()
do for [j=1:nx] { set xtics add (xlab[j] j-1) }
do for [k=1:ny] { set ytics add (ylab[k] k-1) }
set multiplot layout rows, cols title ftitle font ',12' margins ML, MR, MB, MT spacing SX, SY
do for [p=1:npanel] {
	set title ptitle[p]
	if (p == 1) {
		eval legend_on
		set colorbox user origin screen KX + 0.01, screen MB size screen 0.018, screen (MT - MB) * 0.55
	} else { unset key; unset colorbox }
	plot pfile[p] using 1:2:(0.5):(0.5):($4 > 0 ? $3 : NaN) with boxxyerror fs solid 1.0 noborder \
		lc palette notitle, \
	     pfile[p] using 1:($4 > 0 ? NaN : $2):(0.5):(0.5) with boxxyerror fs pattern 4 \
		lc rgb '#9a9a9a' title '~ : CI includes 1', \
	     pfile[p] using 1:2:5 with labels font ',8' notitle
}
unset multiplot
