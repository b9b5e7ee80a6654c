/* xshapes.c — the two shapes of cross-thread frees side by side: xfree's
 * symmetric ring (remote: every thread allocates and frees its neighbour's)
 * and its one-way pipeline (pc: producers only allocate, consumers only
 * free), per size and thread count, each allocator's ns/op with the part
 * spent waiting on the other side, the allocator's own time without waits,
 * their ranks in each shape, and pc's producer and consumer times. The ranks are the point:
 * the shapes can order the allocators differently (README, "Cross-thread
 * frees"). Entry point: _ct_xfree_shapes(), for the text and HTML reports.
 *
 * Printed only where both shapes ran at the same size and thread count. */
#include "report_parts.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SERIES 64

typedef struct {
	const ct_rdir_t *d;
	int wl, ring, pc;       /* string ids; -1 when absent */
	unsigned al[MAX_SERIES], pl[MAX_SERIES];
	size_t ns;
	FILE *f;
	bool html;
} shapes_t;

static double med(const ct_group_t *g, ct_metric_t m)
{
	return g && g->nok ? ct_median(g->v[m], g->nok) : NAN;
}

/* Three significant digits, no exponent ("578", "60.0", "4.50"); "?" for NaN.
 * Kept here: the report writers' shared format lives in report_text.c,
 * which calls this file. */
static void fmt3(double v, char *buf, size_t len)
{
	if (isnan(v))
		snprintf(buf, len, "?");
	else
		snprintf(buf, len, fabs(v) >= 100 ? "%.0f" : fabs(v) >= 10 ? "%.1f" : "%.2f", v);
}

static const ct_group_t *find(const shapes_t *x, int mode, uint64_t size, size_t s, unsigned th)
{
	return ct_rdir_find(x->d, (unsigned)x->wl, (unsigned)mode, size, x->al[s], x->pl[s], th);
}

typedef double (*figure_fn)(const shapes_t *x, int mode, uint64_t size, unsigned th, size_t s);

/* Median ns/op per thread, waits included. */
static double wall(const shapes_t *x, int mode, uint64_t size, unsigned th, size_t s)
{
	return med(find(x, mode, size, s, th), CT_M_NS);
}

/* The allocator's own time per object, waits left out: in a pipeline the
 * slower side's own time (what its ns/op would be if nothing else ran), in
 * the ring ns/op less the wait (every thread does both halves). */
static double own(const shapes_t *x, int mode, uint64_t size, unsigned th, size_t s)
{
	const ct_group_t *g = find(x, mode, size, s, th);
	double p = med(g, CT_M_PROD), c = med(g, CT_M_CONS), w = med(g, CT_M_WAIT);
	if (!isnan(p) && !isnan(c))
		return p > c ? p : c;
	return med(g, CT_M_NS) - (isnan(w) ? 0 : w);
}

/* 1 + how many series are faster than series s by fig (0: not measured). */
static unsigned rank_of(const shapes_t *x, figure_fn fig, int mode, uint64_t size, unsigned th,
			size_t s)
{
	double mine = fig(x, mode, size, th, s);
	if (isnan(mine))
		return 0;
	unsigned r = 1;
	for (size_t o = 0; o < x->ns; o++)
		r += fig(x, mode, size, th, o) < mine;
	return r;
}

/* "578 (w 500) #4 | 78.0 #1": ns/op, its waiting part and rank; own time and rank. */
static void shape_cells(const shapes_t *x, int mode, uint64_t size, unsigned th, size_t s,
			char *ns, char *mine, size_t len)
{
	const ct_group_t *g = find(x, mode, size, s, th);
	char v[16], w[16], o[16];
	if (!g || !g->nok) {
		snprintf(ns, len, "-");
		snprintf(mine, len, "-");
		return;
	}
	fmt3(med(g, CT_M_NS), v, sizeof v);
	fmt3(med(g, CT_M_WAIT), w, sizeof w);
	fmt3(own(x, mode, size, th, s), o, sizeof o);
	snprintf(ns, len, "%s (w %s) #%u", v, w, rank_of(x, wall, mode, size, th, s));
	snprintf(mine, len, "%s #%u", o, rank_of(x, own, mode, size, th, s));
}

