/* runner.h — one point of a study on N pinned threads, in this process.
 *
 * ct_run_point() creates the workers (stacks sized for the kernel), pins each
 * one after it starts, and runs rounds: the workers sleep on a barrier
 * between rounds and are released together by a spinning gate (window.h).
 * Warm-up and calibration rounds of `iters` operations per thread come first
 * (Go's b.N growth until a round lasts a tenth of the benchtime), then the
 * measured round: with a timed benchtime, every thread runs chunks until a
 * stop one benchtime after the release, counting its own operations (one
 * common window); with `Nx`, each thread runs N operations. Each worker owns
 * its slot (padded to a cache line); the controller reads the slots only
 * after the round's closing barrier. */
#ifndef CT_RUNNER_H
#define CT_RUNNER_H

#include "topo.h"
#include "units.h"
#include "workload.h"

typedef struct {
	const ct_workload_t *wl;
	int mode;
	uint64_t size;       /* bytes */
	unsigned threads;
	ct_place_t place;
	ct_benchtime_t bt;
	uint64_t hint_iters; /* iters of an earlier repetition of this point, or 0 */
	ct_census_fn census; /* census runs: count allocation calls (fixed iters) */
	uint64_t param[CT_MAX_PARAMS]; /* workload parameters, in params[] order */
	bool latency;        /* after the measured round, a latency round (see below) */
	bool counters;       /* hardware counters (only where ct_counters_probe said ok) */
} ct_point_t;

typedef struct {
	uint64_t iters;            /* per thread, measured round (mean over threads) */
	uint64_t ops;              /* all threads' operations, measured round */
	double overlap;            /* fraction of wall_ns with every thread in its span */
	double cpu_share_min;      /* least thread CPU time / wall_ns, over threads */
	unsigned rounds;           /* rounds run, measured one included */
	double ns_per_op;          /* mean over threads of thread ns / iters */
	double ns_min, ns_max;     /* fastest and slowest thread, ns/op */
	double ops_per_s;          /* completed ops / (last end - first start); per-op
	                            * counts below are per completed op too (a one-way
	                            * hand-off completes an op when the consumer frees) */
	double wait_ns_per_op;     /* mean over threads of wait / iters: part of ns_per_op
	                            * spent waiting on another thread (span.wait_ns) */
	double prod_ns_per_op, cons_ns_per_op; /* one-way hand-off: mean over producers,
	                            * consumers of (thread ns - wait) / iters; else NaN */
	double wall_ns;            /* last end - first start of the measured round */
	double minflt_per_op, majflt_per_op;
	double vcsw_per_op, ivcsw_per_op;
	double allocs_per_op, bytes_per_op; /* census runs only */
	double cycles_per_op, instr_per_op, cache_misses_per_op; /* NaN: unsupported */
	/* Latency round: `lat_batch` operations are timed together (so a batch
	 * lasts ~2 us and the clock's cost stays out), each batch's mean per
	 * operation goes into a histogram. Never part of ns_per_op; lat_mean_ns
	 * (all batches' time / operations) shows what recording costs. */
	uint64_t lat_batch, lat_samples;
	double lat_p50_ns, lat_p99_ns, lat_p999_ns, lat_max_ns, lat_mean_ns;
	double peak_rss_kib;       /* the child's peak resident set so far */
	unsigned pinned_ok;        /* workers seen on their assigned PU at start and end */
	unsigned pin_errors;       /* bind calls that failed */
	uint64_t sink;
	char astats[512];          /* allocator statistics after the point: k=v;k=v */
	char err[192];             /* set when the point failed */
} ct_result_t;

/* 0 on success; -1 with r->err set. */
int ct_run_point(const ct_topo_t *topo, const ct_point_t *p, ct_result_t *r);

/* Go's predictN: iters for the next round from the last one, +20% margin,
 * at most 100x growth, at least +1, at most CT_MAX_ITERS. */
#define CT_MAX_ITERS 100000000000ull
uint64_t ct_predict_iters(uint64_t goal_ns, uint64_t prev_iters, uint64_t prev_ns);

/* The clock's resolution: the smallest step between two readings (ns). */
double ct_timer_resolution_ns(void);

/* Thread stack bytes for a kernel that needs `need` bytes of its own. */
size_t ct_stack_size(uint64_t need);

#endif
