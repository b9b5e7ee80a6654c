/* report_seed.c — the stack-vs-heap tables in the seed's layout (size,
 * stack ns/op, heap ns/op, heap/stack) at every thread count, each figure
 * with its 95% CI, beside the seed's own published numbers for Apple M1 Max
 * and Raspberry Pi 4. Those are quoted from the seed README, not measured
 * here, and are labelled so. Entry point: _ct_seed_tables_html(). */
#include "report_parts.h"
#include "units.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define KiB 1024ull

/* ---------------------------------------------------------------- the seed's numbers */

/* ns/op from the seed README (Go 1.25.4): its SmaugScalingStrict tables and
 * its Bilbo lines, per machine. Quoted, never measured by contend. */
typedef struct {
	uint64_t size;                 /* bytes; 0: Bilbo (one size) */
	double m1_stack, m1_heap;      /* Apple M1 Max, darwin/arm64 */
	double pi_stack, pi_heap;      /* Raspberry Pi 4 (Cortex-A72), linux/arm64 */
} seed_pub_t;

static const seed_pub_t seed_bilbo = {0, 0.9928, 12.16, 4.329, 128.0};

static const seed_pub_t seed_smaug[] = {
	{1 * KiB, 78.36, 207.6, 312.9, 3624},
	{2 * KiB, 159.3, 378.7, 1004, 5141},
	{4 * KiB, 379.5, 783.2, 2056, 7662},
	{8 * KiB, 559.6, 1472, 4010, 16647},
	{16 * KiB, 1093, 2650, 8356, 32821},
	{32 * KiB, 2170, 4091, 16979, 52303},
	{64 * KiB, 4555, 8818, 33483, 104008},
	{128 * KiB, 9562, 15704, 73383, 237656},
	{256 * KiB, 25385, 31312, 259084, 4244385},
	{512 * KiB, 51753, 53725, 1087095, 22560989},
	{1024 * KiB, 95518, 248863, 2860634, 59123750},
};

static const seed_pub_t *seed_for(const char *wl, uint64_t size)
{
	if (strcmp(wl, "bilbo") == 0)
		return &seed_bilbo;
	if (strcmp(wl, "smaug") != 0)
		return NULL;
	for (size_t i = 0; i < sizeof seed_smaug / sizeof seed_smaug[0]; i++)
		if (seed_smaug[i].size == size)
			return &seed_smaug[i];
	return NULL;
}

/* ---------------------------------------------------------------- cells */

static void seed_cells(const seed_pub_t *p, size_t rows, FILE *f)
{
	const double v[2][2] = {{p ? p->m1_stack : NAN, p ? p->m1_heap : NAN},
				{p ? p->pi_stack : NAN, p ? p->pi_heap : NAN}};
	for (size_t m = 0; m < 2; m++) {
		char a[16], b[16], q[16];
		if (!p) {
			fprintf(f, "<td class=\"NA\" colspan=\"3\" rowspan=\"%zu\">not in the seed's "
				   "tables</td>", rows);
			continue;
		}
		_ct_fmt_num(v[m][0], a, sizeof a);
		_ct_fmt_num(v[m][1], b, sizeof b);
		_ct_fmt_num(v[m][1] / v[m][0], q, sizeof q);
		fprintf(f, "<td class=\"num seedv\" rowspan=\"%zu\">%s</td><td class=\"num seedv\" "
			   "rowspan=\"%zu\">%s</td><td class=\"num seedv\" rowspan=\"%zu\">%sx</td>",
			rows, a, rows, b, rows, q);
	}
}

/* "12.6" and its CI below it */
static void ns_cell(const ct_group_t *g, FILE *f)
{
	char v[16], lo[16], hi[16];
	_ct_fmt_num(g->ns.median, v, sizeof v);
	if (!g->ns.has_ci) {
		fprintf(f, "<td class=\"num\">%s<br><small>no CI (%zu reps)</small></td>", v, g->nok);
		return;
	}
	_ct_fmt_num(g->ns.lo, lo, sizeof lo);
	_ct_fmt_num(g->ns.hi, hi, sizeof hi);
	fprintf(f, "<td class=\"num\">%s<br><small>[%s, %s]</small></td>", v, lo, hi);
}

/* heap/stack with its CI; "~" and no colour when the CI includes 1 (the
 * heatmap writes the same text). Orange: the stack is faster; blue: the heap. */
static void ratio_cell(const ct_group_t *h, const ct_group_t *s, FILE *f)
{
	ct_ratio_t q;
	if (ct_ratio_ci(h->v[CT_M_NS], h->nok, s->v[CT_M_NS], s->nok, 0.95, &q) || isnan(q.ratio)) {
		fputs("<td class=\"NA\">—<br><small>no ratio</small></td>", f);
		return;
	}
	char v[16], lo[16], hi[16];
	bool sig = q.has_ci && (q.lo > 1 || q.hi < 1);
	_ct_fmt_num(q.ratio, v, sizeof v);
	fprintf(f, "<td class=\"num %s\">%sx%s", !sig ? "undecided" : q.ratio > 1 ? "rise" : "fall",
		v, sig ? "" : " ~");
	if (q.has_ci) {
		_ct_fmt_num(q.lo, lo, sizeof lo);
		_ct_fmt_num(q.hi, hi, sizeof hi);
		fprintf(f, "<br><small>[%s, %s]</small>", lo, hi);
	}
	fputs("</td>", f);
}

