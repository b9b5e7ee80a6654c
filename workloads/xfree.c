/* xfree.c — objects malloc'd on one thread and freed on another: the
 * remote-free path. The producer→consumer flow of larson's server model and
 * of mimalloc-bench's xmalloc-test, arranged as a ring so that every thread
 * does the same work: thread i hands what it allocates to thread (i+1) % N
 * and frees what thread (i-1) % N handed to it.
 *
 * One operation:
 *   remote  malloc(SIZE), write a tag into it and hand it to the next thread
 *           in the ring; that thread reads the tag and frees it (1 alloc/op,
 *           SIZE B/op per thread: each thread also frees one object per op);
 *   local   the same, through the same kind of queue, but each thread frees
 *           its own objects: the control, so that remote − local is what
 *           crossing threads costs (the remote free plus the cache lines of
 *           the object and the queue moving between cores).
 * With one thread both modes are local.
 *
 * Hand-over: one bounded lock-free single-producer/single-consumer ring per
 * thread (C11 acquire/release on its two counters), filled `batch` objects
 * at a time; it holds 2 x batch objects (rounded up to a power of two). A
 * thread whose ring is full frees what it has received, and yields when it
 * can do neither, so more threads than cores cannot deadlock. Each run()
 * allocates exactly `iters` objects and frees exactly `iters`, and never
 * takes more than `iters` from its ring: rings end every round empty.
 * Tags (thread, sequence number) are folded into the sink by the freeing
 * thread: the total proves each object was freed once (tests/test_workloads.c).
 *
 * Probes, per allocator (glibc 2.36, mimalloc 2.0.9, gperftools 2.10,
 * jemalloc 5.3):
 *   glibc     free() puts a foreign chunk in the freeing thread's tcache (7
 *             per bin, up to 1032 B); the rest of a batch goes back to the
 *             arena it came from, under that arena's mutex, which its owner
 *             is taking for its own mallocs: arena lock contention;
 *   mimalloc  a foreign free is an atomic push onto the page's thread-free
 *             list; the owner collects it when its local free list runs dry;
 *   tcmalloc  the freed object joins the freeing thread's cache (ownership
 *             is not tracked): in a balanced ring the caches stay level, the
 *             overflow of a batch goes through the transfer cache/central list;
 *   jemalloc  foreign objects enter the freeing thread's tcache; a bin that
 *             overflows is flushed to the owning arena's bin under its mutex. */
#include "workload.h"

#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

enum { XFREE_REMOTE, XFREE_LOCAL };
static const char *const xfree_modes[] = {"remote", "local", NULL};
enum { P_BATCH };
static const ct_param_t xfree_params[] = {
	{"batch", "objects handed over at once (queue holds 2 x batch)", 256, 1, 1u << 20},
	{NULL, NULL, 0, 0, 0},
};

/* One SPSC ring: `head` counts objects pushed (written by the producer only),
 * `tail` objects popped (written by the consumer only), each on its own
 * cache line so the two sides do not share one. */
typedef struct {
	_Alignas(CT_CACHELINE_MAX) _Atomic uint64_t head;
	_Alignas(CT_CACHELINE_MAX) _Atomic uint64_t tail;
	_Alignas(CT_CACHELINE_MAX) uint64_t **slot; /* cap entries, set up once */
	uint64_t mask;                               /* cap - 1 */
} xring_t;

typedef struct {
	unsigned n;
	xring_t *ring; /* ring[i]: produced by thread i */
} xshared_t;

static void xfree_teardown(void *shared)
{
	xshared_t *x = shared;
	for (unsigned i = 0; x->ring && i < x->n; i++)
		free(x->ring[i].slot);
	free(x->ring);
	free(x);
}

static void *xfree_setup(const ct_kargs_t *a)
{
	uint64_t cap = 1;
	while (cap < 2 * a->param[P_BATCH])
		cap *= 2;
	xshared_t *x = calloc(1, sizeof *x);
	if (!x)
		return NULL;
	x->n = a->threads;
	x->ring = aligned_alloc(CT_CACHELINE_MAX, a->threads * sizeof *x->ring);
	if (!x->ring) {
		free(x);
		return NULL;
	}
	for (unsigned i = 0; i < a->threads; i++) {
		atomic_init(&x->ring[i].head, 0);
		atomic_init(&x->ring[i].tail, 0);
		x->ring[i].mask = cap - 1;
		x->ring[i].slot = calloc(cap, sizeof *x->ring[i].slot);
	}
	for (unsigned i = 0; i < a->threads; i++)
		if (!x->ring[i].slot) {
			xfree_teardown(x);
			return NULL;
		}
	return x;
}

