/* schedule.h — the order in which a study runs its repetitions.
 *
 * Every ratio a verdict computes (heap/stack, N threads/1 thread, allocator
 * A/B) compares points; the machine drifts over seconds. So repetitions run
 * in rounds over the whole study — every point and allocator once per round
 * — in an order shuffled anew each round from a seed recorded in
 * machine.json: each ratio's two sides then span the same drift, and no
 * point always follows the same neighbour. After the base rounds, extra
 * rounds go only to the points whose CI misses the target by a margin
 * more repetitions can close, cheapest first across the whole study,
 * within the budget the driver gives. */
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

/* Extra repetitions after the base rounds, decided in one look. Slot i:
 * miss[i] is its CI half-width over the target (NaN: none wanted or
 * possible; <= 1: on target; +inf: rejected repetitions left it without a
 * CI), good[i] the repetitions its CI stands on, room[i] how many more it
 * may have. When the budget covers the room of every slot that misses,
 * each gets its room. When not, the budget goes where it can close a gap:
 * a half-width shrinks as 1/sqrt(n), so a slot needs about good x miss^2
 * repetitions; it is given those and a quarter more (the width it is
 * predicted from is itself noisy) when they fit in its room, and none when
 * they do not — a point that cannot reach the target within --max-count
 * keeps its honest, wide interval rather than the study's time. Slots
 * without a CI get their room first, then the cheapest first while the
 * budget lasts. Writes give[0..n), returns their total. */
size_t ct_schedule_extra(const double *miss, const unsigned *good, const unsigned *room, size_t n,
			 size_t budget, unsigned *give);

#endif
