/* test_stats.c — median, its distribution-free CI, calibration arithmetic. */
#include "hist.h"
#include "runner.h"
#include "schedule.h"
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

/* P(Binomial(n, 1/2) <= k), by Pascal's triangle (independent of stats.c). */
static double binom_cdf(unsigned n, unsigned k)
{
	double row[128] = {1};
	for (unsigned i = 1; i <= n; i++)
		for (unsigned j = i; j >= 1; j--)
			row[j] = (row[j] + row[j - 1]) / 2, row[0] /= (j == 1 ? 2 : 1);
	double c = 0;
	for (unsigned j = 0; j <= k && j <= n; j++)
		c += row[j];
	return c;
}

static void ci_coverage(void)
{
	/* For every n from 6 to 100 the interval x(k)..x(n+1-k) covers >= 95%
	 * and is the tightest such pair: x(k+1)..x(n-k) would cover < 95%.
	 * With x(i) = i - 1, lo is k - 1. Coverage 1 - 2 P(B <= k-1). */
	double x[100];
	for (int i = 0; i < 100; i++)
		x[i] = i;
	for (unsigned n = 6; n <= 100; n++) {
		ct_summary_t s;
		ct_summarize(x, n, &s);
		unsigned k = (unsigned)s.lo + 1;
		EXPECT(s.has_ci && s.hi == n - k);
		double cover = 1 - 2 * binom_cdf(n, k - 1), tighter = 1 - 2 * binom_cdf(n, k);
		EXPECT_GE_D(cover, 0.95);
		EXPECT(tighter < 0.95);
		EXPECT(fabs(s.conf - cover) < 1e-9);
	}
}

/* Lognormal noise around a known median of 1 (Box-Muller, fixed seed). */
static double noisy(uint64_t *st, double sigma)
{
	*st = *st * 6364136223846793005ull + 1442695040888963407ull;
	double u1 = ((double)(*st >> 11) + 0.5) / 9007199254740992.0;
	*st = *st * 6364136223846793005ull + 1442695040888963407ull;
	double u2 = ((double)(*st >> 11) + 0.5) / 9007199254740992.0;
	return exp(sigma * sqrt(-2 * log(u1)) * cos(6.283185307179586 * u2));
}

enum rule { ALL_MORE, PREDICTED, SEQUENTIAL };

/* Coverage of the true median (1) over 20 000 simulated points for a rule
 * of extra repetitions after 12 base ones, up to 36 in all: ALL_MORE, a
 * single look after the base, a point whose CI misses gets all 24 more;
 * PREDICTED, the study's single look (ct_schedule_extra) when its budget
 * is short: as many as its width predicts, none when they pass 36; SEQUENTIAL, one more at a time
 * while the CI is wider than the target. */
static double rule_coverage(uint64_t *st, double sigma, enum rule rule, unsigned *extended)
{
	unsigned trials = 20000, covered = 0;
	*extended = 0;
	for (unsigned t = 0; t < trials; t++) {
		double v[36];
		size_t n = 0, stop = 12;
		ct_summary_t s;
		while (n < 12)
			v[n++] = noisy(st, sigma);
		ct_summarize(v, n, &s);
		double miss = ct_ci_pct(&s) / 5;
		if (rule == ALL_MORE && miss > 1)
			stop = 36;
		if (rule == PREDICTED) {
			/* a budget short of the room, as in a study with many
			 * wide points */
			unsigned good = 12, room = 24, give = 0;
			ct_schedule_extra(&miss, &good, &room, 1, 23, &give);
			stop = 12 + give;
		}
		while (n < stop || (rule == SEQUENTIAL && n < 36 && ct_ci_pct(&s) > 5)) {
			v[n++] = noisy(st, sigma);
			ct_summarize(v, n, &s);
		}
		*extended += n > 12;
		covered += s.lo <= 1 && 1 <= s.hi;
	}
	return (double)covered / trials;
}

/* The study's rule (driver.c) is a single look: stopping as soon as the
 * interval happens to be narrow favours narrow intervals and loses
 * coverage — the simulation shows the sequential rule below 95% here (it
 * is kept as the check that the simulation can see the difference), the
 * single looks at or above it. A binomial 95% band of 20 000 trials is
 * about ±0.3%; noise levels put the base CI near, above and well above
 * ±5%. */
static void adaptive_coverage(void)
{
	uint64_t st = 2024;
	double worst_seq = 1;
	for (int sig = 0; sig < 4; sig++) {
		double sigma = (double[]){0.03, 0.05, 0.06, 0.12}[sig];
		unsigned ext, ext_pred, ext_seq;
		double once = rule_coverage(&st, sigma, ALL_MORE, &ext);
		double pred = rule_coverage(&st, sigma, PREDICTED, &ext_pred);
		double seq = rule_coverage(&st, sigma, SEQUENTIAL, &ext_seq);
		worst_seq = seq < worst_seq ? seq : worst_seq;
		fprintf(stderr,
			"  sigma %.2f: all more %.4f (%u extended), predicted %.4f (%u), "
			"sequential %.4f\n",
			sigma, once, ext, pred, ext_pred, seq);
		EXPECT_GE_D(once, 0.95);
		EXPECT_GE_D(pred, 0.95);
	}
	EXPECT(worst_seq < 0.95);
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
	adaptive_coverage();
	prediction();
	return t_finish("test_stats");
}
