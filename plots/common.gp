# common.gp — style shared by contend's figures: loaded first by each script.
# contend report sets figw, figh (pixels), npanel, rows, cols before `load`.
#
# Colours: the Okabe-Ito palette, safe for the common colour-vision
# deficiencies and dark enough on white (its yellow is left out); lines take
# okabe[lcolor[i]]. Heap lines are solid, stack lines dashed.
# Layout: every panel of a figure gets the same plot area (fixed margins),
# one legend per figure sits in the band on the right (panel 1 draws it),
# and the scripts share one y-range across panels so allocators compare by eye.
set encoding utf8
set termoption noenhanced   # names hold '_' and '^'
array okabe[7] = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#56B4E9', '#E69F00', '#000000']
array ptypes[7] = [7, 5, 9, 11, 13, 15, 1]
col(i) = okabe[(int(i) - 1) % 7 + 1]
ptype(i) = ptypes[(int(i) - 1) % 7 + 1]
unset colorbox
set grid xtics ytics lc rgb '#dddddd' lw 1 dt 1
set border 3 lc rgb '#555555'
set tics nomirror
set title noenhanced
set xlabel noenhanced
set ylabel noenhanced
# margins and spacing of the multiplot, as fractions of the figure
ML = 0.07; MR = 0.83; MT = 1 - 66.0 / figh; MB = 50.0 / figh
SX = 0.08; SY = 100.0 / figh
KX = MR + 0.015; KY = MT
# the legend, drawn by the first panel only
legend_on = "set key at screen KX, screen KY top left vertical Left reverse noenhanced samplen 2.5 spacing 1.1 font ',9' box lc rgb '#cccccc'"
# error bars of line i of n side by side: a small shift in log2 x, or in linear x by w
dodge_log(i, n) = 2 ** (0.035 * (i - (n + 1) / 2.0))
dodge_lin(i, n, w) = w * (i - (n + 1) / 2.0)
