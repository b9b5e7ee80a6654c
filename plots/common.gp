# common.gp — style shared by contend's figures: loaded first by each script.
# Colours run from dark blue (small sizes) to yellow (large); heap lines are
# solid, stack lines dashed; every panel is one allocator.
set encoding utf8
set termoption noenhanced   # names hold '_' and '^'
set palette defined (0 '#440154', 0.25 '#3b528b', 0.5 '#21918c', 0.75 '#5ec962', 1 '#e8c11c')
unset colorbox
set grid xtics ytics lc rgb '#dddddd' lw 1 dt 1
set border 3 lc rgb '#555555'
set tics nomirror
set key outside right top vertical Left reverse noenhanced samplen 2 spacing 1.0 font ',9'
set title noenhanced
set xlabel noenhanced
set ylabel noenhanced
