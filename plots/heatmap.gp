# heatmap.gp — heap/stack ratio of median ns/op, sizes x threads, one panel
# per allocator. Above 1 (red): the stack is faster; below 1 (blue): the heap.
# Set before `load`: the terminal and output, and
#   ftitle, npanel, rows, cols, pfile[i], ptitle[i]
#   nx, xlab[j] (thread counts), ny, ylab[k] (sizes)
#   cbmax      colour range is [1/cbmax, cbmax], log scale
# Data: x_index  y_index  ratio   (indices from 0; blank line between x columns)
load dir.'common.gp'
set palette defined (0 '#2166ac', 0.5 '#f7f7f7', 1 '#b2182b')
set colorbox
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
set multiplot layout rows, cols title ftitle font ',12'
do for [p=1:npanel] {
	set title ptitle[p]
	plot pfile[p] using 1:2:(0.5):(0.5):3 with boxxyerror fs solid 1.0 noborder \
		lc palette notitle, \
	     pfile[p] using 1:2:(sprintf('%.2f', $3)) with labels font ',8' notitle
}
unset multiplot
