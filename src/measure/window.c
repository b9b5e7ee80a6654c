/* window.c — release gate, overlap and on-CPU share (see window.h). */
#include "window.h"
#include "contend.h"

#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <time.h>

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ volatile("yield");
#endif
}

void ct_gate_reset(ct_gate_t *g, unsigned parties, bool yield)
{
	atomic_store(&g->arrived, 0);
	atomic_store(&g->open_ns, 0);
	g->parties = parties;
	g->yield = yield;
}

uint64_t ct_gate_pass(ct_gate_t *g)
{
	if (atomic_fetch_add(&g->arrived, 1) + 1 == g->parties) {
		uint64_t now = ct_now_ns();
		atomic_store_explicit(&g->open_ns, now, memory_order_release);
		return now;
	}
	/* A worker kept off its CPU (another process on it) must not leave
	 * the others spinning for a whole time slice: after ~50 us of pauses,
	 * spinning yields too. */
	uint64_t t;
	for (unsigned spins = 0; (t = atomic_load_explicit(&g->open_ns, memory_order_acquire)) == 0;
	     spins++) {
		if (g->yield || spins > 20000)
			sched_yield();
		else
			cpu_relax();
	}
	return t;
}

uint64_t ct_thread_cpu_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

double ct_window_overlap(const uint64_t *t0, const uint64_t *t1, unsigned n)
{
	uint64_t first0 = UINT64_MAX, last0 = 0, first1 = UINT64_MAX, last1 = 0;
	for (unsigned i = 0; i < n; i++) {
		first0 = t0[i] < first0 ? t0[i] : first0;
		last0 = t0[i] > last0 ? t0[i] : last0;
		first1 = t1[i] < first1 ? t1[i] : first1;
		last1 = t1[i] > last1 ? t1[i] : last1;
	}
	if (n < 2 || last1 <= first0)
		return 1.0;
	if (first1 <= last0)
		return 0.0;
	return (double)(first1 - last0) / (double)(last1 - first0);
}

double ct_window_min_share(unsigned threads, unsigned cpus)
{
	double allowed = cpus && threads > cpus ? (double)cpus / threads : 1.0;
	return CT_MIN_CPU_SHARE * allowed;
}

/* Decimals enough that a value just under its limit does not print as it
 * (94.96% is not "95% (< 95%)"). */
static int pct_digits(double v, double limit)
{
	int d = 0;
	while (d < 3 && floor(100 * v * pow(10, d) + 0.5) >= 100 * limit * pow(10, d))
		d++;
	return d;
}

bool ct_window_ok(double overlap, double cpu_share_min, unsigned threads, unsigned cpus,
		  char *why, size_t len)
{
	double need = ct_window_min_share(threads, cpus);
	if (threads < 2)
		return true; /* one thread is no contention measurement: nothing to run together */
	if (threads <= cpus && overlap < CT_MIN_OVERLAP) {
		snprintf(why, len, "threads overlapped %.*f%% of the span (< %.0f%%)",
			 pct_digits(overlap, CT_MIN_OVERLAP), 100 * overlap, 100 * CT_MIN_OVERLAP);
		return false;
	}
	if (cpu_share_min < need) {
		snprintf(why, len, "a thread was on CPU %.*f%% of the span (< %.0f%%)",
			 pct_digits(cpu_share_min, need), 100 * cpu_share_min, 100 * need);
		return false;
	}
	return true;
}
