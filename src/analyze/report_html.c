/* report_html.c — report.html: one self-contained page, readable offline.
 * A table of contents, then the first screen: per machine the claims matrix
 * beside the trust panel, and a paragraph per allocator (report_glance.c,
 * report_trust.c); then the trust lines in full, the verdicts in detail (one
 * table per claim, machines side by side), likely mechanisms, the figures
 * (PNG embedded as base64 data URIs, one column per machine), contention
 * (its figures and factors), the stack-vs-heap tables in the seed's layout
 * (report_seed.c), then the machines. Nothing refers to the network.
 * Entry point: _ct_report_html(). */
#include "contend.h"
#include "report_parts.h"
#include "units.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Colours: a colour-blind-safe pair (blue holds, orange fails), and none for
 * undecided cells, which keep their grey text: colour means "decided". */
static const char css[] =
	"body{font-family:system-ui,sans-serif;margin:.6em auto;max-width:1400px;color:#222;"
	"padding:0 .8em;font-size:14px}h1{margin:.1em 0;font-size:1.5em}h2{border-bottom:2px solid "
	"#ccc;margin-top:1.6em}table{border-collapse:collapse;margin:.5em 0 1em}td,th{border:1px "
	"solid #ccc;padding:3px 7px;vertical-align:top}th{background:#f2f2f2}td.num{text-align:right;"
	"font-variant-numeric:tabular-nums}.HOLDS{background:#cfe3f6;color:#08306b}"
	".FAILS{background:#fdd0a2;color:#7f2704}.INCONCLUSIVE{background:#fff;color:#666}"
	".EQUAL{background:#e7e1ef;color:#3f007d}.NA{color:#999}small{color:#444}.seed{color:#555;font-style:italic;margin:.2em 0}"
	".partial{background:#fff0c2;border:1px solid #e0b000;padding:.4em .8em}.grid{display:grid;"
	"gap:1em}.grid img{width:100%;height:auto;border:1px solid #ddd}.legend{color:#444;"
	"font-size:.9em}code{background:#f4f4f4}td.k{font-family:monospace;white-space:nowrap}"
	"nav.toc{font-size:.9em;margin:.2em 0 .4em}nav.toc a{margin-right:.9em}"
	".glance{display:flex;flex-wrap:wrap;gap:10px;align-items:flex-start;margin:.3em 0}"
	"div.matrix{max-width:100%;overflow-x:auto}.glance>div.trust{flex:1 1 340px}table.matrix{margin:0;font-size:11px}"
	"table.matrix td,table.matrix th{padding:1px 3px;white-space:nowrap;text-align:center}"
	"table.matrix caption{text-align:left;font-weight:600;font-size:12px}"
	"table.matrix td.gap{text-align:left}td.gap div{width:0;min-width:100%;white-space:normal}"
	".grp{border-left:2px solid #888}div.trust{font-size:11px}div.trust table{margin:0}"
	"div.trust td,div.trust th{padding:1px 4px;text-align:left;font-weight:normal}"
	"div.trust td:first-child{white-space:nowrap}div.trust p{margin:0 0 .2em}.t-good{background:#cfe3f6}"
	".t-caution{background:#ffe9a8}.t-bad{background:#e66100;color:#fff;font-weight:700}"
	"p.overall{padding:2px 5px}p.para{margin:.2em 0;font-size:.92em}abbr{color:#444}"
	"td.rise{background:#fdd0a2}td.fall{background:#cfe3f6}td.undecided{color:#777}td.seedv{color:#555;font-style:italic}\n";

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

static const char *const toc[][2] = {
	{"verdicts", "Verdicts"}, {"trust", "Trust"}, {"claims", "Claims in detail"},
	{"mechanisms", "Mechanisms"}, {"figures", "Figures"}, {"contention", "Contention"},
	{"tables", "Seed tables"}, {"machines", "Machines"},
};

