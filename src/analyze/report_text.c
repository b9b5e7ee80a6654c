/* report_text.c — the text report (report.txt and stdout): the directories,
 * per directory the matrix at a glance and the trust lines (report_glance.c,
 * report_trust.c), the verdicts per claim, allocator and thread count with
 * the numbers that decided them, several machines side by side, contention
 * factors, likely mechanisms and failures. Entry point: _ct_report_text(). */
#include "report_parts.h"
#include "gocmp.h"

#include <math.h>
#include <string.h>

static void list_allocs(const ct_rdir_t *d, char *buf, size_t len)
{
	unsigned al[64], pl[64];
	size_t ns = ct_series(d, al, pl, 64), n = 0;
	buf[0] = '\0';
	for (size_t s = 0; s < ns && n < len; s++) {
		if (s > 0 && al[s] == al[s - 1])
			continue;
		const char *name = ct_rstr(d, al[s]), *ver = ct_rdir_alloc_version(d, name);
		n += (size_t)snprintf(buf + n, len - n, "%s%s%s%s", n ? ", " : "", name,
				      *ver ? " " : "", ver);
	}
}

/* "; resumed 2 times, kept 8 and 16 rows": a study measured in parts, each
 * on the machine as it was then (machine.json's `resumed`). */
static size_t resumed(const ct_rdir_t *d, char *buf, size_t len, size_t n)
{
	size_t times = 0;
	char key[64];
	for (;; times++) {
		snprintf(key, sizeof key, "resumed[%zu].at", times);
		if (!ct_rdir_kv(d, key))
			break;
	}
	if (!times || n >= len)
		return n;
	n += (size_t)snprintf(buf + n, len - n, "; resumed %zu time%s, kept", times,
			      times == 1 ? "" : "s");
	for (size_t i = 0; i < times && n < len; i++) {
		snprintf(key, sizeof key, "resumed[%zu].rows_kept", i);
		const char *kept = ct_rdir_kv(d, key);
		n += (size_t)snprintf(buf + n, len - n, "%s %s", !i ? "" : i + 1 < times ? "," : " and",
				      kept ? kept : "?");
	}
	return n < len ? n + (size_t)snprintf(buf + n, len - n, " rows") : n;
}

void _ct_report_dir_line(const ct_report_t *r, size_t k, char *buf, size_t len)
{
	const ct_rdir_t *d = &r->dirs[k];
	unsigned th[256];
	size_t nt = ct_rdir_threads(d, -1, th, 256), n;
	char al[1024];
	list_allocs(d, al, sizeof al);
	n = (size_t)snprintf(buf, len, "[%zu] %s — %s: %zu repetitions, %zu failed", k + 1,
			     d->label, d->path, d->nrows, d->nfailed);
	if (d->nrejected && n < len) /* "concurrency": only where the results say */
		n += (size_t)snprintf(buf + n, len - n, ", %zu rejected as not concurrent",
				      d->nrejected);
	n = resumed(d, buf, len, n);
	if (n < len)
		n += (size_t)snprintf(buf + n, len - n, "; %s; threads ", al);
	for (size_t t = 0; t < nt && n < len; t++)
		n += (size_t)snprintf(buf + n, len - n, "%s%u", t ? "," : "", th[t]);
}

static void print_dirs(const ct_report_t *r, FILE *f)
{
	fprintf(f, "contend report: %zu results director%s\n", r->ndirs, r->ndirs == 1 ? "y" : "ies");
	for (size_t k = 0; k < r->ndirs; k++) {
		const ct_rdir_t *d = &r->dirs[k];
		char line[2048];
		_ct_report_dir_line(r, k, line, sizeof line);
		fprintf(f, "%s\n", line);
		if (!d->complete)
			fputs("    PARTIAL: machine.json says \"complete\": false — the study did not "
			      "finish; everything below covers what it finished\n", f);
		if (!d->has_machine)
			fputs("    no machine.json: the machine is unknown\n", f);
		if (d->nbad)
			fprintf(f, "    %zu malformed line(s) of results.csv skipped\n", d->nbad);
	}
}

/* ---------------------------------------------------------------- verdicts */

