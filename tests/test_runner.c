/* test_runner.c — the thread runner in this process, with real threads:
 * exact operation counts and sinks with per-thread deterministic data,
 * pinning observed, calibration reaching the benchtime, oversubscription.
 *
 * Run a second time under LD_PRELOAD=libctcensus.so (test runner_census):
 * then the census must see exactly 1 allocation of the object size per
 * heap operation and none in stack and control modes — the proof that the
 * compiler kept every malloc and free. */
#include "runner.h"
#include "test.h"

#include <dlfcn.h>

#define K 0x5bd1e995

static uint64_t bilbo_sink(uint64_t n)
{
	uint64_t s = 0;
	for (uint64_t i = 0; i < n; i++)
		s += (uint64_t)((int64_t)i + ((int64_t)i ^ K));
	return s;
}

static uint64_t smaug_sink(uint64_t n, uint64_t size, unsigned thread)
{
	uint64_t s = 0, probe = 0;
	for (uint64_t i = 0; i < n; i++) {
		s += (uint8_t)(probe * 131 + thread);
		probe += 13;
		if (probe >= size)
			probe -= size;
	}
	return s;
}

static ct_point_t point(const ct_workload_t *wl, const char *mode, uint64_t size, unsigned threads,
			const char *bt)
{
	ct_point_t p = {.wl = wl, .mode = ct_workload_mode(wl, mode), .size = size,
			.threads = threads, .place = CT_PLACE_COMPACT};
	ct_err_t err;
	if (ct_parse_benchtime(bt, &p.bt, &err))
		abort();
	return p;
}

static void exact_totals(const ct_topo_t *topo)
{
	for (unsigned threads = 1; threads <= 4; threads++) {
		/* heap at 1-3 threads, zeroed (calloc) at 4: the same sink */
		ct_point_t p = point(&ct_wl_bilbo, threads <= 3 ? "heap" : "zeroed", 16,
				     threads, "5000x");
		ct_result_t r;
		EXPECT_EQ_U(ct_run_point(topo, &p, &r), 0);
		EXPECT_EQ_U(r.iters, 5000);
		EXPECT_EQ_U(r.rounds, 2); /* warm-up (500) and measured */
		EXPECT_EQ_U(r.sink, threads * (bilbo_sink(500) + bilbo_sink(5000)));
		EXPECT_EQ_U(r.pinned_ok, threads); /* each worker seen on its PU */
		EXPECT_EQ_U(r.pin_errors, 0);
		EXPECT(r.ns_per_op > 0 && r.ns_min <= r.ns_per_op && r.ns_per_op <= r.ns_max);
		EXPECT(r.ops_per_s > 0);

		p = point(&ct_wl_smaug, "stack", 1000, threads, "300x");
		EXPECT_EQ_U(ct_run_point(topo, &p, &r), 0);
		uint64_t want = 0;
		for (unsigned t = 0; t < threads; t++)
			want += smaug_sink(30, 1000, t) + smaug_sink(300, 1000, t);
		EXPECT_EQ_U(r.sink, want);

		p = point(&ct_wl_smaug, "heap", 4096, threads, "300x");
		EXPECT_EQ_U(ct_run_point(topo, &p, &r), 0);
		want = 0;
		for (unsigned t = 0; t < threads; t++)
			want += smaug_sink(30, 4096, t) + smaug_sink(300, 4096, t);
		EXPECT_EQ_U(r.sink, want);
	}
}

static void calibration(const ct_topo_t *topo)
{
	ct_point_t p = point(&ct_wl_bilbo, "stack", 16, 2, "5ms");
	ct_result_t r;
	EXPECT_EQ_U(ct_run_point(topo, &p, &r), 0);
	EXPECT(r.rounds >= 2);                        /* at least one warm-up round */
	EXPECT_GE_D(r.ns_per_op * (double)r.iters, 5e6); /* mean thread time reached 5 ms */
	/* A hint from an earlier repetition starts near the answer. */
	p.hint_iters = r.iters;
	ct_result_t r2;
	EXPECT_EQ_U(ct_run_point(topo, &p, &r2), 0);
	EXPECT(r2.rounds <= 4);
}

static void placement(const ct_topo_t *topo)
{
	ct_point_t p = point(&ct_wl_bilbo, "control", 16, 2, "100x");
	ct_result_t r;
	p.place = CT_PLACE_NONE;
	EXPECT_EQ_U(ct_run_point(topo, &p, &r), 0);
	EXPECT_EQ_U(r.pinned_ok, 0); /* nothing pinned, nothing claimed */
	p.place = CT_PLACE_SCATTER;
	EXPECT_EQ_U(ct_run_point(topo, &p, &r), 0);
	EXPECT_EQ_U(r.pinned_ok, 2);
	p.threads = 0;
	EXPECT(ct_run_point(topo, &p, &r) == -1 && r.err[0]);
}

static void census(const ct_topo_t *topo, ct_census_fn fn)
{
	static const struct {
		const ct_workload_t *wl;
		const char *mode;
		uint64_t size;
		double allocs, bytes;
	} cases[] = {
		{&ct_wl_bilbo, "heap", 16, 1, 16},      {&ct_wl_bilbo, "stack", 16, 0, 0},
		{&ct_wl_bilbo, "zeroed", 16, 1, 16},
		{&ct_wl_bilbo, "control", 16, 0, 0},    {&ct_wl_smaug, "heap", 1024, 1, 1024},
		{&ct_wl_smaug, "heap", 1 << 20, 1, 1 << 20}, {&ct_wl_smaug, "stack", 1 << 20, 0, 0},
		{&ct_wl_smaug, "stack", 24, 0, 0},      {&ct_wl_smaug, "heap", 24, 1, 24},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		for (unsigned threads = 1; threads <= 2; threads++) {
			ct_point_t p = point(cases[i].wl, cases[i].mode, cases[i].size, threads, "64x");
			p.census = fn;
			ct_result_t r;
			EXPECT_EQ_U(ct_run_point(topo, &p, &r), 0);
			EXPECT_EQ_D(r.allocs_per_op, cases[i].allocs);
			EXPECT_EQ_D(r.bytes_per_op, cases[i].bytes);
		}
	}
}

int main(int argc, char **argv)
{
	ct_topo_t *topo = t_topo();
	if (argc > 1 && strcmp(argv[1], "census") == 0) {
		census(topo, t_census());
	} else {
		exact_totals(topo);
		calibration(topo);
		placement(topo);
	}
	ct_topo_close(topo);
	return t_finish("test_runner");
}
