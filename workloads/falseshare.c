/* falseshare.c — allocator-induced false sharing: small objects of different
 * threads placed in the same cache line, so that each thread's writes to its
 * own object take the line away from the other. Hoard's cache-thrash
 * (active) and cache-scratch (passive).
 *
 * One operation, both modes: malloc(SIZE), set its SIZE / 8 words to the
 * operation number, `writes` read-modify-writes of its words (each one forced to
 * memory), sum the words into the sink, free it (1 alloc/op, SIZE B/op).
 *   active   each thread's objects come from its own mallocs from the start:
 *            sharing happens only if the allocator itself hands neighbouring
 *            blocks to different threads;
 *   passive  before the span, thread 0 mallocs one object per thread, back
 *            to back, and hands object i to thread i, which frees it (a
 *            remote free for i > 0). An allocator that keeps a freed block
 *            in the freeing thread's cache hands that same block back to the
 *            thread's next malloc, and from then on the threads write to
 *            neighbouring blocks — in one cache line when the blocks are
 *            small and the run does not straddle a line boundary.
 * The writes dominate an operation on purpose (default 100 per op): the
 * workload measures where blocks land, not how fast malloc is. Where blocks
 * land can change from one repetition to the next (the boundary of a line
 * falls between two threads' blocks or not), so a point may have two groups
 * of repetitions and a wide CI: that spread is the finding, not noise.
 *
 * Probes, per allocator (glibc 2.36, mimalloc 2.0.9, gperftools 2.10,
 * jemalloc 5.3):
 *   glibc     active: one arena per thread, no sharing. passive: free() puts
 *             the foreign chunk in the freeing thread's tcache and malloc
 *             takes it straight back; chunks of 8 B requests are 32 B apart,
 *             so two neighbours share a 64 B line half of the time;
 *   mimalloc  active: per-thread pages. passive: a foreign free goes back to
 *             the owner's page (thread-free list) and the thread allocates
 *             from its own pages: no sharing in either mode;
 *   tcmalloc  active: thread caches fill in batches from spans shared by
 *             all threads, so two threads' blocks can be neighbours.
 *             passive: the block joins the freeing thread's cache and is
 *             reused from there: shared lines;
 *   jemalloc  active: one arena per thread, no sharing. passive: once the
 *             thread's tcache is live, the foreign block enters it and is
 *             reused: shared lines.
 *
 * The cache line size comes from sysconf(_SC_LEVEL1_DCACHE_LINESIZE) (64 when
 * unknown): the hand-over slots are one line apart, so that the harness's
 * own shared data shares no line; only the allocator's placement does. */
#include "workload.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

enum { FS_ACTIVE, FS_PASSIVE };
static const char *const fs_modes[] = {"active", "passive", NULL};
enum { P_WRITES };
static const ct_param_t fs_params[] = {
	{"writes", "read-modify-writes of the object per operation", 100, 1, 1u << 24, NULL, false},
	{NULL, NULL, 0, 0, 0, NULL, false},
};

typedef struct {
	pthread_barrier_t bar; /* passive hand-over, twice per run() */
	size_t stride;         /* bytes between hand-over slots: one cache line */
	unsigned char *slots;  /* slot i (a uint64_t *) at slots + i * stride */
} fs_shared_t;

/* Hand-over slots must never share a line themselves. The C library's line
 * size is the smallest in the system on arm64 (CTR_EL0; 32 under qemu),
 * Apple cores use 128 B and x86 prefetches lines in pairs: so at least
 * CT_CACHELINE_MAX apart, more if the machine says so. */
static size_t line_size(void)
{
	long l = sysconf(_SC_LEVEL1_DCACHE_LINESIZE);
	return l > CT_CACHELINE_MAX ? (size_t)l : CT_CACHELINE_MAX;
}

static void *fs_setup(const ct_kargs_t *a)
{
	fs_shared_t *f = calloc(1, sizeof *f);
	if (!f)
		return NULL;
	f->stride = line_size();
	f->slots = aligned_alloc(f->stride, a->threads * f->stride);
	if (!f->slots || pthread_barrier_init(&f->bar, NULL, a->threads) != 0) {
		free(f->slots);
		free(f);
		return NULL;
	}
	return f;
}

static void fs_teardown(void *shared)
{
	fs_shared_t *f = shared;
	pthread_barrier_destroy(&f->bar);
	free(f->slots);
	free(f);
}

static inline uint64_t **slot(fs_shared_t *f, unsigned i)
{
	return (uint64_t **)(void *)(f->slots + (size_t)i * f->stride);
}

/* The operation, behind a frame boundary like the seed's kernels. */
CT_NOIPA static uint64_t fs_op(size_t size, uint64_t writes, uint64_t i)
{
	size_t words = size / sizeof(uint64_t);
	uint64_t *p = malloc(size);
	if (!p || words == 0) /* min_size is 8: at least one word */
		abort();
	for (size_t k = 0; k < words; k++)
		p[k] = i;
	for (uint64_t w = 0, k = 0; w < writes; w++) {
		p[k] += 1;
		CT_ESCAPE(p); /* each write goes to memory, in order */
		if (++k == words)
			k = 0;
	}
	uint64_t sum = 0;
	for (size_t k = 0; k < words; k++)
		sum += p[k];
	free(p);
	return sum;
}

/* Passive set-up: thread 0 allocates every thread's first object back to
 * back; each thread frees its own (a remote free for all but thread 0). */
static uint64_t hand_over(fs_shared_t *f, const ct_kargs_t *a)
{
	if (a->thread == 0)
		for (unsigned t = 0; t < a->threads; t++) {
			uint64_t *p = malloc((size_t)a->size);
			if (!p)
				abort();
			p[0] = t + 1;
			*slot(f, t) = p;
		}
	pthread_barrier_wait(&f->bar);
	uint64_t *mine = *slot(f, a->thread);
	uint64_t tag = mine[0];
	free(mine);
	/* No slot is rewritten (by thread 0's next run()) before all are read. */
	pthread_barrier_wait(&f->bar);
	return tag;
}

static void fs_run(const ct_kargs_t *a, uint64_t iters, ct_span_t *s)
{
	uint64_t writes = a->param[P_WRITES], sink = 0;
	if (a->mode == FS_PASSIVE)
		sink += hand_over(a->shared, a);
	ct_span_begin(s);
	for (uint64_t i = 0; i < iters; i++)
		sink += fs_op((size_t)a->size, writes, i);
	ct_span_end(s);
	s->sink += sink;
}

/* Its own object and, passive, the one thread 0 handed it: two at most. */
static uint64_t fs_heap_bytes(uint64_t size, const uint64_t *param)
{
	(void)param;
	return 2 * size;
}

const ct_workload_t ct_wl_falseshare = {
	.name = "falseshare",
	.bench = "FalseShare",
	.doc = "malloc a small object, `writes` read-modify-writes of it, free it; passive: "
	       "the first blocks come from thread 0 (cache-thrash, cache-scratch)",
	.probes = "where freed blocks are reused: the freeing thread's cache (glibc tcache, "
		  "tcmalloc, jemalloc) or the owner's page (mimalloc)",
	.modes = fs_modes,
	.default_modes = "active,passive",
	.default_sizes = "8B,32B",
	.min_size = 8,
	.max_size = 4096,
	.params = fs_params,
	.setup = fs_setup,
	.teardown = fs_teardown,
	.run = fs_run,
	.heap_bytes = fs_heap_bytes,
	.lockstep = true,
};
