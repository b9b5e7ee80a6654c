/* window.h — the common window of a repetition: how N workers are released
 * at the same instant, and how much their measured spans overlapped.
 *
 * Release: a worker that arrives at the gate announces itself and spins on
 * the gate's epoch; the last to arrive reads the clock and opens the gate.
 * No worker waits on a condition variable's wake-up (tens of microseconds,
 * one thread after another), so the spans start within a cache-line
 * transfer of each other. Where the workers outnumber the CPUs they may use,
 * a spinning worker would keep an unarrived one off its CPU: it yields
 * instead of spinning.
 *
 * Overlap: the fraction of the repetition's span (first start to last end)
 * during which every thread was inside its own span; on-CPU share: a
 * thread's CPU time over the repetition's span. ct_window_ok() holds the
 * thresholds a repetition must meet to count as a concurrent measurement.
 * More threads than CPUs cannot all run at once: such (oversubscribed)
 * repetitions are judged by the on-CPU share the CPUs allow (cores ÷
 * threads) alone, never by overlap. A 1-thread repetition is no contention
 * measurement: it always passes (its on-CPU share is still recorded), so a
 * busy machine widens its CI rather than emptying the baseline. */
#ifndef CT_WINDOW_H
#define CT_WINDOW_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

/* Thresholds (README "The common window"). */
#define CT_MIN_OVERLAP 0.95   /* all threads running, fraction of the span */
#define CT_MIN_CPU_SHARE 0.90 /* thread CPU time / the span, of what the CPUs allow */
#define CT_WINDOW_TRIES 3     /* attempts at a repetition before it is rejected */

typedef struct {
	_Atomic unsigned arrived;
	_Atomic uint64_t open_ns; /* 0 while closed; the clock when opened */
	unsigned parties;
	bool yield;               /* more workers than CPUs: never spin */
} ct_gate_t;

/* Closes the gate for the next round of `parties` workers (controller,
 * before it lets the workers reach the gate). */
void ct_gate_reset(ct_gate_t *g, unsigned parties, bool yield);
/* Waits until every party arrived; returns the instant the gate opened. */
uint64_t ct_gate_pass(ct_gate_t *g);

/* This thread's CPU time, ns. */
uint64_t ct_thread_cpu_ns(void);

/* Fraction of [min t0, max t1] during which all n spans [t0[i], t1[i]]
 * were open: (min t1 - max t0) / (max t1 - min t0), 0 when they never met,
 * 1 for one thread or an empty span. */
double ct_window_overlap(const uint64_t *t0, const uint64_t *t1, unsigned n);

/* The on-CPU share a thread must reach: CT_MIN_CPU_SHARE of what `cpus`
 * CPUs allow `threads` threads (cpus / threads when oversubscribed). */
double ct_window_min_share(unsigned threads, unsigned cpus);

/* Does a repetition count as concurrent? When not, why says why. Overlap
 * counts only for 2+ threads on at least as many CPUs. */
bool ct_window_ok(double overlap, double cpu_share_min, unsigned threads, unsigned cpus,
		  char *why, size_t len);

#endif
