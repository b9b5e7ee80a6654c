/* report_html.c — report.html: one self-contained page, readable offline.
 * Verdicts first (one table per claim, machines side by side), likely
 * mechanisms, then the figures (PNG embedded as base64 data URIs, one
 * column per machine), the contention factors, the stack-vs-heap tables in
 * the seed's layout, then the machines. Nothing refers to the network.
 * Entry point: _ct_report_html(). */
#include "contend.h"
#include "report_parts.h"
#include "units.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char css[] =
	"body{font-family:system-ui,sans-serif;margin:1.5em auto;max-width:1400px;color:#222;"
	"padding:0 1em}h1{margin-bottom:.2em}h2{border-bottom:2px solid #ccc;margin-top:1.6em}"
	"table{border-collapse:collapse;margin:.5em 0 1em}td,th{border:1px solid #ccc;"
	"padding:3px 7px;vertical-align:top}th{background:#f2f2f2}td.num{text-align:right;"
	"font-variant-numeric:tabular-nums}.HOLDS{background:#d9f2d9}.FAILS{background:#f8d4d4}"
	".INCONCLUSIVE{background:#fdf0c8}.NA{color:#999}small{color:#444}.seed{color:#555;"
	"font-style:italic;margin:.2em 0}.partial{background:#fdf0c8;border:1px solid #e0b000;"
	"padding:.4em .8em}.grid{display:grid;gap:1em}.grid img{width:100%;height:auto;"
	"border:1px solid #ddd}.legend{color:#444;font-size:.9em}code{background:#f4f4f4}"
	"td.k{font-family:monospace;white-space:nowrap}\n";

/* ---------------------------------------------------------------- helpers */

static void esc(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

static int base64_file(FILE *f, const char *path)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	FILE *in = fopen(path, "rb");
	if (!in)
		return -1;
	unsigned char b[3 * 1024];
	size_t n;
	while ((n = fread(b, 1, sizeof b, in)) > 0) {
		for (size_t i = 0; i < n; i += 3) {
			unsigned v = (unsigned)b[i] << 16 | (i + 1 < n ? (unsigned)b[i + 1] << 8 : 0) |
				     (i + 2 < n ? b[i + 2] : 0);
			char q[4] = {tab[v >> 18], tab[(v >> 12) & 63], i + 1 < n ? tab[(v >> 6) & 63] : '=',
				     i + 2 < n ? tab[v & 63] : '='};
			fwrite(q, 1, 4, f);
		}
	}
	fclose(in);
	return 0;
}

/* ---------------------------------------------------------------- head */

static void head(const ct_report_t *r, FILE *f)
{
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
		   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		   "<title>contend report</title>\n<style>%s</style></head><body>\n", css);
	fputs("<h1>contend report</h1>\n<p class=\"legend\">Do the single-threaded stack-vs-heap "
	      "conclusions of the Bilbo/Smaug study hold on N pinned threads, under each "
	      "allocator? One column group per machine.</p>\n<ul>\n", f);
	for (size_t k = 0; k < r->ndirs; k++) {
		char line[2048];
		_ct_report_dir_line(r, k, line, sizeof line);
		fputs("<li>", f);
		esc(f, line);
		fputs("</li>\n", f);
	}
	fputs("</ul>\n", f);
	for (size_t k = 0; k < r->ndirs; k++)
		if (!r->dirs[k].complete)
			fprintf(f, "<p class=\"partial\"><b>Partial study</b> [%zu]: machine.json says "
				   "<code>\"complete\": false</code> — it did not finish; everything "
				   "below covers what it finished.</p>\n", k + 1);
}

/* ---------------------------------------------------------------- verdicts */

static size_t alloc_names(const ct_report_t *r, const char **names, size_t max)
{
	size_t n = 0;
	for (size_t k = 0; k < r->ndirs; k++) {
		const ct_rdir_t *d = &r->dirs[k];
		unsigned al[64], pl[64];
		size_t ns = ct_series(d, al, pl, 64);
		for (size_t s = 0; s < ns; s++) {
			char name[160];
			ct_series_name(d, al[s], pl[s], name, sizeof name);
			size_t i = 0;
			while (i < n && strcmp(names[i], name) != 0)
				i++;
			if (i == n && n < max && (names[n] = strdup(name)))
				n++;
		}
	}
	return n;
}