/* ---------------------------------------------------------------- tables */

typedef struct {
	const ct_report_t *r;
	const char *wl, *alloc;
	uint64_t sizes[160];
	size_t nsz;
	unsigned th[256];
	size_t nt;
} seedtab_t;

static void add_size(seedtab_t *t, uint64_t s)
{
	size_t i = 0;
	while (i < t->nsz && t->sizes[i] < s)
		i++;
	if ((i < t->nsz && t->sizes[i] == s) || t->nsz == sizeof t->sizes / sizeof t->sizes[0])
		return;
	memmove(&t->sizes[i + 1], &t->sizes[i], (t->nsz - i) * sizeof t->sizes[0]);
	t->sizes[i] = s;
	t->nsz++;
}

static void add_threads(seedtab_t *t, unsigned th)
{
	size_t i = 0;
	while (i < t->nt && t->th[i] < th)
		i++;
	if ((i < t->nt && t->th[i] == th) || t->nt == sizeof t->th / sizeof t->th[0])
		return;
	memmove(&t->th[i + 1], &t->th[i], (t->nt - i) * sizeof t->th[0]);
	t->th[i] = th;
	t->nt++;
}

/* The sizes and thread counts of every machine, and for Smaug the seed's
 * sizes too, so a reader sees which of them the study left out. */
static void collect(seedtab_t *t)
{
	for (size_t k = 0; k < t->r->ndirs; k++) {
		const ct_rdir_t *d = &t->r->dirs[k];
		int w = ct_rdir_id(d, t->wl);
		uint64_t sz[128];
		unsigned th[256];
		size_t ns = w >= 0 ? ct_rdir_sizes(d, w, sz, 128) : 0;
		size_t nt = w >= 0 ? ct_rdir_threads(d, w, th, 256) : 0;
		for (size_t i = 0; i < ns; i++)
			add_size(t, sz[i]);
		for (size_t i = 0; i < nt; i++)
			add_threads(t, th[i]);
	}
	if (strcmp(t->wl, "smaug") == 0)
		for (size_t i = 0; i < sizeof seed_smaug / sizeof seed_smaug[0]; i++)
			add_size(t, seed_smaug[i].size);
}

static const ct_group_t *find(const ct_rdir_t *d, const seedtab_t *t, const char *mode,
			      uint64_t size, unsigned th)
{
	int w = ct_rdir_id(d, t->wl), m = ct_rdir_id(d, mode);
	unsigned al, pl;
	if (w < 0 || m < 0 || !_ct_series_named(d, t->alloc, &al, &pl))
		return NULL;
	const ct_group_t *g = ct_rdir_find(d, (unsigned)w, (unsigned)m, size, al, pl, th);
	return g && g->nok ? g : NULL;
}

/* One machine's three cells at a size and thread count, or why they are empty. */
static void machine_cells(const seedtab_t *t, size_t k, uint64_t size, unsigned th, FILE *f)
{
	const ct_rdir_t *d = &t->r->dirs[k];
	const ct_group_t *s = find(d, t, "stack", size, th), *h = find(d, t, "heap", size, th);
	if (s && h) {
		ns_cell(s, f);
		ns_cell(h, f);
		ratio_cell(h, s, f);
		return;
	}
	unsigned tt[256];
	int w = ct_rdir_id(d, t->wl);
	size_t nt = w >= 0 ? ct_rdir_threads(d, w, tt, 256) : 0, i = 0;
	while (i < nt && tt[i] != th)
		i++;
	fprintf(f, "<td class=\"NA\" colspan=\"3\"><small>[%zu] %s</small></td>", k + 1,
		i == nt ? "did not run this thread count" : s || h ? "one mode has no good repetitions"
							   : "no good repetitions here");
}

/* A size no machine measured: one row saying so, with the command. */
static void missing_size_row(const seedtab_t *t, uint64_t size, FILE *f)
{
	char b[32], scope[1024];
	fprintf(f, "<tr><th>%s</th><td class=\"NA\">—</td>", ct_format_size(size, b, sizeof b));
	seed_cells(seed_for(t->wl, size), 1, f);
	_ct_run_scope(&t->r->dirs[0], scope, sizeof scope);
	fprintf(f, "<td class=\"NA\" colspan=\"%zu\"><small>not measured: the study ran no %s at "
		   "%s. To fill it: <code>contend run -w %s -m stack,heap -s %s %s</code></small></td>"
		   "</tr>\n", 3 * t->r->ndirs, t->wl, b, t->wl, b, scope);
}