static int series_width(const ct_rdir_t *d)
{
	unsigned al[64], pl[64];
	size_t ns = ct_series(d, al, pl, 64);
	int w = 8;
	for (size_t s = 0; s < ns; s++) {
		char name[160];
		ct_series_name(d, al[s], pl[s], name, sizeof name);
		w = (int)strlen(name) > w ? (int)strlen(name) : w;
	}
	return w;
}

static void print_claim(const ct_report_t *r, size_t k, const ct_claim_t *c, FILE *f)
{
	const ct_rdir_t *d = &r->dirs[k];
	const ct_verdicts_t *v = &r->v[k];
	int w = series_width(d);
	bool any = false;
	for (size_t i = 0; i < v->nrows; i++) {
		const ct_vrow_t *row = &v->rows[i];
		if (row->claim != c)
			continue;
		if (!any)
			fprintf(f, "\n%-4s %s\n     seed: \"%s\"\n", c->id, c->claim, c->seed);
		any = true;
		char name[160], why[512], thr[16];
		ct_series_name(d, row->alloc, row->place, name, sizeof name);
		ct_vrow_why(d, row, why, sizeof why);
		snprintf(thr, sizeof thr, "%u thr", row->threads);
		fprintf(f, "     %-*s %7s  %-13s %s\n", w, name, thr, ct_verdict_name(row->v), why);
	}
	if (!any) {
		char gap[512], cmd[1200];
		_ct_claim_gap(d, c, gap, sizeof gap, cmd, sizeof cmd);
		fprintf(f, "\n%-4s %s\n     not judged: %s\n     to fill it: %s\n", c->id, c->claim, gap,
			cmd);
	}
}

static void print_verdicts(const ct_report_t *r, size_t k, FILE *f)
{
	fprintf(f, "\n== Verdicts — [%zu] %s ==\n", k + 1, r->dirs[k].label);
	fprintf(f, "Margin of practical equivalence: %g%% around each threshold (--margin).\n"
		   "Each ratio: median / median [CI], in %% when near 1. A point HOLDS when the\n"
		   "whole CI is beyond the threshold on the claim's side by more than the margin,\n"
		   "FAILS when it is all beyond it on the other side, is EQUAL when it lies within\n"
		   "the margin (no practical difference from the threshold), else INCONCLUSIVE.\n"
		   "Over k sizes a claim FAILS if a size fails and is EQUAL if one is equal, each\n"
		   "CI at 1 - 5%%/k so that all k hold together at 95%%; it HOLDS if every size\n"
		   "holds on its own 95%% CI. Shown: the clearest failure or equal size, the\n"
		   "weakest holding one, or an undecided one, then the sizes of each outcome.\n",
		100 * r->margin);
	for (size_t c = 0; c < ct_nclaims; c++)
		print_claim(r, k, &ct_claims[c], f);
}

/* ---------------------------------------------------------------- side by side */

static char verdict_letter(const ct_verdicts_t *v, const ct_claim_t *c, unsigned al, unsigned pl,
			   unsigned th)
{
	const ct_vrow_t *row = ct_verdict_find(v, c, al, pl, th);
	return !row ? '-' : "-HF?="[row->v];
}

/* The allocator names of every directory, first appearance first. */
static size_t union_allocs(const ct_report_t *r, const char **names, size_t max)
{
	size_t n = 0;
	for (size_t k = 0; k < r->ndirs; k++) {
		unsigned al[64], pl[64];
		size_t ns = ct_series(&r->dirs[k], al, pl, 64);
		for (size_t s = 0; s < ns; s++) {
			const char *a = ct_rstr(&r->dirs[k], al[s]);
			size_t i = 0;
			while (i < n && strcmp(names[i], a) != 0)
				i++;
			if (i == n && n < max)
				names[n++] = a;
		}
	}
	return n;
}