/* The series of d called name, or false. */
static bool series_named(const ct_rdir_t *d, const char *name, unsigned *al, unsigned *pl)
{
	unsigned a[64], p[64];
	size_t ns = ct_series(d, a, p, 64);
	for (size_t s = 0; s < ns; s++) {
		char n[160];
		ct_series_name(d, a[s], p[s], n, sizeof n);
		if (strcmp(n, name) == 0)
			return *al = a[s], *pl = p[s], true;
	}
	return false;
}

static void machine_header(const ct_report_t *r, FILE *f, const char *first, int per_thread_cols)
{
	fprintf(f, "<tr><th rowspan=\"2\">%s</th>", first);
	for (size_t k = 0; k < r->ndirs; k++) {
		unsigned th[256];
		size_t nt = ct_rdir_threads(&r->dirs[k], -1, th, 256);
		fprintf(f, "<th colspan=\"%zu\">[%zu] ", per_thread_cols ? nt : 1, k + 1);
		esc(f, r->dirs[k].label);
		fputs("</th>", f);
	}
	fputs("</tr>\n<tr>", f);
	for (size_t k = 0; k < r->ndirs; k++) {
		unsigned th[256];
		size_t nt = ct_rdir_threads(&r->dirs[k], -1, th, 256);
		for (size_t t = 0; t < nt; t++)
			fprintf(f, "<th>%u thr</th>", th[t]);
	}
	fputs("</tr>\n", f);
}

static void verdict_cell(const ct_report_t *r, size_t k, const ct_claim_t *c, const char *name,
			 unsigned th, FILE *f)
{
	const ct_rdir_t *d = &r->dirs[k];
	unsigned al, pl;
	const ct_vrow_t *row = series_named(d, name, &al, &pl) ? ct_verdict_find(&r->v[k], c, al, pl, th)
							       : NULL;
	if (!row) {
		fputs("<td class=\"NA\">—</td>", f);
		return;
	}
	char why[512];
	ct_vrow_why(d, row, why, sizeof why);
	fprintf(f, "<td class=\"%s\"><b>%s</b><br><small>", ct_verdict_name(row->v),
		ct_verdict_name(row->v));
	esc(f, why);
	fputs("</small></td>", f);
}

static void claim_table(const ct_report_t *r, const ct_claim_t *c, const char **names, size_t na,
			FILE *f)
{
	char thr[64];
	ct_claim_threshold(c, thr, sizeof thr);
	fprintf(f, "<h3 id=\"%s\">%s — ", c->id, c->id);
	esc(f, c->claim);
	fputs("</h3>\n<p class=\"seed\">seed: “", f);
	esc(f, c->seed);
	fputs("”</p>\n<table>\n", f);
	machine_header(r, f, "allocator", 1);
	for (size_t a = 0; a < na; a++) {
		fputs("<tr><th>", f);
		esc(f, names[a]);
		fputs("</th>", f);
		for (size_t k = 0; k < r->ndirs; k++) {
			unsigned th[256];
			size_t nt = ct_rdir_threads(&r->dirs[k], -1, th, 256);
			for (size_t t = 0; t < nt; t++)
				verdict_cell(r, k, c, names[a], th[t], f);
		}
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
}

static void verdicts(const ct_report_t *r, FILE *f)
{
	const char *names[64];
	size_t na = alloc_names(r, names, 64);
	fputs("<h2 id=\"verdicts\">Verdicts</h2>\n<p class=\"legend\">Each cell: the verdict, then "
	      "the numbers that decided it — a ratio of medians with its 95% confidence interval "
	      "(Hodges–Lehmann/Moses, distribution-free). A point <b>HOLDS</b> when the whole "
	      "interval is on the claim's side of the threshold, <b>FAILS</b> when it is all on "
	      "the other side, and is <b>INCONCLUSIVE</b> when it straddles the threshold. A claim "
	      "over several sizes holds only where it holds at every size; the size shown is the "
	      "weakest holding one, the clearest failure, or an undecided one.</p>\n", f);
	for (size_t c = 0; c < ct_nclaims; c++)
		claim_table(r, &ct_claims[c], names, na, f);
	for (size_t a = 0; a < na; a++)
		free((char *)names[a]);
}

/* ---------------------------------------------------------------- mechanisms */

static void mechanisms(const ct_report_t *r, FILE *f)
{
	fputs("<h2 id=\"mechanisms\">Likely mechanisms</h2>\n", f);
	for (size_t k = 0; k < r->ndirs; k++) {
		char *buf = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);
		if (!m)
			continue;
		size_t n = ct_mechanisms(&r->dirs[k], r->c[k].v, r->c[k].n, m, "");
		fclose(m);
		fprintf(f, "<h3>[%zu] ", k + 1);
		esc(f, r->dirs[k].label);
		fputs("</h3>\n<ul>\n", f);
		for (char *save, *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			fputs("<li>", f);
			esc(f, line);
			fputs("</li>\n", f);
		}
		if (!n)
			fputs("<li>none stands out: no faults rising with size, no context switches "
			      "rising with threads, no slowdown without them</li>\n", f);
		fputs("</ul>\n", f);
		free(buf);
	}
}

