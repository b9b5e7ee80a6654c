/* export_md.c — report.md: the report's verdicts and stack-vs-heap tables as
 * GitHub-flavoured Markdown, for pasting into an issue or a pull request.
 * The same numbers as report.txt (verdict.c decides; stats.c summarizes),
 * laid out as pipe tables. Entry point: _ct_export_md(). */
#include "report_parts.h"

#include <errno.h>
#include <math.h>
#include <string.h>

/* A table cell: '|' escaped, newlines flattened. */
static void cell(FILE *f, const char *s)
{
	fputs("| ", f);
	for (; *s; s++) {
		if (*s == '|')
			fputs("\\|", f);
		else
			fputc(*s == '\n' ? ' ' : *s, f);
	}
	fputc(' ', f);
}

/* ---------------------------------------------------------------- directories */

static void directories(const ct_report_t *r, FILE *f)
{
	fputs("# contend report\n\n", f);
	for (size_t k = 0; k < r->ndirs; k++) {
		char line[2048];
		_ct_report_dir_line(r, k, line, sizeof line);
		fprintf(f, "- %s%s\n", line,
			r->dirs[k].complete ? "" : " — **partial**: the study did not finish");
	}
}

/* ---------------------------------------------------------------- verdicts */

static void verdicts(const ct_report_t *r, size_t k, FILE *f)
{
	const ct_rdir_t *d = &r->dirs[k];
	fprintf(f, "\n## Verdicts — [%zu] %s\n\n", k + 1, d->label);
	fprintf(f, "A point HOLDS when the whole 95%% CI of the ratio is beyond the threshold on "
		   "the claim's side by more than the margin of practical equivalence (%g%%), "
		   "FAILS when it is all beyond it on the other side, is EQUAL when it lies "
		   "within the margin, else INCONCLUSIVE.\n\n",
		100 * r->margin);
	fputs("| claim | testable claim | allocator | threads | verdict | decided by |\n"
	      "|---|---|---|---:|---|---|\n", f);
	for (size_t i = 0; i < r->v[k].nrows; i++) {
		const ct_vrow_t *row = &r->v[k].rows[i];
		char name[160], why[512], thr[16], v[32];
		ct_series_name(d, row->alloc, row->place, name, sizeof name);
		ct_vrow_why(d, row, why, sizeof why);
		snprintf(thr, sizeof thr, "%u", row->threads);
		snprintf(v, sizeof v, "**%s**", ct_verdict_name(row->v));
		cell(f, row->claim->id);
		cell(f, row->claim->claim);
		cell(f, name);
		cell(f, thr);
		cell(f, v);
		cell(f, why);
		fputs("|\n", f);
	}
}

/* ---------------------------------------------------------------- stack vs heap */

static void ns_cell(const ct_group_t *g, FILE *f)
{
	char num[32], buf[64];
	if (!g || !g->nok) { /* a point whose every repetition was rejected says so */
		cell(f, g && g->nrejected ? "rejected" : "");
		return;
	}
	_ct_fmt_num(g->ns.median, num, sizeof num);
	if (g->ns.has_ci)
		snprintf(buf, sizeof buf, "%s ±%.0f%%", num, ct_ci_pct(&g->ns));
	else
		snprintf(buf, sizeof buf, "%s ±?", num);
	cell(f, buf);
}

typedef struct {
	const ct_rdir_t *d;
	unsigned wl, al[64], pl[64], th[256];
	size_t ns, nt;
} grid_t;

static void grid_row(const grid_t *gr, uint64_t size, int mode, int other, FILE *f)
{
	for (size_t s = 0; s < gr->ns; s++)
		for (size_t t = 0; t < gr->nt; t++) {
			const ct_group_t *g = ct_rdir_find(gr->d, gr->wl, (unsigned)mode, size,
							   gr->al[s], gr->pl[s], gr->th[t]);
			if (other < 0) {
				ns_cell(g, f);
				continue;
			}
			const ct_group_t *h = ct_rdir_find(gr->d, gr->wl, (unsigned)other, size,
							   gr->al[s], gr->pl[s], gr->th[t]);
			char buf[32] = "";
			if (g && h && g->nok && h->nok && h->ns.median > 0)
				snprintf(buf, sizeof buf, "%.2fx", g->ns.median / h->ns.median);
			cell(f, buf);
		}
	fputs("|\n", f);
}

