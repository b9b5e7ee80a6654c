/* test_schedule.c — the order of a study's repetitions: each round a
 * permutation of every slot, reproducible from its seed, different from
 * round to round and without a favoured position; extra rounds take the
 * widest CIs first and never exceed their budget. */
#include "schedule.h"
#include "test.h"

enum { N = 24 };

static void fill(ct_slot_t *v)
{
	for (uint32_t i = 0; i < N; i++)
		v[i] = (ct_slot_t){.pt = i / 4, .a = i % 4};
}

static size_t pos_of(const ct_slot_t *v, uint32_t pt, uint32_t a)
{
	for (size_t i = 0; i < N; i++)
		if (v[i].pt == pt && v[i].a == a)
			return i;
	return SIZE_MAX;
}

static void shuffles(void)
{
	ct_slot_t v[N], w[N];
	fill(v);
	ct_schedule_shuffle(v, N, 42, 0);
	unsigned seen[N] = {0};
	for (size_t i = 0; i < N; i++)
		seen[v[i].pt * 4 + v[i].a]++;
	for (size_t i = 0; i < N; i++)
		EXPECT_EQ_U(seen[i], 1); /* every slot exactly once */
	fill(w);
	ct_schedule_shuffle(w, N, 42, 0);
	EXPECT(memcmp(v, w, sizeof v) == 0); /* the seed and round say it all */
	fill(w);
	ct_schedule_shuffle(w, N, 42, 1);
	EXPECT(memcmp(v, w, sizeof v) != 0); /* another round, another order */
	/* Over many rounds slot (0,0) lands in each position about equally:
	 * 24000 rounds, 1000 expected per position; a count outside 800..1200
	 * is more than 6 standard deviations (sd ~31) off uniform. */
	unsigned at[N] = {0};
	for (unsigned r = 0; r < 24000; r++) {
		fill(w);
		ct_schedule_shuffle(w, N, 7, r);
		at[pos_of(w, 0, 0)]++;
	}
	for (size_t i = 0; i < N; i++)
		EXPECT(at[i] > 800 && at[i] < 1200);
}

static void extras(void)
{
	double miss[6] = {0.5, 3.0, NAN, 1.5, 1.0, 9.0};
	size_t out[6];
	EXPECT_EQ_U(ct_schedule_extra(miss, 6, 10, out), 3); /* 1.0 is on target */
	EXPECT_EQ_U(out[0], 5);
	EXPECT_EQ_U(out[1], 1);
	EXPECT_EQ_U(out[2], 3);
	EXPECT_EQ_U(ct_schedule_extra(miss, 6, 2, out), 2); /* the budget cuts the mildest */
	EXPECT_EQ_U(out[0], 5);
	EXPECT_EQ_U(out[1], 1);
	EXPECT_EQ_U(ct_schedule_extra(miss, 6, 0, out), 0);
}

int main(void)
{
	shuffles();
	extras();
	return t_finish("test_schedule");
}
