/* schedule.c — rounds, shuffles and extra rounds (see schedule.h). */
#include "schedule.h"
#include "contend.h"

#include <limits.h>
#include <stdbool.h>
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

/* Repetitions slot i needs beyond its good ones to reach the target, a
 * quarter more than predicted; UINT_MAX when that passes its room. */
static unsigned needed(double miss, unsigned good, unsigned room)
{
	double more = ceil(1.25 * (double)good * miss * miss) - (double)good;
	if (more < 1)
		more = 1;
	return more <= (double)room ? (unsigned)more : UINT_MAX;
}

/* Does slot i want more: a CI wider than the target, or none (+inf)? */
static bool misses(double miss)
{
	return !isnan(miss) && miss > 1;
}

static const unsigned *g_need; /* qsort has no context argument in C11 */

static int by_need(const void *pa, const void *pb)
{
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	if (g_need[a] != g_need[b])
		return g_need[a] < g_need[b] ? -1 : 1;
	return (a > b) - (a < b);
}

size_t ct_schedule_extra(const double *miss, const unsigned *good, const unsigned *room, size_t n,
			 size_t budget, unsigned *give)
{
	size_t total = 0, k = 0, demand = 0;
	for (size_t i = 0; i < n; i++)
		demand += misses(miss[i]) ? room[i] : 0;
	if (demand <= budget) { /* enough for all: each misses less with more */
		for (size_t i = 0; i < n; i++)
			give[i] = misses(miss[i]) ? room[i] : 0;
		return demand;
	}
	unsigned *need = malloc((n ? n : 1) * sizeof *need);
	size_t *order = malloc((n ? n : 1) * sizeof *order);
	for (size_t i = 0; i < n; i++) {
		give[i] = 0;
		if (isinf(miss[i]) && misses(miss[i]) && room[i]) { /* no CI: owed its room */
			give[i] = room[i] < budget - total ? room[i] : (unsigned)(budget - total);
			total += give[i];
		}
	}
	for (size_t i = 0; need && order && i < n; i++)
		if (isfinite(miss[i]) && misses(miss[i]) && room[i] &&
		    (need[i] = needed(miss[i], good[i], room[i])) != UINT_MAX)
			order[k++] = i;
	g_need = need;
	if (k)
		qsort(order, k, sizeof *order, by_need);
	for (size_t j = 0; j < k && need[order[j]] <= budget - total; j++) {
		give[order[j]] = need[order[j]];
		total += need[order[j]];
	}
	free(need);
	free(order);
	return total;
}
