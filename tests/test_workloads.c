/* test_workloads.c — the contention workloads (churn, xfree, falseshare,
 * large, bandwidth) and smaug's two copies (compiler, memcpy) in this process,
 * on 1, 2 and 3 real threads (3 is more than a 2-core machine has: hand-overs
 * must yield, not spin forever), and xfree on 4 too (two producer/consumer
 * pairs in pc; pc refuses 3):
 *
 * 1. Exact sinks. Every workload folds deterministic per-thread values into
 *    the sink; churn and xfree fold a bijective mix of each object's tag
 *    (thread, sequence number) when the object is freed, so the total
 *    proves that every object allocated — or handed to another thread — was
 *    freed exactly once, and that rings end each run() empty. Points run
 *    with fixed iterations (warm-up 20, measured 200), and again with the
 *    runner's latency round, whose back-to-back run() calls have no barrier
 *    between them.
 * 2. Waits and sides: xfree's wait time lies within thread time and is
 *    zero on one thread; pc reports its producers' and consumers' own
 *    times, and counts an object once, when freed (ops/s).
 * 3. Nothing left allocated: glibc's heap in use (mallinfo2) is the same
 *    before and after a point (plain builds, run with tcache off; ASan's
 *    leak check covers the sanitized one).
 *
 * Run a second time under LD_PRELOAD=libctcensus.so (test workloads_census):
 * allocs/op and B/op exactly as each workload's header says (churn, xfree,
 * falseshare, large heap, smaug heap and zeroed: 1 and SIZE; large stack, bandwidth, smaug
 * stack with either copy: 0 and 0). */
#include "runner.h"
#include "test.h"

#include <dlfcn.h>
#include <malloc.h>
#include <math.h>
#include <unistd.h>

/* ---------------------------------------------------------------- expected sinks */

/* Expected sink of one run() of n operations on thread t. */
typedef uint64_t (*sink_fn)(const ct_point_t *p, unsigned t, uint64_t n);

static uint64_t tags(unsigned t, uint64_t n)
{
	uint64_t s = 0;
	for (uint64_t j = 1; j <= n; j++)
		s += ct_mix64(((uint64_t)t << 40) + j);
	return s;
}

/* churn: the k initial objects and the n replacements, all freed. */
static uint64_t churn_sink(const ct_point_t *p, unsigned t, uint64_t n)
{
	return tags(t, p->param[0] + n);
}

/* xfree: thread t's n objects, freed wherever they went. */
static uint64_t xfree_sink(const ct_point_t *p, unsigned t, uint64_t n)
{
	(void)p;
	return tags(t, n);
}

/* xfree pc: producer t's n objects (threads 0..N/2-1), freed by its
 * consumer; one thread is its own producer. */
static uint64_t pc_sink(const ct_point_t *p, unsigned t, uint64_t n)
{
	return p->threads == 1 || t < p->threads / 2 ? tags(t, n) : 0;
}

/* falseshare: words x i + writes per op; passive adds the handed tag t + 1. */
static uint64_t fs_sink(const ct_point_t *p, unsigned t, uint64_t n)
{
	uint64_t words = p->size / 8, s = 0;
	for (uint64_t i = 0; i < n; i++)
		s += words * i + p->param[0];
	return s + (strcmp(p->wl->modes[p->mode], "passive") == 0 ? t + 1 : 0);
}

static uint64_t large_sink(const ct_point_t *p, unsigned t, uint64_t n)
{
	(void)p;
	uint64_t s = 0;
	for (uint64_t i = 0; i < n; i++)
		s += (uint8_t)(i * 131 + t);
	return s;
}

/* smaug and bandwidth: the source byte at offset 13 i mod size. */
static uint64_t bw_sink(const ct_point_t *p, unsigned t, uint64_t n)
{
	uint64_t s = 0, probe = 0;
	for (uint64_t i = 0; i < n; i++) {
		s += (uint8_t)(probe * 131 + t);
		probe += 13;
		if (probe >= p->size)
			probe -= p->size;
	}
	return s;
}

/* ---------------------------------------------------------------- cases */

enum { B_ZERO, B_SIZE, B_UPTO }; /* census B/op: 0, SIZE, within 16..SIZE */

