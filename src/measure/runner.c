/* runner.c — N pinned workers, barrier rounds, calibration (see runner.h). */
#include "runner.h"
#include "hist.h"
#include "window.h"

#include <math.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
	_Alignas(CT_CACHELINE_MAX) ct_span_t span;
	unsigned idx;
	int cpu;        /* assigned PU, -1 for none */
	int bind_err;
	int cpu_start, cpu_end;
	pthread_t tid;
	struct shared *sh;
	ct_counters_t hw;
	uint64_t hw_val[CT_HW_N]; /* counts of the last normal round */
	ct_hist_t hist;           /* latency round */
	uint64_t lat_ns, lat_ops;
	uint64_t ops;             /* operations of the last normal round */
	uint64_t cpu_ns;          /* thread CPU time over the last normal round's span */
} worker_t;

/* A reusable barrier whose party count can shrink, so a failed thread
 * start can release the workers already waiting (pthread_barrier_t cannot,
 * and macOS has none). Waiters sleep: oversubscribed runs must not spin. */
typedef struct {
	pthread_mutex_t m;
	pthread_cond_t c;
	unsigned parties, waiting;
	unsigned long gen;
} barrier_t;

static void barrier_init(barrier_t *b, unsigned parties)
{
	pthread_mutex_init(&b->m, NULL);
	pthread_cond_init(&b->c, NULL);
	b->parties = parties;
	b->waiting = 0;
	b->gen = 0;
}

static void barrier_destroy(barrier_t *b)
{
	pthread_mutex_destroy(&b->m);
	pthread_cond_destroy(&b->c);
}

static void barrier_trip_locked(barrier_t *b)
{
	b->waiting = 0;
	b->gen++;
	pthread_cond_broadcast(&b->c);
}

static void barrier_wait(barrier_t *b)
{
	pthread_mutex_lock(&b->m);
	unsigned long gen = b->gen;
	if (++b->waiting >= b->parties)
		barrier_trip_locked(b);
	else
		while (gen == b->gen)
			pthread_cond_wait(&b->c, &b->m);
	pthread_mutex_unlock(&b->m);
}

/* Lower the party count (a worker never started); trips if all are in. */
static void barrier_shrink(barrier_t *b, unsigned parties)
{
	pthread_mutex_lock(&b->m);
	b->parties = parties;
	if (b->waiting >= b->parties)
		barrier_trip_locked(b);
	pthread_mutex_unlock(&b->m);
}

typedef struct shared {
	const ct_topo_t *topo;
	const ct_point_t *p;
	void *wl_shared; /* the workload's setup() result */
	barrier_t start, done;
	ct_gate_t gate; /* the release after `start` (window.h) */
	uint64_t iters; /* written by the controller before `start`; 0 = quit */
	uint64_t lat_calls; /* 0: a normal round; else a latency round of this many batches */
	uint64_t window_ns; /* >0: a windowed round: chunks of `iters` until this long after release */
} shared_t;

uint64_t ct_predict_iters(uint64_t goal_ns, uint64_t prev_iters, uint64_t prev_ns)
{
	if (prev_ns == 0)
		prev_ns = 1;
	double n = (double)goal_ns * (double)prev_iters / (double)prev_ns;
	n += n / 5;
	if (n > 100.0 * (double)prev_iters)
		n = 100.0 * (double)prev_iters;
	if (n < (double)prev_iters + 1)
		n = (double)prev_iters + 1;
	if (n > (double)CT_MAX_ITERS)
		n = (double)CT_MAX_ITERS;
	return (uint64_t)n;
}

double ct_timer_resolution_ns(void)
{
	uint64_t best = UINT64_MAX;
	for (int i = 0; i < 2000; i++) {
		uint64_t a = ct_now_ns(), b;
		while ((b = ct_now_ns()) == a) {
		}
		if (b - a < best)
			best = b - a;
	}
	struct timespec res;
	clock_getres(CLOCK_MONOTONIC, &res);
	double declared = (double)res.tv_sec * 1e9 + (double)res.tv_nsec;
	return (double)best > declared ? (double)best : declared;
}