/* ---------------------------------------------------------------- figures */

static void figure(const ct_report_t *r, const ct_figure_t *fig, FILE *f)
{
	char p[4400];
	snprintf(p, sizeof p, "%s/%s", r->out, fig->png);
	fputs("<figure style=\"margin:0\"><img alt=\"", f);
	esc(f, fig->title);
	fputs("\" src=\"data:image/png;base64,", f);
	base64_file(f, p);
	fputs("\"><figcaption><small>", f);
	esc(f, fig->title);
	if (fig->svg[0]) {
		fputs(" — SVG: ", f);
		esc(f, fig->svg);
	}
	fputs("</small></figcaption></figure>\n", f);
}

static void figures(const ct_report_t *r, const ct_figures_t *F, FILE *f)
{
	fputs("<h2 id=\"figures\">Figures</h2>\n", f);
	if (F->note[0]) {
		fputs("<p class=\"partial\">", f);
		esc(f, F->note);
		fputs("</p>\n", f);
	}
	for (size_t i = 0; i < F->n; i++) {
		bool first = true;
		for (size_t j = 0; j < i; j++)
			first &= strcmp(F->fig[j].group, F->fig[i].group) != 0;
		if (!first)
			continue;
		fprintf(f, "<div class=\"grid\" style=\"grid-template-columns:repeat(%zu,1fr)\">\n",
			r->ndirs);
		for (size_t k = 0; k < r->ndirs; k++) {
			size_t j = i;
			while (j < F->n && !(F->fig[j].dir == k && strcmp(F->fig[j].group, F->fig[i].group) == 0))
				j++;
			if (j < F->n)
				figure(r, &F->fig[j], f);
			else
				fputs("<div></div>\n", f);
		}
		fputs("</div>\n", f);
	}
}

/* ---------------------------------------------------------------- contention */

static void contention_row(const ct_rdir_t *d, const ct_contention_t *c, FILE *f)
{
	char name[160], v[16], lo[16], hi[16], ci[64] = "no CI", eff[16] = "";
	ct_series_name(d, c->g->alloc, c->g->place, name, sizeof name);
	_ct_fmt_num(c->cf.ratio, v, sizeof v);
	if (c->cf.has_ci) {
		_ct_fmt_num(c->cf.lo, lo, sizeof lo);
		_ct_fmt_num(c->cf.hi, hi, sizeof hi);
		snprintf(ci, sizeof ci, "[%s, %s]", lo, hi);
	}
	if (!isnan(c->eff.ratio))
		snprintf(eff, sizeof eff, "%.0f%%", 100 * c->eff.ratio);
	const char *cls = !c->cf.has_ci ? "" : c->cf.lo > 1.1 ? " class=\"FAILS\""
		       : c->cf.hi < 0.9 ? " class=\"HOLDS\"" : "";
	fprintf(f, "<tr><td>%s</td><td>%s</td><td>%s</td><td>", ct_rstr(d, c->g->workload),
		ct_rstr(d, c->g->mode), ct_rstr(d, c->g->size));
	esc(f, name);
	fprintf(f, "</td><td class=\"num\">%u</td><td class=\"num\"%s>%s</td><td class=\"num\">%s</td>"
		   "<td class=\"num\">%s</td></tr>\n", c->g->threads, cls, v, ci, eff);
}

