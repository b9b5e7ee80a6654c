/* schedule.h — the order in which a study runs its repetitions.
 *
 * Every ratio a verdict computes (heap/stack, N threads/1 thread, allocator
 * A/B) compares points; the machine drifts over seconds. So repetitions run
 * in rounds over the whole study — every point and allocator once per round
 * — in an order shuffled anew each round from a seed recorded in
 * machine.json: each ratio's two sides then span the same drift, and no
 * point always follows the same neighbour. After the base rounds, extra
 * rounds go only to the points whose CI misses the target by the most,
 * across the whole study, within the budget the driver gives. */
#ifndef CT_SCHEDULE_H
#define CT_SCHEDULE_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
	uint32_t pt, a; /* plan point, allocator index */
} ct_slot_t;

/* A seed from the clock and the process id (different per study). */
uint64_t ct_schedule_seed(void);

/* Fisher-Yates shuffle of v, from (seed, round) alone: the same pair gives
 * the same order, another round another order. */
void ct_schedule_shuffle(ct_slot_t *v, size_t n, uint64_t seed, unsigned round);

/* The slots of an extra round: indices i with miss[i] > 1 (CI half-width
 * over the target; NaN or <= 1: no more repetitions wanted), the largest
 * misses first, at most `budget`. Returns how many were written to out. */
size_t ct_schedule_extra(const double *miss, size_t n, size_t budget, size_t *out);

#endif
