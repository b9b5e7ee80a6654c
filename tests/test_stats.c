/* test_stats.c — median, its distribution-free CI, calibration arithmetic. */
#include "hist.h"
#include "runner.h"
#include "stats.h"
#include "test.h"

static void summaries(void)
{
	ct_summary_t s;
	double odd[] = {5, 1, 3};
	ct_summarize(odd, 3, &s);
	EXPECT_EQ_D(s.median, 3);
	EXPECT(!s.has_ci); /* fewer than 6 samples */
	EXPECT_EQ_D(ct_ci_pct(&s), -1);
	double even[] = {4, 1, 3, 2};
	ct_summarize(even, 4, &s);
	EXPECT_EQ_D(s.median, 2.5);
	EXPECT_EQ_D(s.mean, 2.5);

	double six[] = {10, 12, 11, 13, 9, 14};
	ct_summarize(six, 6, &s);
	EXPECT(s.has_ci);
	EXPECT_EQ_D(s.lo, 9); /* n=6: x(1)..x(6), coverage 1 - 2/64 */
	EXPECT_EQ_D(s.hi, 14);
	EXPECT_EQ_D(s.conf, 1 - 2.0 / 64);
	EXPECT_EQ_D(s.median, 11.5);

	double nine[] = {1, 2, 3, 4, 5, 6, 7, 8, 100};
	ct_summarize(nine, 9, &s);
	EXPECT(s.has_ci);
	EXPECT_EQ_D(s.lo, 2); /* n=9: x(2)..x(8): the outlier is outside */
	EXPECT_EQ_D(s.hi, 8);
	EXPECT_GE_D(s.conf, 0.95);
	EXPECT_EQ_D(ct_ci_pct(&s), 60); /* (8-5)/5 */

	ct_summarize(NULL, 0, &s);
	EXPECT_EQ_U(s.n, 0);
}

static void ci_coverage(void)
{
	/* For every n from 6 to 60 the interval must cover >= 95% and be the
	 * tightest such order-statistic pair. */
	double x[60];
	for (int i = 0; i < 60; i++)
		x[i] = i;
	for (size_t n = 6; n <= 60; n++) {
		ct_summary_t s;
		ct_summarize(x, n, &s);
		EXPECT(s.has_ci && s.conf >= 0.95 && s.conf < 1);
		EXPECT(s.lo <= s.median && s.median <= s.hi);
	}
}

static void prediction(void)
{
	/* Go's rule: goal/observed rate +20%, at most 100x, at least +1. */
	EXPECT_EQ_U(ct_predict_iters(1000000, 100, 1000), 10000);   /* capped at 100x */
	EXPECT_EQ_U(ct_predict_iters(1000000, 1000, 500000), 2400); /* 2x +20% */
	EXPECT_EQ_U(ct_predict_iters(1000, 1000, 1000000), 1001);   /* at least +1 */
	EXPECT_EQ_U(ct_predict_iters(1000000, 1, 0), 100);          /* 0 ns counts as 1 */
	EXPECT_EQ_U(ct_predict_iters(UINT64_MAX / 2, CT_MAX_ITERS / 2, 1), CT_MAX_ITERS);
}

static void histogram(void)
{
	static ct_hist_t h, h2;
	for (int i = 1; i <= 1000; i++)
		ct_hist_add(&h, i); /* 1..1000 ns */
	EXPECT_EQ_U(h.n, 1000);
	EXPECT_EQ_D(h.max, 1000);
	/* within one bucket (9%) of the true quantile */
	double q50 = ct_hist_quantile(&h, 0.5), q99 = ct_hist_quantile(&h, 0.99);
	EXPECT(q50 > 500 / 1.1 && q50 < 500 * 1.1);
	EXPECT(q99 > 990 / 1.1 && q99 <= 1000);
	EXPECT_EQ_D(ct_hist_quantile(&h, 1.0), 1000); /* never above the maximum */
	ct_hist_add(&h2, 0.3); /* sub-ns batch means are kept, not clamped to 1 ns */
	EXPECT(ct_hist_quantile(&h2, 0.5) <= 0.3 + 1e-12);
	ct_hist_merge(&h2, &h);
	EXPECT_EQ_U(h2.n, 1001);
	EXPECT_EQ_D(h2.max, 1000);
	static ct_hist_t empty;
	EXPECT_EQ_D(ct_hist_quantile(&empty, 0.5), 0);
}

int main(void)
{
	histogram();
	summaries();
	ci_coverage();
	prediction();
	return t_finish("test_stats");
}
