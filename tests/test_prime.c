/* test_prime.c — the `prime` parameter of bilbo and smaug (workloads/prime.h)
 * in contend's own runner, with real threads.
 *
 * After each worker's run() a probe mallocs one object of the point's size
 * and frees it: with the LIFO thread caches of every allocator here, that is
 * the object the timed loop reused. Primed workers (prime=64) must never
 * have those objects in a common 64-byte line, at sizes that can share one
 * (16, 32, 48, 80 B) and 2 and 4 threads. Run under each allocator
 * (tests/CMakeLists.txt); tcmalloc is the one whose cold workers do share,
 * which this test prints for the record but does not assert (README, "Why
 * tcmalloc's small objects slow down under threads"). Under the census
 * interposer it checks that priming stays out of the counted span. */
#include "prime.h"
#include "runner.h"
#include "test.h"

#define LINE 64
#define MAXT 4

static const ct_workload_t *inner;
static void *hot[MAXT];

static void probe_run(const ct_kargs_t *a, uint64_t iters, ct_span_t *s)
{
	inner->run(a, iters, s);
	void *p = malloc((size_t)a->size);
	if (!p)
		abort();
	hot[a->thread] = p;
	free(p);
}

/* The same workload with the probe after run(). */
static ct_workload_t probed(const ct_workload_t *wl)
{
	ct_workload_t w = *wl;
	inner = wl;
	w.run = probe_run;
	return w;
}

/* A fixed count of 2000 operations per thread (warm-up round, then the
 * measured one); timed (ns > 0): calibration rounds, then a common window
 * of that length run in chunks, each chunk a call of run(). */
static ct_point_t point(const ct_workload_t *wl, uint64_t size, unsigned threads, uint64_t prime)
{
	ct_point_t p = {.wl = wl, .mode = ct_workload_mode(wl, "heap"), .size = size,
			.threads = threads, .place = CT_PLACE_COMPACT, .bt = {.iters = 2000}};
	p.param[ct_workload_param(wl, "prime")] = prime;
	return p;
}

/* Pairs of workers whose hot objects overlap a common cache line. */
static unsigned shared_pairs(unsigned threads, uint64_t size)
{
	unsigned n = 0;
	for (unsigned i = 0; i < threads; i++)
		for (unsigned j = i + 1; j < threads; j++) {
			uintptr_t a0 = (uintptr_t)hot[i] / LINE, a1 = ((uintptr_t)hot[i] + size - 1) / LINE;
			uintptr_t b0 = (uintptr_t)hot[j] / LINE, b1 = ((uintptr_t)hot[j] + size - 1) / LINE;
			n += a0 <= b1 && b0 <= a1;
		}
	return n;
}

static unsigned run_case(const ct_topo_t *topo, const ct_workload_t *wl, uint64_t size,
			 unsigned threads, uint64_t prime, uint64_t window_ns)
{
	ct_workload_t w = probed(wl);
	ct_point_t p = point(&w, size, threads, prime);
	if (window_ns)
		p.bt = (ct_benchtime_t){.ns = window_ns};
	ct_result_t r;
	memset(hot, 0, sizeof hot);
	EXPECT_EQ_U(ct_run_point(topo, &p, &r), 0);
	for (unsigned i = 0; i < threads; i++)
		EXPECT(hot[i] != NULL);
	return shared_pairs(threads, size);
}

static void primed_never_share(const ct_topo_t *topo)
{
	static const uint64_t sizes[] = {16, 32, 48, 80};
	unsigned cold = 0, cases = 0;
	for (unsigned threads = 2; threads <= MAXT; threads += 2) {
		EXPECT_EQ_U(run_case(topo, &ct_wl_bilbo, 16, threads, CT_PRIME_DEFAULT, 0), 0);
		/* the common window calls run() once per chunk: priming still
		 * happens once, in the first calibration round */
		EXPECT_EQ_U(run_case(topo, &ct_wl_bilbo, 16, threads, CT_PRIME_DEFAULT, 2000000), 0);
		for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
			EXPECT_EQ_U(run_case(topo, &ct_wl_smaug, sizes[k], threads, CT_PRIME_DEFAULT, 0), 0);
			cold += run_case(topo, &ct_wl_smaug, sizes[k], threads, 0, 0) > 0;
			cases++;
		}
	}
	printf("cold workers (prime=0) shared a line at %u of %u smaug points\n", cold, cases);
}

static void counts(void)
{
	EXPECT_EQ_U(ct_prime_count(64, 16), 64);
	EXPECT_EQ_U(ct_prime_count(64, 4096), 16); /* 64 KiB of them */
	EXPECT_EQ_U(ct_prime_count(64, 1u << 20), 1); /* at least one */
	EXPECT_EQ_U(ct_prime_count(0, 16), 0);
	EXPECT_EQ_U(ct_workload_param(&ct_wl_bilbo, "prime"), 0);
	EXPECT_EQ_U(ct_wl_bilbo.params[0].def, CT_PRIME_DEFAULT);
	EXPECT_EQ_U(ct_wl_smaug.params[ct_workload_param(&ct_wl_smaug, "prime")].def,
		    CT_PRIME_DEFAULT);
	EXPECT(ct_wl_bilbo.params[0].quiet); /* left out of names at its default */
}

/* Priming happens before ct_span_begin(): exactly 1 allocation per op. */
static void census_excludes_priming(const ct_topo_t *topo)
{
	ct_point_t p = point(&ct_wl_bilbo, 16, 2, CT_PRIME_DEFAULT);
	p.census = t_census();
	ct_result_t r;
	EXPECT_EQ_U(ct_run_point(topo, &p, &r), 0);
	EXPECT_EQ_D(r.allocs_per_op, 1.0);
	EXPECT_EQ_D(r.bytes_per_op, 16.0);
}

int main(int argc, char **argv)
{
	ct_topo_t *topo = t_topo();
	counts();
	if (argc > 1 && strcmp(argv[1], "census") == 0)
		census_excludes_priming(topo);
	else
		primed_never_share(topo);
	ct_topo_close(topo);
	return t_finish("prime");
}