static void grid_head(const grid_t *gr, FILE *f)
{
	fputs("| size | mode ", f);
	for (size_t s = 0; s < gr->ns; s++)
		for (size_t t = 0; t < gr->nt; t++) {
			char name[160], head[200];
			ct_series_name(gr->d, gr->al[s], gr->pl[s], name, sizeof name);
			snprintf(head, sizeof head, "%s %u thr", name, gr->th[t]);
			cell(f, head);
		}
	fputs("|\n|---|---", f);
	for (size_t i = 0; i < gr->ns * gr->nt; i++)
		fputs("|---:", f);
	fputs("|\n", f);
}

static void stack_heap(const ct_rdir_t *d, unsigned wl, FILE *f)
{
	int stack = ct_rdir_id(d, "stack"), heap = ct_rdir_id(d, "heap");
	grid_t gr = {.d = d, .wl = wl};
	uint64_t sizes[256];
	size_t nz = ct_rdir_sizes(d, (int)wl, sizes, 256);
	gr.ns = ct_series(d, gr.al, gr.pl, 64);
	gr.nt = ct_rdir_threads(d, (int)wl, gr.th, 256);
	fprintf(f, "\n### %s — ns/op per thread, median ±95%% CI\n\n", ct_rstr(d, wl));
	grid_head(&gr, f);
	for (size_t z = 0; z < nz; z++) {
		char size[32];
		const ct_group_t *any = NULL;
		for (size_t i = 0; i < d->ngroups && !any; i++)
			if (d->groups[i].workload == wl && d->groups[i].size_bytes == sizes[z])
				any = &d->groups[i];
		snprintf(size, sizeof size, "%s", any ? ct_rstr(d, any->size) : "?");
		fprintf(f, "| %s | stack ", size);
		grid_row(&gr, sizes[z], stack, -1, f);
		fputs("| | heap ", f);
		grid_row(&gr, sizes[z], heap, -1, f);
		fputs("| | heap/stack ", f);
		grid_row(&gr, sizes[z], heap, stack, f);
	}
}

/* The workloads of d with both a stack and a heap mode, in the groups' order. */
static void tables(const ct_report_t *r, size_t k, FILE *f)
{
	const ct_rdir_t *d = &r->dirs[k];
	int stack = ct_rdir_id(d, "stack"), heap = ct_rdir_id(d, "heap");
	if (stack < 0 || heap < 0)
		return;
	fprintf(f, "\n## Stack vs heap — [%zu] %s\n", k + 1, d->label);
	unsigned done[64];
	size_t ndone = 0;
	for (size_t i = 0; i < d->ngroups && ndone < 64; i++) {
		unsigned wl = d->groups[i].workload;
		bool seen = false;
		for (size_t j = 0; j < ndone; j++)
			seen |= done[j] == wl;
		if (seen)
			continue;
		done[ndone++] = wl;
		bool both = false;
		for (size_t j = 0; j < d->ngroups && !both; j++)
			both = d->groups[j].workload == wl && d->groups[j].mode == (unsigned)heap;
		for (size_t j = 0; j < d->ngroups && both; j++)
			if (d->groups[j].workload == wl && d->groups[j].mode == (unsigned)stack) {
				stack_heap(d, wl, f);
				break;
			}
	}
}

int _ct_export_md(const ct_report_t *r, const char *path)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	directories(r, f);
	for (size_t k = 0; k < r->ndirs; k++) {
		verdicts(r, k, f);
		tables(r, k, f);
	}
	int bad = ferror(f);
	if (fclose(f) || bad) {
		errno = errno ? errno : EIO;
		return -1;
	}
	return 0;
}
