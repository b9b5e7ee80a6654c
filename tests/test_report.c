/* test_report.c — `contend report` and `contend compare` pieces on data with
 * known answers: the Mann–Whitney U test against published and hand-derived
 * values, the ratio interval, the verdict rules, the tolerant readers of
 * results.csv and machine.json, and the verdict table of a synthetic study
 * built so that every claim HOLDS for one allocator, FAILS for another and
 * is INCONCLUSIVE for a third.
 *
 *   test_report                 the unit checks
 *   test_report gen DIR KIND    write a synthetic results directory for
 *                               test_report.sh: KIND is known, shifted,
 *                               partial, latency or big (10 000 rows) */
#include "abstats.h"
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

	/* ties: normal approximation with tie and continuity corrections, by hand:
	 * ranks 1 2 4 4 | 4 6 7 8, U = 1, var = 16/12 (9 - 24/56), z = 6.5/sd */
	double tx[] = {1, 2, 3, 3}, ty[] = {3, 4, 5, 6};
	ct_mwu(tx, 4, ty, 4, &u);
	EXPECT(!u.exact);
	EXPECT_EQ_D(u.u, 1);
	EXPECT_NEAR(u.p, 0.05451447864382865, 1e-12);

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
	/* n = m = 9: the 18th smallest and largest of the 81 log-ratios */
	EXPECT_NEAR(r.conf, 1 - 2 * ct_mwu_cdf(9, 9, 17), 1e-12);

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

/* The k-th smallest log-ratio the slow way: every pair formed and sorted. */
static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double brute_kth(const double *y, size_t m, const double *x, size_t n, size_t k)
{
	double *d = malloc(n * m * sizeof *d);
	for (size_t j = 0; j < m; j++)
		for (size_t i = 0; i < n; i++)
			d[j * n + i] = log(y[j]) - log(x[i]);
	qsort(d, n * m, sizeof *d, cmp_d);
	double v = d[k - 1];
	free(d);
	return v;
}

/* The interval is found without forming the n*m ratios: it must agree
 * with forming and sorting them, exactly, ties and odd counts included. */
static void ratio_ci_pairs(void)
{
	uint64_t seed = 42;
	unsigned checked = 0;
	for (int t = 0; t < 40; t++) {
		size_t n = 1 + (size_t)(t * 7 % 61), m = 1 + (size_t)(t * 13 % 53);
		double x[64], y[64];
		for (size_t i = 0; i < 64; i++) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			x[i] = 50 + (double)(seed >> 58);            /* few values: ties */
			y[i] = 60 + (double)((seed >> 20) % 1000) / 7; /* many values */
		}
		ct_ratio_t r;
		EXPECT(ct_ratio_ci(y, m, x, n, 0.95, &r) == 0);
		size_t nm = n * m;
		double hl = nm % 2 ? brute_kth(y, m, x, n, nm / 2 + 1)
				   : (brute_kth(y, m, x, n, nm / 2) + brute_kth(y, m, x, n, nm / 2 + 1)) / 2;
		EXPECT_EQ_D(r.hl, exp(hl));
		if (n + m > CT_MWU_EXACT_MAX)
			continue;
		size_t k = 0; /* Moses: the largest k with P(U <= k-1) <= 2.5%, scanned */
		while (k + 1 <= nm / 2 + 1 && ct_mwu_cdf(n, m, (double)k) <= 0.025)
			k++;
		EXPECT_EQ_U(r.has_ci, k >= 1 && k <= nm + 1 - k);
		if (!r.has_ci)
			continue;
		EXPECT_EQ_D(r.lo, exp(brute_kth(y, m, x, n, k)));
		EXPECT_EQ_D(r.hi, exp(brute_kth(y, m, x, n, nm + 1 - k)));
		checked++;
	}
	EXPECT(checked >= 10);
}

