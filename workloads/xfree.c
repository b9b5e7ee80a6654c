/* xfree.c — objects malloc'd on one thread and freed on another: the
 * remote-free path, in the two shapes that real programs give it.
 *
 * One operation is one object handed over:
 *   remote  ring, peer to peer: thread i mallocs SIZE, writes a tag into it
 *           and hands it to thread (i+1) % N, and frees what thread
 *           (i-1) % N handed to it. Every thread both allocates and frees
 *           (1 alloc/op, SIZE B/op): a mesh of workers passing requests on,
 *           where remote frees and local mallocs meet in the same caches;
 *   local   the same, through the same kind of queue, but each thread frees
 *           its own objects: the control, so that remote − local is what
 *           crossing threads costs (the remote free plus the cache lines of
 *           the object and the queue moving between cores);
 *   pc      one way, a pipeline: threads 0..N/2-1 only malloc and hand over
 *           (producers, CT_SIDE_ALLOC), thread i + N/2 only frees what
 *           producer i sent (consumers, CT_SIDE_FREE). The shape of
 *           xmalloc-test (mimalloc-bench) and of a reader thread feeding a
 *           parser: a producer's caches only drain, a consumer's only fill.
 *           N must be even; one thread is the documented fallback: it
 *           produces a batch into its own queue and frees it (the local
 *           hand-off every shape has at one thread, the base of N ÷ 1).
 * With one thread every mode is local.
 *
 * Hand-over: one bounded lock-free single-producer/single-consumer queue
 * per producing thread (C11 acquire/release on its two counters), filled
 * `batch` objects at a time; it holds depth x batch objects (rounded up to a
 * power of two). The defaults, 4096 x 4, hand over whole allocator pages
 * (4096 x 64 B is four of mimalloc's 64 KiB pages) and keep the two sides
 * apart: with 256 x 2, the free side freed into the very page the allocating
 * side was carving, and mimalloc's producer cost rose 5x (README, "Cross-
 * thread frees"). xmalloc-test's own queue is batch=4096,depth=100. Each run() allocates exactly `iters` objects per producing
 * thread and frees exactly `iters` per freeing thread, and never takes more
 * than `iters` from its queue: queues end every round empty. Tags (thread,
 * sequence number) are folded into the sink by the freeing thread: the
 * total proves each object was freed once (tests/test_workloads.c).
 *
 * Waiting is measured, not hidden. A thread that can neither hand over
 * (queue full) nor free (queue empty) spins briefly, then yields the CPU
 * (more threads than cores cannot deadlock); the time from its first
 * failed try to its next progress goes to span.wait_ns, reported apart
 * (wait-ns/op) so that a figure per operation can be split into allocator
 * work and waiting for the other side. In pc one side always waits for the
 * slower one: the pair's ns/op is the slower side's cost per object, and
 * prod-ns/op and cons-ns/op are each side's own time without its waits.
 *
 * The loops count objects; a round that ends on a shared stop instead would
 * end the producers' loops on it and let each consumer free what its
 * producer published (the queue's head at the stop).
 *
 * Probes, per allocator (glibc 2.36, mimalloc 2.0.9, gperftools 2.10,
 * jemalloc 5.3):
 *   glibc     free() puts a foreign chunk in the freeing thread's tcache (7
 *             per bin, up to 1032 B); the rest of a batch goes back to the
 *             arena it came from, under that arena's mutex, which its owner
 *             is taking for its own mallocs: arena lock contention;
 *   mimalloc  a foreign free is an atomic push onto the page's thread-free
 *             list; the owner collects it when its local free list runs dry;
 *             in pc the producer's pages come back to it whole;
 *   tcmalloc  the freed object joins the freeing thread's cache (ownership
 *             is not tracked): in a balanced ring the caches stay level; in
 *             pc the consumer's cache overflows and the producer's runs dry,
 *             every object crossing the transfer cache/central list twice;
 *   jemalloc  foreign objects enter the freeing thread's tcache; a bin that
 *             overflows is flushed to the owning arena's bin under its mutex
 *             (in pc: every flush of the consumer, every refill of the
 *             producer takes that bin's lock). */
#include "workload.h"

#include <sched.h>
#include <stdbool.h>
#include <stdatomic.h>
#include <stdlib.h>

