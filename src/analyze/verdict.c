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
	static const char *const n[] = {"-", "HOLDS", "FAILS", "INCONCLUSIVE", "EQUAL"};
	return v < CT_V_N ? n[v] : "?";
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

/* The claim's thresholds: 1 (ABOVE) or 2. */
static size_t thresholds(const ct_claim_t *c, double t[2])
{
	t[0] = c->lo;
	t[1] = c->hi;
	return c->test == CT_T_ABOVE ? 1 : 2;
}

/* [lo, hi] within the margin of a threshold: no practical difference from it. */
static bool within_margin(const ct_claim_t *c, double m, double lo, double hi)
{
	double t[2];
	for (size_t i = 0, n = thresholds(c, t); i < n; i++)
		if (lo >= t[i] / (1 + m) && hi <= t[i] * (1 + m))
			return true;
	return false;
}

ct_verdict_t ct_claim_judge(const ct_claim_t *c, double m, const ct_ratio_t *r)
{
	if (!r->has_ci)
		return CT_V_INCONCLUSIVE;
	double lo = r->lo, hi = r->hi, a = c->lo, b = c->hi, up = 1 + m;
	bool holds = false, fails = false;
	switch (c->test) {
	case CT_T_ABOVE:
		holds = lo > a * up;
		fails = hi < a / up;
		break;
	case CT_T_WITHIN:
		holds = lo > a * up && hi < b / up;
		fails = hi < a / up || lo > b * up;
		break;
	case CT_T_OUTSIDE:
		holds = hi < a / up || lo > b * up;
		fails = lo > a * up && hi < b / up;
		break;
	}
	return holds ? CT_V_HOLDS : fails ? CT_V_FAILS
	       : within_margin(c, m, lo, hi) ? CT_V_EQUAL : CT_V_INCONCLUSIVE;
}

/* How clearly a decided point is decided: the log distance from its CI to
 * the nearest margin edge (t/(1+m) or t(1+m) of a threshold t); no edge
 * lies inside the CI of a decided point. */
