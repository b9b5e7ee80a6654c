/* abstats.c — Mann–Whitney U test and the Hodges–Lehmann/Moses interval of
 * a ratio (see abstats.h for the method and why).
 *
 * The exact null distribution of U for sizes n, m (no ties) is the list of
 * coefficients of the Gaussian binomial [n+m choose n]_q, built by
 * multiplying by (1 - q^(m+i)) and dividing by (1 - q^i) for i = 1..n: each
 * step is one pass over at most n*m+1 counts, all whole numbers below 2^53
 * while n + m <= 50, so double arithmetic is exact. */
#include "abstats.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double ct_median(const double *x, size_t n)
{
	if (n == 0)
		return NAN;
	double stackbuf[64], *v = n <= 64 ? stackbuf : malloc(n * sizeof *v);
	if (!v)
		return NAN;
	memcpy(v, x, n * sizeof *v);
	qsort(v, n, sizeof *v, cmp_double);
	double m = (n % 2) ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	if (v != stackbuf)
		free(v);
	return m;
}

/* ---------------------------------------------------------------- null distribution */

/* Cumulative P(U <= u) for u = 0..n*m into cum (n*m+1 entries); exact. */
static void exact_cdf(size_t n, size_t m, double *cum)
{
	size_t top = n * m;
	memset(cum, 0, (top + 1) * sizeof *cum);
	cum[0] = 1;
	for (size_t i = 1; i <= n; i++) {
		size_t deg = i * m; /* degree after this step */
		for (size_t k = deg; k >= m + i; k--)  /* times (1 - q^(m+i)) */
			cum[k] -= cum[k - (m + i)];
		for (size_t k = i; k <= deg; k++)      /* divided by (1 - q^i) */
			cum[k] += cum[k - i];
	}
	double total = 0;
	for (size_t k = 0; k <= top; k++) {
		total += cum[k];
		cum[k] = total;
	}
	for (size_t k = 0; k <= top; k++)
		cum[k] /= total;
}

static bool use_exact(size_t n, size_t m)
{
	return n + m <= CT_MWU_EXACT_MAX;
}

static double normal_cdf(double z)
{
	return 0.5 * erfc(-z / sqrt(2.0));
}

/* Normal approximation with continuity correction; var is U's variance. */
static double normal_u_cdf(size_t n, size_t m, double u, double var)
{
	if (var <= 0)
		return u >= (double)(n * m) / 2 ? 1 : 0;
	return normal_cdf((u + 0.5 - (double)(n * m) / 2) / sqrt(var));
}

static double plain_var(size_t n, size_t m)
{
	return (double)n * (double)m * (double)(n + m + 1) / 12.0;
}

double ct_mwu_cdf(size_t n, size_t m, double u)
{
	if (u < 0)
		return 0;
	if (u >= (double)(n * m))
		return 1;
	if (!use_exact(n, m))
		return normal_u_cdf(n, m, u, plain_var(n, m));
	double *cum = malloc((n * m + 1) * sizeof *cum);
	if (!cum)
		return NAN;
	exact_cdf(n, m, cum);
	double p = cum[(size_t)floor(u)];
	free(cum);
	return p;
}

/* ---------------------------------------------------------------- U test */

void ct_mwu(const double *x, size_t n, const double *y, size_t m, ct_mwu_t *out)
{
	ct_mwu_result_t r;
	ct_mwu_test(x, n, y, m, &r);
	*out = (ct_mwu_t){.u = r.u, .p = r.p, .exact = r.exact};
}

/* ---------------------------------------------------------------- ratio CI */

/* Largest k >= 1 with P(U <= k-1) <= alpha/2 (0: none); *conf its coverage.
 * P grows with k, so k is found by bisection: O(log nm) evaluations, not
 * one per count (n*m reaches 10^7 with thousands of repetitions). */
static size_t moses_k(size_t n, size_t m, double alpha, double *conf)
{
	size_t top = n * m;
	double *cum = NULL;
	if (use_exact(n, m) && !(cum = malloc((top + 1) * sizeof *cum)))
		return 0;
	if (cum)
		exact_cdf(n, m, cum);
#define P_BELOW(c) (cum ? cum[(c) - 1] : normal_u_cdf(n, m, (double)((c) - 1), plain_var(n, m)))
	size_t lo = 0, hi = top / 2 + 1; /* P_BELOW(lo) <= alpha/2 holds (lo = 0: vacuously) */
	while (lo < hi) {
		size_t mid = lo + (hi - lo + 1) / 2;
		if (P_BELOW(mid) <= alpha / 2)
			lo = mid;
		else
			hi = mid - 1;
	}
	*conf = 1 - 2 * (lo ? P_BELOW(lo) : 0);
#undef P_BELOW
	free(cum);
	return lo;
}

