/* mwu.c — Mann–Whitney with ties and its shift interval (see mwu.h).
 *
 * Everything is evaluated at a shift d: the pooled sample is x and y - d,
 * merged in order. A y value is compared with an x value through the very
 * difference y_j - x_i the interval is searched over, so a tie at the shift
 * d is exactly "y_j - x_i == d" (no rounding of y_j - d). At d = 0 that is
 * the plain test. */
#include "mwu.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	double *x, *y;      /* sorted copies */
	size_t n, m, N;
	unsigned *r2;       /* doubled midranks of the pooled sample (scratch) */
	unsigned char *isx; /* pooled element from x? (scratch) */
	double *ways;       /* (n+1) x (smax+1) counts (scratch) */
	size_t smax;        /* N (N + 1): doubled rank sum of the whole pool */
	double *free_cum;   /* exact cdf of the doubled x rank sum without ties, or NULL */
	double *cum;        /* the cdf with ties at a shift (scratch), or NULL */
	void *mem;          /* one block holding all of the above */
} ctx_t;

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* ---------------------------------------------------------------- ranks at a shift */

/* y_j - d against x_i: <0 before, 0 tied, >0 after. */
static int cross(const ctx_t *c, size_t j, size_t i, double d)
{
	double e = c->y[j] - c->x[i];
	return (e > d) - (e < d);
}

/* Merges x and y - d into isx[]; true where element k ties with k+1 is
 * left for tied(). */
static void merge(ctx_t *c, double d)
{
	size_t i = 0, j = 0, k = 0;
	while (i < c->n || j < c->m) {
		bool take_x = j == c->m || (i < c->n && cross(c, j, i, d) >= 0);
		c->isx[k++] = take_x;
		take_x ? i++ : j++;
	}
}

/* Does pooled element b + 1 tie element b? jx, jy: x's and y's taken
 * through b, so b is x[jx - 1] or y[jy - 1], and b + 1 is x[jx] or y[jy]. */
static bool ties_next(const ctx_t *c, size_t b, size_t jx, size_t jy, double d)
{
	bool px = c->isx[b], nx = c->isx[b + 1];
	if (px && nx)
		return c->x[jx - 1] == c->x[jx];
	if (!px && !nx)
		return c->y[jy - 1] == c->y[jy];
	if (px)
		return cross(c, jy, jx - 1, d) == 0;
	return cross(c, jy - 1, jx, d) == 0;
}

/* Doubled midranks into r2; returns the doubled rank sum of x and, through
 * *ties, sum(t^3 - t) over tie groups. */
static size_t midranks(ctx_t *c, double d, double *ties)
{
	size_t sx = 0, ix = 0, iy = 0;
	*ties = 0;
	merge(c, d);
	for (size_t a = 0; a < c->N;) {
		size_t b = a, jx = ix + c->isx[a], jy = iy + !c->isx[a];
		while (b + 1 < c->N && ties_next(c, b, jx, jy, d)) { /* the group grows */
			b++;
			c->isx[b] ? jx++ : jy++;
		}
		unsigned r = (unsigned)(a + b + 2);
		double t = (double)(b - a + 1);
		*ties += t * t * t - t;
		for (size_t k = a; k <= b; k++) {
			c->r2[k] = r;
			sx += c->isx[k] ? r : 0;
		}
		ix = jx;
		iy = jy;
		a = b + 1;
	}
	return sx;
}

/* ---------------------------------------------------------------- null distributions */

/* Counts of the doubled rank sum of n of the N ranks r2, as a cdf into cum
 * (smax + 1 entries). */
static void exact_cum(ctx_t *c, const unsigned *r2, double *cum)
{
	size_t S = c->smax + 1, n = c->n;
	double *w = c->ways;
	memset(w, 0, (n + 1) * S * sizeof *w);
	w[0] = 1;
	for (size_t e = 0; e < c->N; e++)
		for (size_t k = (e + 1 < n ? e + 1 : n); k >= 1; k--)
			for (size_t s = r2[e]; s < S; s++)
				w[k * S + s] += w[(k - 1) * S + s - r2[e]];
	double total = 0;
	for (size_t s = 0; s < S; s++)
		total += w[n * S + s];
	double run = 0;
	for (size_t s = 0; s < S; s++) {
		run += w[n * S + s];
		cum[s] = run / total;
	}
}

static double exact_p(ctx_t *c, size_t sx, double ties)
{
	double *cum = c->free_cum;
	if (ties != 0) {
		cum = c->cum;
		exact_cum(c, c->r2, cum);
	}
	double lo = cum[sx], hi = 1 - (sx ? cum[sx - 1] : 0);
	return fmin(1, 2 * fmin(lo, hi));
}