static void contention(const ct_report_t *r, FILE *f)
{
	fputs("<h2 id=\"contention\">Contention factors</h2>\n<p class=\"legend\">ns/op per thread "
	      "at N threads ÷ at the smallest thread count, with its 95% CI (1.00: no contention); "
	      "efficiency = ops/s at N ÷ (N × ops/s at 1 thread), 100% is perfect scaling.</p>\n", f);
	for (size_t k = 0; k < r->ndirs; k++) {
		const ct_rdir_t *d = &r->dirs[k];
		fprintf(f, "<details%s><summary>[%zu] ", k == 0 ? " open" : "", k + 1);
		esc(f, d->label);
		fputs("</summary>\n<table><tr><th>workload</th><th>mode</th><th>size</th>"
		      "<th>allocator</th><th>threads</th><th>factor</th><th>95% CI</th>"
		      "<th>efficiency</th></tr>\n", f);
		for (size_t i = 0; i < r->c[k].n; i++)
			contention_row(d, &r->c[k].v[i], f);
		fputs("</table>\n", f);
		_ct_xfree_shapes(d, k, f, true);
		fputs("</details>\n", f);
	}
}

/* ---------------------------------------------------------------- seed-style tables */

/* "12.6" ns/op of a benchmark, or "—". */
static void ns_cell(const ct_group_t *g, FILE *f)
{
	char v[16];
	if (!g || !g->nok) {
		fputs("<td class=\"NA\">—</td>", f);
		return;
	}
	_ct_fmt_num(g->ns.median, v, sizeof v);
	fprintf(f, "<td class=\"num\">%s</td>", v);
}

static void ratio_cell(const ct_group_t *h, const ct_group_t *s, FILE *f)
{
	ct_ratio_t q;
	if (!h || !s || !h->nok || !s->nok ||
	    ct_ratio_ci(h->v[CT_M_NS], h->nok, s->v[CT_M_NS], s->nok, 0.95, &q)) {
		fputs("<td class=\"NA\">—</td>", f);
		return;
	}
	char v[16];
	_ct_fmt_num(q.ratio, v, sizeof v);
	bool sig = q.has_ci && (q.lo > 1 || q.hi < 1);
	fprintf(f, "<td class=\"num %s\">%sx%s</td>", q.ratio > 1 ? "HOLDS" : "FAILS", v, sig ? "" : " ~");
}

/* One row of a seed-style table: a size, and per machine stack, heap, ratios. */
static void seed_row(const ct_report_t *r, const char *wl, const char *alloc, uint64_t size, FILE *f)
{
	char b[32];
	fprintf(f, "<tr><th>%s</th>", ct_format_size(size, b, sizeof b));
	for (size_t k = 0; k < r->ndirs; k++) {
		const ct_rdir_t *d = &r->dirs[k];
		unsigned th[256], al, pl;
		size_t nt = ct_rdir_threads(d, -1, th, 256);
		int w = ct_rdir_id(d, wl), h = ct_rdir_id(d, "heap"), s = ct_rdir_id(d, "stack");
		bool ok = w >= 0 && h >= 0 && s >= 0 && nt && series_named(d, alloc, &al, &pl);
#define FIND(mode, t) (ok ? ct_rdir_find(d, (unsigned)w, (unsigned)(mode), size, al, pl, (t)) : NULL)
		ns_cell(FIND(s, th[0]), f);
		ns_cell(FIND(h, th[0]), f);
		ratio_cell(FIND(h, th[0]), FIND(s, th[0]), f);
		ratio_cell(FIND(h, th[nt ? nt - 1 : 0]), FIND(s, th[nt ? nt - 1 : 0]), f);
#undef FIND
	}
	fputs("</tr>\n", f);
}

static void seed_table(const ct_report_t *r, const char *wl, const char *alloc, FILE *f)
{
	uint64_t sizes[256];
	size_t n = 0;
	for (size_t k = 0; k < r->ndirs; k++) {
		uint64_t sz[128];
		int w = ct_rdir_id(&r->dirs[k], wl);
		size_t ns = w >= 0 ? ct_rdir_sizes(&r->dirs[k], w, sz, 128) : 0;
		for (size_t i = 0; i < ns; i++) {
			size_t j = 0;
			while (j < n && sizes[j] != sz[i])
				j++;
			if (j == n && n < 256)
				sizes[n++] = sz[i];
		}
	}
	fprintf(f, "<h3>%s, ", wl);
	esc(f, alloc);
	fputs("</h3>\n<table><tr><th rowspan=\"2\">size</th>", f);
	for (size_t k = 0; k < r->ndirs; k++) {
		fprintf(f, "<th colspan=\"4\">[%zu] ", k + 1);
		esc(f, r->dirs[k].label);
		fputs("</th>", f);
	}
	fputs("</tr>\n<tr>", f);
	for (size_t k = 0; k < r->ndirs; k++) {
		unsigned th[256];
		size_t nt = ct_rdir_threads(&r->dirs[k], -1, th, 256);
		unsigned lo = nt ? th[0] : 1, hi = nt ? th[nt - 1] : 1;
		fprintf(f, "<th>stack ns/op, %u thr</th><th>heap ns/op, %u thr</th><th>heap/stack, "
			   "%u thr</th><th>heap/stack, %u thr</th>", lo, lo, lo, hi);
	}
	fputs("</tr>\n", f);
	for (size_t i = 0; i < n; i++)
		seed_row(r, wl, alloc, sizes[i], f);
	fputs("</table>\n", f);
}