size_t ct_stack_size(uint64_t need)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	/* glibc carves static TLS out of the thread stack, and sanitizer
	 * runtimes keep hundreds of KiB there: 1 MiB beyond the kernel's need. */
	size_t sz = (size_t)need + (1u << 20);
	if (sz < (size_t)PTHREAD_STACK_MIN)
		sz = PTHREAD_STACK_MIN;
	return (sz + page - 1) / page * page;
}

static void normal_round(worker_t *w, const ct_point_t *p, const ct_kargs_t *a, uint64_t iters)
{
	uint64_t sink = w->span.sink;
	memset(&w->span, 0, sizeof w->span);
	w->span.sink = sink;
	w->span.census = p->census;
	w->span.hw = p->counters ? &w->hw : NULL;
	w->cpu_start = ct_topo_current_cpu();
	uint64_t cpu0 = ct_thread_cpu_ns();
	p->wl->run(a, iters, &w->span);
	w->cpu_ns = ct_thread_cpu_ns() - cpu0;
	w->cpu_end = ct_topo_current_cpu();
	w->ops = iters;
	memcpy(w->hw_val, w->hw.val, sizeof w->hw_val);
}

/* The measured round of a timed benchtime: chunks of `chunk` operations,
 * run as batches (no syscalls at their edges, the kernel's set-up kept from
 * the first to the last), until one ends at or past the shared stop
 * `stop_ns`: every thread ends within one chunk after it, so none runs alone
 * at the end, and each counts its own operations. A closing batch of no
 * operations lets the kernel free what it kept, outside the span. The span
 * is the first chunk's start to the last chunk's end; rusage, counters and
 * CPU time are read around the chunks. */
static void window_round(worker_t *w, const ct_point_t *p, const ct_kargs_t *a, uint64_t chunk,
			 uint64_t stop_ns)
{
	ct_span_t span = {.batch = true};
	uint64_t sink = w->span.sink;
	memset(&w->span, 0, sizeof w->span);
	w->ops = 0;
	w->cpu_start = ct_topo_current_cpu();
	getrusage(RUSAGE_THREAD, &w->span.ru0);
	if (p->counters)
		ct_counters_start(&w->hw);
	uint64_t cpu0 = ct_thread_cpu_ns();
	for (unsigned c = 0; span.t1_ns < stop_ns; c++) {
		span.batch_no = c;
		p->wl->run(a, chunk, &span);
		w->span.t0_ns = c == 0 ? span.t0_ns : w->span.t0_ns;
		w->ops += chunk;
	}
	w->cpu_ns = ct_thread_cpu_ns() - cpu0;
	if (p->counters)
		ct_counters_stop(&w->hw);
	getrusage(RUSAGE_THREAD, &w->span.ru1);
	w->cpu_end = ct_topo_current_cpu();
	w->span.t1_ns = span.t1_ns;
	span.batch_no++;
	span.batch_last = true;
	p->wl->run(a, 0, &span);
	w->span.sink = sink + span.sink;
	memcpy(w->hw_val, w->hw.val, sizeof w->hw_val);
}

/* `calls` batches of `batch` operations, each batch's mean per op recorded. */
static void latency_round(worker_t *w, const ct_point_t *p, const ct_kargs_t *a, uint64_t batch,
			  uint64_t calls)
{
	ct_span_t span = {.batch = true};
	memset(&w->hist, 0, sizeof w->hist);
	w->lat_ns = w->lat_ops = 0;
	for (uint64_t c = 0; c < calls; c++) {
		span.t0_ns = span.t1_ns = 0;
		span.batch_no = (unsigned)(c < UINT32_MAX ? c : UINT32_MAX);
		span.batch_last = c + 1 == calls;
		p->wl->run(a, batch, &span);
		uint64_t ns = span.t1_ns - span.t0_ns;
		ct_hist_add(&w->hist, (double)ns / (double)batch);
		w->lat_ns += ns;
		w->lat_ops += batch;
	}
	w->span.sink += span.sink;
}