static void side_row(const ct_report_t *r, const ct_claim_t *c, const char *alloc, FILE *f)
{
	fprintf(f, "%-5s %-16.16s", c->id, alloc);
	for (size_t k = 0; k < r->ndirs; k++) {
		const ct_rdir_t *d = &r->dirs[k];
		unsigned th[64], al[64], pl[64];
		size_t nt = ct_rdir_threads(d, -1, th, 64), ns = ct_series(d, al, pl, 64), s = 0;
		int id = ct_rdir_id(d, alloc);
		while (s < ns && (int)al[s] != id)
			s++;
		fputs("   ", f);
		for (size_t t = 0; t < nt; t++)
			fprintf(f, "%4c", s < ns ? verdict_letter(&r->v[k], c, al[s], pl[s], th[t]) : '-');
	}
	fputc('\n', f);
}

static void print_side_by_side(const ct_report_t *r, FILE *f)
{
	const char *names[64];
	size_t na = union_allocs(r, names, 64);
	fputs("\n== Verdicts side by side (H holds, F fails, = equal, ? inconclusive, - not judged) ==\n", f);
	fprintf(f, "%-22s", "machine:");
	for (size_t k = 0; k < r->ndirs; k++) {
		unsigned th[64];
		int width = 4 * (int)ct_rdir_threads(&r->dirs[k], -1, th, 64);
		fprintf(f, "   [%zu]%*s", k + 1, width > 3 ? width - 3 : 0, "");
	}
	fprintf(f, "\n%-22s", "claim alloc   threads:");
	for (size_t k = 0; k < r->ndirs; k++) {
		unsigned th[64];
		size_t nt = ct_rdir_threads(&r->dirs[k], -1, th, 64);
		fputs("   ", f);
		for (size_t t = 0; t < nt; t++)
			fprintf(f, "%4u", th[t]);
	}
	fputc('\n', f);
	for (size_t c = 0; c < ct_nclaims; c++)
		for (size_t a = 0; a < na; a++)
			side_row(r, &ct_claims[c], names[a], f);
}

/* ---------------------------------------------------------------- contention */

static void cf_cell(const ct_contention_t *c, FILE *f)
{
	char v[16], lo[16], hi[16], cell[96];
	_ct_fmt_num(c->cf.ratio, v, sizeof v);
	char mark = !c->cf.has_ci ? ' ' : c->cf.lo > 1 ? '^' : c->cf.hi < 1 ? 'v' : ' ';
	if (c->cf.has_ci) {
		_ct_fmt_num(c->cf.lo, lo, sizeof lo);
		_ct_fmt_num(c->cf.hi, hi, sizeof hi);
		snprintf(cell, sizeof cell, "%s [%s, %s]%c", v, lo, hi, mark);
	} else {
		snprintf(cell, sizeof cell, "%s [no CI]", v);
	}
	if (!isnan(c->eff.ratio))
		fprintf(f, "  %-20s %4.0f%%", cell, 100 * c->eff.ratio);
	else
		fprintf(f, "  %-20s %5s", cell, "");
}

static bool same_row(const ct_group_t *a, const ct_group_t *b)
{
	return a->workload == b->workload && a->mode == b->mode && a->size_bytes == b->size_bytes &&
	       a->alloc == b->alloc && a->place == b->place;
}

static void print_contention(const ct_report_t *r, size_t k, FILE *f)
{
	const ct_rdir_t *d = &r->dirs[k];
	const ct_contention_t *c = r->c[k].v;
	unsigned th[256];
	size_t nt = ct_rdir_threads(d, -1, th, 256), n = r->c[k].n;
	if (!n)
		return;
	fprintf(f, "\n== Contention — [%zu] %s ==\n"
		   "ns/op per thread at N threads / at %u thread(s) [95%% CI] (^ rises, v falls), then\n"
		   "scaling efficiency: ops/s at N / (N x ops/s at %u); 100%% is perfect scaling.\n",
		k + 1, d->label, th[0], th[0]);
	int w = series_width(d);
	fprintf(f, "%-9s %-8s %-7s %-*s", "workload", "mode", "size", w, "alloc");
	for (size_t t = 1; t < nt; t++) {
		char h[32];
		snprintf(h, sizeof h, "%u thr", th[t]);
		fprintf(f, "  %-20s %5s", h, "eff");
	}
	for (size_t i = 0; i < n;) {
		const ct_group_t *g = c[i].g;
		char name[160];
		ct_series_name(d, g->alloc, g->place, name, sizeof name);
		fprintf(f, "\n%-9s %-8s %-7s %-*s", ct_rstr(d, g->workload), ct_rstr(d, g->mode),
			ct_rstr(d, g->size), w, name);
		for (size_t t = 1; t < nt; t++) {
			if (i < n && same_row(c[i].g, g) && c[i].g->threads == th[t])
				cf_cell(&c[i++], f);
			else
				fprintf(f, "  %-20s %5s", "-", "");
		}
		while (i < n && same_row(c[i].g, g)) /* thread counts not in the header */
			i++;
	}
	fputc('\n', f);
}

