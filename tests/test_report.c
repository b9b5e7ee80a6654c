/* test_report.c — `contend report` and `contend compare` pieces on data with
 * known answers: the Mann–Whitney U test against published and hand-derived
 * values, the ratio interval, the verdict rules, the tolerant readers of
 * results.csv and machine.json, and the verdict table of a synthetic study
 * built so that every claim HOLDS for one allocator, FAILS for another and
 * is EQUAL (1 thread) or INCONCLUSIVE (2 threads) for a third.
 *
 *   test_report                 the unit checks
 *   test_report gen DIR KIND    write a synthetic results directory for
 *                               test_report.sh: KIND is known, shifted,
 *                               partial, latency, big (10 000 rows),
 *                               wide (4 allocators, 1-16 threads, noisy)
 *                               or wide2 (the same on a quiet machine) */
#include "abstats.h"
#include "gocmp.h"
#include "resultsdb.h"
#include "test.h"
#include "units.h"
#include "verdict.h"

#include <errno.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#define KiB 1024ull

/* ---------------------------------------------------------------- Mann–Whitney */

#define EXPECT_NEAR(a, b, tol)                                                                   \
	do {                                                                                     \
		double _a = (a), _b = (b);                                                       \
		t_checks++;                                                                      \
		if (!(fabs(_a - _b) <= (tol)))                                                   \
			T_FAIL_AT("%s ~ %s: %.10g != %.10g", #a, #b, _a, _b);                    \
	} while (0)

/* P(U <= u) by enumerating every way to place n x's among n + m ranks. */
static double brute_cdf(unsigned n, unsigned m, unsigned u)
{
	unsigned long long hit = 0, all = 0;
	for (unsigned mask = 0; mask < (1u << (n + m)); mask++) {
		if ((unsigned)__builtin_popcount(mask) != n)
			continue;
		unsigned U = 0, ys_below = 0; /* U of x: pairs with x above y */
		for (unsigned r = 0; r < n + m; r++) {
			if (mask >> r & 1)
				U += ys_below;
			else
				ys_below++;
		}
		all++;
		hit += U <= u;
	}
	return (double)hit / (double)all;
}

/* Two-sided p of x against y by enumerating which n of the pooled values
 * are x's, each pooled value keeping its midrank: the permutation test with
 * ties, counted independently of abstats.c (N <= 20). */
static double brute_tied_p(const double *x, unsigned n, const double *y, unsigned m)
{
	unsigned N = n + m;
	double v[20] = {0}, r2[20] = {0};
	for (unsigned i = 0; i < N; i++)
		v[i] = i < n ? x[i] : y[i - n];
	for (unsigned i = 0; i < N; i++) { /* doubled midrank: 2 (#below) + (#equal) + 1 */
		unsigned below = 0, eq = 0;
		for (unsigned k = 0; k < N; k++) {
			below += v[k] < v[i];
			eq += v[k] == v[i];
		}
		r2[i] = 2.0 * below + eq + 1;
	}
	double obs = 0;
	for (unsigned i = 0; i < n; i++)
		obs += r2[i];
	unsigned long long lo = 0, hi = 0, all = 0;
	for (unsigned mask = 0; mask < (1u << N); mask++) {
		if ((unsigned)__builtin_popcount(mask) != n)
			continue;
		double s = 0;
		for (unsigned i = 0; i < N; i++)
			s += (mask >> i & 1) ? r2[i] : 0;
		all++;
		lo += s <= obs;
		hi += s >= obs;
	}
	double p = 2.0 * (double)(lo < hi ? lo : hi) / (double)all;
	return p < 1 ? p : 1;
}

/* Small integers: many ties, within and across the samples. */
static void tied_sample(uint64_t *seed, double *v, unsigned n, unsigned range, unsigned shift)
{
	for (unsigned i = 0; i < n; i++) {
		*seed = *seed * 6364136223846793005ull + 1442695040888963407ull;
		v[i] = (double)((*seed >> 33) % range + shift);
	}
}

/* Ties: the exact p against enumeration; the ratio interval excludes 1
 * exactly when p < 0.05, and holds the Hodges–Lehmann estimate. */
static void ties_agree(void)
{
	uint64_t seed = 12345;
	unsigned agree = 0, rejected = 0, withci = 0, trials = 400;
	for (unsigned t = 0; t < trials; t++) {
		unsigned n = 3 + t % 6, m = 3 + (t / 6) % 6;
		double x[10], y[10];
		tied_sample(&seed, x, n, 5, 1);
		tied_sample(&seed, y, m, 5, 1 + t % 4);
		ct_mwu_t u;
		ct_mwu(x, n, y, m, &u);
		EXPECT_NEAR(u.p, brute_tied_p(x, n, y, m), 1e-12);
		ct_ratio_t r;
		EXPECT(ct_ratio_ci(y, m, x, n, 0.95, &r) == 0);
		if (!r.has_ci)
			continue;
		bool excludes = r.lo > 1 || r.hi < 1;
		withci++;
		agree += excludes == (u.p < 0.05);
		rejected += u.p < 0.05;
		if (excludes != (u.p < 0.05))
			fprintf(stderr, "  trial %u: p %.4f, CI [%.4f, %.4f]\n", t, u.p, r.lo, r.hi);
		EXPECT(r.lo <= r.hl && r.hl <= r.hi);
	}
	EXPECT_EQ_U(agree, withci); /* the disagreements are listed above */
	EXPECT(rejected > 20 && withci - rejected > 20); /* tested on both sides */
}

/* ---- the shift interval against a brute force that forms every difference */

typedef struct {
	int rc;
	double lo, hi, hl;
} shift_t;

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Whole numbers only: then y - c is exact for every candidate c (whole or
 * half), so the plain test of x against y - c is the test at shift c. */
static bool accepted_at(const double *x, unsigned n, const double *y, unsigned m, double c,
			double alpha)
{
	double ys[200];
	for (unsigned j = 0; j < m; j++)
		ys[j] = y[j] - c;
	ct_mwu_result_t r;
	ct_mwu_test(x, n, ys, m, &r);
	return r.p >= alpha;
}

/* Every difference sorted, every candidate tried, the accepted run walked
 * outward from the difference at or below the median; 0 on the side the
 * test at 0 says. */
static shift_t brute_shift(const double *x, unsigned n, const double *y, unsigned m, double alpha)
{
	static double d[200 * 200], cand[2 * 200 * 200 + 1];
	size_t nm = (size_t)n * m, q = 0, k = 0;
	for (unsigned j = 0; j < m; j++)
		for (unsigned i = 0; i < n; i++)
			d[k++] = y[j] - x[i];
	qsort(d, nm, sizeof *d, cmp_d);
	shift_t s = {.hl = nm % 2 ? d[nm / 2] : (d[nm / 2 - 1] + d[nm / 2]) / 2};
	for (k = 0; k < nm; k++)
		if (q == 0 || d[k] != d[q - 1])
			d[q++] = d[k];
	cand[0] = d[0] - (fabs(d[0]) + 1);
	cand[2 * q] = d[q - 1] + fabs(d[q - 1]) + 1;
	for (k = 0; k < q; k++) {
		cand[2 * k + 1] = d[k];
		if (k)
			cand[2 * k] = (d[k - 1] + d[k]) / 2;
	}
	size_t c = 1;
	while (c + 2 < 2 * q && cand[c + 2] <= s.hl)
		c += 2;
	if (!accepted_at(x, n, y, m, cand[c], alpha) || accepted_at(x, n, y, m, cand[0], alpha) ||
	    accepted_at(x, n, y, m, cand[2 * q], alpha))
		return s;
	size_t lo = c, hi = c;
	while (accepted_at(x, n, y, m, cand[lo - 1], alpha))
		lo--;
	while (accepted_at(x, n, y, m, cand[hi + 1], alpha))
		hi++;
	s.rc = 1;
	s.lo = lo % 2 ? cand[lo] : nextafter(cand[lo - 1], INFINITY);
	s.hi = hi % 2 ? cand[hi] : nextafter(cand[hi + 1], -INFINITY);
	bool in0 = accepted_at(x, n, y, m, 0, alpha);
	if (in0 && s.lo > 0)
		s.lo = 0;
	else if (in0 && s.hi < 0)
		s.hi = 0;
	else if (!in0 && s.lo <= 0 && s.hi >= 0)
		*(s.hl > 0 ? &s.lo : &s.hi) = nextafter(0, s.hl > 0 ? INFINITY : -INFINITY);
	return s;
}

/* Ties or none, exact range or normal approximation, equal or unequal
 * sizes: the interval and estimate found without forming the differences
 * are the brute force's, to the bit. */
static void shift_ci_brute(void)
{
	uint64_t seed = 777;
	unsigned same = 0, withci = 0, trials = 160;
	for (unsigned t = 0; t < trials; t++) {
		unsigned n = 1 + t % 37, m = 1 + (t * 7) % 41, range = t % 3 ? 6 : 25;
		if (t % 10 == 0) { /* beyond the exact range; few distinct differences */
			n = 150 + t % 50;
			m = 120 + t % 80;
			range = 6;
		}
		static double x[200], y[200];
		tied_sample(&seed, x, n, range, 1);
		tied_sample(&seed, y, m, range, 1 + t % 4);
		double alpha = t % 4 ? 0.05 : 0.01;
		shift_t b = brute_shift(x, n, y, m, alpha), f;
		f.rc = ct_mwu_shift_ci(x, n, y, m, alpha, &f.lo, &f.hi, &f.hl);
		bool ok = f.rc == b.rc && f.hl == b.hl && (b.rc != 1 || (f.lo == b.lo && f.hi == b.hi));
		if (!ok)
			fprintf(stderr, "  trial %u (%u x %u): rc %d/%d hl %g/%g [%g, %g] / [%g, %g]\n",
				t, n, m, f.rc, b.rc, f.hl, b.hl, f.lo, f.hi, b.lo, b.hi);
		same += ok;
		withci += b.rc == 1;
	}
	EXPECT_EQ_U(same, trials); /* the differences are listed above */
	EXPECT(withci > trials / 2);
}

static void mann_whitney(void)
{
	ct_mwu_t u;
	/* R's ?wilcox.test example (Hollander & Wolfe 1973, p. 69): W = 35, p = 0.2544 */
	double hx[] = {0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46};
	double hy[] = {1.15, 0.88, 0.90, 0.74, 1.21};
	ct_mwu(hx, 10, hy, 5, &u);
	EXPECT_EQ_D(u.u, 35);
	EXPECT(u.exact);
	EXPECT_NEAR(u.p, 0.2544, 5e-5);

	double a[] = {1, 2, 3}, b[] = {4, 5, 6};
	ct_mwu(a, 3, b, 3, &u);
	EXPECT_EQ_D(u.u, 0);
	EXPECT_NEAR(u.p, 0.1, 1e-12); /* 2 / C(6,3) */
	double c[] = {1, 2, 3, 4, 5}, d[] = {6, 7, 8, 9, 10};
	ct_mwu(d, 5, c, 5, &u);
	EXPECT_EQ_D(u.u, 25);
	EXPECT_NEAR(u.p, 2.0 / 252, 1e-12);
	ct_mwu(c, 5, c, 5, &u); /* identical: all ties */
	EXPECT_NEAR(u.p, 1, 1e-12);

	/* ties, exact: ranks 1 2 4 4 | 4 6 7 8, x's rank sum 11 is the least any
	 * 4 of them can have, reached by {1, 2} with 2 of the 3 fours: 3 of
	 * C(8,4) = 70 ways, two-sided p = 6/70 (the normal approximation said
	 * 0.0545) */
	double tx[] = {1, 2, 3, 3}, ty[] = {3, 4, 5, 6};
	ct_mwu(tx, 4, ty, 4, &u);
	EXPECT(u.exact);
	EXPECT_EQ_D(u.u, 1);
	EXPECT_NEAR(u.p, 6.0 / 70, 1e-12);

	for (unsigned uu = 0; uu <= 20; uu++)
		EXPECT_NEAR(ct_mwu_cdf(4, 5, uu), brute_cdf(4, 5, uu), 1e-12);
	EXPECT_NEAR(ct_mwu_cdf(7, 6, 13), brute_cdf(7, 6, 13), 1e-12);
	/* large samples use the normal approximation: symmetric, median at nm/2 */
	EXPECT_NEAR(ct_mwu_cdf(40, 40, 799.5) + ct_mwu_cdf(40, 40, 799.5 - 1), 1, 0.02);
	ct_mwu(NULL, 0, a, 3, &u);
	EXPECT_EQ_D(u.p, 1);
}

static void ratio_ci(void)
{
	double x[9], y[9];
	for (int i = 0; i < 9; i++) {
		x[i] = 10 * (i + 1);
		y[i] = 2 * x[i];
	}
	ct_ratio_t r;
	EXPECT(ct_ratio_ci(y, 9, x, 9, 0.95, &r) == 0);
	EXPECT_NEAR(r.ratio, 2, 1e-12);
	EXPECT_NEAR(r.hl, 2, 1e-12);
	EXPECT(r.has_ci && r.lo < 2 && r.hi > 2);
	EXPECT_GE_D(r.conf, 0.95);
	/* n = m = 9: the 18th smallest and largest of the 81 log-ratios;
	 * coverage counted by enumeration of all C(18, 9) placements */
	EXPECT_NEAR(r.conf, 1 - 2 * brute_cdf(9, 9, 17), 1e-12);
	/* the 18th smallest and largest of 2a/b, a, b = 1..9 (listed by hand):
	 * 1 and 4 — tied with other ratios, so the closed ends hold */
	EXPECT_NEAR(r.lo, 1, 1e-9);
	EXPECT_NEAR(r.hi, 4, 1e-9);

	double far[] = {100, 101, 102, 103}, near[] = {10, 11, 12, 13};
	EXPECT(ct_ratio_ci(far, 4, near, 4, 0.95, &r) == 0);
	EXPECT(r.has_ci); /* n = m = 4: P(U = 0) = 1/70 < 2.5% */
	EXPECT_NEAR(r.lo, 100.0 / 13, 1e-9);
	EXPECT_NEAR(r.hi, 103.0 / 10, 1e-9);
	EXPECT(ct_ratio_ci(far, 3, near, 3, 0.95, &r) == 0);
	EXPECT(!r.has_ci); /* n = m = 3: P(U = 0) = 1/20 > 2.5% */
	double zero[] = {0, 1, 2, 3};
	EXPECT(ct_ratio_ci(far, 4, zero, 4, 0.95, &r) == 0);
	EXPECT(!r.has_ci);
}


static bool same_ratio(const ct_ratio_t *a, const ct_ratio_t *b)
{
	return a->ratio == b->ratio && a->hl == b->hl && a->lo == b->lo && a->hi == b->hi &&
	       a->has_ci == b->has_ci && a->conf == b->conf;
}

/* A large interval is kept and handed out again for the same samples:
 * the second answer is the first, and other samples are computed afresh. */
static void ratio_ci_memo(void)
{
	enum { N = 300 }; /* N*N above the size that is kept */
	static double x[N], y[N];
	for (int i = 0; i < N; i++) {
		x[i] = 100 + (i * 37) % 101;
		y[i] = 1.5 * (100 + (i * 53) % 97);
	}
	ct_ratio_t a, b, c;
	EXPECT(ct_ratio_ci(y, N, x, N, 0.95, &a) == 0);
	EXPECT(ct_ratio_ci(y, N, x, N, 0.95, &b) == 0);
	EXPECT(same_ratio(&a, &b));
	EXPECT(a.has_ci && a.lo < a.hl && a.hl < a.hi);
	for (int i = 0; i < N; i++)
		y[i] *= 2; /* exact: every figure of the ratio doubles */
	EXPECT(ct_ratio_ci(y, N, x, N, 0.95, &c) == 0);
	EXPECT_NEAR(c.ratio, 2 * a.ratio, 1e-12);
	EXPECT_NEAR(c.hl, 2 * a.hl, 1e-9);
	for (int i = 0; i < N; i++)
		y[i] /= 2;
	EXPECT(ct_ratio_ci(y, N - 1, x, N, 0.95, &c) == 0); /* one fewer */
	EXPECT(ct_ratio_ci(y, N, x, N, 0.95, &c) == 0);
	EXPECT(same_ratio(&a, &c));
}
/* Each outcome of each kind of test, at margin 0 and at 5%; the edges
 * written out: 1/1.05 = 0.952, 2*1.05 = 2.1, 10/1.05 = 9.524, 0.9*1.05 =
 * 0.945, 1.1/1.05 = 1.048, 0.9/1.05 = 0.857, 1.1*1.05 = 1.155. */
static void judging(void)
{
	const ct_claim_t above = {.test = CT_T_ABOVE, .lo = 1};
	const ct_claim_t within = {.test = CT_T_WITHIN, .lo = 2, .hi = 10};
	const ct_claim_t outside = {.test = CT_T_OUTSIDE, .lo = 0.9, .hi = 1.1};
#define R(l, h) (&(ct_ratio_t){.has_ci = true, .lo = (l), .hi = (h)})
#define J(c, m, l, h, want) EXPECT_STR(ct_verdict_name(ct_claim_judge(&(c), m, R(l, h))), #want)
	J(above, 0, 1.1, 1.3, HOLDS);
	J(above, 0, 0.7, 0.9, FAILS);
	J(above, 0, 0.9, 1.1, INCONCLUSIVE);
	EXPECT(ct_claim_judge(&above, 0.05, &(ct_ratio_t){.has_ci = false}) == CT_V_INCONCLUSIVE);
	J(within, 0, 2.5, 9, HOLDS);
	J(within, 0, 1.1, 1.5, FAILS);
	J(within, 0, 11, 12, FAILS);
	J(within, 0, 1.8, 2.2, INCONCLUSIVE);
	J(outside, 0, 1.2, 1.5, HOLDS);
	J(outside, 0, 0.95, 1.05, FAILS);
	J(outside, 0, 1.0, 1.2, INCONCLUSIVE);

	J(above, 0.05, 1.06, 1.3, HOLDS);
	J(above, 0.05, 1.02, 1.3, INCONCLUSIVE); /* faster, maybe not in practice */
	J(above, 0.05, 1.01, 1.03, EQUAL);       /* clearly faster, by too little */
	J(above, 0.05, 0.99, 1.00, EQUAL);
	J(above, 0.05, 0.953, 1.049, EQUAL);
	J(above, 0.05, 0.9, 0.97, INCONCLUSIVE);
	J(above, 0.05, 0.7, 0.95, FAILS);
	J(within, 0.05, 2.11, 9.5, HOLDS);
	J(within, 0.05, 2.05, 3, INCONCLUSIVE);
	J(within, 0.05, 1.95, 2.05, EQUAL);
	J(within, 0.05, 9.6, 10.4, EQUAL);
	J(within, 0.05, 1.1, 1.9, FAILS);
	J(within, 0.05, 10.6, 12, FAILS);
	J(outside, 0.05, 1.16, 1.5, HOLDS);
	J(outside, 0.05, 0.5, 0.85, HOLDS);
	J(outside, 0.05, 0.95, 1.04, FAILS);
	J(outside, 0.05, 1.06, 1.15, EQUAL);
	J(outside, 0.05, 0.86, 0.94, EQUAL);
	J(outside, 0.05, 1.0, 1.2, INCONCLUSIVE);
#undef J
#undef R
}

/* ---------------------------------------------------------------- synthetic studies */

typedef struct {
	FILE *csv;
	uint64_t rng;
	bool latency;
	unsigned reps;
} gen_t;

/* Deterministic spread pattern: e in [-1, 1], the same for every sample, so
 * that two samples differing by a factor r have log-ratios symmetric
 * around log r (Hodges–Lehmann = r exactly, CI symmetric around it). */
static double pattern(unsigned rep, unsigned reps)
{
	return reps > 1 ? 2.0 * rep / (reps - 1) - 1 : 0;
}

static double jitter(gen_t *g)
{
	g->rng = g->rng * 6364136223846793005ull + 1442695040888963407ull;
	return (double)(g->rng >> 11) / 9007199254740992.0 * 2 - 1;
}

typedef struct {
	double ns, spread, minflt, vcsw;
} cell_t;

static void row(gen_t *g, const char *wl, const char *mode, uint64_t size, const char *alloc,
		unsigned threads, cell_t c)
{
	char sz[32];
	ct_format_size(size, sz, sizeof sz);
	for (unsigned r = 0; r < g->reps; r++) {
		double e = g->rng ? jitter(g) : pattern(r, g->reps);
		double ns = c.ns * (1 + c.spread * e);
		/* columns in an order of their own, and one contend does not know */
		fprintf(g->csv, "%u,%s,%s,%s,%llu,%s,%u,compact,ok,%.9g,%.9g,%.3g,%.3g,0.0001,7", r + 1,
			wl, mode, sz, (unsigned long long)size, alloc, threads, ns,
			threads * 1e9 / ns, c.minflt, c.vcsw);
		if (g->latency)
			fprintf(g->csv, ",%.6g,%.6g,%.6g", ns * 0.9, ns * 3 * threads, ns * 9 * threads);
		fputc('\n', g->csv);
	}
}

static const uint64_t smaug_sizes[] = {1 * KiB, 4 * KiB, 64 * KiB, 256 * KiB, 1024 * KiB};

/* The known study: per allocator the answer of every claim.
 *   alpha: every claim HOLDS      beta: every claim FAILS
 *   gamma: at 1 thread every ratio exactly at its threshold with a 1% spread
 *          (EQUAL: no practical difference); at 2 threads every ratio at the
 *          edge of the 5% margin, t * 1.05, with a 5% spread (INCONCLUSIVE)
 * shift multiplies alpha's heap times by (1 + shift) (for compare). */
static void gen_known(gen_t *g, double shift)
{
	for (unsigned t = 1; t <= 2; t++) {
		/* bilbo: alpha 7x; beta 7x at 1 thread and unchanged at 2 (C5 fails);
		 * gamma 1x then 1.05x, heap 1.155x slower at 2 threads (C5 at 1.1 * 1.05) */
		double ge = t == 1 ? 1 : 1.05, gs = t == 1 ? .01 : .05;
		row(g, "bilbo", "stack", 16, "alpha", t, (cell_t){2, .02, 0, 0});
		row(g, "bilbo", "heap", 16, "alpha", t, (cell_t){(t == 1 ? 14 : 21) * (1 + shift), .02, 0, 0});
		row(g, "bilbo", "stack", 16, "beta", t, (cell_t){2, .01, 0, 0});
		row(g, "bilbo", "heap", 16, "beta", t, (cell_t){14, .01, 0, 0});
		row(g, "bilbo", "stack", 16, "gamma", t, (cell_t){t == 1 ? 10 : 11, gs, 0, 0});
		row(g, "bilbo", "heap", 16, "gamma", t, (cell_t){t == 1 ? 10 : 11.55, gs, 0, t == 2 ? 0.01 : 0});
		for (size_t i = 0; i < sizeof smaug_sizes / sizeof smaug_sizes[0]; i++) {
			uint64_t s = smaug_sizes[i];
			bool big = s >= 128 * KiB;
			double st = (double)s / 10;
			row(g, "smaug", "stack", s, "alpha", t, (cell_t){st, .01, 0, 0});
			row(g, "smaug", "heap", s, "alpha", t,
			    (cell_t){st * (big ? 1.5 : 3) * (1 + shift), big ? .1 : .02, 0, 0});
			row(g, "smaug", "stack", s, "beta", t, (cell_t){st, big ? .1 : .01, 0, 0});
			row(g, "smaug", "heap", s, "beta", t,
			    (cell_t){st * (big ? 0.8 : 1.2), .01, big ? (double)s / 4096 : 0, 0});
			row(g, "smaug", "stack", s, "gamma", t, (cell_t){st, gs, 0, 0});
			row(g, "smaug", "heap", s, "gamma", t, (cell_t){st * (big ? 1 : 2) * ge, gs, 0, 0});
		}
	}
}

/* 4 allocators x 25 series x 10 thread counts x 10 repetitions = 10 000 rows. */
static void gen_big(gen_t *g)
{
	static const char *const al[] = {"glibc", "mimalloc", "tcmalloc", "jemalloc"};
	g->rng = 42;
	g->reps = 10;
	for (unsigned t = 1; t <= 10; t++)
		for (int a = 0; a < 4; a++) {
			row(g, "bilbo", "stack", 16, al[a], t, (cell_t){2, .05, 0, 0});
			row(g, "bilbo", "heap", 16, al[a], t, (cell_t){14 + a + t, .05, 0, 1e-5 * t});
			row(g, "bilbo", "control", 16, al[a], t, (cell_t){0.3, .05, 0, 0});
			for (uint64_t s = 1 * KiB; s <= 1024 * KiB; s *= 2) {
				row(g, "smaug", "stack", s, al[a], t, (cell_t){(double)s / 10, .05, 0, 0});
				row(g, "smaug", "heap", s, al[a], t,
				    (cell_t){(double)s / 8 * (1 + 0.05 * t), .05,
					     s >= 256 * KiB ? (double)s / 4096 : 0, 0});
			}
		}
}

/* A wide, noisy study: four allocators at 1-16 threads (more than the
 * machine's cores), Smaug without its large sizes (C3a/C3b cannot be
 * judged), the contention workloads, and wide spreads at 8 and 16 threads.
 * other: the second machine, slower and quieter. */
static void gen_wide(gen_t *g, bool other)
{
	static const char *const al[] = {"glibc", "mimalloc", "tcmalloc", "jemalloc"};
	static const uint64_t sz[] = {1 * KiB, 4 * KiB, 64 * KiB};
	g->rng = other ? 7 : 3;
	double k = other ? 2.5 : 1;
	for (unsigned t = 1; t <= 16; t *= 2)
		for (int a = 0; a < 4; a++) {
			double noise = other ? .03 : t >= 8 ? .6 : .05, rise = 1 + 0.4 * a * log2(t);
			row(g, "bilbo", "stack", 16, al[a], t, (cell_t){2 * k, noise, 0, 0});
			row(g, "bilbo", "heap", 16, al[a], t, (cell_t){k * 14 * rise, noise, 0, 1e-5 * t});
			for (size_t i = 0; i < sizeof sz / sizeof sz[0]; i++) {
				double st = k * (double)sz[i] / 10;
				row(g, "smaug", "stack", sz[i], al[a], t, (cell_t){st, noise, 0, 0});
				row(g, "smaug", "heap", sz[i], al[a], t, (cell_t){st * (1.5 + a) * (1 + 0.1 * t),
									  noise, 0, 0});
			}
			row(g, "churn", "heap", 64, al[a], t, (cell_t){k * 30 * rise, noise, 0, 0});
			row(g, "xfree", "remote", 64, al[a], t, (cell_t){k * 50 * rise * rise, noise, 0, 1e-4 * t});
			row(g, "xfree", "local", 64, al[a], t, (cell_t){k * 20 * rise, noise, 0, 0});
			row(g, "falseshare", "active", 64, al[a], t, (cell_t){k * 5 * (1 + 0.5 * log2(t)), noise, 0, 0});
			row(g, "falseshare", "passive", 64, al[a], t, (cell_t){k * 5, noise, 0, 0});
		}
}

static void gen_bandwidth(gen_t *g)
{
	for (uint64_t s = 1 * KiB; s <= 1024 * KiB; s *= 4)
		row(g, "bandwidth", "memcpy", s, "alpha", 1, (cell_t){(double)s / 12, .02, 0, 0});
}

/* The wide studies' machine.json: the keys the trust panel reads. noisy:
 * load at the start, unstable points, no counters, oversubscribed, a VM. */
static int write_machine_wide(const char *dir, bool noisy)
{
	char p[4200];
	snprintf(p, sizeof p, "%s/machine.json", dir);
	FILE *f = fopen(p, "w");
	if (!f)
		return -1;
	fprintf(f, "{\n  \"contend_version\": \"0.1.0\", \"started\": \"2026-01-02T03:04:05+0000\",\n"
		   "  \"complete\": true, \"load_at_start\": %s,\n"
		   "  \"os\": {\"kernel\": \"6.1\", \"arch\": \"%s\", \"governor\": \"%s\"},\n"
		   "  \"cpu\": {\"model\": \"%s\", \"cores\": %d},\n  \"counters\": \"%s\",\n"
		   "  \"plan\": {\"count\": 9, \"points\": 208, \"oversubscribed\": %s, "
		   "\"unstable_points\": %d, \"repetitions_off_their_pu\": %d}\n}\n",
		noisy ? "1.77" : "0.01", noisy ? "x86_64" : "aarch64", noisy ? "unknown" : "performance",
		noisy ? "QEMU Virtual CPU" : "Quiet ARM board", noisy ? 2 : 16,
		noisy ? "unsupported: perf_event_open(cycles): No such file or directory"
		      : "cycles,instructions,cache-misses",
		noisy ? "true" : "false", noisy ? 104 : 0, noisy ? 3 : 0);
	return fclose(f);
}

static int write_machine(const char *dir, const char *cpu, bool complete)
{
	char p[4200];
	snprintf(p, sizeof p, "%s/machine.json", dir);
	FILE *f = fopen(p, "w");
	if (!f)
		return -1;
	fprintf(f, "{\n  \"contend_version\": \"0.1.0\",\n  \"started\": \"2026-01-02T03:04:05+0000\",\n"
		   "  \"duration_s\": %s,\n  \"complete\": %s,\n"
		   "  \"os\": {\"kernel\": \"6.1\", \"arch\": \"x86_64\", \"libc\": \"2.36\"},\n"
		   "  \"cpu\": {\"model\": \"%s\", \"cores\": 2, \"l1d_bytes\": 32768},\n"
		   "  \"allocators\": [\n    {\"name\": \"alpha\", \"version\": \"1.0\", "
		   "\"environment\": [\"A=1\", \"B=\\\"q\\\"\"]},\n    {\"name\": \"beta\", \"version\": \"2.0\"},\n"
		   "    {\"name\": \"gamma\", \"version\": \"3.0\", \"verified\": true}\n  ],\n"
		   "  \"plan\": {\"benchtime\": \"10ms\", \"count\": 9, \"place\": \"compact\"}\n}\n",
		complete ? "1.5" : "0", complete ? "true" : "false", cpu);
	return fclose(f);
}

static int gen(const char *dir, const char *kind)
{
	if (mkdir(dir, 0755) && errno != EEXIST)
		return perror(dir), 1;
	char p[4200];
	snprintf(p, sizeof p, "%s/results.csv", dir);
	gen_t g = {.csv = fopen(p, "w"), .reps = 9, .latency = strcmp(kind, "latency") == 0,
		   .rng = strcmp(kind, "noisy") == 0 ? 0x243f6a8885a308d3ull : 0};
	if (!g.csv)
		return perror(p), 1;
	fputs("rep,workload,mode,size,size_bytes,alloc,threads,place,status,ns_per_op,ops_per_s,"
	      "minflt_per_op,vcsw_per_op,ivcsw_per_op,future_column", g.csv);
	fputs(g.latency ? ",p50_ns,p99_ns,p999_ns\n" : "\n", g.csv);
	bool partial = strcmp(kind, "partial") == 0;
	int wide = strcmp(kind, "wide") == 0 ? 1 : strcmp(kind, "wide2") == 0 ? 2 : 0;
	if (strcmp(kind, "big") == 0)
		gen_big(&g);
	else if (wide)
		gen_wide(&g, wide == 2);
	else
		gen_known(&g, strcmp(kind, "shifted") == 0 ? 0.25 : 0);
	if (g.latency)
		gen_bandwidth(&g);
	if (partial) /* a failed and a rejected (not concurrent) repetition, then a line cut
		      * short by the interruption */
		fputs("10,smaug,heap,1MiB,1048576,alpha,2,compact,failed,0,0,0,0,0,7\n"
		      "12,smaug,heap,1MiB,1048576,alpha,2,compact,rejected,1e9,1,0,0,0,7\n"
		      "11,smaug,heap,1MiB,1048576,al", g.csv);
	fclose(g.csv);
	snprintf(p, sizeof p, "%s/results.txt", dir);
	FILE *t = fopen(p, "w");
	if (t)
		fclose(t);
	if (wide)
		return write_machine_wide(dir, wide == 1) ? 1 : 0;
	return write_machine(dir, strcmp(kind, "shifted") == 0 ? "Other CPU" : "Synthetic CPU",
			     !partial) ? 1 : 0;
}

/* ---------------------------------------------------------------- readers, verdicts */

static void readers(const char *tmp)
{
	char dir[4200], p[4300];
	snprintf(dir, sizeof dir, "%s/known", tmp);
	EXPECT(gen(dir, "partial") == 0);
	ct_rdir_t d;
	char err[512] = "";
	EXPECT(ct_rdir_load(dir, NULL, &d, err, sizeof err) == 0);
	EXPECT_STR(err, "");
	EXPECT(!d.complete);
	EXPECT_STR(ct_rdir_kv(&d, "cpu.model"), "Synthetic CPU");
	EXPECT_STR(ct_rdir_kv(&d, "allocators[0].environment[1]"), "B=\"q\"");
	EXPECT_STR(ct_rdir_kv(&d, "plan.count"), "9");
	EXPECT_STR(ct_rdir_alloc_version(&d, "beta"), "2.0");
	EXPECT_STR(d.label, "Synthetic CPU, x86_64, 2026-01-02 03:04");
	EXPECT_EQ_U(d.nbad, 1);       /* the cut line */
	EXPECT_EQ_U(d.nfailed, 1);
	EXPECT_EQ_U(d.nrejected, 1);
	EXPECT_EQ_U(d.nrows, 2 * (6 + 30) * 9 + 2);
	EXPECT(d.has_col[CT_M_VCSW] && !d.has_col[CT_M_P50] && !d.has_col[CT_M_BYTES]);
	const ct_group_t *g = ct_rdir_find(&d, (unsigned)ct_rdir_id(&d, "smaug"),
					   (unsigned)ct_rdir_id(&d, "heap"), 1024 * KiB,
					   (unsigned)ct_rdir_id(&d, "alpha"), (unsigned)ct_rdir_id(&d, "compact"), 2);
	EXPECT(g && g->nok == 9 && g->nfailed == 1 && g->nrejected == 1);
	/* the rejected row's 1e9 ns/op is in no figure */
	for (size_t i = 0; g && i < g->nok; i++)
		EXPECT(g->v[CT_M_NS][i] < 1e9);
	EXPECT(g && isnan(g->v[CT_M_BYTES][0]));
	ct_rdir_free(&d);

	EXPECT(ct_rdir_load("/nonexistent/dir", NULL, &d, err, sizeof err) == CT_LOAD_BADARG);
	EXPECT(ct_rdir_load(tmp, NULL, &d, err, sizeof err) == CT_LOAD_BADARG); /* no results.csv */
	EXPECT(strstr(err, "no results.csv") != NULL);
	snprintf(p, sizeof p, "%s/results.csv", dir);
	EXPECT(ct_rdir_load(p, "no_such_column", &d, err, sizeof err) == CT_LOAD_BADARG);
	EXPECT(ct_rdir_load(p, "future_column", &d, err, sizeof err) == 0); /* a file, by name */
	EXPECT_EQ_D(d.rows[0].m[CT_M_EXTRA], 7);
	ct_rdir_free(&d);
}

/* The expected verdict of each claim for alpha, beta, gamma at 1 and 2
 * threads (H holds, F fails, E equal, I inconclusive, - not judged). */
static const struct {
	const char *claim;
	char v[3][2];
} expected[] = {
	{"C1", {"HH", "HH", "EI"}},  {"C2", {"HH", "FF", "EI"}}, {"C3a", {"HH", "FF", "EI"}},
	{"C3b", {"HH", "FF", "II"}}, {"C4", {"HH", "FF", "EI"}}, {"C5", {"-H", "-F", "-I"}},
};

/* The same study twice: its samples spread by a fixed pattern (exact
 * multiples of each other), then by pseudo-random noise of the same width
 * (no two samples alike, ratios not exact): the verdicts must not depend on
 * the samples being tidy. */
static void known_verdicts(const char *tmp, const char *kind)
{
	char dir[4200];
	snprintf(dir, sizeof dir, "%s/verdicts-%s", tmp, kind);
	EXPECT(gen(dir, kind) == 0);
	ct_rdir_t d;
	char err[512];
	EXPECT(ct_rdir_load(dir, NULL, &d, err, sizeof err) == 0);
	ct_verdicts_t v;
	EXPECT(ct_verdicts_eval(&d, &v) == 0);
	static const char *const al[] = {"alpha", "beta", "gamma"};
	unsigned place = (unsigned)ct_rdir_id(&d, "compact");
	for (size_t c = 0; c < ct_nclaims; c++)
		for (int a = 0; a < 3; a++)
			for (unsigned t = 1; t <= 2; t++) {
				const ct_claim_t *cl = &ct_claims[c];
				const ct_vrow_t *r = ct_verdict_find(&v, cl, (unsigned)ct_rdir_id(&d, al[a]), place, t);
				if (cl->min_threads > t) {
					EXPECT(r == NULL);
					continue;
				}
				char got = !r ? '-' : "-HFIE"[r->v], want = expected[c].v[a][t - 1];
				t_checks++;
				if (got != want || strcmp(expected[c].claim, cl->id) != 0)
					T_FAIL_AT("%s %s %s %u thr: verdict %c, want %c", kind, cl->id, al[a],
						  t, got, want);
			}
	ct_verdicts_free(&v);
	ct_rdir_free(&d);
}

/* ---------------------------------------------------------------- mechanisms */

/* bilbo measured cold (prime=0) and primed in one study: only the cold
 * heap slows at 2 threads (x3), so the mechanisms name prime. A second
 * allocator slows alike in both: no such line for it. The primed points'
 * params are `primed`: empty at prime's default (a quiet parameter, left
 * out of names), or another value; `in` is how the line names them. */
static void prime_mechanism(const char *tmp, const char *primed, const char *in)
{
	char dir[4200], p[4300];
	snprintf(dir, sizeof dir, "%s/prime%s", tmp, primed);
	EXPECT(mkdir(dir, 0755) == 0);
	snprintf(p, sizeof p, "%s/results.csv", dir);
	FILE *f = fopen(p, "w");
	EXPECT(f != NULL);
	if (!f)
		return;
	fputs("rep,workload,mode,size,size_bytes,alloc,threads,place,status,ns_per_op,params\n", f);
	for (unsigned r = 0; r < 9; r++)
		for (unsigned t = 1; t <= 2; t++)
			for (int cold = 0; cold <= 1; cold++) {
				double e = 1 + 0.01 * pattern(r, 9), hot = cold && t == 2 ? 3 : 1;
				const char *pr = cold ? "prime=0" : primed;
				fprintf(f, "%u,bilbo,stack,16B,16,tc,%u,compact,ok,%g,%s\n", r + 1, t, e, pr);
				fprintf(f, "%u,bilbo,heap,16B,16,tc,%u,compact,ok,%g,%s\n", r + 1, t,
					4 * hot * e, pr);
				fprintf(f, "%u,bilbo,heap,16B,16,lk,%u,compact,ok,%g,%s\n", r + 1, t,
					t == 2 ? 8 * e : 4 * e, pr);
				fprintf(f, "%u,bilbo,stack,16B,16,lk,%u,compact,ok,%g,%s\n", r + 1, t, e, pr);
			}
	fclose(f);
	ct_rdir_t d;
	char err[512], *text = NULL;
	size_t len = 0;
	EXPECT(ct_rdir_load(dir, NULL, &d, err, sizeof err) == 0);
	ct_contention_t *c = NULL;
	size_t nc = 0;
	EXPECT(ct_contention_eval(&d, &c, &nc) == 0);
	FILE *m = open_memstream(&text, &len);
	ct_mechanisms(&d, c, nc, m, "");
	fclose(m);
	EXPECT(strstr(text, "bilbo/prime=0 heap, tc: only cold workers slow") != NULL);
	EXPECT(strstr(text, in) != NULL);
	EXPECT(strstr(text, "lk: only cold") == NULL);
	unsigned lines = 0; /* the cold tc line alone: not the primed set's, not lk's */
	for (const char *o = text ? strstr(text, "only cold") : NULL; o; o = strstr(o + 1, "only cold"))
		lines++;
	EXPECT_EQ_U(lines, 1);
	if (t_failures)
		fprintf(stderr, "mechanisms:\n%s", text);
	free(text);
	free(c);
	ct_rdir_free(&d);
}

/* The zeroed mode's mechanism line, from the cells of go_beside_c: glibc's
 * calloc costs 28 ns over malloc at bilbo's 16 B, (38 - 10) / (38 - 2) of
 * what allocating adds to the stack; smaug's largest zeroed/heap is 16KiB's
 * 9600 / 3200, 80% of 9600 - 1600. go's zeroed is its heap kernel (Go's
 * new always zeroes): its 2x is noise, not zeroing, and gets no line. */
static void zeroing_mechanism(const ct_rdir_t *d)
{
	char *text = NULL;
	size_t len = 0;
	int before = t_failures;
	FILE *f = open_memstream(&text, &len);
	ct_mechanisms(d, NULL, 0, f, "> ");
	fclose(f);
	EXPECT(strstr(text, "> bilbo zeroed, glibc: zeroing costs 28 ns/op at 16B, 1 thr (calloc 38 "
			    "vs malloc 10 ns, x3.80; 78% of what allocating adds to the stack "
			    "copy)") != NULL);
	EXPECT(strstr(text, "> smaug zeroed, glibc: zeroing costs 6400 ns/op at 16KiB, 1 thr "
			    "(calloc 9600 vs malloc 3200 ns, x3.00; 80% of") != NULL);
	EXPECT(!strstr(text, "zeroed, go"));
	if (t_failures > before)
		fprintf(stderr, "%s", text ? text : "");
	free(text);
}

/* Go beside C, known answers at 1 thread (gocmp.c): bilbo's gap is C's
 * zeroing; smaug 1KiB's is Go's slower copy, 4KiB's Go's allocator, 16KiB's
 * zeroing (smaug's zeroed mode: calloc - malloc is most of go's extra cost);
 * at 64KiB the ratios agree (2x vs 1.875x) and are not listed. */
static void go_beside_c(const char *tmp)
{
	char dir[4200], p[4300], err[512], *text = NULL;
	size_t len = 0;
	int before = t_failures;
	snprintf(dir, sizeof dir, "%s/gocmp", tmp);
	EXPECT(mkdir(dir, 0755) == 0 && write_machine(dir, "Synthetic CPU", true) == 0);
	snprintf(p, sizeof p, "%s/results.csv", dir);
	gen_t g = {.csv = fopen(p, "w"), .reps = 9};
	EXPECT(g.csv != NULL);
	fputs("rep,workload,mode,size,size_bytes,alloc,threads,place,status,ns_per_op,ops_per_s,"
	      "minflt_per_op,vcsw_per_op,ivcsw_per_op,future_column\n", g.csv);
	static const struct {
		const char *wl, *mode, *alloc;
		uint64_t size;
		double ns;
	} cells[] = {
		{"bilbo", "stack", "go", 16, 2},          {"bilbo", "heap", "go", 16, 40},
		{"bilbo", "stack", "glibc", 16, 2},       {"bilbo", "heap", "glibc", 16, 10},
		{"bilbo", "zeroed", "glibc", 16, 38},     {"smaug", "stack", "go", 1024, 100},
		{"smaug", "heap", "go", 1024, 150},       {"smaug", "stack", "glibc", 1024, 20},
		{"smaug", "heap", "glibc", 1024, 60},     {"smaug", "stack", "go", 4096, 400},
		{"smaug", "heap", "go", 4096, 4000},      {"smaug", "stack", "glibc", 4096, 400},
		{"smaug", "heap", "glibc", 4096, 800},    {"smaug", "stack", "go", 65536, 6400},
		{"smaug", "heap", "go", 65536, 12800},    {"smaug", "stack", "glibc", 65536, 6400},
		{"smaug", "heap", "glibc", 65536, 12000}, {"smaug", "stack", "go", 16384, 1600},
		{"smaug", "heap", "go", 16384, 12800},    {"smaug", "stack", "glibc", 16384, 1600},
		{"smaug", "heap", "glibc", 16384, 3200},  {"smaug", "zeroed", "glibc", 16384, 9600},
		{"smaug", "zeroed", "go", 16384, 25600},  {"bilbo", "zeroed", "go", 16, 80},
	};
	for (size_t i = 0; i < sizeof cells / sizeof cells[0]; i++)
		row(&g, cells[i].wl, cells[i].mode, cells[i].size, cells[i].alloc, 1,
		    (cell_t){cells[i].ns, .01, 0, 0});
	fclose(g.csv);
	ct_rdir_t d;
	EXPECT(ct_rdir_load(dir, NULL, &d, err, sizeof err) == 0);
	FILE *f = open_memstream(&text, &len);
	EXPECT_EQ_U(ct_go_beside_c(&d, f, "> "), 2);
	fclose(f);
	EXPECT(strstr(text, "> bilbo 1 thr, go vs glibc: apart at 1 of 1 sizes: zeroing at 1; "
			    "most at 16B: heap/stack 20x vs 5x") != NULL);
	EXPECT(strstr(text, "> smaug 1 thr, go vs glibc: apart at 3 of 4 sizes: the copy at 1, "
			    "zeroing at 1, the allocator at 1; most at 4096B: heap/stack 10x vs "
			    "2x") != NULL);
	EXPECT(!strstr(text, "65536B"));
	if (t_failures > before)
		fprintf(stderr, "%s", text ? text : "");
	free(text);
	zeroing_mechanism(&d);
	ct_rdir_free(&d);
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "gen") == 0)
		return gen(argv[2], argv[3]);
	char tmp[] = "/tmp/contend-report-XXXXXX";
	if (!mkdtemp(tmp))
		return perror("mkdtemp"), 1;
	mann_whitney();
	ties_agree();
	shift_ci_brute();
	ratio_ci();
	ratio_ci_memo();
	judging();
	readers(tmp);
	known_verdicts(tmp, "known");
	known_verdicts(tmp, "noisy");
	prime_mechanism(tmp, "", "in bilbo (prime at its default)");
	prime_mechanism(tmp, "prime=128", "in bilbo/prime=128)");
	go_beside_c(tmp);
	char cmd[256];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", tmp);
	return t_finish("test_report");
}
