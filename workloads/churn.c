/* churn.c — a working set of K live objects per thread, replaced in random
 * order: the thread-local pattern of Hoard's threadtest and larson (larson's
 * random replacement, without its hand-over of arrays between threads).
 *
 * One operation (mode heap): free one live object chosen at random and
 * malloc a new one in its place (1 alloc/op; SIZE B/op with dist=0). The
 * replacements are done `batch` at a time — first the batch's frees, then
 * its mallocs — so the thread's free lists swing by `batch` objects of a
 * size class instead of one: a swing larger than the per-thread cache
 * pushes objects back to the shared level and pulls them out again. With
 * batch=1 every allocator hands the block just freed straight back (LIFO),
 * and only the random free's cache misses are left.
 * Each object carries a tag (thread, sequence number) written at malloc and
 * folded into the sink at free, so the sink proves that every object of the
 * run was freed exactly once (tests/test_workloads.c).
 *
 * Set-up (the array and the K initial objects) and tear-down (freeing the K
 * survivors) sit outside the span: the census counts only the replacements.
 * K x SIZE (default 4096 x 64 B .. 16 KiB = 256 KiB .. 64 MiB per thread) is
 * beyond the L1/L2 caches, so each random free also misses in the cache on
 * the block and on the allocator's metadata for it.
 *
 * Probes, per allocator (glibc 2.36, mimalloc 2.0.9, gperftools 2.10,
 * jemalloc 5.3):
 *   glibc     tcache holds 7 blocks per bin (up to 1032 B): the rest of each
 *             batch goes to the arena (fastbins up to 128 B, else the
 *             unsorted/small bins under the arena mutex); 16 KiB is past
 *             tcache, every call takes the arena path;
 *   mimalloc  thread-local page free lists; a batch of random frees spreads
 *             over many pages (page retire/reuse, no shared structure);
 *   tcmalloc  thread-cache free lists whose length adapts; overflow moves
 *             batches to the transfer cache / central free list (spinlock);
 *   jemalloc  tcache bins (at most 200 slots small, fewer large): a full bin
 *             flushes to its arena bin under the bin mutex, an empty one
 *             refills from it; 16 KiB is a large (extent) size class.
 * dist=1 draws each size uniformly from 16..SIZE (larson's mix), so
 * replacements also move blocks between size classes. */
#include "workload.h"

#include <stdlib.h>

enum { CHURN_HEAP };
static const char *const churn_modes[] = {"heap", NULL};
enum { P_K, P_BATCH, P_DIST };
static const ct_param_t churn_params[] = {
	{"k", "live objects per thread", 4096, 1, 1u << 24, NULL, false},
	{"batch", "replacements done together: frees, then mallocs (objects)", 256, 1, 1u << 24, NULL,
	 false},
	{"dist", "object sizes: 0 = SIZE, 1 = uniform 16..SIZE", 0, 0, 1, NULL, false},
	{NULL, NULL, 0, 0, 0, NULL, false},
};

#define CHURN_MIN 16 /* smallest size drawn with dist=1 */

typedef struct {
	uint64_t **obj;  /* live objects, obj[0 .. live) */
	uint64_t live;   /* objects in obj[] */
	uint64_t rng;    /* xorshift64 state, seeded from the thread index */
	uint64_t tag;    /* next object's tag: thread << 40 | sequence number */
	uint64_t size;   /* SIZE, bytes */
	bool uniform;    /* dist=1 */
} churn_t;