/* ---------------------------------------------------------------- mechanisms, failures */

static void print_mechanisms(const ct_report_t *r, size_t k, FILE *f)
{
	fprintf(f, "\n== Likely mechanisms — [%zu] %s ==\n", k + 1, r->dirs[k].label);
	if (!ct_mechanisms(&r->dirs[k], r->c[k].v, r->c[k].n, f, "  "))
		fputs("  none stands out: no faults rising with size, no context switches rising with "
		      "threads, no slowdown without them\n", f);
}

static void print_go_beside_c(const ct_report_t *r, size_t k, FILE *f)
{
	if (ct_rdir_id(&r->dirs[k], "go") < 0)
		return;
	fprintf(f, "\n== Go beside C — [%zu] %s ==\n", k + 1, r->dirs[k].label);
	fputs("Where go's heap/stack ratio and a C allocator's are more than 25% apart: the\n"
	      "copy (stack ns/op), what allocating adds to it (heap - stack) and, where the\n"
	      "study ran C's zeroed mode, zeroing (calloc - malloc); the factor that, swapped\n"
	      "for C's, brings go's ratio nearest C's is named.\n", f);
	if (!ct_go_beside_c(&r->dirs[k], f, "  "))
		fputs("  no point where they disagree by more than 25%\n", f);
}

static void print_failures(const ct_report_t *r, size_t k, FILE *f)
{
	const ct_rdir_t *d = &r->dirs[k];
	if (!d->nfailed && !d->nrejected)
		return;
	fprintf(f, "\n== Failed repetitions — [%zu] %s: %zu ==\n", k + 1, d->label, d->nfailed);
	if (d->nrejected)
		fprintf(f, "concurrency: %zu repetitions rejected (threads not together or off their "
			   "CPUs), kept out of every figure\n",
			d->nrejected);
	for (size_t i = 0; i < d->ngroups; i++) {
		const ct_group_t *g = &d->groups[i];
		if (g->nrejected)
			fprintf(f, "  %s %s %s %s %u thr: %zu rejected as not concurrent (out of the "
				   "medians)\n",
				ct_rstr(d, g->workload), ct_rstr(d, g->mode), ct_rstr(d, g->size),
				ct_rstr(d, g->alloc), g->threads, g->nrejected);
		if (g->nfailed)
			fprintf(f, "  %s %s %s %s %u thr: %zu of %zu failed: %s\n", ct_rstr(d, g->workload),
				ct_rstr(d, g->mode), ct_rstr(d, g->size), ct_rstr(d, g->alloc),
				g->threads, g->nfailed, g->nfailed + g->nok,
				*ct_rstr(d, g->error) ? ct_rstr(d, g->error) : "(no reason recorded)");
	}
}

void _ct_report_text(const ct_report_t *r, FILE *f)
{
	print_dirs(r, f);
	for (size_t k = 0; k < r->ndirs; k++) {
		_ct_glance_text(r, k, f);
		_ct_trust_text(r, k, f);
	}
	for (size_t k = 0; k < r->ndirs; k++)
		print_verdicts(r, k, f);
	if (r->ndirs > 1)
		print_side_by_side(r, f);
	for (size_t k = 0; k < r->ndirs; k++) {
		print_contention(r, k, f);
		_ct_xfree_shapes(&r->dirs[k], k, f, false);
		print_mechanisms(r, k, f);
		print_go_beside_c(r, k, f);
		print_failures(r, k, f);
	}
}