static double normal_p(const ctx_t *c, size_t sx, double ties)
{
	double n = (double)c->n, m = (double)c->m, N = (double)c->N;
	double u = (double)sx / 2 - n * (n + 1) / 2;
	double var = n * m / 12.0 * ((N + 1) - ties / (N * (N - 1)));
	if (var <= 0)
		return 1;
	double z = fmax(0, fabs(u - n * m / 2) - 0.5) / sqrt(var);
	return fmin(1, erfc(z / sqrt(2.0)));
}

/* The test at shift d; *u gets U of x. Exact where ctx_init made the
 * tables (the exact range). */
static double p_at(ctx_t *c, double d, double *u)
{
	double ties;
	size_t sx = midranks(c, d, &ties);
	if (u)
		*u = (double)sx / 2 - (double)c->n * (double)(c->n + 1) / 2;
	return c->free_cum && c->cum ? exact_p(c, sx, ties) : normal_p(c, sx, ties);
}

/* ---------------------------------------------------------------- set-up */

static void ctx_free(ctx_t *c)
{
	free(c->mem);
}

/* Sorted copies and scratch; the no-ties distribution once, for the exact
 * range. Returns -1 when out of memory. */
static int ctx_init(ctx_t *c, const double *x, size_t n, const double *y, size_t m)
{
	memset(c, 0, sizeof *c);
	c->n = n;
	c->m = m;
	c->N = n + m;
	c->smax = c->N * (c->N + 1);
	bool exact = c->N <= CT_MWU_EXACT_MAX;
	size_t S = c->smax + 1, nd = n + m + (exact ? (n + 3) * S : 0);
	char *block = malloc(nd * sizeof(double) + c->N * (sizeof(unsigned) + 1));
	if (!block)
		return -1;
	double *mem = c->mem = block; /* the doubles first: the block's alignment suits them */
	c->x = mem;
	c->y = mem + n;
	c->ways = exact ? mem + n + m : NULL;
	c->free_cum = exact ? c->ways + (n + 1) * S : NULL;
	c->cum = exact ? c->free_cum + S : NULL;
	c->r2 = (void *)(block + nd * sizeof(double));
	c->isx = (unsigned char *)(block + nd * sizeof(double) + c->N * sizeof(unsigned));
	memcpy(c->x, x, n * sizeof *x);
	memcpy(c->y, y, m * sizeof *y);
	qsort(c->x, n, sizeof *c->x, cmp_double);
	qsort(c->y, m, sizeof *c->y, cmp_double);
	if (exact) {
		for (size_t k = 0; k < c->N; k++)
			c->r2[k] = (unsigned)(2 * k + 2);
		exact_cum(c, c->r2, c->free_cum);
	}
	return 0;
}

int ct_mwu_test(const double *x, size_t n, const double *y, size_t m, ct_mwu_result_t *out)
{
	memset(out, 0, sizeof *out);
	out->p = 1;
	if (!n || !m)
		return 0;
	ctx_t c;
	int rc = -1;
	if (ctx_init(&c, x, n, y, m) == 0) {
		out->p = p_at(&c, 0, &out->u);
		out->exact = c.N <= CT_MWU_EXACT_MAX;
		rc = 0;
	}
	ctx_free(&c);
	return rc;
}

/* ---------------------------------------------------------------- shift interval */

typedef struct {
	ctx_t *c;
	const double *D; /* distinct differences, ascending */
	size_t q;
	double alpha;
} search_t;

/* Candidate k of 0..2q: even ones are the gaps (below D[0], between
 * D[k/2-1] and D[k/2], above D[q-1]), odd ones the differences D[k/2]. */
static double candidate(const search_t *s, size_t k)
{
	if (k % 2)
		return s->D[k / 2];
	if (k == 0)
		return s->D[0] - (fabs(s->D[0]) + 1);
	if (k == 2 * s->q)
		return s->D[s->q - 1] + (fabs(s->D[s->q - 1]) + 1);
	return s->D[k / 2 - 1] + (s->D[k / 2] - s->D[k / 2 - 1]) / 2;
}

static bool accepts(const search_t *s, size_t k)
{
	return p_at(s->c, candidate(s, k), NULL) >= s->alpha;
}

/* The accepted candidates form a run around the centre: bisection finds
 * its first (lower) or last (upper) element between a rejected and an
 * accepted candidate. */
static size_t edge(const search_t *s, size_t rejected, size_t accepted)
{
	while (rejected + 1 != accepted && accepted + 1 != rejected) {
		size_t mid = (rejected + accepted) / 2;
		if (accepts(s, mid))
			accepted = mid;
		else
			rejected = mid;
	}
	return accepted;
}

/* Merges the ascending runs a[lo..mid) and a[mid..hi) into out. */
static void merge_runs(const double *a, size_t lo, size_t mid, size_t hi, double *out)
{
	size_t i = lo, j = mid, k = lo;
	while (i < mid && j < hi)
		out[k++] = a[j] < a[i] ? a[j++] : a[i++];
	while (i < mid)
		out[k++] = a[i++];
	while (j < hi)
		out[k++] = a[j++];
}

