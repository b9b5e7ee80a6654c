/* verdict.c — the claims table and its verdicts, contention factors and
 * likely mechanisms (see verdict.h for the rules).
 *
 * Adding a claim: one entry in ct_claims[] below (and a line in the README's
 * claims table). The quantity it measures is one of ct_quantity_t; a new
 * kind of quantity is a case in point_ratio(). */
#include "verdict.h"
#include "units.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define KiB 1024ull
#define MiB (1024ull * 1024)

/* ---------------------------------------------------------------- the claims */

const ct_claim_t ct_claims[] = {
	{"C1", "Small structs (Bilbo): always use stack/value return — fastest on all architectures.",
	 "Bilbo: stack faster than heap (heap/stack ns/op > 1)", "bilbo", 0, UINT64_MAX,
	 CT_Q_HEAP_STACK, CT_T_ABOVE, 1, 0, 1},
	{"C2", "Medium structs (1–64KB): stack is consistently 2×–10× faster.",
	 "Smaug 1-64 KiB: stack 2-10x faster (heap/stack ns/op in [2, 10])", "smaug", 1 * KiB,
	 64 * KiB, CT_Q_HEAP_STACK, CT_T_WITHIN, 2, 10, 1},
	{"C3a", "Large structs (128KB–1MB): stack memcpy remains predictable and faster.",
	 "Smaug 128 KiB-1 MiB: stack faster (heap/stack ns/op > 1)", "smaug", 128 * KiB, 1 * MiB,
	 CT_Q_HEAP_STACK, CT_T_ABOVE, 1, 0, 1},
	{"C3b", "Large structs (128KB–1MB): stack memcpy remains predictable and faster.",
	 "Smaug 128 KiB-1 MiB: stack more predictable (heap/stack spread over repetitions > 1)",
	 "smaug", 128 * KiB, 1 * MiB, CT_Q_DISPERSION, CT_T_ABOVE, 1, 0, 1},
	{"C4", "Heap is slower everywhere.",
	 "Every workload and size: heap slower than stack (heap/stack ns/op > 1)", NULL, 0,
	 UINT64_MAX, CT_Q_HEAP_STACK, CT_T_ABOVE, 1, 0, 1},
	{"C5", "Under concurrency the heap allocator behaves differently: costs amortized by "
	       "concurrent allocators, or contention on shared structures.",
	 "Bilbo heap: ns/op at N threads differs from 1 thread by over 10% (N/1 outside [0.9, 1.1])",
	 "bilbo", 0, UINT64_MAX, CT_Q_CONTENTION, CT_T_OUTSIDE, 0.9, 1.1, 2},
};
const size_t ct_nclaims = sizeof ct_claims / sizeof ct_claims[0];

#define CT_CONF 0.95
#define DISPERSION_FLOOR 0.001 /* 0.1%: below timer and drift resolution */

const char *ct_verdict_name(ct_verdict_t v)
{
	static const char *const n[] = {"-", "HOLDS", "FAILS", "INCONCLUSIVE"};
	return n[v];
}

void ct_claim_threshold(const ct_claim_t *c, char *buf, size_t len)
{
	if (c->test == CT_T_ABOVE)
		snprintf(buf, len, "> %g", c->lo);
	else if (c->test == CT_T_WITHIN)
		snprintf(buf, len, "in [%g, %g]", c->lo, c->hi);
	else
		snprintf(buf, len, "outside [%g, %g]", c->lo, c->hi);
}

/* ---------------------------------------------------------------- judging a point */

ct_verdict_t ct_claim_judge(const ct_claim_t *c, const ct_ratio_t *r)
{
	if (!r->has_ci)
		return CT_V_INCONCLUSIVE;
	double lo = r->lo, hi = r->hi;
	switch (c->test) {
	case CT_T_ABOVE:
		return lo > c->lo ? CT_V_HOLDS : hi < c->lo ? CT_V_FAILS : CT_V_INCONCLUSIVE;
	case CT_T_WITHIN:
		if (lo >= c->lo && hi <= c->hi)
			return CT_V_HOLDS;
		return hi < c->lo || lo > c->hi ? CT_V_FAILS : CT_V_INCONCLUSIVE;
	case CT_T_OUTSIDE:
		if (hi < c->lo || lo > c->hi)
			return CT_V_HOLDS;
		return lo >= c->lo && hi <= c->hi ? CT_V_FAILS : CT_V_INCONCLUSIVE;
	}
	return CT_V_NA;
}

