# bandwidth.gp — bytes copied per ns (GB/s) per thread against size: the
# stack copy of Smaug beside the memcpy reference of the bandwidth workload.
# Set before `load`: the terminal and output, and
#   figw, figh, ftitle, pfile (one file), nline, ltitle[i], lcolor[i], ldash[i]
# Data: one block per line:  size_bytes  GB_per_s
load dir.'common.gp'
set logscale x 2
set format x '%.0b%BB'
set xlabel 'size'
set ylabel 'GB/s per thread'
set yrange [0:*]
set offsets graph 0.03, graph 0.03, 0, 0   # padded: the end points clear the frame
set title ftitle font ',12'
set lmargin at screen ML; set rmargin at screen MR; set tmargin at screen MT; set bmargin at screen MB
eval legend_on
plot for [i=1:nline] pfile index (i-1) using 1:2 with linespoints \
	lc rgb col(lcolor[i]) dt ldash[i] lw 1.5 pt ptype(lcolor[i]) ps 0.6 title ltitle[i]