typedef struct {
	const ct_workload_t *wl;
	const char *mode;
	uint64_t size;
	const char *params; /* name=value,...; the rest at their defaults */
	sink_fn sink;
	double allocs; /* census allocs/op */
	int bytes;     /* B_* */
} wcase_t;

static const wcase_t cases[] = {
	{&ct_wl_churn, "heap", 64, "k=64,batch=16", churn_sink, 1, B_SIZE},
	{&ct_wl_churn, "heap", 1000, "k=50,batch=1", churn_sink, 1, B_SIZE},
	{&ct_wl_churn, "heap", 300, "k=40,batch=1000,dist=1", churn_sink, 1, B_UPTO},
	{&ct_wl_xfree, "remote", 64, "batch=8", xfree_sink, 1, B_SIZE},
	{&ct_wl_xfree, "remote", 24, "batch=1", xfree_sink, 1, B_SIZE},
	{&ct_wl_xfree, "remote", 2048, "batch=300", xfree_sink, 1, B_SIZE},
	{&ct_wl_xfree, "local", 64, "batch=8", xfree_sink, 1, B_SIZE},
	{&ct_wl_xfree, "remote", 64, "batch=8,depth=5", xfree_sink, 1, B_SIZE},
	{&ct_wl_xfree, "pc", 64, "batch=8", pc_sink, 1, B_SIZE},
	{&ct_wl_xfree, "pc", 24, "batch=1,depth=1", pc_sink, 1, B_SIZE},
	{&ct_wl_xfree, "pc", 2048, "batch=300,depth=7", pc_sink, 1, B_SIZE},
	{&ct_wl_falseshare, "active", 8, "writes=10", fs_sink, 1, B_SIZE},
	{&ct_wl_falseshare, "passive", 8, "writes=10", fs_sink, 1, B_SIZE},
	{&ct_wl_falseshare, "passive", 36, "writes=7", fs_sink, 1, B_SIZE},
	{&ct_wl_large, "heap", 1000, "", large_sink, 1, B_SIZE},
	{&ct_wl_large, "heap", 300 << 10, "", large_sink, 1, B_SIZE},
	{&ct_wl_large, "stack", 1000, "", large_sink, 0, B_ZERO},
	{&ct_wl_large, "stack", 300 << 10, "", large_sink, 0, B_ZERO},
	{&ct_wl_smaug, "stack", 16, "", bw_sink, 0, B_ZERO},
	{&ct_wl_smaug, "stack", 1024, "", bw_sink, 0, B_ZERO},
	{&ct_wl_smaug, "stack", 1024, "copy=memcpy", bw_sink, 0, B_ZERO},
	{&ct_wl_smaug, "stack", 1000, "", bw_sink, 0, B_ZERO},
	{&ct_wl_smaug, "stack", 64 << 10, "", bw_sink, 0, B_ZERO},
	{&ct_wl_smaug, "heap", 16, "", bw_sink, 1, B_SIZE},
	{&ct_wl_smaug, "heap", 4096, "", bw_sink, 1, B_SIZE},
	{&ct_wl_smaug, "heap", 4096, "copy=memcpy", bw_sink, 1, B_SIZE},
	{&ct_wl_smaug, "heap", 64 << 10, "", bw_sink, 1, B_SIZE},
	{&ct_wl_smaug, "zeroed", 16, "", bw_sink, 1, B_SIZE},
	{&ct_wl_smaug, "zeroed", 4096, "", bw_sink, 1, B_SIZE},
	{&ct_wl_smaug, "zeroed", 4096, "copy=memcpy", bw_sink, 1, B_SIZE},
	{&ct_wl_smaug, "zeroed", 1000, "", bw_sink, 1, B_SIZE},
	{&ct_wl_smaug, "zeroed", 256 << 10, "", bw_sink, 1, B_SIZE},
	{&ct_wl_bandwidth, "memcpy", 16, "", bw_sink, 0, B_ZERO},
	{&ct_wl_bandwidth, "memcpy", 100000, "", bw_sink, 0, B_ZERO},
};
#define NCASES (sizeof cases / sizeof cases[0])

