/* workload.h — the descriptor every workload (kernel) exports, and the span
 * helpers a kernel uses to mark its timed loop.
 *
 * A workload is one file in workloads/ exporting one const ct_workload_t.
 * To add one: write workloads/<name>.c, declare it below, add it to the
 * ct_workloads[] table in src/measure/workloads.c and to CT_WORKLOAD_SOURCES in
 * CMakeLists.txt. Nothing else in the engine changes.
 *
 * Parameters (--param name=value) are declared in params[]; their values
 * arrive in kargs->param[] in the same order. A workload whose threads share
 * state (queues between threads, objects handed over) builds it in setup(),
 * called once per point on the controller thread before the workers start,
 * and frees it in teardown() after they are joined; kargs->shared is it.
 *
 * Contract for run():
 * - runs on a worker thread whose stack holds stack_bytes(size) more bytes;
 * - does any set-up first, then ct_span_begin(), exactly `iters` operations,
 *   ct_span_end(), then any tear-down;
 * - folds what each operation produced into span->sink so the work cannot be
 *   deleted, and frees everything it allocated before returning. */
#ifndef CT_WORKLOAD_H
#define CT_WORKLOAD_H

#include "contend.h"
#include "counters.h"
#include "units.h"

#include <sys/resource.h>

/* Allocation calls and bytes requested by the calling thread, from the
 * census interposer (census/census.c); NULL when it is not loaded. */
typedef void (*ct_census_fn)(uint64_t *allocs, uint64_t *bytes);

typedef struct {
	uint64_t t0_ns, t1_ns;         /* edges of the timed loop */
	uint64_t sink;                 /* folded results of the operations */
	ct_census_fn census;           /* set by the runner in census runs */
	uint64_t allocs0, bytes0, allocs1, bytes1;
	struct rusage ru0, ru1;        /* RUSAGE_THREAD at the edges */
	/* A batch of the latency round: the span's edges skip their syscalls,
	 * and a kernel may keep set-up from the round's first batch (batch_no 0)
	 * to its last (batch_last): smaug's source value, churn's working set. */
	bool batch;
	unsigned batch_no;             /* 0 for the first batch of the round */
	bool batch_last;               /* the round's last batch: free what was kept */
	ct_counters_t *hw;             /* hardware counters to run over the span, or NULL */
	/* Set by kernels whose threads hand work to each other (xfree): the
	 * part of t1 - t0 spent waiting on another thread (a queue empty or
	 * full), and which side of a one-way hand-off this thread is. */
	uint64_t wait_ns;
	unsigned char side;            /* CT_SIDE_* */
} ct_span_t;

/* A thread's side in a one-way hand-off. An operation is one object going
 * through: the producer's allocation and the consumer's free are its two
 * halves, so counts per operation (faults, allocs, throughput) are taken
 * over the threads that complete objects (CT_SIDE_FREE and CT_SIDE_BOTH). */
enum { CT_SIDE_BOTH, CT_SIDE_ALLOC, CT_SIDE_FREE };

#define CT_MAX_PARAMS 8

typedef struct {
	const char *name; /* on the command line: --param name=value */
	const char *doc;  /* one line, with its unit */
	uint64_t def, min, max;
	/* NULL: the value is a number in [min, max]. Otherwise the names of the
	 * values, NULL-terminated: the value is an index into it, and the name
	 * is what the command line takes and the results show. */
	const char *const *choices;
	/* Left out of benchmark names and the params column at its default: a
	 * parameter added to a workload then keeps the names of earlier results. */
	bool quiet;
} ct_param_t;

typedef struct {
	int mode;        /* index into the workload's modes[] */
	uint64_t size;   /* object size, bytes */
	unsigned thread; /* worker index, 0-based */
	unsigned threads;
	uint64_t param[CT_MAX_PARAMS]; /* values of the workload's params[] */
	void *shared;    /* what setup() returned, or NULL */
} ct_kargs_t;