static void *worker_main(void *arg)
{
	worker_t *w = arg;
	shared_t *sh = w->sh;
	const ct_point_t *p = sh->p;
	w->bind_err = ct_topo_bind_self(sh->topo, w->cpu);
	for (int i = 0; i < CT_HW_N; i++)
		w->hw.fd[i] = -1;
	if (p->counters)
		ct_counters_open(&w->hw);
	ct_kargs_t a = {.mode = p->mode, .size = p->size, .thread = w->idx, .threads = p->threads,
			.shared = sh->wl_shared};
	memcpy(a.param, p->param, sizeof a.param);
	for (;;) {
		barrier_wait(&sh->start);
		uint64_t iters = sh->iters;
		if (iters == 0)
			break;
		uint64_t open_ns = ct_gate_pass(&sh->gate);
		if (sh->lat_calls)
			latency_round(w, p, &a, iters, sh->lat_calls);
		else if (sh->window_ns)
			window_round(w, p, &a, iters, open_ns + sh->window_ns);
		else
			normal_round(w, p, &a, iters);
		barrier_wait(&sh->done);
	}
	ct_counters_close(&w->hw);
	return NULL;
}

/* Mean over threads of thread time, ns. */
static uint64_t mean_thread_ns(const worker_t *w, unsigned n)
{
	double sum = 0;
	for (unsigned i = 0; i < n; i++)
		sum += (double)(w[i].span.t1_ns - w[i].span.t0_ns);
	return (uint64_t)(sum / n);
}

/* Overlap of the threads' spans and the smallest on-CPU share over the
 * repetition's span, first start to last end (window.h). */
static void summarize_window(const worker_t *w, unsigned n, ct_result_t *r)
{
	uint64_t t0[CT_MAX_THREADS], t1[CT_MAX_THREADS], first = UINT64_MAX, last = 0;
	for (unsigned i = 0; i < n; i++) {
		t0[i] = w[i].span.t0_ns;
		t1[i] = w[i].span.t1_ns;
		first = t0[i] < first ? t0[i] : first;
		last = t1[i] > last ? t1[i] : last;
	}
	r->cpu_share_min = 1e300;
	for (unsigned i = 0; i < n; i++) {
		double share = last > first ? (double)w[i].cpu_ns / (double)(last - first) : 1.0;
		r->cpu_share_min = share < r->cpu_share_min ? share : r->cpu_share_min;
	}
	r->overlap = ct_window_overlap(t0, t1, n);
}

/* Each side's own time per operation, its waits left out (one-way
 * hand-offs); NaN for a side no thread took. */
static void summarize_sides(const worker_t *w, unsigned n, ct_result_t *r)
{
	double busy[3] = {0}, wait = 0;
	unsigned count[3] = {0};
	for (unsigned i = 0; i < n; i++) {
		const ct_span_t *s = &w[i].span;
		double ops = w[i].ops ? (double)w[i].ops : 1;
		double t = (double)(s->t1_ns - s->t0_ns), wt = (double)s->wait_ns;
		wait += wt / ops;
		busy[s->side % 3] += (t - (wt < t ? wt : t)) / ops;
		count[s->side % 3]++;
	}
	r->wait_ns_per_op = wait / n;
	r->prod_ns_per_op = count[CT_SIDE_ALLOC] ? busy[CT_SIDE_ALLOC] / count[CT_SIDE_ALLOC] : NAN;
	r->cons_ns_per_op = count[CT_SIDE_FREE] ? busy[CT_SIDE_FREE] / count[CT_SIDE_FREE] : NAN;
}

/* Operations completed: a producer's half of a one-way hand-off is not one. */
static double completed_ops(const worker_t *w, unsigned n)
{
	double ops = 0;
	for (unsigned i = 0; i < n; i++)
		ops += w[i].span.side == CT_SIDE_ALLOC ? 0 : (double)w[i].ops;
	return ops;
}

