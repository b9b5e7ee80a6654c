# bandwidth.gp — bytes copied per ns (GB/s) per thread against size: the
# stack copy of Smaug beside the memcpy reference of the bandwidth workload.
# Set before `load`: the terminal and output, and
#   ftitle, pfile (one file), nline, ltitle[i], lcolor[i], ldash[i]
# Data: one block per line:  size_bytes  GB_per_s
load dir.'common.gp'
set logscale x 2
set format x '%.0b%BB'
set xlabel 'size'
set ylabel 'GB/s per thread'
set yrange [0:*]
set title ftitle font ',12'
plot for [i=1:nline] pfile index (i-1) using 1:2 with linespoints \
	lc palette frac lcolor[i] dt ldash[i] lw 1.5 pt 7 ps 0.6 title ltitle[i]
