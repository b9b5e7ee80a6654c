/* prime.c — workers warm their allocator in turn before timing (prime.h). */
#include "prime.h"

#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

typedef struct {
	atomic_uint turn; /* the worker that primes now; all before it are done */
} prime_t;

void *ct_prime_setup(const ct_kargs_t *a)
{
	(void)a;
	prime_t *pr = malloc(sizeof *pr);
	if (pr)
		atomic_init(&pr->turn, 0);
	return pr;
}

void ct_prime_teardown(void *shared)
{
	free(shared);
}

uint64_t ct_prime_count(uint64_t n, uint64_t size)
{
	uint64_t cap = size ? CT_PRIME_MAX_BYTES / size : n;
	cap = cap ? cap : 1;
	return n < cap ? n : cap;
}

/* Mallocs n objects, touches each, frees them in allocation order: the last
 * one freed — the one the kernel's first malloc gets back — is the last
 * one this worker took. */
static void prime_objects(uint64_t n, uint64_t size)
{
	void **v = malloc((size_t)n * sizeof *v);
	if (!v)
		abort();
	for (uint64_t i = 0; i < n; i++) {
		unsigned char *p = malloc((size_t)size);
		if (!p)
			abort();
		p[0] = (unsigned char)i;
		CT_ESCAPE(p);
		v[i] = p;
	}
	for (uint64_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void ct_prime_worker(const ct_kargs_t *a, uint64_t n)
{
	prime_t *pr = a->shared;
	if (!n || !pr || atomic_load_explicit(&pr->turn, memory_order_acquire) > a->thread)
		return; /* cold by request, or primed in an earlier round */
	while (atomic_load_explicit(&pr->turn, memory_order_acquire) != a->thread)
		sched_yield(); /* oversubscribed points too: the turn holder gets the CPU */
	prime_objects(ct_prime_count(n, a->size), a->size);
	atomic_store_explicit(&pr->turn, a->thread + 1, memory_order_release);
}