static void summarize(const worker_t *w, const ct_point_t *p, ct_result_t *r)
{
	unsigned n = p->threads;
	double ops = completed_ops(w, n), sum = 0, hw[CT_HW_N] = {0};
	uint64_t first = UINT64_MAX, last = 0;
	r->ns_min = 1e300;
	r->ns_max = 0;
	for (unsigned i = 0; i < n; i++) {
		const ct_span_t *s = &w[i].span;
		double t = (double)(s->t1_ns - s->t0_ns) / (double)w[i].ops;
		sum += t;
		r->ns_min = t < r->ns_min ? t : r->ns_min;
		r->ns_max = t > r->ns_max ? t : r->ns_max;
		first = s->t0_ns < first ? s->t0_ns : first;
		last = s->t1_ns > last ? s->t1_ns : last;
		r->minflt_per_op += (double)(s->ru1.ru_minflt - s->ru0.ru_minflt) / ops;
		r->majflt_per_op += (double)(s->ru1.ru_majflt - s->ru0.ru_majflt) / ops;
		r->vcsw_per_op += (double)(s->ru1.ru_nvcsw - s->ru0.ru_nvcsw) / ops;
		r->ivcsw_per_op += (double)(s->ru1.ru_nivcsw - s->ru0.ru_nivcsw) / ops;
		r->allocs_per_op += (double)(s->allocs1 - s->allocs0) / ops;
		r->bytes_per_op += (double)(s->bytes1 - s->bytes0) / ops;
		r->sink += s->sink;
		for (int k = 0; k < CT_HW_N; k++)
			hw[k] += (double)w[i].hw_val[k];
		bool on = w[i].cpu < 0 || (w[i].cpu_start == w[i].cpu && w[i].cpu_end == w[i].cpu);
		r->pinned_ok += (w[i].cpu >= 0 && on);
		r->pin_errors += w[i].bind_err != 0;
	}
	r->cycles_per_op = p->counters && w[0].hw.fd[CT_HW_CYCLES] >= 0 ? hw[CT_HW_CYCLES] / ops : NAN;
	r->instr_per_op = p->counters && w[0].hw.fd[CT_HW_INSTRUCTIONS] >= 0 ? hw[CT_HW_INSTRUCTIONS] / ops : NAN;
	r->cache_misses_per_op =
		p->counters && w[0].hw.fd[CT_HW_CACHE_MISSES] >= 0 ? hw[CT_HW_CACHE_MISSES] / ops : NAN;
	r->ops = (uint64_t)ops;
	double run_ops = 0; /* every thread's own count, producers included */
	for (unsigned i = 0; i < n; i++)
		run_ops += (double)w[i].ops;
	r->iters = (uint64_t)(run_ops / n + 0.5);
	r->ns_per_op = sum / n;
	r->wall_ns = (double)(last - first);
	r->ops_per_s = r->wall_ns > 0 ? ops * 1e9 / r->wall_ns : 0;
	summarize_window(w, n, r);
	summarize_sides(w, n, r);
}

/* Runs one round of iters on every worker; returns the mean thread ns. The
 * gate is closed again only here, after the previous round's `done`: every
 * worker has passed it by then. */
static uint64_t round_run(shared_t *sh, worker_t *w, uint64_t iters)
{
	sh->iters = iters;
	ct_gate_reset(&sh->gate, sh->p->threads, sh->p->threads > ct_topo_cores(sh->topo));
	barrier_wait(&sh->start);
	barrier_wait(&sh->done);
	return mean_thread_ns(w, sh->p->threads);
}

/* Chunks of a windowed round last 1/64 of the benchtime: the threads' ends
 * then lie within ~1.6% of the span of each other, and the clock is read
 * twice per chunk (batches skip their syscalls), far below the cost of
 * `control` per chunk. A multiple of the workload's group of operations. */
