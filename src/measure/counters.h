/* counters.h — hardware counters per worker thread through perf_event_open
 * (pid 0, cpu -1: this thread, wherever it runs): cycles, instructions and
 * cache misses. Virtual machines and locked-down kernels often refuse them;
 * ct_counters_probe() says so once with the reason, and every figure is
 * then NaN ("unsupported"), never a failure. */
#ifndef CT_COUNTERS_H
#define CT_COUNTERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { CT_HW_CYCLES, CT_HW_INSTRUCTIONS, CT_HW_CACHE_MISSES, CT_HW_N };

typedef struct {
	int fd[CT_HW_N];     /* -1 when that event could not be opened */
	uint64_t val[CT_HW_N]; /* counts of the last start..stop */
} ct_counters_t;

/* Can this process count cycles? Fills why ("ok" or the reason). */
bool ct_counters_probe(char *why, size_t len);
/* On the calling thread; events that cannot be opened stay -1. */
void ct_counters_open(ct_counters_t *c);
void ct_counters_start(ct_counters_t *c);
void ct_counters_stop(ct_counters_t *c);
void ct_counters_close(ct_counters_t *c);

#endif