enum { XFREE_REMOTE, XFREE_LOCAL, XFREE_PC };
static const char *const xfree_modes[] = {"remote", "local", "pc", NULL};
enum { P_BATCH, P_DEPTH };
static const ct_param_t xfree_params[] = {
	{"batch", "objects handed over at once", 4096, 1, 1u << 20, NULL, false},
	{"depth", "batches a queue holds", 4, 1, 1024, NULL, false},
	{NULL, NULL, 0, 0, 0, NULL, false},
};
#define XFREE_MAX_QUEUE (1ull << 26) /* objects in one queue: 512 MiB of pointers */

/* One SPSC queue: `head` counts objects pushed (written by the producer
 * only), `tail` objects popped (written by the consumer only), each on its
 * own cache line so the two sides do not share one. */
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

static const char *xfree_refuse(int mode, unsigned threads)
{
	if (mode == XFREE_PC && threads > 1 && threads % 2)
		return "xfree pc pairs each producer with a consumer: 1 or an even thread count";
	return NULL;
}

static uint64_t queue_cap(const uint64_t *param)
{
	uint64_t cap = 1;
	while (cap < param[P_DEPTH] * param[P_BATCH])
		cap *= 2;
	return cap;
}

/* A full queue per thread, in every mode (a pc producer's queue holds its
 * objects until the consumer frees them): its pointers and its objects.
 * queue_cap is at most 2^31 (depth 1024 x batch 2^20), so only the product
 * with SIZE can wrap. */
static uint64_t xfree_heap_bytes(uint64_t size, const uint64_t *param)
{
	return ct_mul_sat(queue_cap(param), size + sizeof(void *));
}

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
	uint64_t cap = queue_cap(a->param);
	if (xfree_refuse(a->mode, a->threads) || cap > XFREE_MAX_QUEUE)
		return NULL;
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

/* Room for pushing into r (producer side), objects waiting in r (consumer
 * side): checked before any work, so that a wait ends before the work. */
static uint64_t room(xring_t *r)
{
	uint64_t h = atomic_load_explicit(&r->head, memory_order_relaxed);
	return r->mask + 1 - (h - atomic_load_explicit(&r->tail, memory_order_acquire));
}

static uint64_t waiting(xring_t *r)
{
	uint64_t t = atomic_load_explicit(&r->tail, memory_order_relaxed);
	return atomic_load_explicit(&r->head, memory_order_acquire) - t;
}

/* Allocates n objects into r, which has room for them (room() said so). */
static void push(xring_t *r, uint64_t n, size_t size, uint64_t tag)
{
	uint64_t h = atomic_load_explicit(&r->head, memory_order_relaxed);
	for (uint64_t k = 0; k < n; k++)
		r->slot[(h + k) & r->mask] = xfree_new(size, tag + k);
	atomic_store_explicit(&r->head, h + n, memory_order_release);
}

/* Frees the n objects at the tail of r (waiting() said they are there),
 * folding their tags into *sink. */
static void drain(xring_t *r, uint64_t n, uint64_t *sink)
{
	uint64_t t = atomic_load_explicit(&r->tail, memory_order_relaxed);
	for (uint64_t k = 0; k < n; k++) {
		uint64_t *p = r->slot[(t + k) & r->mask];
		*sink += ct_mix64(p[0]);
		free(p);
	}
	atomic_store_explicit(&r->tail, t + n, memory_order_release);
}

/* ---------------------------------------------------------------- waiting */

/* A thread that made no progress: the first failed try starts a wait (one
 * clock read), tries spin a little, then yield; progress ends the wait. */
typedef struct {
	uint64_t since; /* ns at the first failed try, 0: not waiting */
	unsigned tries;
} xwait_t;

static void wait_idle(xwait_t *w)
{
	if (!w->since)
		w->since = ct_now_ns();
	if (++w->tries < 64) {
		for (int k = 0; k < 32; k++)
			CT_OPAQUE(k); /* a short pause without a store */
	} else {
		sched_yield(); /* the other side is behind or off its CPU: let it run */
	}
}

static void wait_over(xwait_t *w, ct_span_t *s)
{
	if (w->since) {
		s->wait_ns += ct_now_ns() - w->since;
		w->since = 0;
		w->tries = 0;
	}
}

