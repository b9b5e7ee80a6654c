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
	/* 9 good repetitions each, room for 18 more (--max-count 27). A slot
	 * needs ceil(1.25 x 9 x miss^2) - 9 more: 1.1 -> ceil(13.61) - 9 = 5,
	 * 1.5 -> ceil(25.31) - 9 = 17, 3.0 -> 93 (past its room: none). */
	double miss[8] = {0.5, 3.0, NAN, 1.5, 1.0, 9.0, INFINITY, 1.1};
	unsigned good[8] = {9, 9, 9, 9, 9, 9, 2, 9}, room[8], give[8];
	for (size_t i = 0; i < 8; i++)
		room[i] = 18;
	/* A budget for every slot that misses (1, 3, 5, 6, 7): each its room. */
	EXPECT_EQ_U(ct_schedule_extra(miss, good, room, 8, 90, give), 5 * 18);
	unsigned all[8] = {0, 18, 0, 18, 0, 18, 18, 18};
	for (size_t i = 0; i < 8; i++)
		EXPECT_EQ_U(give[i], all[i]);
	/* One short of it: the predicted need, where it fits. */
	EXPECT_EQ_U(ct_schedule_extra(miss, good, room, 8, 89, give), 18 + 5 + 17);
	unsigned want[8] = {0, 0, 0, 17, 0, 0, 18, 5};
	for (size_t i = 0; i < 8; i++)
		EXPECT_EQ_U(give[i], want[i]);
	/* The budget: no CI first, then the cheapest; one that does not fit
	 * whole gets none (a part would not reach the target either). */
	EXPECT_EQ_U(ct_schedule_extra(miss, good, room, 8, 25, give), 18 + 5);
	EXPECT_EQ_U(give[3], 0);
	EXPECT_EQ_U(ct_schedule_extra(miss, good, room, 8, 10, give), 10);
	EXPECT_EQ_U(give[6], 10);
	EXPECT_EQ_U(give[7], 0);
	EXPECT_EQ_U(ct_schedule_extra(miss, good, room, 8, 0, give), 0);
	/* Room: 17 needed but 16 left is out of reach; a slot with none left
	 * gets none, even without a CI. */
	room[3] = 16;
	room[6] = 0;
	EXPECT_EQ_U(ct_schedule_extra(miss, good, room, 8, 60, give), 5);
	EXPECT_EQ_U(give[3], 0);
	EXPECT_EQ_U(give[6], 0);
	/* Just past the target: ceil(1.25 x 9 x 1.0201) - 9 = 3. */
	double near[1] = {1.01};
	unsigned g1[1] = {9}, r1[1] = {18}, o1[1];
	EXPECT_EQ_U(ct_schedule_extra(near, g1, r1, 1, 17, o1), 3);
}

int main(void)
{
	shuffles();
	extras();
	return t_finish("test_schedule");
}
