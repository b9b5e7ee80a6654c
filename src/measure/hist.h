/* hist.h — log-bucket latency histogram: 8 buckets per power of two from
 * 1/16 ns to about 2^36 ns (relative resolution 9%), plus the exact maximum.
 * One per worker (no shared writes while timing); merged after join. */
#ifndef CT_HIST_H
#define CT_HIST_H

#include <stdint.h>

#define CT_HIST_SUB 8
#define CT_HIST_OCTAVES 40
#define CT_HIST_BUCKETS (CT_HIST_SUB * CT_HIST_OCTAVES)

typedef struct {
	uint64_t n;
	double max;
	uint32_t count[CT_HIST_BUCKETS];
} ct_hist_t;

void ct_hist_add(ct_hist_t *h, double ns);
void ct_hist_merge(ct_hist_t *into, const ct_hist_t *from);
/* The q-quantile (0 < q <= 1): the geometric middle of the bucket holding
 * it, never above the maximum; 0 when empty. */
double ct_hist_quantile(const ct_hist_t *h, double q);

#endif