/* How clearly a decided point is decided: the log distance from the CI's
 * nearest edge to the threshold it had to clear. */
static double clarity(const ct_claim_t *c, const ct_claim_pt_t *p)
{
	double lo = log(p->r.lo), hi = log(p->r.hi), a = log(c->lo), b = c->hi > 0 ? log(c->hi) : 0;
	bool holds = p->v == CT_V_HOLDS;
	switch (c->test) {
	case CT_T_ABOVE:
		return holds ? lo - a : a - hi;
	case CT_T_WITHIN:
		if (holds)
			return fmin(lo - a, b - hi);
		return hi < a ? a - hi : lo - b;
	case CT_T_OUTSIDE:
		if (holds)
			return hi < a ? a - hi : lo - b;
		return fmin(lo - a, b - hi);
	}
	return 0;
}

/* ---------------------------------------------------------------- ratios */

/* |x/median - 1| per value, floored: the spread of a sample on a relative scale. */
static double *dispersion(const double *x, size_t n)
{
	double *d = malloc((n ? n : 1) * sizeof *d), med = ct_median(x, n);
	if (!d)
		return NULL;
	for (size_t i = 0; i < n; i++)
		d[i] = fmax(fabs(x[i] / med - 1), DISPERSION_FLOOR);
	return d;
}

static int point_ratio(const ct_claim_t *c, const ct_group_t *g, const ct_group_t *o,
		       ct_ratio_t *r)
{
	if (c->q != CT_Q_DISPERSION)
		return ct_ratio_ci(g->v[CT_M_NS], g->nok, o->v[CT_M_NS], o->nok, CT_CONF, r);
	double *dg = dispersion(g->v[CT_M_NS], g->nok), *dox = dispersion(o->v[CT_M_NS], o->nok);
	int rc = dg && dox ? ct_ratio_ci(dg, g->nok, dox, o->nok, CT_CONF, r) : -1;
	free(dg);
	free(dox);
	return rc;
}

typedef struct {
	int heap, stack, wl; /* string ids; -1: absent */
	unsigned one;        /* threads of the contention baseline */
} ids_t;

/* The group a heap group g is compared with for claim c, or NULL. */
static const ct_group_t *counterpart(const ct_rdir_t *d, const ct_claim_t *c, const ids_t *ids,
				     const ct_group_t *g)
{
	if (c->q == CT_Q_CONTENTION)
		return ct_rdir_find(d, g->workload, g->mode, g->size_bytes, g->alloc, g->place,
				    ids->one);
	if (ids->stack < 0)
		return NULL;
	return ct_rdir_find(d, g->workload, (unsigned)ids->stack, g->size_bytes, g->alloc,
			    g->place, g->threads);
}

static bool in_scope(const ct_claim_t *c, const ids_t *ids, const ct_group_t *g)
{
	if ((int)g->mode != ids->heap || g->size_bytes < c->min_size || g->size_bytes > c->max_size)
		return false;
	return !c->workload || (int)g->workload == ids->wl;
}

/* ---------------------------------------------------------------- rows */

static void aggregate(ct_vrow_t *row)
{
	const ct_claim_t *c = row->claim;
	row->v = row->nv[CT_V_FAILS] ? CT_V_FAILS
		 : row->nv[CT_V_HOLDS] == row->npts ? CT_V_HOLDS : CT_V_INCONCLUSIVE;
	row->decisive = -1;
	double best = 0;
	for (size_t i = 0; i < row->npts; i++) {
		const ct_claim_pt_t *p = &row->pts[i];
		if (p->v != row->v)
			continue;
		if (row->v == CT_V_INCONCLUSIVE) {
			row->decisive = (int)i;
			return;
		}
		double k = clarity(c, p);
		bool better = row->v == CT_V_HOLDS ? k < best : k > best;
		if (row->decisive < 0 || better) {
			row->decisive = (int)i;
			best = k;
		}
	}
}