static void head(const ct_report_t *r, FILE *f)
{
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
		   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		   "<title>contend report</title>\n<style>%s</style></head><body>\n", css);
	fputs("<h1>contend report</h1>\n<nav class=\"toc\">", f);
	for (size_t i = 0; i < sizeof toc / sizeof toc[0]; i++)
		fprintf(f, "<a href=\"#%s\">%s</a>", toc[i][0], toc[i][1]);
	fputs("</nav>\n<p class=\"legend\">Do the single-threaded stack-vs-heap conclusions of "
	      "the Bilbo/Smaug study hold on N pinned threads, under each allocator?</p>\n", f);
	for (size_t k = 0; k < r->ndirs; k++)
		if (!r->dirs[k].complete)
			fprintf(f, "<p class=\"partial\"><b>Partial study</b> [%zu]: machine.json says "
				   "<code>\"complete\": false</code> — it did not finish; everything "
				   "below covers what it finished.</p>\n", k + 1);
}

/* The first screen: per machine the claims matrix beside the trust panel,
 * then a paragraph per allocator. */
static void glance(const ct_report_t *r, FILE *f)
{
	fputs("<section id=\"verdicts\">\n", f);
	for (size_t k = 0; k < r->ndirs; k++) {
		fputs("<div class=\"glance\">\n", f);
		_ct_glance_html(r, k, f);
		_ct_trust_html(r, k, f, true);
		fputs("</div>\n", f);
	}
	fputs("<p class=\"legend\">H holds, F fails: the ratio's CI is wholly beyond the claim's "
	      "threshold by more than the margin, on its side or the other (coloured); = equal: "
	      "the CI lies within the margin of the threshold, no practical difference (coloured); "
	      "? inconclusive: anything else (not coloured); base: the baseline of a contention claim; —: not measured (hover for "
	      "why). The number is the ratio that decided; hover a cell for its CI.</p>\n", f);
	for (size_t k = 0; k < r->ndirs; k++) {
		fprintf(f, "<div class=\"paras\"><p class=\"para\"><b>[%zu] ", k + 1);
		esc(f, r->dirs[k].label);
		fputs("</b></p>\n", f);
		_ct_paragraphs(r, k, f, true);
		fputs("</div>\n", f);
	}
	fputs("</section>\n", f);
}

static void trust(const ct_report_t *r, FILE *f)
{
	fputs("<h2 id=\"trust\">How far to trust it</h2>\n<p class=\"legend\">Each line: a plain "
	      "verdict, what was found, and what to do about it.</p>\n", f);
	for (size_t k = 0; k < r->ndirs; k++) {
		fprintf(f, "<h3>[%zu] ", k + 1);
		esc(f, r->dirs[k].label);
		fputs("</h3>\n<ul>\n", f);
		char line[2048];
		_ct_report_dir_line(r, k, line, sizeof line);
		fputs("<li>", f);
		esc(f, line);
		fputs("</li></ul>\n", f);
		_ct_trust_html(r, k, f, false);
	}
}

/* ---------------------------------------------------------------- verdicts */

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
	const ct_vrow_t *row = _ct_series_named(d, name, &al, &pl) ? ct_verdict_find(&r->v[k], c, al, pl, th)
							       : NULL;
	char why[512];
	if (!row) {
		if (_ct_claim_judged(r, k, c))
			_ct_cell_gap(d, c, name, th, why, sizeof why);
		else
			snprintf(why, sizeof why, "[%zu] cannot judge %s at all: see above", k + 1, c->id);
		fputs("<td class=\"NA\">—<br><small>", f);
		esc(f, why);
		fputs("</small></td>", f);
		return;
	}
	ct_vrow_why(d, row, why, sizeof why);
	const ct_outcome_style_t *st = _ct_outcome_style(row->v);
	fprintf(f, "<td class=\"%s\"><b>%s</b><br><small>", st->cls, st->word);
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
	fputs("”</p>\n", f);
	size_t judged = 0;
	for (size_t k = 0; k < r->ndirs; k++) {
		char why[512], cmd[1200];
		if (_ct_claim_judged(r, k, c) && ++judged)
			continue;
		_ct_claim_gap(&r->dirs[k], c, why, sizeof why, cmd, sizeof cmd);
		fprintf(f, "<p class=\"partial\">[%zu] not judged: ", k + 1);
		esc(f, why);
		fputs(". To fill it: <code>", f);
		esc(f, cmd);
		fputs("</code></p>\n", f);
	}
	if (!judged)
		return;
	fputs("<table>\n", f);
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
	size_t na = _ct_series_names(r, names, 64);
	fprintf(f, "<h2 id=\"claims\">Claims in detail</h2>\n<p class=\"legend\">Margin of practical "
		   "equivalence: <b>%g%%</b> around each threshold (<code>--margin</code>). Each cell: "
		   "the verdict, then the numbers that decided it — a ratio of medians with its "
		   "confidence interval (Hodges–Lehmann/Moses, distribution-free), in percent when "
		   "near 1. A point <b>HOLDS</b> when the whole interval is beyond the threshold on "
		   "the claim's side by more than the margin, <b>FAILS</b> when it is all beyond it "
		   "on the other side, is <b class=\"EQUAL\">EQUAL</b> when it lies within the "
		   "margin of the threshold (no practical difference), and is <b>INCONCLUSIVE</b> "
		   "otherwise. Over k sizes a claim FAILS if a size fails and is EQUAL if one is "
		   "equal, each interval at 1 − 5%%/k so that all k hold together at 95%%; it HOLDS "
		   "if every size holds on its own 95%% interval. The cell names the sizes of each "
		   "outcome.</p>\n", 100 * r->margin);
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

