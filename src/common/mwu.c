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

/* ---------------------------------------------------------------- the differences, unformed */

/* The n m differences y_j - x_i are never formed: with x and y sorted,
 * row j of the grid (y_j - x_{n-1-t}, t = 0..n) ascends, and so does each
 * column, because rounded subtraction is monotone. Counting the
 * differences below a value is then a staircase walk, O(n + m), and any
 * order statistic is found by selection over per-row windows: O(n + m)
 * memory and O((n + m) log nm) time, where forming and sorting them took
 * O(nm log m) time and nm doubles (400 MB at 5000 x 5000). The values
 * compared are the same computed differences, so every order statistic,
 * and everything built on them, is bit for bit what sorting gave. */
typedef struct {
	const ctx_t *c;
	size_t *from, *to; /* the rows' windows still holding the sought element */
	size_t *below;     /* per row: how many differences a walk found below */
	uint64_t rng;      /* pivots: a fixed sequence, so runs repeat */
} grid_t;

static double cell(const grid_t *g, size_t j, size_t t)
{
	return g->c->y[j] - g->c->x[g->c->n - 1 - t];
}

/* Differences < v (or <= v when inclusive), per row into below[], total
 * returned. Row j's count never grows with j: the walk only goes left. */
static size_t count_below(grid_t *g, double v, bool inclusive)
{
	size_t total = 0, t = g->c->n;
	for (size_t j = 0; j < g->c->m; j++) {
		while (t > 0 && (inclusive ? cell(g, j, t - 1) > v : cell(g, j, t - 1) >= v))
			t--;
		g->below[j] = t;
		total += t;
	}
	return total;
}

/* The largest difference < v (or, with above, the smallest > v); false,
 * and v, when there is none. */
static bool neighbour(grid_t *g, double v, bool above, double *out)
{
	count_below(g, v, above);
	bool any = false;
	*out = v;
	for (size_t j = 0; j < g->c->m; j++) {
		size_t t = g->below[j];
		if (above ? t == g->c->n : t == 0)
			continue;
		double e = cell(g, j, above ? t : t - 1);
		if (!any || (above ? e < *out : e > *out))
			*out = e;
		any = true;
	}
	return any;
}

static int grid_init(grid_t *g, const ctx_t *c)
{
	*g = (grid_t){.c = c, .rng = 0x9e3779b97f4a7c15u};
	g->from = calloc(3 * c->m, sizeof *g->from);
	if (!g->from)
		return -1;
	g->to = g->from + c->m;
	g->below = g->to + c->m;
	return 0;
}

static void grid_free(grid_t *g)
{
	free(g->from);
}

/* A difference drawn uniformly from the windows (total of them). */
static double pivot(grid_t *g, size_t total)
{
	g->rng ^= g->rng << 13;
	g->rng ^= g->rng >> 7;
	g->rng ^= g->rng << 17;
	size_t r = (size_t)(g->rng % total), j = 0;
	for (; r >= g->to[j] - g->from[j]; j++)
		r -= g->to[j] - g->from[j];
	return cell(g, j, g->from[j] + r);
}

/* The difference of rank k (0-based) in ascending order. The windows hold
 * the candidates; a pivot's counts either name it the answer or cut every
 * window to one side of it. */
static double select_rank(grid_t *g, size_t k)
{
	size_t m = g->c->m, total = m * g->c->n;
	for (size_t j = 0; j < m; j++) {
		g->from[j] = 0;
		g->to[j] = g->c->n;
	}
	for (;;) {
		double v = pivot(g, total);
		if (k < count_below(g, v, false)) {
			for (size_t j = 0; j < m; j++)
				g->to[j] = g->below[j] < g->to[j] ? g->below[j] : g->to[j];
		} else if (k >= count_below(g, v, true)) {
			for (size_t j = 0; j < m; j++)
				g->from[j] = g->below[j] > g->from[j] ? g->below[j] : g->from[j];
		} else {
			return v;
		}
		total = 0; /* never 0: the sought element is still inside */
		for (size_t j = 0; j < m; j++)
			total += g->to[j] - g->from[j];
	}
}

/* The Hodges–Lehmann estimate: the median of the differences. */
static double hodges_lehmann(grid_t *g)
{
	size_t nm = g->c->n * g->c->m;
	double a = select_rank(g, (nm - 1) / 2), b = a;
	if (nm % 2 == 0 && count_below(g, a, true) <= nm / 2)
		neighbour(g, a, true, &b); /* rank nm/2 holds the next value up */
	return nm % 2 ? a : a + (b - a) / 2;
}

/* ---------------------------------------------------------------- shift interval */

/* The test is searched at the distinct differences and at the gaps
 * between them (where ties appear and vanish): below the smallest, the
 * midpoint of two neighbours (lower one first, as written), above the
 * largest. */
typedef struct {
	ctx_t *c;
	grid_t *g;
	double alpha;
} search_t;

static bool accepts(const search_t *s, double d)
{
	return p_at(s->c, d, NULL) >= s->alpha;
}

static double gap_between(double a, double b)
{
	return a + (b - a) / 2;
}

static double gap_outside(double e, bool above)
{
	return above ? e + (fabs(e) + 1) : e - (fabs(e) + 1);
}

/* Cuts the windows to the differences above v (or to those below it);
 * returns how many they hold. A window is the differences of its row
 * between two values, so the cuts never cross. */
static size_t cut(grid_t *g, double v, bool keep_above)
{
	size_t total = 0;
	count_below(g, v, keep_above);
	for (size_t j = 0; j < g->c->m; j++) {
		if (keep_above)
			g->from[j] = g->below[j] > g->from[j] ? g->below[j] : g->from[j];
		else
			g->to[j] = g->below[j] < g->to[j] ? g->below[j] : g->to[j];
		total += g->to[j] - g->from[j];
	}
	return total;
}