/* The n m differences y_j - x_i in ascending order. With x and y sorted,
 * row j (y_j - x_i, i falling) is already ascending, so m runs of n are
 * merged pairwise: O(nm log m) with the comparison inlined, where qsort
 * took O(nm log nm) through a callback (seconds at 5000 x 5000). The
 * values, and so the sorted array, are the same either way. */
static double *sorted_differences(const ctx_t *c)
{
	size_t n = c->n, nm = n * c->m;
	double *d = calloc(nm, sizeof *d); /* every element is written below */
	if (!d)
		return NULL;
	for (size_t k = 0, i = 0, j = 0; k < nm; k++) { /* d[j n + i] */
		d[k] = c->y[j] - c->x[n - 1 - i];
		if (++i == n) {
			i = 0;
			j++;
		}
	}
	if (c->m == 1)
		return d; /* one run: in order already */
	double *t = calloc(nm, sizeof *t); /* fresh zero pages: as cheap as malloc here */
	if (!t) {
		free(d);
		return NULL;
	}
	for (size_t run = n; run < nm; run *= 2) {
		for (size_t lo = 0; lo < nm; lo += 2 * run) {
			size_t mid = run < nm - lo ? lo + run : nm;
			size_t hi = run < nm - mid ? mid + run : nm;
			merge_runs(d, lo, mid, hi, t);
		}
		double *swap = d;
		d = t;
		t = swap;
	}
	free(t);
	return d;
}

/* Sorted differences y_j - x_i (all n m), their distinct values, and the
 * Hodges–Lehmann estimate. */
static double *differences(const ctx_t *c, size_t *q, double *hl)
{
	size_t nm = c->n * c->m;
	double *d = sorted_differences(c);
	if (!d)
		return NULL;
	*hl = (nm % 2) ? d[nm / 2] : d[nm / 2 - 1] + (d[nm / 2] - d[nm / 2 - 1]) / 2;
	size_t k = 0;
	for (size_t i = 0; i < nm; i++)
		if (k == 0 || d[i] != d[k - 1])
			d[k++] = d[i];
	*q = k;
	return d;
}

/* A gap accepted while the difference beside it is not: the interval is
 * open there; its end is the next double inside. */
static void ends(const search_t *s, size_t klo, size_t khi, double *lo, double *hi)
{
	*lo = klo % 2 ? s->D[klo / 2] : nextafter(s->D[klo / 2 - 1], INFINITY);
	*hi = khi % 2 ? s->D[khi / 2] : nextafter(s->D[khi / 2], -INFINITY);
}

/* The bisection assumes the accepted shifts are one run; ties can in
 * principle break that. The test at 0 is what a p-value reports, so 0 is
 * put on the side of the interval that test says: the interval excludes 0
 * exactly when p < alpha. */
static void agree_at_zero(search_t *s, double hl, double *lo, double *hi)
{
	bool in0 = p_at(s->c, 0, NULL) >= s->alpha;
	if (in0 && *lo > 0)
		*lo = 0;
	else if (in0 && *hi < 0)
		*hi = 0;
	else if (!in0 && *lo <= 0 && *hi >= 0) {
		if (hl > 0)
			*lo = nextafter(0, INFINITY);
		else
			*hi = nextafter(0, -INFINITY);
	}
}

/* The candidate at or just below the Hodges–Lehmann estimate, the bounds
 * of the accepted run around it, its ends. 0: unbounded on a side. */
static int search(search_t *s, double hl, double *lo, double *hi)
{
	size_t top = 2 * s->q, kc = 1;
	for (size_t k = 0; k < s->q && s->D[k] <= hl; k++)
		kc = 2 * k + 1;
	if (!accepts(s, kc) || accepts(s, 0) || accepts(s, top))
		return 0;
	size_t klo = edge(s, 0, kc), khi = edge(s, top, kc);
	ends(s, klo, khi, lo, hi);
	agree_at_zero(s, hl, lo, hi);
	return 1;
}

int ct_mwu_shift_ci(const double *x, size_t n, const double *y, size_t m, double alpha,
		    double *lo, double *hi, double *hl)
{
	*lo = *hi = *hl = NAN;
	if (!n || !m)
		return 0;
	ctx_t c;
	double *D = NULL;
	size_t q = 0;
	int rc = -1;
	if (ctx_init(&c, x, n, y, m) == 0 && (D = differences(&c, &q, hl))) {
		search_t s = {.c = &c, .D = D, .q = q, .alpha = alpha};
		rc = search(&s, *hl, lo, hi);
	}
	free(D);
	ctx_free(&c);
	return rc;
}
