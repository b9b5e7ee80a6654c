/* schedule.c — rounds, shuffles and extra rounds (see schedule.h). */
#include "schedule.h"
#include "contend.h"

#include <math.h>
#include <stdlib.h>
#include <unistd.h>

/* splitmix64: a full-period generator whose outputs are well mixed even
 * from consecutive seeds. */
static uint64_t next(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

uint64_t ct_schedule_seed(void)
{
	uint64_t x = ct_now_ns() ^ ((uint64_t)getpid() << 32);
	return next(&x);
}

/* Uniform in [0, n): rejection keeps the modulo unbiased. */
static uint64_t below(uint64_t *x, uint64_t n)
{
	uint64_t limit = UINT64_MAX - UINT64_MAX % n, v;
	while ((v = next(x)) >= limit) {
	}
	return v % n;
}

void ct_schedule_shuffle(ct_slot_t *v, size_t n, uint64_t seed, unsigned round)
{
	uint64_t x = seed ^ ((uint64_t)round * 0xd1b54a32d192ed03ull);
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)below(&x, i);
		ct_slot_t t = v[i - 1];
		v[i - 1] = v[j];
		v[j] = t;
	}
}

static const double *g_miss; /* qsort has no context argument in C11 */

static int by_miss(const void *pa, const void *pb)
{
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	if (g_miss[a] != g_miss[b])
		return g_miss[a] < g_miss[b] ? 1 : -1;
	return (a > b) - (a < b);
}

size_t ct_schedule_extra(const double *miss, size_t n, size_t budget, size_t *out)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!isnan(miss[i]) && miss[i] > 1)
			out[k++] = i;
	g_miss = miss;
	qsort(out, k, sizeof *out, by_miss);
	return k < budget ? k : budget;
}
