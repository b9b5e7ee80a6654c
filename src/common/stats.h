/* stats.h — summaries of repeated measurements.
 *
 * The centre is the median (robust to the odd preempted repetition, as
 * benchstat does). Its 95% confidence interval is distribution-free: the
 * order statistics x(k) and x(n+1-k) with the largest k such that
 * P(Binomial(n, 1/2) < k) <= 2.5%. That needs n >= 6; with fewer samples
 * has_ci is false and the interval is not reported. */
#ifndef CT_STATS_H
#define CT_STATS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
	size_t n;
	double median;
	double lo, hi;   /* 95% CI of the median when has_ci */
	bool has_ci;
	double conf;     /* actual coverage of [lo, hi] (>= 0.95) */
	double mean, sd; /* sample mean and standard deviation */
	double min, max;
} ct_summary_t;

/* Summarize x[0..n) (n may be 0: everything 0, has_ci false). x is not modified. */
void ct_summarize(const double *x, size_t n, ct_summary_t *out);

/* Half-width of the CI relative to the median, in percent (max of the two
 * sides); -1 when there is no CI. */
double ct_ci_pct(const ct_summary_t *s);

/* Smallest n for which a 95% median CI exists. */
#define CT_MIN_CI_SAMPLES 6

#endif