static void set_params(ct_point_t *p, const char *list)
{
	for (int i = 0; i < ct_workload_nparams(p->wl); i++)
		p->param[i] = p->wl->params[i].def;
	char buf[128], *save = NULL;
	snprintf(buf, sizeof buf, "%s", list);
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(t, '=');
		*eq = '\0';
		int k = ct_workload_param(p->wl, t);
		ct_err_t err;
		if (k < 0 || ct_param_parse(&p->wl->params[k], eq + 1, &p->param[k], &err))
			abort();
	}
}

static ct_point_t point(const wcase_t *c, unsigned threads, const char *bt)
{
	ct_point_t p = {.wl = c->wl, .mode = ct_workload_mode(c->wl, c->mode), .size = c->size,
			.threads = threads, .place = CT_PLACE_COMPACT};
	ct_err_t err;
	if (p.mode < 0 || ct_parse_benchtime(bt, &p.bt, &err))
		abort();
	set_params(&p, c->params);
	return p;
}

/* ---------------------------------------------------------------- checks */

/* Bytes glibc's heap holds for the program; 0 where it cannot tell. */
static size_t heap_in_use(void)
{
#ifdef CT_SANITIZED
	return 0;
#else
	struct mallinfo2 mi = mallinfo2();
	return mi.uordblks + mi.hblkhd;
#endif
}

#define CASE_FMT "%s/%s/%llu/%u%s: "
#define CASE_ARGS(c, threads, latency)                                                           \
	(c)->wl->name, (c)->mode, (unsigned long long)(c)->size, (threads), (latency) ? " latency" : ""

/* The sink of r: warm-up (20) and measured (200) rounds of every thread,
 * exactly; the latency round runs after r.sink is summed, so its batches
 * are never in it. */
static void check_sink(const wcase_t *c, const ct_point_t *p, const ct_result_t *r, bool latency)
{
	uint64_t calls = latency ? r->lat_samples / p->threads : 0, want = 0;
	EXPECT(!latency || (calls >= 1 && calls * p->threads == r->lat_samples));
	for (unsigned t = 0; t < p->threads; t++)
		want += c->sink(p, t, 20) + c->sink(p, t, 200);
	t_checks++;
	if (r->sink != want)
		T_FAIL_AT(CASE_FMT "sink %llu != %llu", CASE_ARGS(c, p->threads, latency),
			  (unsigned long long)r->sink, (unsigned long long)want);
	EXPECT_EQ_U(r->iters, 200);
}

/* Waits and sides: time waiting is part of thread time, and none at one
 * thread (every try pushes or frees); a one-way hand-off reports each side
 * and counts an object once (when it is freed), other modes neither. */
static void check_sides(const wcase_t *c, const ct_point_t *p, const ct_result_t *r)
{
	bool pc = strcmp(c->mode, "pc") == 0 && p->threads > 1;
	double objects = (double)r->iters * (pc ? p->threads / 2 : p->threads);
	EXPECT(r->wait_ns_per_op >= 0 && r->wait_ns_per_op <= r->ns_per_op);
	if (p->threads == 1)
		EXPECT_EQ_D(r->wait_ns_per_op, 0);
	/* A one-object queue: each side must wait for the other every object. */
	if (pc && p->param[0] == 1 && p->param[1] == 1)
		EXPECT(r->wait_ns_per_op > 0);
	EXPECT(fabs(r->ops_per_s * r->wall_ns / 1e9 - objects) <= 1e-6 * objects);
	EXPECT(pc ? r->prod_ns_per_op >= 0 && r->prod_ns_per_op <= r->ns_max
		  : isnan(r->prod_ns_per_op));
	EXPECT(pc ? r->cons_ns_per_op >= 0 && r->cons_ns_per_op <= r->ns_max
		  : isnan(r->cons_ns_per_op));
}

/* Runs the point twice: the first run may leave glibc's caches bigger (a
 * cached thread stack of a new size keeps its TLS vector), the second must
 * leave the heap exactly as it found it. */
static void exact_sinks(const ct_topo_t *topo, const wcase_t *c, unsigned threads, bool latency)
{
	ct_point_t p = point(c, threads, "200x");
	p.latency = latency;
	for (int run = 0; run < 2; run++) {
		ct_result_t r;
		size_t before = heap_in_use();
		if (ct_run_point(topo, &p, &r) != 0) {
			T_FAIL_AT(CASE_FMT "%s", CASE_ARGS(c, threads, latency), r.err);
			return;
		}
		size_t after = heap_in_use();
		check_sink(c, &p, &r, latency);
		check_sides(c, &p, &r);
		t_checks += run;
		if (run == 1 && after != before)
			T_FAIL_AT(CASE_FMT "%zd bytes left in the heap", CASE_ARGS(c, threads, latency),
				  (ssize_t)(after - before));
	}
}