static bool all_positive(const double *x, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!(x[i] > 0) || !isfinite(x[i]))
			return false;
	return true;
}

/* The last large interval, kept: a report asks for the same pair from
 * the matrix, the trust panel, the verdicts and the figures, and at
 * thousands of repetitions per point each answer costs tens of
 * milliseconds (some fifty selections over the n*m differences). Same
 * inputs, bit for bit: same result. */
#define RATIO_MEMO_MIN ((size_t)1 << 16) /* n*m below this: recomputed */
typedef struct {
	double *x, *y; /* copies of the samples, or NULL */
	double conf;
	size_t n, m;
	ct_ratio_t out;
} ratio_memo_t;
/* report and compare read in one thread; this is not for concurrent use. */
static ratio_memo_t memo;

static bool memo_hit(const double *y, size_t m, const double *x, size_t n, double conf,
		     ct_ratio_t *out)
{
	if (!memo.x || memo.n != n || memo.m != m || memo.conf != conf ||
	    memcmp(memo.x, x, n * sizeof *x) != 0 || memcmp(memo.y, y, m * sizeof *y) != 0)
		return false;
	*out = memo.out;
	return true;
}

static void memo_keep(const double *y, size_t m, const double *x, size_t n, double conf,
		      const ct_ratio_t *out)
{
	if (!n || !m)
		return;
	free(memo.x);
	free(memo.y);
	memo.x = calloc(n, sizeof *x);
	memo.y = calloc(m, sizeof *y);
	if (!memo.x || !memo.y) {
		free(memo.x);
		free(memo.y);
		memo.x = memo.y = NULL;
		return;
	}
	memcpy(memo.x, x, n * sizeof *x);
	memcpy(memo.y, y, m * sizeof *y);
	memo.n = n;
	memo.m = m;
	memo.conf = conf;
	memo.out = *out;
}

static int ratio_ci(const double *y, size_t m, const double *x, size_t n, double conf,
		    ct_ratio_t *out)
{
	double my = ct_median(y, m), mx = ct_median(x, n);
	out->ratio = mx > 0 && my >= 0 ? my / mx : NAN;
	out->hl = NAN;
	if (!n || !m || !all_positive(x, n) || !all_positive(y, m))
		return 0;
	double *lx = calloc(n, sizeof *lx), *ly = calloc(m, sizeof *ly), lo, hi, hl;
	if (!lx || !ly)
		return free(lx), free(ly), -1;
	for (size_t i = 0; i < n; i++)
		lx[i] = log(x[i]);
	for (size_t j = 0; j < m; j++)
		ly[j] = log(y[j]);
	int rc = ct_mwu_shift_ci(lx, n, ly, m, 1 - conf, &lo, &hi, &hl);
	free(lx);
	free(ly);
	if (rc < 0)
		return -1;
	out->hl = exp(hl);
	moses_k(n, m, 1 - conf, &out->conf); /* the level reached without ties */
	if (rc == 1) { /* an end just off 0 must stay off 1: exp rounds it back */
		out->lo = lo > 0 && exp(lo) <= 1 ? nextafter(1.0, 2.0) : exp(lo);
		out->hi = hi < 0 && exp(hi) >= 1 ? nextafter(1.0, 0.0) : exp(hi);
		out->has_ci = true;
	}
	return 0;
}

int ct_ratio_ci(const double *y, size_t m, const double *x, size_t n, double conf,
		ct_ratio_t *out)
{
	memset(out, 0, sizeof *out);
	bool large = n && m && (double)n * (double)m >= (double)RATIO_MEMO_MIN;
	if (large && memo_hit(y, m, x, n, conf, out))
		return 0;
	int rc = ratio_ci(y, m, x, n, conf, out);
	if (large && rc == 0)
		memo_keep(y, m, x, n, conf, out);
	return rc;
}