static int eval_row(const ct_rdir_t *d, const ids_t *ids, ct_vrow_t *row, ct_claim_pt_t *store)
{
	row->pts = store;
	for (size_t i = 0; i < d->ngroups; i++) {
		const ct_group_t *g = &d->groups[i];
		if (g->alloc != row->alloc || g->place != row->place || g->threads != row->threads ||
		    !in_scope(row->claim, ids, g))
			continue;
		const ct_group_t *o = counterpart(d, row->claim, ids, g);
		if (!o || !g->nok || !o->nok)
			continue;
		ct_claim_pt_t *p = &row->pts[row->npts];
		*p = (ct_claim_pt_t){.workload = g->workload, .size = g->size, .size_bytes = g->size_bytes};
		if (point_ratio(row->claim, g, o, &p->r))
			return -1;
		p->v = ct_claim_judge(row->claim, &p->r);
		row->nv[p->v]++;
		row->npts++;
	}
	if (row->npts)
		aggregate(row);
	return 0;
}

size_t ct_series(const ct_rdir_t *d, unsigned *alloc, unsigned *place, size_t max)
{
	size_t n = 0;
	for (size_t g = 0; g < d->ngroups; g++) {
		size_t k = 0;
		while (k < n && !(alloc[k] == d->groups[g].alloc && place[k] == d->groups[g].place))
			k++;
		if (k == n && n < max) {
			alloc[n] = d->groups[g].alloc;
			place[n++] = d->groups[g].place;
		}
	}
	/* order of first appearance of the allocator (ids are in file order) */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && (alloc[j] < alloc[j - 1] ||
					     (alloc[j] == alloc[j - 1] && place[j] < place[j - 1])); j--) {
			unsigned ta = alloc[j], tp = place[j];
			alloc[j] = alloc[j - 1], place[j] = place[j - 1];
			alloc[j - 1] = ta, place[j - 1] = tp;
		}
	return n;
}

void ct_series_name(const ct_rdir_t *d, unsigned alloc, unsigned place, char *buf, size_t len)
{
	if (d->nplaces > 1)
		snprintf(buf, len, "%s/%s", ct_rstr(d, alloc), ct_rstr(d, place));
	else
		snprintf(buf, len, "%s", ct_rstr(d, alloc));
}

static ids_t find_ids(const ct_rdir_t *d, const ct_claim_t *c)
{
	unsigned th[1];
	ids_t ids = {ct_rdir_id(d, "heap"), ct_rdir_id(d, "stack"),
		     c->workload ? ct_rdir_id(d, c->workload) : -1, 1};
	if (ct_rdir_threads(d, -1, th, 1))
		ids.one = th[0]; /* the smallest thread count is the baseline */
	return ids;
}

int ct_verdicts_eval(const ct_rdir_t *d, ct_verdicts_t *out)
{
	memset(out, 0, sizeof *out);
	unsigned al[64], pl[64], th[256];
	size_t ns = ct_series(d, al, pl, 64), nt = ct_rdir_threads(d, -1, th, 256);
	out->rows = calloc(ct_nclaims * ns * nt + 1, sizeof *out->rows);
	out->pts = calloc(ct_nclaims * d->ngroups + 1, sizeof *out->pts);
	if (!out->rows || !out->pts)
		return ct_verdicts_free(out), -1;
	for (size_t c = 0; c < ct_nclaims; c++) {
		ids_t ids = find_ids(d, &ct_claims[c]);
		if (ids.heap < 0 || (ct_claims[c].workload && ids.wl < 0))
			continue;
		for (size_t s = 0; s < ns; s++)
			for (size_t t = 0; t < nt; t++) {
				if (th[t] < ct_claims[c].min_threads || (ct_claims[c].q == CT_Q_CONTENTION && th[t] == ids.one))
					continue;
				ct_vrow_t *row = &out->rows[out->nrows];
				*row = (ct_vrow_t){.claim = &ct_claims[c], .alloc = al[s], .place = pl[s],
						   .threads = th[t]};
				if (eval_row(d, &ids, row, out->pts + out->npts))
					return ct_verdicts_free(out), -1;
				out->npts += row->npts;
				out->nrows += row->npts > 0;
			}
	}
	return 0;
}

void ct_verdicts_free(ct_verdicts_t *v)
{
	free(v->rows);
	free(v->pts);
	memset(v, 0, sizeof *v);
}

