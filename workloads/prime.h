/* prime.h — the `prime` parameter of bilbo and smaug: each worker warms its
 * allocator with objects of the point's size before its first timed loop.
 *
 * Why (README, "Why tcmalloc's small objects slow down under threads"): a
 * kernel that mallocs and frees one object per operation reuses a single
 * object forever, and which object that is depends on the heap's history.
 * tcmalloc's thread cache starts cold and fetches one object at a time from
 * the shared central free list, so two cold workers that start together take
 * neighbouring objects of one span — one 64-byte line holds four 16-byte
 * objects — and every operation then bounces that line between their cores.
 * With prime=N, each worker in turn (worker 0 first) mallocs N objects (at
 * most CT_PRIME_MAX_BYTES of them, at least one) and frees them in the same
 * order, so the object it reuses comes from a run of its own. prime=0 keeps
 * the cold start. Priming runs before ct_span_begin(): it is never timed and
 * never counted by the census. The parameter is quiet: at its default it is
 * left out of benchmark names, so prime=0 shows and prime=64 does not. */
#ifndef CT_PRIME_H
#define CT_PRIME_H

#include "workload.h"

#define CT_PRIME_DEFAULT 64
#define CT_PRIME_MAX_BYTES (64u << 10)
#define CT_PRIME_PARAM                                                                     \
	{"prime",                                                                          \
	 "objects each worker mallocs and frees, in turn, before timing (0: cold thread "  \
	 "cache; at most 64 KiB of them)",                                                 \
	 CT_PRIME_DEFAULT, 0, 1u << 20, NULL, true}

/* setup()/teardown() of a workload that primes: the point's turn counter. */
void *ct_prime_setup(const ct_kargs_t *a);
void ct_prime_teardown(void *shared);

/* Objects a worker mallocs when priming `n` at object size `size`. */
uint64_t ct_prime_count(uint64_t n, uint64_t size);

/* Called in run() before its span on every worker, every call (each round,
 * each chunk of a common window): primes once per point, in worker order,
 * waiting (yielding) for the workers before it; later calls read one atomic
 * and return. The runner's first call is a warm-up or calibration round (or
 * the census's only round, whose counts start at the span), so priming is
 * done before any measured window opens. a->shared is what ct_prime_setup()
 * returned. */
void ct_prime_worker(const ct_kargs_t *a, uint64_t n);

#endif
