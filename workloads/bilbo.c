/* bilbo.c — the seed's Bilbo benchmark: a 16-byte struct of two int64.
 *
 * One operation:
 *   stack    bilbo_value() builds the struct and returns it by value
 *            (in registers on x86-64 and arm64: the seed's BilboStack);
 *   heap     bilbo_new() mallocs it, fills it and returns the pointer; the
 *            caller reads it and frees it (BilboHeap: 16 B/op, 1 alloc/op);
 *   zeroed   the same with calloc(): Go's `new` always returns zeroed
 *            memory, so this mode separates the cost of zeroing from the
 *            allocator's when C and the `go` column disagree;
 *   control  the loop alone: the harness's cost per operation.
 * Both real modes cross one non-inlinable, non-cloneable call and fold the
 * two fields into the sink; they differ only in where the struct lives.
 *
 * Probes: the allocator's smallest size class and its per-thread fast path
 * (glibc tcache, mimalloc's page free list, tcmalloc's thread cache,
 * jemalloc's tcache).
 *
 * Parameter prime (prime.h): in heap mode each worker first warms its
 * allocator with that many objects, in turn; prime=0 measures cold workers,
 * whose single reused objects tcmalloc may hand out as neighbours in one
 * cache line. */
#include "prime.h"
#include "workload.h"

#include <stdlib.h>

typedef struct {
	int64_t a, b;
} bilbo_t;

enum { BILBO_STACK, BILBO_HEAP, BILBO_CONTROL, BILBO_ZEROED };
static const char *const bilbo_modes[] = {"stack", "heap", "control", "zeroed", NULL};

CT_NOIPA static bilbo_t bilbo_value(int64_t i)
{
	bilbo_t v = {i, i ^ 0x5bd1e995};
	return v;
}

CT_NOIPA static bilbo_t *bilbo_new(int64_t i)
{
	bilbo_t *p = malloc(sizeof *p);
	if (!p)
		abort();
	p->a = i;
	p->b = i ^ 0x5bd1e995;
	return p;
}

CT_NOIPA static bilbo_t *bilbo_new_zeroed(int64_t i)
{
	bilbo_t *p = calloc(1, sizeof *p);
	if (!p)
		abort();
	p->a = i;
	p->b = i ^ 0x5bd1e995;
	return p;
}

static uint64_t heap_loop(bilbo_t *(*make)(int64_t), uint64_t iters, ct_span_t *s)
{
	uint64_t sink = 0;
	ct_span_begin(s);
	for (uint64_t i = 0; i < iters; i++) {
		bilbo_t *p = make((int64_t)i);
		sink += (uint64_t)(p->a + p->b);
		free(p);
	}
	ct_span_end(s);
	return sink;
}

static void bilbo_run(const ct_kargs_t *a, uint64_t iters, ct_span_t *s)
{
	uint64_t sink = 0;
	switch (a->mode) {
	case BILBO_STACK:
		ct_span_begin(s);
		for (uint64_t i = 0; i < iters; i++) {
			bilbo_t v = bilbo_value((int64_t)i);
			sink += (uint64_t)(v.a + v.b);
		}
		ct_span_end(s);
		break;
	case BILBO_HEAP:
		ct_prime_worker(a, a->param[0]);
		sink = heap_loop(bilbo_new, iters, s);
		break;
	case BILBO_ZEROED:
		ct_prime_worker(a, a->param[0]);
		sink = heap_loop(bilbo_new_zeroed, iters, s);
		break;
	default:
		ct_control_loop(iters, s);
		break;
	}
	s->sink += sink;
}

static const ct_param_t bilbo_params[] = {CT_PRIME_PARAM, {NULL, NULL, 0, 0, 0, NULL, false}};

/* One 16-byte struct, freed before the next, after the worker's priming
 * (prime objects at once, freed before the timed loop). */
static uint64_t bilbo_heap_bytes(uint64_t size, const uint64_t *param)
{
	return size * (1 + param[0]);
}

const ct_workload_t ct_wl_bilbo = {
	.name = "bilbo",
	.bench = "Bilbo",
	.doc = "16-byte struct of two int64: returned by value (stack) or malloc'd (heap) or "
	       "calloc'd (zeroed), filled, read and freed",
	.probes = "smallest size class; the per-thread fast path of each allocator",
	.modes = bilbo_modes,
	.default_modes = "stack,heap,zeroed,control",
	.default_sizes = NULL,
	.fixed_size = sizeof(bilbo_t),
	.min_size = sizeof(bilbo_t),
	.max_size = sizeof(bilbo_t),
	.params = bilbo_params,
	.setup = ct_prime_setup,
	.teardown = ct_prime_teardown,
	.run = bilbo_run,
	.heap_bytes = bilbo_heap_bytes,
};