typedef struct ct_workload {
	const char *name;            /* on the command line: "smaug" */
	const char *bench;           /* in Benchmark names: "Smaug" */
	const char *doc;             /* one line: what an operation is */
	const char *probes;          /* which allocator mechanism it exercises */
	const char *const *modes;    /* NULL-terminated */
	const char *default_modes;   /* comma list */
	const char *default_sizes;   /* size list, or NULL when the size is fixed */
	uint64_t fixed_size;         /* bytes, when default_sizes is NULL */
	uint64_t min_size, max_size; /* accepted --size range, bytes */
	const ct_param_t *params;    /* NULL or terminated by a NULL name */
	/* Optional: thread-stack bytes run() needs (VLAs); NULL: none. */
	uint64_t (*stack_bytes)(uint64_t size);
	/* Optional: operations that belong together (churn frees and mallocs
	 * `batch` at a time): latency batches are a multiple of it. */
	uint64_t (*op_group)(const uint64_t *param);
	/* Optional: bytes one operation copies, for GB/s (NULL: not a copy). */
	uint64_t (*bytes_moved)(uint64_t size);
	/* Required: heap bytes one thread holds at most at once (objects,
	 * arrays, queues), for the memory check that refuses a plan which
	 * cannot fit before any work. Saturates rather than wraps. */
	uint64_t (*heap_bytes)(uint64_t size, const uint64_t *param);
	/* Optional: why this mode cannot run on `threads` threads (NULL: it
	 * can); the CLI refuses such a combination with this reason. */
	const char *(*refuse)(int mode, unsigned threads);
	/* Its threads wait on each other, and span.wait_ns says how long. */
	bool waits;
	/* Optional: state shared by the point's threads (thread = 0 in a). NULL
	 * from setup is a failure of the point. */
	void *(*setup)(const ct_kargs_t *a);
	void (*teardown)(void *shared);
	void (*run)(const ct_kargs_t *a, uint64_t iters, ct_span_t *span);
	/* The threads wait on each other inside run() (barriers, hand-offs), so
	 * every thread must run the same operations: the measured round gives
	 * each the calibrated count instead of a common timed window, and the
	 * waiting keeps them together. */
	bool lockstep;
} ct_workload_t;

/* a * b, or UINT64_MAX where that would wrap. */
static inline uint64_t ct_mul_sat(uint64_t a, uint64_t b)
{
	return b && a > UINT64_MAX / b ? UINT64_MAX : a * b;
}

static inline void ct_span_begin(ct_span_t *s)
{
	if (!s->batch)
		getrusage(RUSAGE_THREAD, &s->ru0);
	if (s->census)
		s->census(&s->allocs0, &s->bytes0);
	if (s->hw)
		ct_counters_start(s->hw);
	s->t0_ns = ct_now_ns();
}

static inline void ct_span_end(ct_span_t *s)
{
	s->t1_ns = ct_now_ns();
	if (s->hw)
		ct_counters_stop(s->hw);
	if (s->census)
		s->census(&s->allocs1, &s->bytes1);
	if (!s->batch)
		getrusage(RUSAGE_THREAD, &s->ru1);
}

/* The control operation: the loop, the sink and nothing else. Its ns/op is
 * the harness's own cost, the floor under every other figure. */
static inline void ct_control_loop(uint64_t iters, ct_span_t *s)
{
	uint64_t sink = 0;
	ct_span_begin(s);
	for (uint64_t i = 0; i < iters; i++) {
		sink += i;
		CT_OPAQUE(sink);
	}
	ct_span_end(s);
	s->sink += sink;
}

/* splitmix64's finalizer: a bijection, so a sum of mixed tags detects a tag
 * counted twice and another missed (churn, xfree and their tests). */
static inline uint64_t ct_mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* Registry (src/measure/workloads.c). */
extern const ct_workload_t ct_wl_bilbo, ct_wl_smaug, ct_wl_churn, ct_wl_xfree, ct_wl_falseshare,
	ct_wl_large, ct_wl_bandwidth;
extern const ct_workload_t *const ct_workloads[];
extern const size_t ct_nworkloads;

const ct_workload_t *ct_workload_find(const char *name);
/* Thread-stack bytes the workload needs at this size (0 without stack_bytes). */
uint64_t ct_workload_stack(const ct_workload_t *w, uint64_t size);
/* Index of mode in w->modes, or -1. */
int ct_workload_mode(const ct_workload_t *w, const char *mode);
/* Index of a parameter in w->params, or -1; count of parameters. */
int ct_workload_param(const ct_workload_t *w, const char *name);
int ct_workload_nparams(const ct_workload_t *w);
/* A parameter's value from its command-line text (a number in range, or one
 * of its choices); -1 with the reason in err. */
int ct_param_parse(const ct_param_t *pd, const char *text, uint64_t *v, ct_err_t *err);
/* The value as the command line spells it (the number, or the choice's
 * name). Returns buf. */
const char *ct_param_format(const ct_param_t *pd, uint64_t v, char *buf, size_t len);

#endif