static void judging(void)
{
	const ct_claim_t above = {.test = CT_T_ABOVE, .lo = 1};
	const ct_claim_t within = {.test = CT_T_WITHIN, .lo = 2, .hi = 10};
	const ct_claim_t outside = {.test = CT_T_OUTSIDE, .lo = 0.9, .hi = 1.1};
#define R(l, h) (&(ct_ratio_t){.has_ci = true, .lo = (l), .hi = (h)})
	EXPECT(ct_claim_judge(&above, R(1.1, 1.3)) == CT_V_HOLDS);
	EXPECT(ct_claim_judge(&above, R(0.7, 0.9)) == CT_V_FAILS);
	EXPECT(ct_claim_judge(&above, R(0.9, 1.1)) == CT_V_INCONCLUSIVE);
	EXPECT(ct_claim_judge(&above, &(ct_ratio_t){.has_ci = false}) == CT_V_INCONCLUSIVE);
	EXPECT(ct_claim_judge(&within, R(2.5, 9)) == CT_V_HOLDS);
	EXPECT(ct_claim_judge(&within, R(1.1, 1.5)) == CT_V_FAILS);
	EXPECT(ct_claim_judge(&within, R(11, 12)) == CT_V_FAILS);
	EXPECT(ct_claim_judge(&within, R(1.8, 2.2)) == CT_V_INCONCLUSIVE);
	EXPECT(ct_claim_judge(&within, R(9, 11)) == CT_V_INCONCLUSIVE);
	EXPECT(ct_claim_judge(&outside, R(1.2, 1.5)) == CT_V_HOLDS);
	EXPECT(ct_claim_judge(&outside, R(0.5, 0.8)) == CT_V_HOLDS);
	EXPECT(ct_claim_judge(&outside, R(0.95, 1.05)) == CT_V_FAILS);
	EXPECT(ct_claim_judge(&outside, R(1.0, 1.2)) == CT_V_INCONCLUSIVE);
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
 *   gamma: every claim INCONCLUSIVE (ratios exactly at the thresholds)
 * shift multiplies alpha's heap times by (1 + shift) (for compare). */
static void gen_known(gen_t *g, double shift)
{
	for (unsigned t = 1; t <= 2; t++) {
		/* bilbo: alpha 7x; beta 7x at 1 thread and unchanged at 2 (C5 fails);
		 * gamma 1x (C1 undecided), both modes 1.1x slower at 2 threads (C5 undecided) */
		row(g, "bilbo", "stack", 16, "alpha", t, (cell_t){2, .02, 0, 0});
		row(g, "bilbo", "heap", 16, "alpha", t, (cell_t){(t == 1 ? 14 : 21) * (1 + shift), .02, 0, 0});
		row(g, "bilbo", "stack", 16, "beta", t, (cell_t){2, .01, 0, 0});
		row(g, "bilbo", "heap", 16, "beta", t, (cell_t){14, .01, 0, 0});
		row(g, "bilbo", "stack", 16, "gamma", t, (cell_t){t == 1 ? 10 : 11, .05, 0, 0});
		row(g, "bilbo", "heap", 16, "gamma", t, (cell_t){t == 1 ? 10 : 11, .05, 0, t == 2 ? 0.01 : 0});
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
			row(g, "smaug", "stack", s, "gamma", t, (cell_t){st, .05, 0, 0});
			row(g, "smaug", "heap", s, "gamma", t, (cell_t){st * (big ? 1 : 2), .05, 0, 0});
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

static void gen_bandwidth(gen_t *g)
{
	for (uint64_t s = 1 * KiB; s <= 1024 * KiB; s *= 4)
		row(g, "bandwidth", "memcpy", s, "alpha", 1, (cell_t){(double)s / 12, .02, 0, 0});
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
	gen_t g = {.csv = fopen(p, "w"), .reps = 9, .latency = strcmp(kind, "latency") == 0};
	if (!g.csv)
		return perror(p), 1;
	fputs("rep,workload,mode,size,size_bytes,alloc,threads,place,status,ns_per_op,ops_per_s,"
	      "minflt_per_op,vcsw_per_op,ivcsw_per_op,future_column", g.csv);
	fputs(g.latency ? ",p50_ns,p99_ns,p999_ns\n" : "\n", g.csv);
	bool partial = strcmp(kind, "partial") == 0;
	if (strcmp(kind, "big") == 0)
		gen_big(&g);
	else
		gen_known(&g, strcmp(kind, "shifted") == 0 ? 0.25 : 0);
	if (g.latency)
		gen_bandwidth(&g);
	if (partial) /* a failed repetition, then a line cut short by the interruption */
		fputs("10,smaug,heap,1MiB,1048576,alpha,2,compact,failed,0,0,0,0,0,7\n"
		      "11,smaug,heap,1MiB,1048576,al", g.csv);
	fclose(g.csv);
	snprintf(p, sizeof p, "%s/results.txt", dir);
	FILE *t = fopen(p, "w");
	if (t)
		fclose(t);
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
	EXPECT_EQ_U(d.nrows, 2 * (6 + 30) * 9 + 1);
	EXPECT(d.has_col[CT_M_VCSW] && !d.has_col[CT_M_P50] && !d.has_col[CT_M_BYTES]);
	const ct_group_t *g = ct_rdir_find(&d, (unsigned)ct_rdir_id(&d, "smaug"),
					   (unsigned)ct_rdir_id(&d, "heap"), 1024 * KiB,
					   (unsigned)ct_rdir_id(&d, "alpha"), (unsigned)ct_rdir_id(&d, "compact"), 2);
	EXPECT(g && g->nok == 9 && g->nfailed == 1);
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

/* The expected verdict of each claim for alpha, beta, gamma (H, F, I). */
static const struct {
	const char *claim;
	char v[3];
} expected[] = {
	{"C1", {'H', 'H', 'I'}},  {"C2", {'H', 'F', 'I'}}, {"C3a", {'H', 'F', 'I'}},
	{"C3b", {'H', 'F', 'I'}}, {"C4", {'H', 'F', 'I'}}, {"C5", {'H', 'F', 'I'}},
};

static void known_verdicts(const char *tmp)
{
	char dir[4200];
	snprintf(dir, sizeof dir, "%s/verdicts", tmp);
	EXPECT(gen(dir, "known") == 0);
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
				char got = !r ? '-' : "-HFI"[r->v], want = expected[c].v[a];
				t_checks++;
				if (got != want || strcmp(expected[c].claim, cl->id) != 0)
					T_FAIL_AT("%s %s %u thr: verdict %c, want %c", cl->id, al[a], t, got, want);
			}
	ct_verdicts_free(&v);
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
	ratio_ci();
	ratio_ci_pairs();
	judging();
	readers(tmp);
	known_verdicts(tmp);
	char cmd[256];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", tmp);
	return t_finish("test_report");
}