const ct_vrow_t *ct_verdict_find(const ct_verdicts_t *v, const ct_claim_t *c, unsigned alloc,
				 unsigned place, unsigned threads)
{
	for (size_t i = 0; i < v->nrows; i++) {
		const ct_vrow_t *r = &v->rows[i];
		if (r->claim == c && r->alloc == alloc && r->place == place && r->threads == threads)
			return r;
	}
	return NULL;
}

/* ---------------------------------------------------------------- the numbers */

static void fmt_x(double v, char *buf, size_t len)
{
	if (isnan(v))
		snprintf(buf, len, "?");
	else if (v >= 100)
		snprintf(buf, len, "%.0f", v);
	else if (v >= 10)
		snprintf(buf, len, "%.1f", v);
	else
		snprintf(buf, len, "%.2f", v);
}

static void fmt_point(const ct_rdir_t *d, const ct_vrow_t *row, const ct_claim_pt_t *p, char *buf,
		      size_t len)
{
	char r[16], lo[16], hi[16], where[96] = "";
	fmt_x(p->r.ratio, r, sizeof r);
	if (!row->claim->workload)
		snprintf(where, sizeof where, "%s ", ct_rstr(d, p->workload));
	if (row->npts > 1 || !row->claim->workload) {
		size_t l = strlen(where);
		snprintf(where + l, sizeof where - l, "%s ", ct_rstr(d, p->size));
	}
	if (!p->r.has_ci) {
		snprintf(buf, len, "%s%sx, too few repetitions for a CI", where, r);
		return;
	}
	fmt_x(p->r.lo, lo, sizeof lo);
	fmt_x(p->r.hi, hi, sizeof hi);
	snprintf(buf, len, "%s%sx [%s, %s]", where, r, lo, hi);
}

void ct_vrow_why(const ct_rdir_t *d, const ct_vrow_t *r, char *buf, size_t len)
{
	char pt[160] = "", tail[96] = "";
	if (r->decisive >= 0)
		fmt_point(d, r, &r->pts[r->decisive], pt, sizeof pt);
	const char *what = r->claim->workload ? "sizes" : "points";
	if (r->v == CT_V_HOLDS && r->npts > 1)
		snprintf(tail, sizeof tail, "; weakest of %zu %s", r->npts, what);
	else if (r->v == CT_V_FAILS && r->npts > 1)
		snprintf(tail, sizeof tail, "; fails at %zu of %zu %s", r->nv[CT_V_FAILS], r->npts,
			 what);
	else if (r->v == CT_V_INCONCLUSIVE && r->npts > 1)
		snprintf(tail, sizeof tail, "; undecided at %zu of %zu %s", r->nv[CT_V_INCONCLUSIVE],
			 r->npts, what);
	snprintf(buf, len, "%s%s", pt, tail);
}

/* ---------------------------------------------------------------- contention */

static void efficiency(const ct_group_t *g, const ct_group_t *b, ct_ratio_t *e)
{
	if (ct_ratio_ci(g->v[CT_M_OPS], g->nok, b->v[CT_M_OPS], b->nok, CT_CONF, e)) {
		e->ratio = NAN;
		return;
	}
	double k = (double)g->threads / (double)b->threads;
	e->ratio /= k;
	e->hl /= k;
	e->lo /= k;
	e->hi /= k;
}

int ct_contention_eval(const ct_rdir_t *d, ct_contention_t **out, size_t *n)
{
	unsigned one;
	*n = 0;
	*out = malloc((d->ngroups + 1) * sizeof **out);
	if (!*out)
		return -1;
	if (!ct_rdir_threads(d, -1, &one, 1))
		return 0;
	for (size_t i = 0; i < d->ngroups; i++) {
		const ct_group_t *g = &d->groups[i];
		if (g->threads == one || !g->nok)
			continue;
		const ct_group_t *b = ct_rdir_find(d, g->workload, g->mode, g->size_bytes, g->alloc,
						   g->place, one);
		if (!b || !b->nok)
			continue;
		ct_contention_t *c = &(*out)[(*n)++];
		*c = (ct_contention_t){.g = g, .base = b};
		if (ct_ratio_ci(g->v[CT_M_NS], g->nok, b->v[CT_M_NS], b->nok, CT_CONF, &c->cf))
			return -1;
		if (d->has_col[CT_M_OPS])
			efficiency(g, b, &c->eff);
		else
			c->eff = (ct_ratio_t){.ratio = NAN, .hl = NAN};
	}
	return 0;
}