/* A mode that refuses a thread count fails its point with a reason. */
static bool refused(const ct_topo_t *topo, const wcase_t *c, unsigned threads)
{
	ct_point_t p = point(c, threads, "200x");
	if (!c->wl->refuse || !c->wl->refuse(p.mode, threads))
		return false;
	ct_result_t r;
	EXPECT(ct_run_point(topo, &p, &r) != 0 && r.err[0]);
	return true;
}

static void all_sinks(const ct_topo_t *topo)
{
	for (size_t i = 0; i < NCASES; i++)
		for (unsigned threads = 1; threads <= 4; threads++) {
			if (refused(topo, &cases[i], threads) || (threads == 4 && cases[i].wl != &ct_wl_xfree))
				continue;
			exact_sinks(topo, &cases[i], threads, false);
			if (threads >= 2)
				exact_sinks(topo, &cases[i], threads, true);
		}
}

static void census(const ct_topo_t *topo, ct_census_fn fn)
{
	for (size_t i = 0; i < NCASES; i++)
		for (unsigned threads = 1; threads <= 2; threads++) {
			const wcase_t *c = &cases[i];
			ct_point_t p = point(c, threads, "64x");
			p.census = fn;
			ct_result_t r;
			EXPECT_EQ_U(ct_run_point(topo, &p, &r), 0);
			EXPECT_EQ_D(r.allocs_per_op, c->allocs);
			if (c->bytes == B_UPTO)
				EXPECT(r.bytes_per_op >= 16 && r.bytes_per_op <= (double)c->size);
			else
				EXPECT_EQ_D(r.bytes_per_op, c->bytes == B_SIZE ? (double)c->size : 0);
		}
}

/* Every workload declares the heap a thread holds (the memory check
 * refuses plans by it), at least one object, growing with its parameters. */
static void declared_heap(void)
{
	for (size_t i = 0; i < ct_nworkloads; i++) {
		const ct_workload_t *w = ct_workloads[i];
		EXPECT(w->heap_bytes != NULL);
		if (!w->heap_bytes)
			continue;
		uint64_t param[CT_MAX_PARAMS] = {0}, size = w->default_sizes ? w->max_size : w->fixed_size;
		for (int k = 0; k < ct_workload_nparams(w); k++)
			param[k] = w->params[k].def;
		uint64_t base = w->heap_bytes(size, param);
		EXPECT_GE_D((double)base, (double)size);
		for (int k = 0; k < ct_workload_nparams(w); k++) {
			uint64_t more[CT_MAX_PARAMS];
			memcpy(more, param, sizeof more);
			more[k] = w->params[k].max;
			EXPECT_GE_D((double)w->heap_bytes(size, more), (double)base);
		}
	}
	const ct_workload_t *churn = ct_workload_find("churn");
	uint64_t k16m[CT_MAX_PARAMS] = {1u << 24, 256, 0};
	EXPECT(churn && churn->heap_bytes(1u << 20, k16m) >= (1ull << 44)); /* 16 TiB */
}

int main(int argc, char **argv)
{
#ifndef CT_SANITIZED
	/* mallinfo2 counts blocks parked in a thread's tcache as in use, so the
	 * heap check needs tcache off: run again with it off (once). */
	if (argc == 1 && !getenv("CT_TEST_TCACHE_OFF")) {
		setenv("CT_TEST_TCACHE_OFF", "1", 1);
		setenv("GLIBC_TUNABLES", "glibc.malloc.tcache_count=0", 1);
		execv("/proc/self/exe", argv);
		perror("test_workloads: execv");
		return 1;
	}
#endif
	alarm(120); /* a hand-over that deadlocks fails the test instead of hanging it */
	ct_topo_t *topo = t_topo();
	if (argc > 1 && strcmp(argv[1], "census") == 0) {
		census(topo, t_census());
	} else {
		declared_heap();
		all_sinks(topo);
	}
	ct_topo_close(topo);
	return t_finish("test_workloads");
}