CT_NOIPA static uint64_t *xfree_new(size_t n, uint64_t tag)
{
	uint64_t *p = malloc(n);
	if (!p)
		abort();
	p[0] = tag;
	return p;
}

/* Allocates n objects into r if it has room for all of them; returns n or 0. */
static uint64_t push(xring_t *r, uint64_t n, size_t size, uint64_t tag)
{
	uint64_t h = atomic_load_explicit(&r->head, memory_order_relaxed);
	uint64_t t = atomic_load_explicit(&r->tail, memory_order_acquire);
	if (r->mask + 1 - (h - t) < n)
		return 0;
	for (uint64_t k = 0; k < n; k++)
		r->slot[(h + k) & r->mask] = xfree_new(size, tag + k);
	atomic_store_explicit(&r->head, h + n, memory_order_release);
	return n;
}

/* Frees up to max objects waiting in r, folding their tags into *sink. */
static uint64_t drain(xring_t *r, uint64_t max, uint64_t *sink)
{
	uint64_t t = atomic_load_explicit(&r->tail, memory_order_relaxed);
	uint64_t h = atomic_load_explicit(&r->head, memory_order_acquire);
	uint64_t n = h - t < max ? h - t : max;
	for (uint64_t k = 0; k < n; k++) {
		uint64_t *p = r->slot[(t + k) & r->mask];
		*sink += ct_mix64(p[0]);
		free(p);
	}
	if (n)
		atomic_store_explicit(&r->tail, t + n, memory_order_release);
	return n;
}

static uint64_t xfree_loop(xring_t *out, xring_t *in, const ct_kargs_t *a, uint64_t iters,
			   ct_span_t *s)
{
	uint64_t batch = a->param[P_BATCH], tag = ((uint64_t)a->thread << 40) + 1;
	uint64_t sent = 0, got = 0, sink = 0;
	ct_span_begin(s);
	while (sent < iters || got < iters) {
		uint64_t moved = 0;
		if (sent < iters) {
			uint64_t n = iters - sent < batch ? iters - sent : batch;
			n = push(out, n, (size_t)a->size, tag + sent);
			sent += n;
			moved += n;
		}
		uint64_t n = drain(in, iters - got, &sink);
		got += n;
		moved += n;
		if (!moved)
			sched_yield(); /* the neighbour is behind: let it run */
	}
	ct_span_end(s);
	return sink;
}

static void xfree_run(const ct_kargs_t *a, uint64_t iters, ct_span_t *s)
{
	xshared_t *x = a->shared;
	unsigned me = a->thread;
	unsigned from = a->mode == XFREE_REMOTE ? (me + x->n - 1) % x->n : me;
	s->sink += xfree_loop(&x->ring[me], &x->ring[from], a, iters, s);
}

/* A ring slot array of the power of two >= 2 x batch, and at most that
 * many objects in flight towards the thread. */
static uint64_t xfree_heap_bytes(uint64_t size, const uint64_t *param)
{
	uint64_t cap = 1;
	while (cap < 2 * param[P_BATCH])
		cap *= 2;
	return ct_mul_sat(cap, size + sizeof(uint64_t *));
}

const ct_workload_t ct_wl_xfree = {
	.name = "xfree",
	.bench = "Xfree",
	.doc = "malloc SIZE, hand it to the next thread of a ring, which frees it (remote), "
	       "or free it on the same thread through the same queue (local)",
	.probes = "remote frees: glibc arena mutex, mimalloc thread-free lists, tcmalloc and "
		  "jemalloc thread caches and their flushes to central/arena bins",
	.modes = xfree_modes,
	.default_modes = "remote,local",
	.default_sizes = "64B,1KiB",
	.min_size = 8,
	.max_size = 1ull << 20,
	.params = xfree_params,
	.setup = xfree_setup,
	.teardown = xfree_teardown,
	.run = xfree_run,
	.heap_bytes = xfree_heap_bytes,
};