static void seed_tables(const ct_report_t *r, FILE *f)
{
	const char *names[64];
	size_t na = alloc_names(r, names, 64);
	fputs("<h2 id=\"tables\">Stack vs heap, as in the seed's tables</h2>\n<p class=\"legend\">"
	      "Median ns/op per thread; heap/stack is the ratio of medians, <b>~</b> where its 95% CI "
	      "includes 1 (not a significant difference).</p>\n", f);
	const ct_rdir_t *d0 = &r->dirs[0];
	for (size_t i = 0; i < d0->ngroups; i++) {
		unsigned wl = d0->groups[i].workload;
		if (i > 0 && wl == d0->groups[i - 1].workload)
			continue;
		if (ct_rdir_id(d0, "heap") < 0 || ct_rdir_id(d0, "stack") < 0)
			continue;
		for (size_t a = 0; a < na; a++)
			seed_table(r, ct_rstr(d0, wl), names[a], f);
	}
	for (size_t a = 0; a < na; a++)
		free((char *)names[a]);
}

/* ---------------------------------------------------------------- machines, failures */

static void machines(const ct_report_t *r, FILE *f)
{
	fputs("<h2 id=\"machines\">Machines</h2>\n<table><tr><th>machine.json</th>", f);
	for (size_t k = 0; k < r->ndirs; k++) {
		fprintf(f, "<th>[%zu] ", k + 1);
		esc(f, r->dirs[k].path);
		fputs("</th>", f);
	}
	fputs("</tr>\n", f);
	for (size_t k = 0; k < r->ndirs; k++)
		for (size_t i = 0; i < r->dirs[k].nkv; i++) {
			const char *key = r->dirs[k].kv[i].key;
			bool seen = false;
			for (size_t j = 0; j < k && !seen; j++)
				seen = ct_rdir_kv(&r->dirs[j], key) != NULL;
			if (seen)
				continue;
			fputs("<tr><td class=\"k\">", f);
			esc(f, key);
			fputs("</td>", f);
			for (size_t j = 0; j < r->ndirs; j++) {
				const char *v = ct_rdir_kv(&r->dirs[j], key);
				fputs("<td>", f);
				esc(f, v ? v : "—");
				fputs("</td>", f);
			}
			fputs("</tr>\n", f);
		}
	fputs("</table>\n", f);
}

static void failures(const ct_report_t *r, FILE *f)
{
	for (size_t k = 0; k < r->ndirs; k++) {
		const ct_rdir_t *d = &r->dirs[k];
		if (!d->nfailed)
			continue;
		fprintf(f, "<h2>Failed repetitions [%zu]: %zu</h2>\n<ul>\n", k + 1, d->nfailed);
		for (size_t i = 0; i < d->ngroups; i++) {
			const ct_group_t *g = &d->groups[i];
			if (!g->nfailed)
				continue;
			fprintf(f, "<li>%s %s %s %s %u thr: %zu of %zu failed: ", ct_rstr(d, g->workload),
				ct_rstr(d, g->mode), ct_rstr(d, g->size), ct_rstr(d, g->alloc), g->threads,
				g->nfailed, g->nfailed + g->nok);
			esc(f, ct_rstr(d, g->error));
			fputs("</li>\n", f);
		}
		fputs("</ul>\n", f);
	}
}

int _ct_report_html(const ct_report_t *r, const ct_figures_t *figs, const char *path)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	head(r, f);
	verdicts(r, f);
	mechanisms(r, f);
	figures(r, figs, f);
	contention(r, f);
	seed_tables(r, f);
	machines(r, f);
	failures(r, f);
	fputs("<p class=\"legend\">Made by contend " CT_VERSION ". Text: report.txt; figure data: "
	      "data/; figures: figures/.</p>\n</body></html>\n", f);
	return fclose(f) ? -1 : 0;
}
