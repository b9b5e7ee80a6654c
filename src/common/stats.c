/* stats.c — median, distribution-free confidence interval, moments. */
#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The order-statistic interval of the median: the largest k with
 * P(Binomial(n, 1/2) <= k - 1) <= 2.5%, so that [x(k), x(n+1-k)] covers the
 * median with at least 95%. The CDF is summed term by term in log space
 * (exact enough for large n) in one pass: O(n), not a sum per k. */
static void median_ci(const double *sorted, size_t n, ct_summary_t *s)
{
	s->has_ci = false;
	size_t best = 0;
	double cdf = 0, logc = 0, log_2n = (double)n * log(2.0), at_best = 0; /* logc: log C(n, i) */
	for (size_t k = 1; k <= n / 2; k++) {
		size_t i = k - 1;
		if (i > 0)
			logc += log((double)(n - i + 1)) - log((double)i);
		cdf += exp(logc - log_2n); /* now P(B <= k - 1) */
		if (cdf > 0.025)
			break;
		best = k;
		at_best = cdf;
	}
	if (best == 0)
		return;
	s->lo = sorted[best - 1];
	s->hi = sorted[n - best];
	s->conf = 1.0 - 2.0 * at_best;
	s->has_ci = true;
}

void ct_summarize(const double *x, size_t n, ct_summary_t *s)
{
	memset(s, 0, sizeof *s);
	s->n = n;
	if (n == 0)
		return;
	double *v = malloc(n * sizeof *v);
	if (!v)
		return;
	memcpy(v, x, n * sizeof *v);
	qsort(v, n, sizeof *v, cmp_double);
	s->min = v[0];
	s->max = v[n - 1];
	s->median = (n % 2) ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	double sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += v[i];
	s->mean = sum / (double)n;
	double ss = 0;
	for (size_t i = 0; i < n; i++)
		ss += (v[i] - s->mean) * (v[i] - s->mean);
	s->sd = n > 1 ? sqrt(ss / (double)(n - 1)) : 0;
	median_ci(v, n, s);
	free(v);
}

double ct_ci_pct(const ct_summary_t *s)
{
	if (!s->has_ci || s->median == 0)
		return -1;
	double a = (s->median - s->lo) / s->median, b = (s->hi - s->median) / s->median;
	return 100.0 * (a > b ? a : b);
}