static void size_rows(const seedtab_t *t, uint64_t size, FILE *f)
{
	bool any = false;
	for (size_t k = 0; k < t->r->ndirs && !any; k++)
		for (size_t i = 0; i < t->nt && !any; i++)
			any = find(&t->r->dirs[k], t, "stack", size, t->th[i]) ||
			      find(&t->r->dirs[k], t, "heap", size, t->th[i]);
	if (!any) {
		missing_size_row(t, size, f);
		return;
	}
	char b[32];
	for (size_t i = 0; i < t->nt; i++) {
		fputs("<tr>", f);
		if (i == 0)
			fprintf(f, "<th rowspan=\"%zu\">%s</th>", t->nt, ct_format_size(size, b, sizeof b));
		fprintf(f, "<td class=\"num\">%u</td>", t->th[i]);
		if (i == 0)
			seed_cells(seed_for(t->wl, size), t->nt, f);
		for (size_t k = 0; k < t->r->ndirs; k++)
			machine_cells(t, k, size, t->th[i], f);
		fputs("</tr>\n", f);
	}
}

static void table_head(const seedtab_t *t, FILE *f)
{
	fputs("<table class=\"seedtab\"><tr><th rowspan=\"2\">size</th><th rowspan=\"2\">threads</th>"
	      "<th colspan=\"3\" class=\"seedv\">Apple M1 Max, 1 thread — quoted from the seed "
	      "README, not measured here</th><th colspan=\"3\" class=\"seedv\">Raspberry Pi 4, 1 "
	      "thread — quoted from the seed README, not measured here</th>", f);
	for (size_t k = 0; k < t->r->ndirs; k++) {
		fprintf(f, "<th colspan=\"3\">[%zu] ", k + 1);
		_ct_html_esc(f, t->r->dirs[k].label);
		fputs(" — measured</th>", f);
	}
	fputs("</tr>\n<tr>", f);
	for (int m = 0; m < 2; m++)
		fputs("<th class=\"seedv\">stack ns/op</th><th class=\"seedv\">heap ns/op</th>"
		      "<th class=\"seedv\">heap/stack</th>", f);
	for (size_t k = 0; k < t->r->ndirs; k++)
		fputs("<th>stack ns/op [95% CI]</th><th>heap ns/op [95% CI]</th>"
		      "<th>heap/stack [95% CI]</th>", f);
	fputs("</tr>\n", f);
}

static void seed_table(const ct_report_t *r, const char *wl, const char *alloc, bool open, FILE *f)
{
	seedtab_t t = {.r = r, .wl = wl, .alloc = alloc};
	collect(&t);
	fprintf(f, "<details%s><summary><b>%s, ", open ? " open" : "", wl);
	_ct_html_esc(f, alloc);
	fputs("</b></summary>\n", f);
	table_head(&t, f);
	for (size_t i = 0; i < t.nsz; i++)
		size_rows(&t, t.sizes[i], f);
	fputs("</table></details>\n", f);
}

/* Workloads with stack and heap modes in any directory. */
static bool seed_workload(const ct_report_t *r, const char *wl)
{
	for (size_t k = 0; k < r->ndirs; k++) {
		const ct_rdir_t *d = &r->dirs[k];
		int w = ct_rdir_id(d, wl), h = ct_rdir_id(d, "heap"), s = ct_rdir_id(d, "stack");
		bool hh = false, ss = false;
		for (size_t i = 0; i < d->ngroups && w >= 0; i++) {
			hh |= (int)d->groups[i].workload == w && (int)d->groups[i].mode == h;
			ss |= (int)d->groups[i].workload == w && (int)d->groups[i].mode == s;
		}
		if (hh && ss)
			return true;
	}
	return false;
}

/* The workload names of every directory, first appearance first. */
static size_t workloads(const ct_report_t *r, const char **wls, size_t max)
{
	size_t n = 0;
	for (size_t k = 0; k < r->ndirs; k++)
		for (size_t i = 0; i < r->dirs[k].ngroups; i++) {
			const char *w = ct_rstr(&r->dirs[k], r->dirs[k].groups[i].workload);
			size_t j = 0;
			while (j < n && strcmp(wls[j], w) != 0)
				j++;
			if (j == n && n < max)
				wls[n++] = w;
		}
	return n;
}

void _ct_seed_tables_html(const ct_report_t *r, FILE *f)
{
	const char *wls[64];
	size_t nw = workloads(r, wls, 64);
	const char *names[64];
	size_t na = _ct_series_names(r, names, 64);
	fputs("<h2 id=\"tables\">Stack vs heap, as in the seed's tables</h2>\n<p class=\"legend\">"
	      "Every workload with stack and heap modes. Median ns/op per thread with its 95% CI at every thread count; heap/stack is the "
	      "ratio of medians with its CI, <b>~</b> and no colour where the CI includes 1 (no "
	      "difference), orange where the stack is faster, blue where the heap is. The grey "
	      "italic columns are the seed's own published single-thread figures (Go 1.25.4), "
	      "quoted from its README for comparison — not measured by contend.</p>\n", f);
	for (size_t w = 0; w < nw; w++)
		if (seed_workload(r, wls[w]))
			for (size_t a = 0; a < na; a++)
				seed_table(r, wls[w], names[a], a == 0, f);
	for (size_t a = 0; a < na; a++)
		free((char *)names[a]);
}
