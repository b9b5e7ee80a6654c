/* figures.h — the report's figures: data files written from the results
 * (REPORT/data/NAME.dat), then one gnuplot process that loads the scripts in
 * plots/ for each figure, once for SVG and once for PNG (REPORT/figures/NAME.svg, .png).
 *
 * Figures per results directory and workload: per-thread ns/op against
 * threads (nsop_threads.gp); for workloads with heap and stack modes the
 * heap/stack ratio against threads with its CI (ratio.gp) and as a heatmap
 * over sizes and threads, undecided cells hatched (heatmap.gp); for the
 * contention workloads (no stack mode) ns/op per thread and aggregate
 * throughput with every allocator side by side (contention.gp); throughput
 * against threads with the ideal line, wide CIs cut and marked
 * (throughput.gp); latency percentiles against threads when results.csv has
 * p50_ns/p99_ns columns (latency.gp); per directory the stack-copy bandwidth
 * against the memcpy reference when a `bandwidth` workload was run
 * (bandwidth.gp). Panels of one figure share their y-range and one legend.
 * Without gnuplot nothing is drawn and note says so. */
#ifndef CT_FIGURES_H
#define CT_FIGURES_H

#include "resultsdb.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct {
	char title[512];
	char kind[32];        /* "nsop", "ratio", "heatmap", "contention", "throughput",
			       * "latency", "bandwidth" */
	char group[96];       /* the same figure of every directory: "nsop-smaug" */
	size_t dir;           /* index of the results directory */
	char svg[256], png[256]; /* paths relative to the report directory; "" if not drawn */
} ct_figure_t;

typedef struct {
	ct_figure_t *fig;
	size_t n, cap;
	bool drawn;           /* gnuplot ran */
	char note[512];       /* why figures are missing, when they are */
} ct_figures_t;

/* Write the data and draw every figure of dirs[0..n) into outdir. Returns 0
 * (figures missing for want of gnuplot or its scripts are not an error: see
 * note), -1 when the data files cannot be written. */
int ct_figures_make(const ct_rdir_t *dirs, size_t n, const char *outdir, ct_figures_t *out);
void ct_figures_free(ct_figures_t *f);

/* The plots/ directory holding the gnuplot scripts, with a trailing slash:
 * $CONTEND_PLOTS, else next to the executable (../plots, plots), else the
 * source tree's. Empty when none is found. */
void ct_plots_dir(char *buf, size_t len);

#endif