static uint64_t chunk_ops(const ct_point_t *p, uint64_t iters, uint64_t ns)
{
	double per_op = ns && iters ? (double)ns / (double)iters : 1;
	uint64_t chunk = (uint64_t)((double)p->bt.ns / 64 / per_op);
	uint64_t group = p->wl->op_group ? p->wl->op_group(p->param) : 1;
	chunk = chunk < 1 ? 1 : chunk;
	return group > 1 ? (chunk + group - 1) / group * group : chunk;
}

/* Warm-up and calibration rounds (fixed iterations, Go's b.N growth) until
 * one lasts a tenth of the benchtime, then the measured round: a common
 * window of the benchtime for workloads whose threads are independent, a
 * round of the calibrated iterations on every thread for lockstep ones
 * (their threads wait on each other, which keeps them together). */
static void timed_rounds(shared_t *sh, worker_t *w, unsigned *rounds)
{
	const ct_point_t *p = sh->p;
	/* From a hint (an earlier repetition's count: about one benchtime),
	 * aim a fifth above the tenth, as ct_predict_iters does: aimed at the
	 * tenth itself, half the repetitions fell just short of it and paid a
	 * second warm-up round. */
	uint64_t iters = p->hint_iters / 10 + p->hint_iters / 50, t;
	iters = iters ? iters : 1;
	for (unsigned k = 0;; k++) {
		t = round_run(sh, w, iters);
		*rounds = k + 2;
		if (t >= p->bt.ns / 10 || iters >= CT_MAX_ITERS || k >= 40)
			break;
		iters = ct_predict_iters(p->bt.ns / 10, iters, t); /* aim at the warm-up, not beyond */
	}
	if (p->wl->lockstep) {
		round_run(sh, w, ct_predict_iters(p->bt.ns, iters, t));
		return;
	}
	sh->window_ns = p->bt.ns;
	round_run(sh, w, chunk_ops(p, iters, t));
	sh->window_ns = 0;
}

/* Warm-up, calibration and the measured round. */
static void calibrate_and_measure(shared_t *sh, worker_t *w, unsigned *rounds)
{
	const ct_point_t *p = sh->p;
	if (p->census) { /* fixed count, no warm-up: only calls are counted */
		*rounds = 1;
		round_run(sh, w, p->bt.iters);
		return;
	}
	if (p->bt.iters) {
		uint64_t warm = p->bt.iters / 10 ? p->bt.iters / 10 : 1;
		round_run(sh, w, warm);
		round_run(sh, w, p->bt.iters);
		*rounds = 2;
		return;
	}
	timed_rounds(sh, w, rounds);
}

/* Batches of ~2 us (a multiple of the workload's group of operations), for a
 * quarter of the benchtime (or of the fixed
 * iterations); the same number of batches on every thread, so workloads
 * whose threads hand objects to each other stay balanced. */
static void measure_latency(shared_t *sh, worker_t *w, ct_result_t *r)
{
	const ct_point_t *p = sh->p;
	double per_op = r->ns_per_op > 0 ? r->ns_per_op : 1;
	uint64_t batch = (uint64_t)ceil(2000.0 / per_op);
	uint64_t group = p->wl->op_group ? p->wl->op_group(p->param) : 1;
	if (group > 1)
		batch = (batch + group - 1) / group * group;
	uint64_t budget_ops = p->bt.iters ? p->bt.iters / 4 : (uint64_t)((double)p->bt.ns / 4 / per_op);
	uint64_t calls = budget_ops / batch;
	calls = calls < 1 ? 1 : calls > 200000 ? 200000 : calls;
	sh->lat_calls = calls;
	round_run(sh, w, batch);
	sh->lat_calls = 0;
	ct_hist_t all = {0};
	uint64_t ns = 0, ops = 0;
	for (unsigned i = 0; i < p->threads; i++) {
		ct_hist_merge(&all, &w[i].hist);
		ns += w[i].lat_ns;
		ops += w[i].lat_ops;
	}
	r->lat_batch = batch;
	r->lat_samples = all.n;
	r->lat_p50_ns = ct_hist_quantile(&all, 0.50);
	r->lat_p99_ns = ct_hist_quantile(&all, 0.99);
	r->lat_p999_ns = ct_hist_quantile(&all, 0.999);
	r->lat_max_ns = all.max;
	r->lat_mean_ns = ops ? (double)ns / (double)ops : 0;
}