static void row(const shapes_t *x, uint64_t size, unsigned th, size_t s)
{
	char name[160], ring[48], ring_own[48], pc[48], pc_own[48], p[16] = "-", c[16] = "-";
	const ct_group_t *g = find(x, x->pc, size, s, th);
	ct_series_name(x->d, x->al[s], x->pl[s], name, sizeof name);
	shape_cells(x, x->ring, size, th, s, ring, ring_own, sizeof ring);
	shape_cells(x, x->pc, size, th, s, pc, pc_own, sizeof pc);
	if (!isnan(med(g, CT_M_PROD)) && !isnan(med(g, CT_M_CONS))) { /* one thread: no sides */
		fmt3(med(g, CT_M_PROD), p, sizeof p);
		fmt3(med(g, CT_M_CONS), c, sizeof c);
	}
	const char *sz = ct_rstr(x->d, (g ? g : find(x, x->ring, size, s, th))->size);
	if (x->html)
		fprintf(x->f, "<tr><td>%s</td><td class=\"num\">%u</td><td>%s</td><td class=\"num\">%s"
			      "</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">"
			      "%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td></tr>\n",
			sz, th, name, ring, ring_own, pc, pc_own, p, c);
	else
		fprintf(x->f, "  %-6s %3u  %-10s %-21s %-10s %-21s %-10s %6s %6s\n", sz, th, name, ring,
			ring_own, pc, pc_own, p, c);
}

/* Both shapes measured at this size and thread count for some series. */
static bool both_ran(const shapes_t *x, uint64_t size, unsigned th)
{
	for (size_t s = 0; s < x->ns; s++)
		if (find(x, x->ring, size, s, th) && find(x, x->pc, size, s, th))
			return true;
	return false;
}

static void header(const shapes_t *x, const char *workload, size_t k)
{
	static const char legend[] =
		"ns/op per thread, median (w: of it waiting on the other side: an empty or full\n"
		"queue) and #rank among allocators; own: the allocator's time without waits (ring:\n"
		"ns/op - w; pc: the slower side's, max(producer, consumer)) and its #rank;\n"
		"producer, consumer: each side's own ns/op. On a busy machine rank by own";
	if (x->html) {
		fprintf(x->f, "<h3>Cross-thread frees: ring and one way — [%zu] %s", k + 1, workload);
		fprintf(x->f, "</h3>\n<p class=\"legend\">%s.</p>\n<table><tr><th>size</th>"
			      "<th>threads</th><th>allocator</th><th>ring (remote)</th><th>ring own</th>"
			      "<th>one way (pc)</th><th>pc own</th><th>pc producer</th><th>pc consumer"
			      "</th></tr>\n", legend);
		return;
	}
	fprintf(x->f, "\n== Cross-thread frees: ring and one way — [%zu] %s ==\n%s.\n", k + 1,
		workload, legend);
	fprintf(x->f, "  %-6s %3s  %-10s %-21s %-10s %-21s %-10s %6s %6s\n", "size", "thr", "alloc",
		"ring (remote)", "ring own", "one way (pc)", "pc own", "prod", "cons");
}

/* xfree, or xfree with parameters ("xfree/batch=256/depth=2"). */
static bool is_xfree(const char *name)
{
	return strncmp(name, "xfree", 5) == 0 && (name[5] == '\0' || name[5] == '/');
}

static size_t one_workload(shapes_t *x, size_t k)
{
	unsigned th[256];
	uint64_t sz[128];
	size_t nt = ct_rdir_threads(x->d, x->wl, th, 256), nz = ct_rdir_sizes(x->d, x->wl, sz, 128);
	size_t rows = 0;
	for (size_t z = 0; z < nz; z++)
		for (size_t t = 0; t < nt; t++) {
			if (!both_ran(x, sz[z], th[t]))
				continue;
			if (!rows)
				header(x, ct_rstr(x->d, (unsigned)x->wl), k);
			for (size_t s = 0; s < x->ns; s++, rows++)
				row(x, sz[z], th[t], s);
		}
	if (rows && x->html)
		fputs("</table>\n", x->f);
	return rows;
}

size_t _ct_xfree_shapes(const ct_rdir_t *d, size_t k, FILE *f, bool html)
{
	shapes_t x = {.d = d, .ring = ct_rdir_id(d, "remote"), .pc = ct_rdir_id(d, "pc"), .f = f,
		      .html = html};
	size_t rows = 0;
	if (x.ring < 0 || x.pc < 0)
		return 0;
	x.ns = ct_series(d, x.al, x.pl, MAX_SERIES);
	for (size_t i = 0; i < d->ngroups; i++) { /* groups are sorted by workload first */
		unsigned wl = d->groups[i].workload;
		if ((i == 0 || wl != d->groups[i - 1].workload) && is_xfree(ct_rstr(d, wl))) {
			x.wl = (int)wl;
			rows += one_workload(&x, k);
		}
	}
	return rows;
}
