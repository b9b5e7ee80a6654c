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

typedef struct {
	double v;
	int first; /* 1: from x */
} tagged_t;

static int cmp_tagged(const void *a, const void *b)
{
	return cmp_double(&((const tagged_t *)a)->v, &((const tagged_t *)b)->v);
}

/* Rank sum of x with midranks; *ties gets sum(t^3 - t) over tie groups. */
static double rank_sum_x(tagged_t *all, size_t N, double *ties)
{
	qsort(all, N, sizeof *all, cmp_tagged);
	double rx = 0;
	*ties = 0;
	for (size_t i = 0; i < N;) {
		size_t j = i;
		while (j + 1 < N && all[j + 1].v == all[i].v)
			j++;
		double rank = (double)(i + j + 2) / 2, t = (double)(j - i + 1);
		for (size_t k = i; k <= j; k++)
			rx += all[k].first ? rank : 0;
		*ties += t * t * t - t;
		i = j + 1;
	}
	return rx;
}

void ct_mwu(const double *x, size_t n, const double *y, size_t m, ct_mwu_t *out)
{
	memset(out, 0, sizeof *out);
	out->p = 1;
	size_t N = n + m;
	tagged_t *all = n && m ? malloc(N * sizeof *all) : NULL;
	if (!all)
		return;
	for (size_t i = 0; i < n; i++)
		all[i] = (tagged_t){x[i], 1};
	for (size_t j = 0; j < m; j++)
		all[n + j] = (tagged_t){y[j], 0};
	double ties, rx = rank_sum_x(all, N, &ties);
	free(all);
	double u = rx - (double)n * (double)(n + 1) / 2, mid = (double)(n * m) / 2;
	out->u = u;
	if (ties == 0 && use_exact(n, m)) {
		double lo = ct_mwu_cdf(n, m, u), hi = 1 - ct_mwu_cdf(n, m, u - 1);
		out->p = fmin(1, 2 * fmin(lo, hi));
		out->exact = true;
		return;
	}
	double var = (double)(n * m) / 12.0 *
		     ((double)(N + 1) - ties / ((double)N * (double)(N - 1)));
	if (var <= 0)
		return;
	double z = fmax(0, fabs(u - mid) - 0.5) / sqrt(var);
	out->p = fmin(1, erfc(z / sqrt(2.0)));
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

/* ---------------------------------------------------------------- pairwise differences
 * The Hodges-Lehmann estimate and the Moses bounds are order statistics of
 * the n*m differences a_j - b_i. They are found without forming them: with
 * a and b sorted, how many differences are <= t is one merge-like pass, and
 * bisecting t over the doubles in their bit order (at most 64 steps) lands
 * exactly on the k-th smallest. O((n+m) log) time and O(n+m) memory, where
 * sorting every difference took O(nm log nm) and 8nm bytes. */

static size_t count_le(const double *a, size_t m, const double *b, size_t n, double t)
{
	size_t count = 0, p = 0; /* a_j - b_i <= t for i >= p, p rising with j */
	for (size_t j = 0; j < m; j++) {
		while (p < n && a[j] - b[p] > t)
			p++;
		count += n - p;
	}
	return count;
}

/* Doubles (finite) mapped to integers in the same order, and back. */
static uint64_t dkey(double x)
{
	uint64_t u;
	memcpy(&u, &x, sizeof u);
	return (u >> 63) ? ~u : u | (1ull << 63);
}

static double dval(uint64_t k)
{
	uint64_t u = (k >> 63) ? k & ~(1ull << 63) : ~k;
	double x;
	memcpy(&x, &u, sizeof x);
	return x;
}

/* The k-th smallest (1-based) of a_j - b_i. */
static double kth_diff(const double *a, size_t m, const double *b, size_t n, size_t k)
{
	uint64_t lo = dkey(a[0] - b[n - 1]), hi = dkey(a[m - 1] - b[0]);
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (count_le(a, m, b, n, dval(mid)) >= k)
			hi = mid;
		else
			lo = mid + 1;
	}
	return dval(lo);
}

static double *sorted_logs(const double *x, size_t n)
{
	double *v = malloc(n * sizeof *v);
	if (!v)
		return NULL;
	for (size_t i = 0; i < n; i++)
		v[i] = log(x[i]);
	qsort(v, n, sizeof *v, cmp_double);
	return v;
}

int ct_ratio_ci(const double *y, size_t m, const double *x, size_t n, double conf,
		ct_ratio_t *out)
{
	memset(out, 0, sizeof *out);
	double my = ct_median(y, m), mx = ct_median(x, n);
	out->ratio = mx > 0 && my >= 0 ? my / mx : NAN;
	out->hl = NAN;
	if (!n || !m || !all_positive(x, n) || !all_positive(y, m))
		return 0;
	double *a = sorted_logs(y, m), *b = sorted_logs(x, n);
	if (!a || !b) {
		free(a);
		free(b);
		return -1;
	}
	size_t nm = n * m;
	double mid = kth_diff(a, m, b, n, nm / 2 + 1);
	out->hl = exp((nm % 2) ? mid : (kth_diff(a, m, b, n, nm / 2) + mid) / 2);
	size_t k = moses_k(n, m, 1 - conf, &out->conf);
	if (k >= 1 && k <= nm + 1 - k) {
		out->lo = exp(kth_diff(a, m, b, n, k));
		out->hi = exp(kth_diff(a, m, b, n, nm + 1 - k));
		out->has_ci = true;
	}
	free(a);
	free(b);
	return 0;
}