static int start_workers(shared_t *sh, worker_t *w, const int *cpus, ct_result_t *r)
{
	const ct_point_t *p = sh->p;
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	int e = pthread_attr_setstacksize(&attr, ct_stack_size(ct_workload_stack(p->wl, p->size)));
	for (unsigned i = 0; i < p->threads && e == 0; i++) {
		w[i].idx = i;
		w[i].cpu = cpus[i];
		w[i].sh = sh;
		e = pthread_create(&w[i].tid, &attr, worker_main, &w[i]);
		if (e) {
			snprintf(r->err, sizeof r->err, "cannot start worker %u of %u: %s", i + 1,
				 p->threads, strerror(e));
			/* release the ones already waiting: they read iters 0 and quit */
			sh->iters = 0;
			barrier_shrink(&sh->start, i + 1);
			barrier_wait(&sh->start);
			for (unsigned j = 0; j < i; j++)
				pthread_join(w[j].tid, NULL);
		}
	}
	pthread_attr_destroy(&attr);
	return e ? -1 : 0;
}

int ct_run_point(const ct_topo_t *topo, const ct_point_t *p, ct_result_t *r)
{
	memset(r, 0, sizeof *r);
	if (p->threads == 0 || p->threads > CT_MAX_THREADS) {
		snprintf(r->err, sizeof r->err, "bad thread count %u", p->threads);
		return -1;
	}
	int *cpus = calloc(p->threads, sizeof *cpus);
	worker_t *w = aligned_alloc(CT_CACHELINE_MAX, p->threads * sizeof *w);
	shared_t sh = {.topo = topo, .p = p};
	int rc = -1;
	if (!cpus || !w) {
		snprintf(r->err, sizeof r->err, "out of memory for %u workers", p->threads);
		goto out;
	}
	memset(w, 0, p->threads * sizeof *w);
	if (ct_topo_plan(topo, p->place, p->threads, cpus) != 0) {
		snprintf(r->err, sizeof r->err, "cannot plan placement '%s' for %u threads",
			 ct_place_name(p->place), p->threads);
		goto out;
	}
	if (p->wl->setup) {
		ct_kargs_t a = {.mode = p->mode, .size = p->size, .threads = p->threads};
		memcpy(a.param, p->param, sizeof a.param);
		sh.wl_shared = p->wl->setup(&a);
		if (!sh.wl_shared) {
			snprintf(r->err, sizeof r->err, "%s: set-up failed", p->wl->name);
			goto out;
		}
	}
	barrier_init(&sh.start, p->threads + 1);
	barrier_init(&sh.done, p->threads + 1);
	if (start_workers(&sh, w, cpus, r) == 0) {
		unsigned rounds = 0;
		calibrate_and_measure(&sh, w, &rounds);
		summarize(w, p, r);
		r->rounds = rounds;
		if (p->latency && !p->census)
			measure_latency(&sh, w, r);
		struct rusage ru;
		getrusage(RUSAGE_SELF, &ru);
		r->peak_rss_kib = (double)ru.ru_maxrss;
		sh.iters = 0;
		barrier_wait(&sh.start);
		for (unsigned i = 0; i < p->threads; i++)
			pthread_join(w[i].tid, NULL);
		rc = 0;
	}
	barrier_destroy(&sh.start);
	barrier_destroy(&sh.done);
out:
	if (sh.wl_shared && p->wl->teardown)
		p->wl->teardown(sh.wl_shared);
	free(cpus);
	free(w);
	return rc;
}
