/* abstats.h — two-sample statistics for A/B comparisons of repeated
 * measurements: the Mann–Whitney U test and a distribution-free confidence
 * interval for the ratio of two samples' levels. Used by `contend report`
 * (verdicts, contention factors) and `contend compare`.
 *
 * The test and the ratio's interval are common/mwu.h's: the U test with the
 * exact permutation distribution of tied midranks up to CT_MWU_EXACT_MAX
 * values in all (normal approximation with tie and continuity corrections
 * above), and the interval of the shift between log(y) and log(x) that
 * inverts the same test — the Hodges–Lehmann / Moses interval (order
 * statistics of the n*m differences log(y_j) - log(x_i)) when nothing ties.
 * It assumes only that the two samples differ by a factor (a shift on a log
 * scale) and excludes 1 exactly when the U test rejects at the same level,
 * ties included — so a verdict from the interval and a p-value never
 * disagree. The point estimate reported beside it is the ratio of the
 * medians (what the seed's tables and benchstat show); the Hodges–Lehmann
 * estimate, always inside the interval, is kept too. */
#ifndef CT_ABSTATS_H
#define CT_ABSTATS_H

#include "mwu.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct {
	double u;     /* U of the first sample: pairs (x_i, y_j) with x_i > y_j, ties 1/2 */
	double p;     /* two-sided p-value */
	bool exact;   /* p from the exact permutation distribution (n + m <= CT_MWU_EXACT_MAX) */
} ct_mwu_t;

/* Two-sided Mann–Whitney U test of x[0..n) against y[0..m). n or m 0: p = 1. */
void ct_mwu(const double *x, size_t n, const double *y, size_t m, ct_mwu_t *out);

/* P(U <= u) under the null hypothesis for sample sizes n, m without ties,
 * exact (n + m <= CT_MWU_EXACT_MAX) or normal; exposed for the tests. */
double ct_mwu_cdf(size_t n, size_t m, double u);

typedef struct {
	double ratio;   /* median(y) / median(x) */
	double hl;      /* Hodges–Lehmann estimate of the factor: exp(median of log differences) */
	double lo, hi;  /* CI of the factor when has_ci */
	bool has_ci;    /* false: too few samples for the level, or values <= 0 */
	double conf;    /* actual coverage of [lo, hi] (>= the level asked when exact) */
} ct_ratio_t;

/* The factor by which y[0..m) exceeds x[0..n), with a CI at level conf
 * (e.g. 0.95). Values must be > 0 for the interval; ratio is NAN when a
 * median is not > 0. Returns 0, or -1 when out of memory. */
int ct_ratio_ci(const double *y, size_t m, const double *x, size_t n, double conf,
		ct_ratio_t *out);

/* Median of x[0..n) (NAN when n is 0); x is not modified. */
double ct_median(const double *x, size_t n);

#endif