static inline uint64_t xorshift64(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

/* A uniform index below n without a division. */
static inline uint64_t below(uint64_t *rng, uint64_t n)
{
	return (uint64_t)(((unsigned __int128)xorshift64(rng) * n) >> 64);
}

CT_NOIPA static uint64_t *churn_new(size_t n, uint64_t tag)
{
	uint64_t *p = malloc(n);
	if (!p)
		abort();
	p[0] = tag;
	return p;
}

static inline uint64_t *churn_alloc(churn_t *c)
{
	size_t n = c->uniform ? CHURN_MIN + below(&c->rng, c->size - CHURN_MIN + 1) : c->size;
	return churn_new(n, c->tag++);
}

/* n replacements: n random frees, then n mallocs. Returns the freed tags. */
static uint64_t churn_batch(churn_t *c, uint64_t n)
{
	uint64_t sink = 0;
	for (uint64_t b = 0; b < n; b++) {
		uint64_t r = below(&c->rng, c->live);
		uint64_t *p = c->obj[r];
		sink += ct_mix64(p[0]);
		free(p);
		c->obj[r] = c->obj[--c->live];
	}
	for (uint64_t b = 0; b < n; b++)
		c->obj[c->live++] = churn_alloc(c);
	return sink;
}

static uint64_t churn_loop(churn_t *c, uint64_t iters, uint64_t batch, ct_span_t *s)
{
	uint64_t sink = 0;
	ct_span_begin(s);
	for (uint64_t done = 0; done < iters;) {
		uint64_t n = iters - done < batch ? iters - done : batch;
		sink += churn_batch(c, n);
		done += n;
	}
	ct_span_end(s);
	return sink;
}

/* The thread's k live objects. */
static void churn_fill(churn_t *c, const ct_kargs_t *a, uint64_t k)
{
	*c = (churn_t){.rng = 0x9e3779b97f4a7c15ull ^ ct_mix64(a->thread + 1),
		       .tag = ((uint64_t)a->thread << 40) + 1, .size = a->size,
		       .uniform = a->param[P_DIST] == 1};
	c->obj = malloc(k * sizeof *c->obj);
	if (!c->obj)
		abort();
	while (c->live < k)
		c->obj[c->live++] = churn_alloc(c);
}

static uint64_t churn_drain(churn_t *c)
{
	uint64_t sink = 0;
	while (c->live) {
		uint64_t *p = c->obj[--c->live];
		sink += ct_mix64(p[0]);
		free(p);
	}
	free(c->obj);
	c->obj = NULL;
	return sink;
}

/* A latency round's batches share one working set, built before the first
 * batch and freed after the last, so each batch sees the steady state. */
static __thread churn_t t_round;

static void churn_run(const ct_kargs_t *a, uint64_t iters, ct_span_t *s)
{
	uint64_t k = a->param[P_K];
	uint64_t batch = a->param[P_BATCH] < k ? a->param[P_BATCH] : k;
	if (!s->batch) {
		churn_t c;
		churn_fill(&c, a, k);
		uint64_t sink = churn_loop(&c, iters, batch, s);
		s->sink += sink + churn_drain(&c);
		return;
	}
	if (s->batch_no == 0)
		churn_fill(&t_round, a, k);
	uint64_t sink = churn_loop(&t_round, iters, batch, s);
	if (s->batch_last)
		sink += churn_drain(&t_round);
	s->sink += sink;
}

static uint64_t churn_group(const uint64_t *param)
{
	return param[P_BATCH] < param[P_K] ? param[P_BATCH] : param[P_K];
}

/* k live objects of at most SIZE bytes, plus the array that holds them. */
static uint64_t churn_heap_bytes(uint64_t size, const uint64_t *param)
{
	return ct_mul_sat(param[P_K], size + sizeof(uint64_t *));
}

const ct_workload_t ct_wl_churn = {
	.name = "churn",
	.bench = "Churn",
	.doc = "K live objects per thread; free a random one and malloc its replacement, "
	       "`batch` replacements at a time (threadtest, larson)",
	.probes = "per-thread cache overflow and refill: glibc arena bins, tcmalloc transfer/"
		  "central lists, jemalloc arena bins, mimalloc page free lists",
	.modes = churn_modes,
	.op_group = churn_group,
	.default_modes = "heap",
	.default_sizes = "64B,1KiB,16KiB",
	.min_size = CHURN_MIN,
	.max_size = 1ull << 20,
	.params = churn_params,
	.run = churn_run,
	.heap_bytes = churn_heap_bytes,
};
