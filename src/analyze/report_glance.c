/* report_glance.c — the report's one-screen answer: a matrix of claims
 * against allocators and thread counts, each cell the outcome and the ratio
 * that decided it, then a paragraph per allocator in plain words read from
 * the same numbers as the figures. Also why a claim or a cell is empty and
 * the `contend run` command that would fill it, and how each outcome is
 * shown (_ct_outcome_style: the one place that maps outcomes to looks).
 * Entry points: _ct_glance_text(), _ct_glance_html(), _ct_paragraphs(). */
#include "report_parts.h"
#include "units.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- outcomes */

/* One line per outcome of ct_verdict_t. Colours (CSS in report_html.c, by
 * class) are given to decided outcomes only: an undecided cell must not look
 * like an answer. */
static const ct_outcome_style_t outcome_styles[] = {
	[CT_V_NA] = {"NA", "-", '-', false},
	[CT_V_HOLDS] = {"HOLDS", "HOLDS", 'H', true},
	[CT_V_FAILS] = {"FAILS", "FAILS", 'F', true},
	[CT_V_INCONCLUSIVE] = {"INCONCLUSIVE", "INCONCLUSIVE", '?', false},
	[CT_V_EQUAL] = {"EQUAL", "EQUAL", '=', true},
};

const ct_outcome_style_t *_ct_outcome_style(ct_verdict_t v)
{
	size_t n = sizeof outcome_styles / sizeof outcome_styles[0];
	if ((size_t)v >= n || !outcome_styles[v].cls) /* an outcome without its line yet */
		return &outcome_styles[CT_V_INCONCLUSIVE];
	return &outcome_styles[v];
}

/* ---------------------------------------------------------------- small helpers */

