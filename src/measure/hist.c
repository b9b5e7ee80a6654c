/* hist.c — log-bucket latency histogram (see hist.h). */
#include "hist.h"

#include <math.h>

/* Buckets start at 1/16 ns: batch-averaged operations can be that short. */
#define UNITS_PER_NS 16.0

static int bucket(double ns)
{
	double u = ns * UNITS_PER_NS;
	if (!(u >= 1))
		return 0;
	int b = (int)(log2(u) * CT_HIST_SUB);
	return b >= CT_HIST_BUCKETS ? CT_HIST_BUCKETS - 1 : b;
}

void ct_hist_add(ct_hist_t *h, double ns)
{
	h->count[bucket(ns)]++;
	h->n++;
	if (ns > h->max)
		h->max = ns;
}

void ct_hist_merge(ct_hist_t *into, const ct_hist_t *from)
{
	for (int i = 0; i < CT_HIST_BUCKETS; i++)
		into->count[i] += from->count[i];
	into->n += from->n;
	if (from->max > into->max)
		into->max = from->max;
}

double ct_hist_quantile(const ct_hist_t *h, double q)
{
	if (!h->n)
		return 0;
	uint64_t rank = (uint64_t)ceil(q * (double)h->n), seen = 0;
	if (rank == 0)
		rank = 1;
	if (rank >= h->n) /* the top sample is known exactly */
		return h->max;
	for (int i = 0; i < CT_HIST_BUCKETS; i++) {
		seen += h->count[i];
		if (seen >= rank) {
			double mid = exp2(((double)i + 0.5) / CT_HIST_SUB) / UNITS_PER_NS;
			return mid < h->max ? mid : h->max;
		}
	}
	return h->max;
}