/* ---------------------------------------------------------------- loops */

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* remote, local, and pc on one thread: push to out, free from in. */
static uint64_t xfree_loop(xring_t *out, xring_t *in, const ct_kargs_t *a, uint64_t iters,
			   ct_span_t *s)
{
	uint64_t batch = a->param[P_BATCH], tag = ((uint64_t)a->thread << 40) + 1;
	uint64_t sent = 0, got = 0, sink = 0;
	xwait_t w = {0};
	ct_span_begin(s);
	while (sent < iters || got < iters) {
		uint64_t n = min_u64(iters - sent, batch);
		bool can_push = n && room(out) >= n;
		uint64_t m = min_u64(waiting(in), iters - got);
		if (!can_push && !m) {
			wait_idle(&w);
			continue;
		}
		wait_over(&w, s);
		if (can_push) {
			push(out, n, (size_t)a->size, tag + sent);
			sent += n;
		}
		if (m) {
			drain(in, m, &sink);
			got += m;
		}
	}
	ct_span_end(s);
	return sink;
}

/* pc producer: iters objects into out, batch at a time; never frees. */
static void pc_produce(xring_t *out, const ct_kargs_t *a, uint64_t iters, ct_span_t *s)
{
	uint64_t batch = a->param[P_BATCH], tag = ((uint64_t)a->thread << 40) + 1;
	xwait_t w = {0};
	ct_span_begin(s);
	for (uint64_t sent = 0; sent < iters;) {
		uint64_t n = min_u64(iters - sent, batch);
		if (room(out) < n) {
			wait_idle(&w);
			continue;
		}
		wait_over(&w, s);
		push(out, n, (size_t)a->size, tag + sent);
		sent += n;
	}
	ct_span_end(s);
}

/* pc consumer: frees iters objects from in as they arrive; never allocates. */
static uint64_t pc_consume(xring_t *in, uint64_t iters, ct_span_t *s)
{
	uint64_t sink = 0;
	xwait_t w = {0};
	ct_span_begin(s);
	for (uint64_t got = 0; got < iters;) {
		uint64_t n = min_u64(waiting(in), iters - got);
		if (!n) {
			wait_idle(&w);
			continue;
		}
		wait_over(&w, s);
		drain(in, n, &sink);
		got += n;
	}
	ct_span_end(s);
	return sink;
}

static void pc_run(xshared_t *x, const ct_kargs_t *a, uint64_t iters, ct_span_t *s)
{
	unsigned me = a->thread, half = x->n / 2;
	if (x->n == 1) {
		s->sink += xfree_loop(&x->ring[0], &x->ring[0], a, iters, s);
	} else if (me < half) {
		s->side = CT_SIDE_ALLOC;
		pc_produce(&x->ring[me], a, iters, s);
	} else {
		s->side = CT_SIDE_FREE;
		s->sink += pc_consume(&x->ring[me - half], iters, s);
	}
}

static void xfree_run(const ct_kargs_t *a, uint64_t iters, ct_span_t *s)
{
	xshared_t *x = a->shared;
	unsigned me = a->thread;
	if (a->mode == XFREE_PC) {
		pc_run(x, a, iters, s);
		return;
	}
	unsigned from = a->mode == XFREE_REMOTE ? (me + x->n - 1) % x->n : me;
	s->sink += xfree_loop(&x->ring[me], &x->ring[from], a, iters, s);
}

const ct_workload_t ct_wl_xfree = {
	.name = "xfree",
	.bench = "Xfree",
	.doc = "malloc SIZE and hand it over: peer to peer in a ring, each thread freeing its "
	       "neighbour's (remote), its own (local), or one way, half the threads "
	       "allocating and half freeing (pc, a pipeline; 1 or an even thread count); "
	       "wait-ns/op: time spent on an empty or full queue",
	.probes = "remote frees: glibc arena mutex, mimalloc thread-free lists, tcmalloc and "
		  "jemalloc thread caches and their flushes to central/arena bins",
	.modes = xfree_modes,
	.default_modes = "remote,local,pc",
	.default_sizes = "64B,1KiB",
	.min_size = 8,
	.max_size = 1ull << 20,
	.params = xfree_params,
	.heap_bytes = xfree_heap_bytes,
	.refuse = xfree_refuse,
	.waits = true,
	.setup = xfree_setup,
	.teardown = xfree_teardown,
	.run = xfree_run,
	.lockstep = true,
};