static double clarity(const ct_claim_t *c, double m, const ct_claim_pt_t *p)
{
	double t[2], lo = log(p->r.lo), hi = log(p->r.hi), best = INFINITY;
	for (size_t i = 0, n = thresholds(c, t); i < n; i++) {
		const double e[2] = {log(t[i] / (1 + m)), log(t[i] * (1 + m))};
		for (int j = 0; j < 2; j++)
			best = fmin(best, e[j] < lo ? lo - e[j] : e[j] > hi ? e[j] - hi : 0);
	}
	return best;
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

static int point_ratio(const ct_claim_t *c, const ct_samples_t *s, double conf, ct_ratio_t *r)
{
	if (c->q != CT_Q_DISPERSION)
		return ct_ratio_ci(s->num, s->nnum, s->den, s->nden, conf, r);
	double *dn = dispersion(s->num, s->nnum), *dd = dispersion(s->den, s->nden);
	int rc = dn && dd ? ct_ratio_ci(dn, s->nnum, dd, s->nden, conf, r) : -1;
	free(dn);
	free(dd);
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

/* The row's outcome from its points' (see verdict.h). */
static ct_verdict_t row_outcome(const ct_vrow_t *row)
{
	if (row->nv[CT_V_FAILS])
		return CT_V_FAILS;
	if (row->nv[CT_V_EQUAL])
		return CT_V_EQUAL;
	for (size_t i = 0; i < row->npts; i++)
		if (row->pts[i].v_each != CT_V_HOLDS)
			return CT_V_INCONCLUSIVE;
	return CT_V_HOLDS;
}

/* The point to show: the clearest failure or equal point, the weakest
 * holding one (on its own 95% CI), or the first that keeps the row from
 * holding (undecided on both its CIs). */
static void pick_decisive(ct_vrow_t *row)
{
	row->decisive = -1;
	double best = 0;
	bool holds = row->v == CT_V_HOLDS;
	for (size_t i = 0; i < row->npts; i++) {
		ct_claim_pt_t p = row->pts[i];
		if (holds)
			p.r = p.r_each, p.v = p.v_each;
		if (p.v != row->v)
			continue;
		if (row->v == CT_V_INCONCLUSIVE) {
			if (p.v_each == CT_V_HOLDS)
				continue;
			row->decisive = (int)i;
			return;
		}
		double k = clarity(row->claim, row->margin, &p);
		if (row->decisive < 0 || (holds ? k < best : k > best)) {
			row->decisive = (int)i;
			best = k;
		}
	}
}

static int judge_point(const ct_vrow_t *row, const ct_samples_t *s, ct_claim_pt_t *p)
{
	if (point_ratio(row->claim, s, row->conf, &p->r))
		return -1;
	p->v = ct_claim_judge(row->claim, row->margin, &p->r);
	if (row->npts == 1) {
		p->r_each = p->r;
	} else if (point_ratio(row->claim, s, CT_FAMILY_CONF, &p->r_each)) {
		return -1;
	}
	p->v_each = ct_claim_judge(row->claim, row->margin, &p->r_each);
	return 0;
}

int ct_vrow_judge(ct_vrow_t *row, double margin, const ct_samples_t *s, size_t k)
{
	row->npts = k;
	row->margin = margin;
	row->conf = 1 - (1 - CT_FAMILY_CONF) / (double)(k ? k : 1);
	memset(row->nv, 0, sizeof row->nv);
	for (size_t i = 0; i < k; i++) {
		if (judge_point(row, &s[i], &row->pts[i]))
			return -1;
		row->nv[row->pts[i].v]++;
	}
	row->v = k ? row_outcome(row) : CT_V_NA;
	pick_decisive(row);
	return 0;
}

/* The points of one row: every in-scope heap group of its series and
 * thread count with its counterpart, judged together. */
static int eval_row(const ct_rdir_t *d, const ids_t *ids, double margin, ct_vrow_t *row,
		    ct_claim_pt_t *store)
{
	ct_samples_t *s = malloc((d->ngroups + 1) * sizeof *s);
	size_t k = 0;
	if (!s)
		return -1;
	row->pts = store;
	for (size_t i = 0; i < d->ngroups; i++) {
		const ct_group_t *g = &d->groups[i];
		if (g->alloc != row->alloc || g->place != row->place || g->threads != row->threads ||
		    !in_scope(row->claim, ids, g))
			continue;
		const ct_group_t *o = counterpart(d, row->claim, ids, g);
		if (!o || !g->nok || !o->nok)
			continue;
		store[k] = (ct_claim_pt_t){.workload = g->workload, .size = g->size,
					   .size_bytes = g->size_bytes};
		s[k++] = (ct_samples_t){g->v[CT_M_NS], o->v[CT_M_NS], g->nok, o->nok};
	}
	int rc = ct_vrow_judge(row, margin, s, k);
	free(s);
	return rc;
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
	return ct_verdicts_eval_margin(d, CT_MARGIN_DEFAULT, out);
}

int ct_verdicts_eval_margin(const ct_rdir_t *d, double margin, ct_verdicts_t *out)
{
	memset(out, 0, sizeof *out);
	out->margin = margin;
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
				if (eval_row(d, &ids, margin, row, out->pts + out->npts))
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

/* Bounds are printed with the digits that put them on the same side of
 * every threshold and margin edge as the exact value: 1.0039 against a
 * threshold of 1 reads "1.004", not "1.00". Ratios near 1 read better as a
 * change in percent ("+0.4%"). */
#define MAX_EXTRA_DIGITS 3

/* Every t/(1+m), t, t(1+m) of the claim's thresholds t; returns how many. */
static size_t edges(const ct_claim_t *c, double m, double e[6])
{
	double t[2];
	size_t n = 0;
	for (size_t i = 0, nt = thresholds(c, t); i < nt; i++) {
		e[n++] = t[i] / (1 + m);
		e[n++] = t[i];
		e[n++] = t[i] * (1 + m);
	}
	return n;
}

/* Which side of edge e v is on; 0 within rounding error of it (a ratio
 * built to sit on an edge has no side to show). */
static int side(double v, double e)
{
	if (fabs(v - e) <= 1e-9 * fabs(e))
		return 0;
	return (v > e) - (v < e);
}

/* v in digits decimals (+ sign and % when pct) into buf; the value shown. */
static double show(double v, bool pct, int digits, char *buf, size_t len)
{
	snprintf(buf, len, pct ? "%+.*f%%" : "%.*f", digits, pct ? 100 * (v - 1) : v);
	double shown = strtod(buf, NULL);
	return pct ? 1 + shown / 100 : shown;
}

static void fmt_bound(double v, bool pct, const double *e, size_t ne, char *buf, size_t len)
{
	if (isnan(v)) {
		snprintf(buf, len, "?");
		return;
	}
	/* 3 significant digits to start with; whole numbers from 100 */
	int digits = pct ? 1 : v >= 100 ? 0 : v > 0 ? 2 - (int)floor(log10(v)) : 2;
	for (int extra = 0; extra <= MAX_EXTRA_DIGITS; extra++) {
		double shown = show(v, pct, digits + extra, buf, len);
		bool ok = true;
		for (size_t i = 0; i < ne; i++)
			ok = ok && (side(v, e[i]) == 0 || side(shown, e[i]) == side(v, e[i]));
		if (ok)
			return;
	}
}

static bool near_one(const ct_ratio_t *r)
{
	bool in = r->ratio >= 0.9 && r->ratio <= 1.1;
	return in && (!r->has_ci || (r->lo >= 0.8 && r->hi <= 1.25));
}

void ct_fmt_ratio_ci(const ct_claim_t *c, double margin, const ct_ratio_t *r, char *buf,
		     size_t len)
{
	double e[6];
	size_t ne = edges(c, margin, e);
	bool pct = near_one(r);
	char v[32], lo[32], hi[32];
	fmt_bound(r->ratio, pct, e, ne, v, sizeof v);
	if (!r->has_ci) {
		snprintf(buf, len, "%s%s", v, pct ? "" : "x");
		return;
	}
	fmt_bound(r->lo, pct, e, ne, lo, sizeof lo);
	fmt_bound(r->hi, pct, e, ne, hi, sizeof hi);
	snprintf(buf, len, "%s%s [%s, %s]", v, pct ? "" : "x", lo, hi);
}

/* "smaug 4KiB " for claims over several workloads, "4KiB " over sizes, "" for one point. */
static void where(const ct_rdir_t *d, const ct_vrow_t *row, const ct_claim_pt_t *p, char *buf,
		  size_t len)
{
	buf[0] = '\0';
	if (!row->claim->workload)
		snprintf(buf, len, "%s ", ct_rstr(d, p->workload));
	if (row->npts > 1 || !row->claim->workload) {
		size_t l = strlen(buf);
		snprintf(buf + l, len - l, "%s ", ct_rstr(d, p->size));
	}
}

/* The point with its CI r at level conf. */
static void fmt_point(const ct_rdir_t *d, const ct_vrow_t *row, const ct_claim_pt_t *p,
		      const ct_ratio_t *r, double conf, char *buf, size_t len)
{
	char w[96], x[128];
	where(d, row, p, w, sizeof w);
	ct_fmt_ratio_ci(row->claim, row->margin, r, x, sizeof x);
	if (r->has_ci)
		snprintf(buf, len, "%s%s", w, x);
	else
		snprintf(buf, len, "%s%s, too few repetitions for a %.3g%% CI", w, x, 100 * conf);
}

/* "; fails at smaug 4KiB 8KiB": the points of row with outcome v, if any. */
static size_t list_points(const ct_rdir_t *d, const ct_vrow_t *row, ct_verdict_t v,
			  const char *label, char *buf, size_t len)
{
	size_t n = 0;
	int last_wl = -1;
	for (size_t i = 0; i < row->npts && n < len; i++) {
		const ct_claim_pt_t *p = &row->pts[i];
		if (p->v != v)
			continue;
		const char *sep = n ? " " : label;
		if (!row->claim->workload && (int)p->workload != last_wl)
			n += (size_t)snprintf(buf + n, len - n, "%s%s%s", n ? ", " : label,
					      ct_rstr(d, p->workload), " ");
		else
			n += (size_t)snprintf(buf + n, len - n, "%s", sep);
		last_wl = (int)p->workload;
		if (n < len)
			n += (size_t)snprintf(buf + n, len - n, "%s", ct_rstr(d, p->size));
	}
	return n < len ? n : len;
}

void ct_vrow_why(const ct_rdir_t *d, const ct_vrow_t *r, char *buf, size_t len)
{
	static const struct {
		ct_verdict_t v;
		const char *label;
	} order[] = {{CT_V_FAILS, "; fails at "}, {CT_V_EQUAL, "; equal at "},
		     {CT_V_HOLDS, "; holds at "}, {CT_V_INCONCLUSIVE, "; undecided at "}};
	const char *what = r->claim->workload ? "sizes" : "points";
	bool each = r->v == CT_V_HOLDS; /* judged on the points' own 95% CIs */
	char pt[256] = "";
	if (r->decisive >= 0) {
		const ct_claim_pt_t *p = &r->pts[r->decisive];
		fmt_point(d, r, p, each ? &p->r_each : &p->r, each ? CT_FAMILY_CONF : r->conf, pt,
			  sizeof pt);
	}
	size_t n = (size_t)snprintf(buf, len, "%s", pt);
	if (r->npts <= 1 || n >= len)
		return;
	if (each) {
		snprintf(buf + n, len - n, "; holds at each of %zu %s (the weakest shown; each "
			 "CI at %.3g%%)", r->npts, what, 100 * CT_FAMILY_CONF);
		return;
	}
	for (size_t i = 0; i < sizeof order / sizeof order[0] && n < len; i++)
		n += list_points(d, r, order[i].v, order[i].label, buf + n, len - n);
	if (n < len)
		snprintf(buf + n, len - n, " (%zu %s, CIs at %.3g%%: 95%% together)", r->npts, what,
			 100 * r->conf);
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
