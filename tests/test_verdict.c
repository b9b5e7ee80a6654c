/* test_verdict.c — the verdict rules on synthetic samples with known truth.
 *
 * Each point's two samples are drawn (seeded) as level x exp(sigma z), z
 * standard normal, so the true ratio of a point is what the test sets:
 * equal (1), 3% apart (1.03), 30% apart (1.30 or 1/1.30), over 1, 4 and 13
 * sizes. Against the claim "ratio > 1" with the default 5% margin the
 * outcome each truth must give is written down from the rules, not computed:
 * equal and 3% apart are EQUAL (no practical difference), 1.30 HOLDS,
 * 1/1.30 FAILS, and a noisy 3% is INCONCLUSIVE. Then the error rates over
 * many draws at the least favourable truths (ratios exactly on a margin's
 * edge): FAILS and HOLDS each wrongly in at most 5% of the draws, where 13
 * separate 95% intervals would say FAILS far more often.
 * Last, how the numbers are printed, against strings written by hand. */
#include "abstats.h"
#include "test.h"
#include "verdict.h"

#include <stdint.h>
#include <string.h>

#define EXPECT_NEAR(a, b, tol)                                                                   \
	do {                                                                                     \
		double _a = (a), _b = (b);                                                       \
		t_checks++;                                                                      \
		if (!(fabs(_a - _b) <= (tol)))                                                   \
			T_FAIL_AT("%s ~ %s: %.10g != %.10g", #a, #b, _a, _b);                    \
	} while (0)

#define MAXK 13
#define MAXN 40

/* ---------------------------------------------------------------- samples */

static uint64_t rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static double uniform(uint64_t *s) /* (0, 1) */
{
	return ((double)(rng_next(s) >> 11) + 0.5) / 9007199254740992.0;
}

static double normal(uint64_t *s) /* Box–Muller */
{
	return sqrt(-2 * log(uniform(s))) * cos(2 * M_PI * uniform(s));
}

typedef struct {
	double num[MAXK][MAXN], den[MAXK][MAXN];
	ct_samples_t s[MAXK];
	ct_claim_pt_t pts[MAXK];
	ct_vrow_t row;
} draw_t;

/* k points of n repetitions each with true ratios truth[0..k), judged. */
static ct_verdict_t judge(draw_t *d, const ct_claim_t *c, double margin, const double *truth,
			  size_t k, size_t n, double sigma, uint64_t *rng)
{
	for (size_t i = 0; i < k; i++) {
		double level = 100 * (1 + (double)i); /* sizes differ in level, not in ratio */
		for (size_t j = 0; j < n; j++) {
			d->num[i][j] = level * truth[i] * exp(sigma * normal(rng));
			d->den[i][j] = level * exp(sigma * normal(rng));
		}
		d->s[i] = (ct_samples_t){d->num[i], d->den[i], n, n};
	}
	d->row = (ct_vrow_t){.claim = c, .pts = d->pts};
	if (ct_vrow_judge(&d->row, margin, d->s, k))
		return CT_V_NA;
	return d->row.v;
}

static void fill(double *t, size_t k, double v)
{
	for (size_t i = 0; i < k; i++)
		t[i] = v;
}

static const ct_claim_t above = {.id = "T", .test = CT_T_ABOVE, .lo = 1, .hi = 0,
				 .q = CT_Q_HEAP_STACK, .workload = "w"};

/* ---------------------------------------------------------------- outcomes */

/* In how many of draws rows the outcome is want. */
static unsigned how_often(ct_verdict_t want, double margin, double truth, size_t k, size_t n,
			  double sigma, unsigned draws, uint64_t seed)
{
	static draw_t d;
	double t[MAXK];
	fill(t, k, truth);
	unsigned hits = 0;
	for (unsigned i = 0; i < draws; i++)
		hits += judge(&d, &above, margin, t, k, n, sigma, &seed) == want;
	return hits;
}

#define EXPECT_MOSTLY(want, margin, truth, k, n, sigma)                                          \
	do {                                                                                     \
		unsigned _h = how_often(want, margin, truth, k, n, sigma, 50, 1000 + (k));        \
		t_checks++;                                                                      \
		if (_h < 48)                                                                     \
			T_FAIL_AT("truth %g, %d sizes, sigma %g, margin %g: %s in %u of 50 draws", \
				  truth, (int)(k), sigma, margin, ct_verdict_name(want), _h);    \
	} while (0)

static void each_outcome(void)
{
	static const size_t ks[] = {1, 4, 13};
	for (size_t i = 0; i < 3; i++) {
		size_t k = ks[i];
		EXPECT_MOSTLY(CT_V_EQUAL, 0.05, 1.0, k, 10, 0.01);
		EXPECT_MOSTLY(CT_V_EQUAL, 0.05, 1.03, k, 10, 0.01); /* clear, but not practical */
		EXPECT_MOSTLY(CT_V_HOLDS, 0.05, 1.30, k, 10, 0.01);
		EXPECT_MOSTLY(CT_V_FAILS, 0.05, 1 / 1.30, k, 10, 0.01);
		EXPECT_MOSTLY(CT_V_HOLDS, 0.01, 1.03, k, 10, 0.003); /* a 1% margin: 3% holds */
		EXPECT_MOSTLY(CT_V_INCONCLUSIVE, 0.05, 1.03, k, 10, 0.30);
		EXPECT_MOSTLY(CT_V_HOLDS, 0.05, 1.30, k, 10, 0.07); /* 13 sizes: no wider CIs */
	}
	/* 5 + 5 repetitions give a 95% interval but none at 99.6%: enough to hold at
	 * each of 13 sizes, too few to say that some size of 13 fails */
	EXPECT_MOSTLY(CT_V_HOLDS, 0.05, 1.30, 13, 5, 0.01);
	EXPECT_MOSTLY(CT_V_INCONCLUSIVE, 0.05, 1 / 1.30, 13, 5, 0.01);
	EXPECT_MOSTLY(CT_V_FAILS, 0.05, 1 / 1.30, 1, 5, 0.01);
}

/* Rows of several sizes: which sizes carry the verdict. */
static void mixed_rows(void)
{
	static draw_t d;
	uint64_t rng = 7;
	double t[MAXK];
	fill(t, 4, 1.30);
	t[2] = 1.0;
	EXPECT_STR(ct_verdict_name(judge(&d, &above, 0.05, t, 4, 10, 0.01, &rng)), "EQUAL");
	EXPECT_EQ_U(d.row.nv[CT_V_HOLDS], 3);
	EXPECT(d.pts[2].v == CT_V_EQUAL && d.row.decisive == 2);
	EXPECT_NEAR(d.row.conf, 0.9875, 1e-12); /* 1 - 0.05/4 */

	fill(t, 13, 1.30);
	t[5] = 1 / 1.30;
	t[9] = 1.0;
	EXPECT_STR(ct_verdict_name(judge(&d, &above, 0.05, t, 13, 10, 0.01, &rng)), "FAILS");
	EXPECT_EQ_U(d.row.nv[CT_V_FAILS], 1);
	EXPECT_EQ_U(d.row.nv[CT_V_EQUAL], 1);
	EXPECT_EQ_U(d.row.nv[CT_V_HOLDS], 11);
	EXPECT(d.row.decisive == 5);
	EXPECT_NEAR(d.row.conf, 1 - 0.05 / 13, 1e-12);

	fill(t, 13, 1.30);
	EXPECT_STR(ct_verdict_name(judge(&d, &above, 0.05, t, 13, 10, 0.01, &rng)), "HOLDS");
	EXPECT_EQ_U(d.row.nv[CT_V_HOLDS], 13);

	/* an undecided row shows a point that keeps it from holding */
	fill(t, 4, 1.10);
	unsigned undecided = 0;
	for (int i = 0; i < 200; i++) {
		if (judge(&d, &above, 0.05, t, 4, 10, 0.05, &rng) != CT_V_INCONCLUSIVE)
			continue;
		undecided++;
		EXPECT(d.row.decisive >= 0 && d.pts[d.row.decisive].v_each != CT_V_HOLDS);
	}
	EXPECT(undecided > 20);
}

/* ---------------------------------------------------------------- error rates */

#define DRAWS 400

/* Draws (of DRAWS) in which the row's outcome is the wrong one, bad, for
 * true ratios t[0..k). naive counts the draws where plain 95% intervals
 * would have said FAILS at some size. */
static unsigned wrong(ct_verdict_t bad, const double *t, size_t k, unsigned *naive)
{
	static draw_t d;
	uint64_t rng = 42;
	unsigned n = 0;
	*naive = 0;
	for (unsigned i = 0; i < DRAWS; i++) {
		n += judge(&d, &above, 0.05, t, k, 10, 0.03, &rng) == bad;
		bool any = false;
		for (size_t s = 0; s < k; s++) {
			ct_ratio_t r;
			ct_ratio_ci(d.num[s], 10, d.den[s], 10, 0.95, &r);
			any = any || r.hi < 1 / 1.05;
		}
		*naive += any;
	}
	return n;
}

/* The least favourable truths: for "fails at some size", every size on the
 * FAILS edge (1/1.05); for "holds at every size", one size on the HOLDS
 * edge (1.05) and every other clearly holding (1.30). */
static void error_rates(void)
{
	static const size_t ks[] = {1, 4, 13};
	for (size_t i = 0; i < 3; i++) {
		size_t k = ks[i];
		double t[MAXK];
		unsigned naive, ignored;
		fill(t, k, 1 / 1.05);
		unsigned nf = wrong(CT_V_FAILS, t, k, &naive);
		fill(t, k, 1.30);
		t[k / 2] = 1.05;
		unsigned nh = wrong(CT_V_HOLDS, t, k, &ignored);
		printf("truth on a margin's edge at %2zu sizes: wrongly FAILS in %3u of %d draws "
		       "(plain 95%% intervals: %3u), wrongly HOLDS in %3u\n", k, nf, DRAWS, naive, nh);
		EXPECT(nf <= DRAWS / 20);
		EXPECT(nh <= DRAWS / 20);
		if (k == 13)
			EXPECT(naive > DRAWS / 10); /* the check on nf could fail */
	}
	/* equal and 3% apart: never FAILS */
	EXPECT_EQ_U(how_often(CT_V_FAILS, 0.05, 1.0, 13, 10, 0.03, DRAWS, 5), 0);
	EXPECT_EQ_U(how_often(CT_V_FAILS, 0.05, 1.03, 13, 10, 0.03, DRAWS, 6), 0);
}

/* ---------------------------------------------------------------- printing */

static void printing(void)
{
	const ct_claim_t range = {.test = CT_T_WITHIN, .lo = 2, .hi = 10};
	char b[128];
#define F(c, m, v, l, h, want)                                                                   \
	do {                                                                                     \
		ct_fmt_ratio_ci(&(c), m,                                                         \
				&(ct_ratio_t){.ratio = (v), .lo = (l), .hi = (h), .has_ci = true},  \
				b, sizeof b);                                                    \
		EXPECT_STR(b, want);                                                             \
	} while (0)
	F(above, 0.05, 1.5, 1.0039, 1.6, "1.50x [1.004, 1.60]");   /* not "1.00" */
	F(above, 0.05, 1.02, 1.0039, 1.03, "+2.0% [+0.4%, +3.0%]"); /* near 1: percent */
	F(above, 0, 1.0, 0.9996, 1.0004, "+0.0% [-0.04%, +0.04%]");
	F(above, 0.05, 1.0, 0.95, 1.049, "+0.0% [-5.0%, +4.9%]");
	F(above, 0.05, 1.0, 0.9523, 1.04, "+0.0% [-4.8%, +4.0%]");  /* below 1/1.05 = 0.95238 */
	F(above, 0.05, 1.0, 0.9524, 1.04, "+0.0% [-4.76%, +4.0%]"); /* above it */
	F(above, 0.05, 0.8, 0.748, 0.861, "0.800x [0.748, 0.861]");
	F(above, 0.05, 11.4, 8.14, 12.5, "11.4x [8.14, 12.5]");
	F(range, 0.05, 2.1, 1.9999, 2.21, "2.10x [1.9999, 2.21]");
	F(range, 0.05, 2.1, 2.09999, 2.2, "2.10x [2.09999, 2.20]"); /* below 2 x 1.05 */
	ct_fmt_ratio_ci(&above, 0.05, &(ct_ratio_t){.ratio = 1.5}, b, sizeof b);
	EXPECT_STR(b, "1.50x");
#undef F
}

#ifdef CT_SANITIZED
static const bool sanitized = true;
#else
static const bool sanitized = false;
#endif

int main(int argc, char **argv)
{
	bool quick = sanitized || (argc > 1 && strcmp(argv[1], "quick") == 0);
	each_outcome();
	mixed_rows();
	/* 2,400 more draws through the same code as above: minutes under TSan,
	 * and rates that a sanitizer cannot change */
	if (quick)
		puts("error rates: left to the plain native build");
	else
		error_rates();
	printing();
	return t_finish("test_verdict");
}