/* Append to buf (always NUL-terminated). */
static void cat(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void cat(char *buf, size_t len, const char *fmt, ...)
{
	size_t n = strlen(buf);
	if (n + 1 >= len)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
}

void _ct_run_scope(const ct_rdir_t *d, char *buf, size_t len)
{
	unsigned al[64], pl[64], th[256];
	size_t ns = ct_series(d, al, pl, 64), nt = ct_rdir_threads(d, -1, th, 256);
	buf[0] = '\0';
	for (size_t s = 0; s < ns; s++)
		if (s == 0 || al[s] != al[s - 1])
			cat(buf, len, "%s%s", s ? "," : "-a ", ct_rstr(d, al[s]));
	for (size_t t = 0; t < nt; t++)
		cat(buf, len, "%s%u", t ? "," : " -t ", th[t]);
}

static bool wl_has_mode(const ct_rdir_t *d, int wl, int mode)
{
	for (size_t i = 0; i < d->ngroups && wl >= 0 && mode >= 0; i++)
		if ((int)d->groups[i].workload == wl && (int)d->groups[i].mode == mode)
			return true;
	return false;
}

/* "1KiB-64KiB" of the sizes of workload wl in d */
static void size_span(const ct_rdir_t *d, int wl, char *buf, size_t len)
{
	uint64_t sz[128];
	size_t n = ct_rdir_sizes(d, wl, sz, 128);
	char a[32], b[32];
	if (!n)
		snprintf(buf, len, "none");
	else
		snprintf(buf, len, "%s-%s", ct_format_size(sz[0], a, sizeof a),
			 ct_format_size(sz[n - 1], b, sizeof b));
}

static bool sizes_in_scope(const ct_rdir_t *d, int wl, const ct_claim_t *c)
{
	uint64_t sz[128];
	size_t n = ct_rdir_sizes(d, wl, sz, 128);
	for (size_t i = 0; i < n; i++)
		if (sz[i] >= c->min_size && sz[i] <= c->max_size)
			return true;
	return false;
}

/* ---------------------------------------------------------------- series of several machines */

size_t _ct_series_names(const ct_report_t *r, const char **names, size_t max)
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
bool _ct_series_named(const ct_rdir_t *d, const char *name, unsigned *al, unsigned *pl)
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

/* ---------------------------------------------------------------- empty claims and cells */

bool _ct_claim_judged(const ct_report_t *r, size_t k, const ct_claim_t *c)
{
	for (size_t i = 0; i < r->v[k].nrows; i++)
		if (r->v[k].rows[i].claim == c)
			return true;
	return false;
}

/* The claim's sizes for -s: "128KiB-1MiB", or "" when any size will do. */
static void claim_sizes(const ct_claim_t *c, char *buf, size_t len)
{
	char a[32], b[32];
	buf[0] = '\0';
	if (c->max_size != UINT64_MAX)
		snprintf(buf, len, " -s %s-%s", ct_format_size(c->min_size ? c->min_size : 1, a, sizeof a),
			 ct_format_size(c->max_size, b, sizeof b));
}

void _ct_claim_gap(const ct_rdir_t *d, const ct_claim_t *c, char *why, size_t wlen, char *cmd,
		   size_t clen)
{
	const char *wl = c->workload ? c->workload : "bilbo,smaug";
	int w = c->workload ? ct_rdir_id(d, c->workload) : -1;
	int heap = ct_rdir_id(d, "heap"), stack = ct_rdir_id(d, "stack");
	char scope[1024], sz[96], span[64];
	unsigned th[256];
	size_t nt = ct_rdir_threads(d, -1, th, 256);
	_ct_run_scope(d, scope, sizeof scope);
	claim_sizes(c, sz, sizeof sz);
	snprintf(cmd, clen, "contend run -w %s -m stack,heap%s %s", wl, sz, scope);
	if (c->workload && w < 0)
		snprintf(why, wlen, "the study ran no %s", c->workload);
	else if (c->q == CT_Q_CONTENTION && !wl_has_mode(d, w, heap))
		snprintf(why, wlen, "the study ran %s without the heap mode", wl);
	else if (c->q != CT_Q_CONTENTION && c->workload &&
		 !(wl_has_mode(d, w, heap) && wl_has_mode(d, w, stack)))
		snprintf(why, wlen, "the study ran %s without both the stack and the heap mode", wl);
	else if (c->workload && !sizes_in_scope(d, w, c)) {
		size_span(d, w, span, sizeof span);
		snprintf(why, wlen, "the study's %s sizes (%s) miss%s", c->workload, span, sz + 3);
	} else if (c->q == CT_Q_CONTENTION && nt < 2) {
		snprintf(why, wlen, "a contention claim needs two or more thread counts; the study "
			 "ran %u only", nt ? th[0] : 0);
		snprintf(cmd, clen, "contend run -w %s -m stack,heap -t 1,2,4", wl);
	} else
		snprintf(why, wlen, "no point has good repetitions of both sides (see Failed "
			 "repetitions)");
}

void _ct_cell_gap(const ct_rdir_t *d, const ct_claim_t *c, const char *alloc, unsigned th,
		  char *why, size_t len)
{
	unsigned t0, tt[256], al, pl;
	size_t nt = ct_rdir_threads(d, -1, tt, 256), i = 0;
	while (i < nt && tt[i] != th)
		i++;
	const char *wl = c->workload ? c->workload : "bilbo,smaug";
	if (c->q == CT_Q_CONTENTION && ct_rdir_threads(d, -1, &t0, 1) && th == t0) {
		snprintf(why, len, "baseline: %s compares each thread count with %u thread%s", c->id,
			 t0, t0 == 1 ? "" : "s");
		return;
	}
	if (th < c->min_threads) {
		snprintf(why, len, "%s is judged from %u threads", c->id, c->min_threads);
		return;
	}
	if (!_ct_series_named(d, alloc, &al, &pl))
		snprintf(why, len, "this machine did not run %s", alloc);
	else if (i == nt)
		snprintf(why, len, "this machine did not run %u thread%s", th, th == 1 ? "" : "s");
	else
		snprintf(why, len, "no %s point at %u thread%s with good repetitions of both sides "
			 "under %s (see Failed repetitions)", wl, th, th == 1 ? "" : "s", alloc);
	cat(why, len, "; to fill: contend run -w %s -m stack,heap -a %s -t %u", wl, alloc, th);
}

/* ---------------------------------------------------------------- the matrix */

/* "7.00x": the deciding ratio of row, "" without one. */
static void deciding(const ct_vrow_t *row, const char *unit, char *buf, size_t len)
{
	buf[0] = '\0';
	if (row && row->decisive >= 0) {
		_ct_fmt_num(row->pts[row->decisive].r.ratio, buf, len);
		cat(buf, len, "%s", unit);
	}
}

static const char matrix_legend[] =
	"H holds, F fails (the CI is wholly beyond the claim's threshold by more than the\n"
	"margin, on its side or the other), = equal (the CI lies within the margin of the\n"
	"threshold: no practical difference), ? inconclusive (anything else); base: a\n"
	"contention claim's baseline. The ratio is\n"
	"the one that decided (C1-C4 heap/stack ns/op, C3b heap/stack spread, C5 heap ns/op at\n"
	"N threads / at the fewest).";

static void text_cell(const ct_report_t *r, size_t k, const ct_claim_t *c, size_t s, unsigned th,
		      FILE *f)
{
	unsigned al[64], pl[64];
	ct_series(&r->dirs[k], al, pl, 64);
	const ct_vrow_t *row = ct_verdict_find(&r->v[k], c, al[s], pl[s], th);
	char x[32], cell[48];
	deciding(row, "x", x, sizeof x);
	unsigned t0;
	bool base = c->q == CT_Q_CONTENTION && ct_rdir_threads(&r->dirs[k], -1, &t0, 1) && th == t0;
	if (row)
		snprintf(cell, sizeof cell, "%c %s", _ct_outcome_style(row->v)->letter, x);
	else
		snprintf(cell, sizeof cell, "%s", base ? "base" : "-");
	fprintf(f, " %-9s", cell);
}

void _ct_glance_text(const ct_report_t *r, size_t k, FILE *f)
{
	const ct_rdir_t *d = &r->dirs[k];
	unsigned al[64], pl[64], th[256];
	size_t ns = ct_series(d, al, pl, 64), nt = ct_rdir_threads(d, -1, th, 256);
	fprintf(f, "\n== At a glance — [%zu] %s ==\n%s\n%-5s %-14s", k + 1, d->label, matrix_legend,
		"claim", "allocator");
	for (size_t t = 0; t < nt; t++) {
		char h[32];
		snprintf(h, sizeof h, "%u thr", th[t]);
		fprintf(f, " %-9s", h);
	}
	fputc('\n', f);
	for (size_t c = 0; c < ct_nclaims; c++) {
		const ct_claim_t *cl = &ct_claims[c];
		if (!_ct_claim_judged(r, k, cl)) {
			char why[512], cmd[1200];
			_ct_claim_gap(d, cl, why, sizeof why, cmd, sizeof cmd);
			fprintf(f, "%-5s not judged: %s\n      to fill: %s\n", cl->id, why, cmd);
			continue;
		}
		for (size_t s = 0; s < ns; s++) {
			char name[160];
			ct_series_name(d, al[s], pl[s], name, sizeof name);
			fprintf(f, "%-5s %-14.14s", s ? "" : cl->id, name);
			for (size_t t = 0; t < nt; t++)
				text_cell(r, k, cl, s, th[t], f);
			fputc('\n', f);
		}
	}
	_ct_paragraphs(r, k, f, false);
}

static void html_cell(const ct_report_t *r, size_t k, const ct_claim_t *c, unsigned al, unsigned pl,
		      unsigned th, FILE *f)
{
	const ct_vrow_t *row = ct_verdict_find(&r->v[k], c, al, pl, th);
	char why[512], x[32];
	if (!row) {
		char name[160];
		ct_series_name(&r->dirs[k], al, pl, name, sizeof name);
		_ct_cell_gap(&r->dirs[k], c, name, th, why, sizeof why);
		fputs("<td class=\"NA\" title=\"", f);
		_ct_html_esc(f, why);
		fprintf(f, "\">%s</td>", strncmp(why, "baseline", 8) == 0 ? "base" : "—");
		return;
	}
	const ct_outcome_style_t *st = _ct_outcome_style(row->v);
	ct_vrow_why(&r->dirs[k], row, why, sizeof why);
	deciding(row, "", x, sizeof x); /* the legend says these are ratios */
	fprintf(f, "<td class=\"%s\" title=\"%s: ", st->cls, st->word);
	_ct_html_esc(f, why);
	fprintf(f, "\"><b>%c</b> %s</td>", st->letter, x);
}

static void html_head(const ct_rdir_t *d, const unsigned *al, const unsigned *pl, size_t ns,
		      const unsigned *th, size_t nt, FILE *f)
{
	fputs("<tr><th rowspan=\"2\">claim</th>", f);
	for (size_t s = 0; s < ns; s++) {
		char name[160];
		ct_series_name(d, al[s], pl[s], name, sizeof name);
		fprintf(f, "<th colspan=\"%zu\" class=\"grp\">", nt);
		_ct_html_esc(f, name);
		fputs("</th>", f);
	}
	fputs("</tr>\n<tr>", f);
	for (size_t s = 0; s < ns; s++)
		for (size_t t = 0; t < nt; t++)
			fprintf(f, "<th class=\"%s\">%u</th>", t == 0 ? "grp" : "", th[t]);
	fputs("</tr>\n", f);
}

void _ct_glance_html(const ct_report_t *r, size_t k, FILE *f)
{
	const ct_rdir_t *d = &r->dirs[k];
	unsigned al[64], pl[64], th[256];
	size_t ns = ct_series(d, al, pl, 64), nt = ct_rdir_threads(d, -1, th, 256);
	ct_trust_item_t it[CT_TRUST_MAX];
	ct_trust_t w = _ct_trust_worst(it, _ct_trust_items(d, it, CT_TRUST_MAX));
	fprintf(f, "<div class=\"matrix\"><table class=\"matrix\"><caption>[%zu] ", k + 1);
	_ct_html_esc(f, d->label);
	fputs(" — claims × allocator × threads", f);
	if (w != CT_TRUST_GOOD) /* a noisy study must not look as sure as a clean one */
		fprintf(f, " <span class=\"%s\">&nbsp;data: %s, see the panel&nbsp;</span>",
			w == CT_TRUST_BAD ? "t-bad" : "t-caution", _ct_trust_word(w));
	fputs("</caption>\n", f);
	html_head(d, al, pl, ns, th, nt, f);
	for (size_t c = 0; c < ct_nclaims; c++) {
		const ct_claim_t *cl = &ct_claims[c];
		fprintf(f, "<tr><th title=\"");
		_ct_html_esc(f, cl->claim);
		fprintf(f, "\"><a href=\"#%s\">%s</a></th>", cl->id, cl->id);
		if (!_ct_claim_judged(r, k, cl)) {
			char why[512], cmd[1200];
			_ct_claim_gap(d, cl, why, sizeof why, cmd, sizeof cmd);
			/* the div keeps this text from widening the table: it wraps instead */
			fprintf(f, "<td class=\"NA gap\" colspan=\"%zu\"><div>not judged: ", ns * nt);
			_ct_html_esc(f, why);
			fputs(" — <code>", f);
			_ct_html_esc(f, cmd);
			fputs("</code></div></td></tr>\n", f);
			continue;
		}
		for (size_t s = 0; s < ns; s++)
			for (size_t t = 0; t < nt; t++)
				html_cell(r, k, cl, al[s], pl[s], th[t], f);
		fputs("</tr>\n", f);
	}
	fputs("</table></div>\n", f);
}

/* ---------------------------------------------------------------- paragraphs */

/* The spread of some ratios, and how many of them are significant either way. */
typedef struct {
	double lo, hi;
	size_t n, up, down;  /* up: CI above 1; down: CI below 1 */
} span_t;

static void span_add(span_t *s, const ct_ratio_t *q)
{
	if (isnan(q->ratio))
		return;
	s->lo = s->n ? fmin(s->lo, q->ratio) : q->ratio;
	s->hi = s->n ? fmax(s->hi, q->ratio) : q->ratio;
	s->n++;
	s->up += q->has_ci && q->lo > 1;
	s->down += q->has_ci && q->hi < 1;
}

/* "1.2x" or "1.2-3.0x" */
static void span_range(const span_t *s, char *buf, size_t len)
{
	char a[16], b[16];
	_ct_fmt_num(s->lo, a, sizeof a);
	_ct_fmt_num(s->hi, b, sizeof b);
	if (strcmp(a, b) == 0)
		snprintf(buf, len, "%sx", a);
	else
		snprintf(buf, len, "%s-%sx", a, b);
}

/* "rises 2.6x", "falls to 0.8x", "stays flat (1.02x, within noise)",
 * "moves 3.5x, within noise": a change counts only where its CI excludes 1. */
static void span_words(const span_t *s, char *buf, size_t len)
{
	char x[48];
	span_range(s, x, sizeof x);
	if (s->up == s->n)
		snprintf(buf, len, "rises %s", x);
	else if (s->down == s->n)
		snprintf(buf, len, "falls to %s", x);
	else if (!s->up && !s->down && s->lo >= 0.9 && s->hi <= 1.1)
		snprintf(buf, len, "stays flat (%s, within noise)", x);
	else if (!s->up && !s->down)
		snprintf(buf, len, "moves %s, within noise (no CI excludes 1)", x);
	else if (!s->down)
		snprintf(buf, len, "rises at %zu of %zu sizes (%s)", s->up, s->n, x);
	else if (!s->up)
		snprintf(buf, len, "falls at %zu of %zu sizes (%s)", s->down, s->n, x);
	else
		snprintf(buf, len, "moves %s (rises at %zu, falls at %zu of %zu sizes)", x, s->up,
			 s->down, s->n);
}

/* The contention factors of wl/mode for series (al, pl) at th threads. */
static span_t cf_span(const ct_report_t *r, size_t k, unsigned wl, int mode, unsigned al,
		      unsigned pl, unsigned th)
{
	span_t s = {0};
	for (size_t i = 0; i < r->c[k].n; i++) {
		const ct_group_t *g = r->c[k].v[i].g;
		if (g->workload == wl && (int)g->mode == mode && g->alloc == al && g->place == pl &&
		    g->threads == th)
			span_add(&s, &r->c[k].v[i].cf);
	}
	return s;
}

/* heap/stack ratios of wl for series (al, pl) at th threads over its sizes. */
static span_t hs_span(const ct_rdir_t *d, unsigned wl, int heap, int stack, unsigned al,
		      unsigned pl, unsigned th)
{
	span_t s = {0};
	uint64_t sz[128];
	size_t n = ct_rdir_sizes(d, (int)wl, sz, 128);
	for (size_t i = 0; i < n && heap >= 0 && stack >= 0; i++) {
		const ct_group_t *h = ct_rdir_find(d, wl, (unsigned)heap, sz[i], al, pl, th);
		const ct_group_t *o = ct_rdir_find(d, wl, (unsigned)stack, sz[i], al, pl, th);
		ct_ratio_t q;
		if (h && o && h->nok && o->nok &&
		    !ct_ratio_ci(h->v[CT_M_NS], h->nok, o->v[CT_M_NS], o->nok, 0.95, &q))
			span_add(&s, &q);
	}
	return s;
}

/* One sentence about workload wl under series (al, pl). */
static void wl_sentence(const ct_report_t *r, size_t k, unsigned wl, unsigned al, unsigned pl,
			char *buf, size_t len)
{
	const ct_rdir_t *d = &r->dirs[k];
	unsigned th[256];
	size_t nt = ct_rdir_threads(d, (int)wl, th, 256);
	int heap = ct_rdir_id(d, "heap"), stack = ct_rdir_id(d, "stack");
	bool both = wl_has_mode(d, (int)wl, heap) && wl_has_mode(d, (int)wl, stack);
	char w[160], x[48];
	cat(buf, len, " %s:", ct_rstr(d, wl));
	span_t hs0 = hs_span(d, wl, heap, stack, al, pl, nt ? th[0] : 1);
	if (both && hs0.n) {
		span_range(&hs0, x, sizeof x);
		cat(buf, len, " heap/stack %s at %u thread%s", x, th[0], th[0] == 1 ? "" : "s");
	}
	if (nt < 2) {
		cat(buf, len, ".");
		return;
	}
	int m1 = wl_has_mode(d, (int)wl, heap) ? heap : (int)d->groups[0].mode;
	for (size_t i = 0; i < d->ngroups && !wl_has_mode(d, (int)wl, m1); i++)
		if (d->groups[i].workload == wl)
			m1 = (int)d->groups[i].mode;
	span_t c1 = cf_span(r, k, wl, m1, al, pl, th[nt - 1]);
	if (c1.n) {
		span_words(&c1, w, sizeof w);
		cat(buf, len, "%s from %u to %u threads %s ns/op per thread %s",
		    both && hs0.n ? ";" : "", th[0], th[nt - 1], ct_rstr(d, (unsigned)m1), w);
	}
	span_t c2 = both ? cf_span(r, k, wl, stack, al, pl, th[nt - 1]) : (span_t){0};
	if (c2.n) {
		span_words(&c2, w, sizeof w);
		cat(buf, len, "; stack %s", w);
	}
	cat(buf, len, ".");
}

/* head then text, words wrapped at width, continuation lines indented. */
static void wrap(FILE *f, const char *head, const char *text, size_t width)
{
	size_t col = strlen(head);
	fputs(head, f);
	for (const char *w = text; *w;) {
		while (*w == ' ')
			w++;
		size_t n = strcspn(w, " ");
		if (!n)
			break;
		if (col + 1 + n > width) {
			fputs("\n   ", f);
			col = 3;
		}
		fprintf(f, " %.*s", (int)n, w);
		col += 1 + n;
		w += n;
	}
	fputc('\n', f);
}

void _ct_paragraphs(const ct_report_t *r, size_t k, FILE *f, bool html)
{
	const ct_rdir_t *d = &r->dirs[k];
	unsigned al[64], pl[64];
	size_t ns = ct_series(d, al, pl, 64);
	for (size_t s = 0; s < ns; s++) {
		char name[160], p[4096] = "";
		ct_series_name(d, al[s], pl[s], name, sizeof name);
		for (size_t i = 0; i < d->ngroups; i++)
			if (i == 0 || d->groups[i].workload != d->groups[i - 1].workload)
				wl_sentence(r, k, d->groups[i].workload, al[s], pl[s], p, sizeof p);
		if (html) {
			fputs("<p class=\"para\"><b>", f);
			_ct_html_esc(f, name);
			fputs("</b> —", f);
			_ct_html_esc(f, p);
			fputs("</p>\n", f);
		} else {
			char head[200];
			snprintf(head, sizeof head, "Under %s:", name);
			wrap(f, head, p, 92);
		}
	}
}