/* The figures of one kind (contention) or of every other kind, one row per
 * figure group with a column per machine. */
static void figure_rows(const ct_report_t *r, const ct_figures_t *F, bool contention, FILE *f)
{
	for (size_t i = 0; i < F->n; i++) {
		if ((strcmp(F->fig[i].kind, "contention") == 0) != contention)
			continue;
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
				fputs("<div class=\"NA\"><small>no such figure for this machine: it did "
				      "not run this workload at two or more thread counts</small></div>\n", f);
		}
		fputs("</div>\n", f);
	}
}

static void figures(const ct_report_t *r, const ct_figures_t *F, FILE *f)
{
	fputs("<h2 id=\"figures\">Figures</h2>\n<p class=\"legend\">Per workload: ns/op per "
	      "thread, the heap/stack ratio (above 1 the stack is faster), the ratio as a heatmap "
	      "(hatched, with ~: its 95% CI includes 1), and throughput against the ideal. Panels "
	      "of a figure share their axes; one legend per figure.</p>\n", f);
	if (F->note[0]) {
		fputs("<p class=\"partial\">", f);
		esc(f, F->note);
		fputs("</p>\n", f);
	}
	figure_rows(r, F, false, f);
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
	/* the text report's marks: ^ rises, v falls (the CI excludes 1); colour only then */
	bool up = c->cf.has_ci && c->cf.lo > 1, down = c->cf.has_ci && c->cf.hi < 1;
	const char *cls = up ? " rise" : down ? " fall" : "";
	strcat(v, up ? " ^" : down ? " v" : "");
	fprintf(f, "<tr><td>%s</td><td>%s</td><td>%s</td><td>", ct_rstr(d, c->g->workload),
		ct_rstr(d, c->g->mode), ct_rstr(d, c->g->size));
	esc(f, name);
	fprintf(f, "</td><td class=\"num\">%u</td><td class=\"num%s\">%s</td><td class=\"num\">%s</td>"
		   "<td class=\"num\">%s</td></tr>\n", c->g->threads, cls, v, ci, eff);
}

static void contention(const ct_report_t *r, const ct_figures_t *F, FILE *f)
{
	fputs("<h2 id=\"contention\">Contention</h2>\n<p class=\"legend\">The contention "
	      "workloads, every allocator side by side: ns/op per thread and the throughput of all "
	      "threads against threads.</p>\n", f);
	figure_rows(r, F, true, f);
	fputs("<h3>Contention factors</h3>\n<p class=\"legend\">ns/op per thread at N threads ÷ "
	      "at the smallest thread count, with its 95% CI (1.00: no contention; ^ rises, v "
	      "falls: the CI excludes 1, coloured); efficiency = ops/s at N ÷ (N × ops/s at 1 "
	      "thread), 100% is perfect scaling.</p>\n", f);
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
	glance(r, f);
	trust(r, f);
	verdicts(r, f);
	mechanisms(r, f);
	figures(r, figs, f);
	contention(r, figs, f);
	_ct_seed_tables_html(r, f);
	machines(r, f);
	failures(r, f);
	fputs("<p class=\"legend\">Made by contend " CT_VERSION ". Text: report.txt; figure data: "
	      "data/; figures: figures/.</p>\n</body></html>\n", f);
	return fclose(f) ? -1 : 0;
}
