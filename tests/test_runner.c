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
#include "window.h"

#include <dlfcn.h>
#include <pthread.h>

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

		/* heap at 1-3 threads, zeroed (calloc) at 4: the same sink */
		p = point(&ct_wl_smaug, threads <= 3 ? "heap" : "zeroed", 4096, threads, "300x");
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
	/* a window of the benchtime, not of a chunk (1/64 of it): the last
	 * thread ends at or past the shared stop, 5 ms after the gate opened.
	 * The first starts a little after the opening — syscalls around the
	 * span, up to 0.3 ms under ASan on an emulated CPU — so half is the
	 * bound; not the mean thread time, which a late start shortens. */
	EXPECT_GE_D(r.wall_ns, 0.5 * 5e6);
	/* A hint from an earlier repetition starts near the answer. */
	p.hint_iters = r.iters;
	ct_result_t r2;
	EXPECT_EQ_U(ct_run_point(topo, &p, &r2), 0);
	EXPECT(r2.rounds <= 4);
}

/* Overlap by hand: spans in ns, expected fractions worked out on paper. */
static void overlap_by_hand(void)
{
	uint64_t a0[] = {0, 10}, a1[] = {100, 100};
	EXPECT_EQ_D(ct_window_overlap(a0, a1, 2), 0.9);  /* 90 of 100 ns together */
	uint64_t b0[] = {0, 60}, b1[] = {50, 100};
	EXPECT_EQ_D(ct_window_overlap(b0, b1, 2), 0.0);  /* one after the other */
	uint64_t c0[] = {0, 20, 40}, c1[] = {100, 80, 120};
	EXPECT_EQ_D(ct_window_overlap(c0, c1, 3), 0.33333333333333331); /* 40..80 of 0..120 */
	EXPECT_EQ_D(ct_window_overlap(b0, b1, 1), 1.0);  /* one thread is always together */
	char why[128];
	EXPECT(!ct_window_ok(0.94, 1.0, 2, 2, why, sizeof why) && strstr(why, "94%"));
	EXPECT(ct_window_ok(0.0, 0.95, 1, 2, why, sizeof why)); /* overlap means nothing alone */
	EXPECT(ct_window_ok(0.0, 0.30, 1, 2, why, sizeof why)); /* nor does one thread's share */
	EXPECT(!ct_window_ok(1.0, 0.89, 2, 2, why, sizeof why) && strstr(why, "89%"));
	/* just under a limit is not printed as the limit */
	EXPECT(!ct_window_ok(0.9496, 1.0, 2, 2, why, sizeof why) && strstr(why, " 94.96% "));
	EXPECT(!ct_window_ok(1.0, 0.8999, 2, 2, why, sizeof why) && strstr(why, " 89.99% "));
	/* 4 threads on 2 CPUs can each have half of one: 90% of 50% is enough,
	 * and they cannot all run at once: overlap is not asked of them */
	EXPECT(ct_window_ok(1.0, 0.46, 4, 2, why, sizeof why));
	EXPECT(!ct_window_ok(1.0, 0.44, 4, 2, why, sizeof why));
	EXPECT(ct_window_ok(0.0, 0.46, 4, 2, why, sizeof why));
}

typedef struct {
	ct_gate_t *g;
	uint64_t opened, after;
} gate_arg_t;

static void *gate_worker(void *p)
{
	gate_arg_t *a = p;
	a->opened = ct_gate_pass(a->g);
	a->after = ct_now_ns();
	return NULL;
}

/* Every party leaves the gate with the same opening instant, and none
 * before it; the gate can be closed and passed again. */
static void gate(void)
{
	enum { N = 4 };
	ct_gate_t g;
	for (int round = 0; round < 3; round++) {
		ct_gate_reset(&g, N, round == 2);
		pthread_t t[N];
		gate_arg_t a[N];
		for (int i = 0; i < N; i++) {
			a[i] = (gate_arg_t){.g = &g};
			pthread_create(&t[i], NULL, gate_worker, &a[i]);
		}
		for (int i = 0; i < N; i++)
			pthread_join(t[i], NULL);
		for (int i = 0; i < N; i++) {
			EXPECT_EQ_U(a[i].opened, a[0].opened);
			EXPECT(a[i].opened != 0 && a[i].after >= a[i].opened);
		}
	}
}

/* A timed benchtime runs every thread until a stop one benchtime after the
 * release, in whole chunks: the span covers the benchtime, each thread's
 * share is a real fraction, operations were counted by the threads. */
static void common_window(const ct_topo_t *topo)
{
	for (unsigned threads = 1; threads <= 2; threads++) {
		ct_point_t p = point(&ct_wl_bilbo, "heap", 16, threads, "20ms");
		ct_result_t r;
		EXPECT_EQ_U(ct_run_point(topo, &p, &r), 0);
		EXPECT_GE_D(r.wall_ns, 20e6);
		EXPECT(r.overlap > 0 && r.overlap <= 1);
		EXPECT(r.cpu_share_min > 0 && r.cpu_share_min <= 1.05);
		EXPECT(r.ops >= threads && r.iters > 0);
		/* throughput is all operations over the whole span */
		EXPECT(fabs(r.ops_per_s - (double)r.ops * 1e9 / r.wall_ns) <= 1e-6 * r.ops_per_s);
	}
	/* lockstep workloads run the same calibrated count on every thread */
	ct_point_t p = point(&ct_wl_xfree, "remote", 16, 2, "10ms");
	for (int k = 0; k < ct_workload_nparams(&ct_wl_xfree); k++)
		p.param[k] = ct_wl_xfree.params[k].def;
	ct_result_t r;
	EXPECT_EQ_U(ct_run_point(topo, &p, &r), 0);
	EXPECT_EQ_U(r.ops, 2 * r.iters);
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
		{&ct_wl_smaug, "zeroed", 1024, 1, 1024}, {&ct_wl_smaug, "zeroed", 24, 1, 24},
		{&ct_wl_smaug, "zeroed", 1 << 20, 1, 1 << 20},
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
		overlap_by_hand();
		gate();
		exact_totals(topo);
		calibration(topo);
		common_window(topo);
		placement(topo);
	}
	ct_topo_close(topo);
	return t_finish("test_runner");
}