/* The accepted shifts form a run around the centre, an accepted
 * difference. The last accepted difference on one side: the windows hold
 * the differences between the furthest accepted one so far and the
 * nearest rejected one; a pivot drawn from them is tested and the windows
 * cut to the side still undecided. Expected O(log nm) tests. */
static double run_edge(const search_t *s, double centre, bool above)
{
	grid_t *g = s->g;
	for (size_t j = 0; j < g->c->m; j++) {
		g->from[j] = 0;
		g->to[j] = g->c->n;
	}
	double last = centre;
	for (size_t total = cut(g, centre, above); total;) {
		double v = pivot(g, total);
		bool ok = accepts(s, v);
		if (ok)
			last = v;
		total = cut(g, v, ok == above);
	}
	return last;
}

/* The end of the run on one side: its last accepted difference e, or, when
 * the gap beyond e is accepted too, the interval is open at the next
 * difference and ends one double inside it. */
static double run_end(const search_t *s, double e, bool above)
{
	double next;
	if (!neighbour(s->g, e, above, &next))
		return e; /* the gap outside every difference: rejected (search checked) */
	if (!accepts(s, above ? gap_between(e, next) : gap_between(next, e)))
		return e;
	return nextafter(next, above ? -INFINITY : INFINITY);
}

/* The bisection assumes the accepted shifts are one run; ties can in
 * principle break that. The test at 0 is what a p-value reports, so 0 is
 * put on the side of the interval that test says: the interval excludes 0
 * exactly when p < alpha. */
static void agree_at_zero(search_t *s, double hl, double *lo, double *hi)
{
	bool in0 = accepts(s, 0);
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

/* From the difference at or just below the Hodges–Lehmann estimate, the
 * edges of the accepted run around it. 0: unbounded on a side. */
static int search(search_t *s, double hl, double *lo, double *hi)
{
	grid_t *g = s->g;
	double first = cell(g, 0, 0), last = cell(g, g->c->m - 1, g->c->n - 1), centre = first;
	if (hl > first) /* the largest difference <= hl: below the next double up */
		neighbour(g, nextafter(hl, INFINITY), false, &centre);
	if (!accepts(s, centre) || accepts(s, gap_outside(first, false)) ||
	    accepts(s, gap_outside(last, true)))
		return 0;
	*lo = run_end(s, run_edge(s, centre, false), false);
	*hi = run_end(s, run_edge(s, centre, true), true);
	agree_at_zero(s, hl, lo, hi);
	return 1;
}

/* ---------------------------------------------------------------- the exact range */

/* With at most 50 values in all there are at most 625 differences, and
 * each test redoes the exact distribution with ties — unless it is made
 * at a gap, where no difference ties. So here the differences are formed
 * and sorted, and the search bisects over the distinct differences and
 * the gaps between them interleaved: as few tests as any order, half of
 * them cheap. The same candidates as the selection path, the same ends. */
typedef struct {
	double *D; /* distinct differences, ascending */
	size_t q;
} formed_t;

/* Candidate k of 0..2q: even ones the gaps, odd ones the differences. */
static double candidate(const formed_t *f, size_t k)
{
	if (k % 2)
		return f->D[k / 2];
	if (k == 0)
		return gap_outside(f->D[0], false);
	if (k == 2 * f->q)
		return gap_outside(f->D[f->q - 1], true);
	return gap_between(f->D[k / 2 - 1], f->D[k / 2]);
}

static size_t formed_edge(const search_t *s, const formed_t *f, size_t rejected,
			  size_t accepted)
{
	while (rejected + 1 != accepted && accepted + 1 != rejected) {
		size_t mid = (rejected + accepted) / 2;
		if (accepts(s, candidate(f, mid)))
			accepted = mid;
		else
			rejected = mid;
	}
	return accepted;
}

static int formed_search(search_t *s, double hl, double *lo, double *hi)
{
	const ctx_t *c = s->c;
	size_t nm = c->n * c->m, q = 0;
	double D[(CT_MWU_EXACT_MAX / 2) * (CT_MWU_EXACT_MAX / 2)] = {0}; /* nm of them written */
	for (size_t j = 0; j < c->m; j++)
		for (size_t i = 0; i < c->n; i++)
			D[q++] = c->y[j] - c->x[i];
	qsort(D, nm, sizeof *D, cmp_double);
	q = 0;
	for (size_t k = 0; k < nm; k++)
		if (q == 0 || D[k] != D[q - 1])
			D[q++] = D[k];
	formed_t f = {D, q};
	size_t top = 2 * q, kc = 1;
	for (size_t k = 0; k < q && D[k] <= hl; k++)
		kc = 2 * k + 1;
	if (!accepts(s, candidate(&f, kc)) || accepts(s, candidate(&f, 0)) ||
	    accepts(s, candidate(&f, top)))
		return 0;
	size_t klo = formed_edge(s, &f, 0, kc), khi = formed_edge(s, &f, top, kc);
	*lo = klo % 2 ? D[klo / 2] : nextafter(D[klo / 2 - 1], INFINITY);
	*hi = khi % 2 ? D[khi / 2] : nextafter(D[khi / 2], -INFINITY);
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
	grid_t g = {0};
	int rc = -1;
	if (ctx_init(&c, x, n, y, m) == 0 && grid_init(&g, &c) == 0) {
		search_t s = {.c = &c, .g = &g, .alpha = alpha};
		*hl = hodges_lehmann(&g);
		rc = c.free_cum ? formed_search(&s, *hl, lo, hi) : search(&s, *hl, lo, hi);
	}
	grid_free(&g);
	ctx_free(&c);
	return rc;
}
