/* tables.c — the terminal summary of a study: per workload, sizes x modes
 * down, allocators x thread counts across; each cell the median per-thread
 * ns/op with the half-width of its 95% CI, and under each size the heap/stack
 * ratio ("~" when the Mann–Whitney test of the two points' repetitions —
 * common/mwu.h, the test report and compare use — finds no significant
 * difference, p >= 0.05). */
#include "mwu.h"
#include "stats.h"
#include "study.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CELL 13

/* An allocator's column group is wide enough for its label; the extra
 * width goes to the group's first cell. */
static int group_extra(const ct_study_t *s, size_t a)
{
	int need = (int)strlen(s->cfg->allocs[a].label) + 1 - (int)(CELL * s->cfg->nthreads);
	return need > 0 ? need : 0;
}

static void pad(const ct_study_t *s, size_t a, size_t t, FILE *f)
{
	if (t == 0)
		fprintf(f, "%*s", group_extra(s, a), "");
}

static size_t find_point(const ct_study_t *s, const ct_workload_t *wl, int mode, uint64_t size,
			 unsigned threads)
{
	for (size_t i = 0; i < s->npts; i++) {
		const ct_plan_point_t *p = &s->pts[i];
		if (p->wl == wl && p->mode == mode && p->size == size && p->threads == threads)
			return i;
	}
	return SIZE_MAX;
}

static void fmt_ns(double v, char *buf, size_t len)
{
	if (v >= 1000)
		snprintf(buf, len, "%.0f", v);
	else if (v >= 10)
		snprintf(buf, len, "%.1f", v);
	else
		snprintf(buf, len, "%.2f", v);
}

static void print_cell(const ct_study_t *s, size_t pt, size_t a, FILE *f)
{
	char cell[64], ns[32];
	ct_summary_t sm;
	unsigned failed;
	if (pt == SIZE_MAX || !s->st[a].usable) {
		fprintf(f, "%*s", CELL, "-");
		return;
	}
	ct_point_summary(s, pt, a, &sm, &failed);
	unsigned rejected = 0;
	for (unsigned r = 0; r < s->cfg->max_count; r++)
		rejected += ct_rec(s, pt, a, r)->rejected;
	if (sm.n == 0) {
		fprintf(f, "%*s", CELL, failed ? "FAILED" : rejected ? "REJECTED" : "-");
		return;
	}
	failed += rejected; /* "!": some repetitions are not in the median */
	fmt_ns(sm.median, ns, sizeof ns);
	double ci = ct_ci_pct(&sm);
	if (ci < 0)
		snprintf(cell, sizeof cell, "%s ±?", ns);
	else
		snprintf(cell, sizeof cell, "%s ±%.0f%%", ns, ci < 1 ? 1 : ci);
	/* "±" is two bytes of UTF-8 but one column: one more byte of width */
	bool unstable = s->cfg->ci_target_pct > 0 && ci > s->cfg->ci_target_pct;
	fprintf(f, "%*s%s", CELL, cell, failed ? "!" : unstable ? "*" : " ");
}

static void print_ratio(const ct_study_t *s, size_t heap, size_t stack, size_t a, FILE *f)
{
	ct_summary_t h, st;
	unsigned fh, fs;
	if (heap == SIZE_MAX || stack == SIZE_MAX || !s->st[a].usable) {
		fprintf(f, "%*s", CELL, "");
		return;
	}
	ct_point_summary(s, heap, a, &h, &fh);
	ct_point_summary(s, stack, a, &st, &fs);
	if (!h.n || !st.n || st.median <= 0) {
		fprintf(f, "%*s", CELL, "-");
		return;
	}
	double hv[1024], sv[1024];
	size_t nh = ct_point_values(s, heap, a, hv, 1024), ns = ct_point_values(s, stack, a, sv, 1024);
	ct_mwu_result_t u;
	ct_mwu_test(hv, nh, sv, ns, &u);
	char cell[32];
	snprintf(cell, sizeof cell, "%.2fx%s", h.median / st.median, u.p >= 0.05 ? "~" : "");
	fprintf(f, "%*s ", CELL - 1, cell);
}

static void print_header(const ct_study_t *s, FILE *f)
{
	const ct_config_t *cfg = s->cfg;
	fprintf(f, "%-8s%-9s", "", "");
	for (size_t a = 0; a < cfg->nallocs; a++)
		fprintf(f, "%*s", (int)(CELL * cfg->nthreads) + group_extra(s, a),
			cfg->allocs[a].label);
	fprintf(f, "\n%-8s%-9s", "size", "mode");
	for (size_t a = 0; a < cfg->nallocs; a++)
		for (size_t t = 0; t < cfg->nthreads; t++) {
			pad(s, a, t, f);
			char h[32];
			snprintf(h, sizeof h, "%llu thr", (unsigned long long)cfg->threads[t]);
			fprintf(f, "%*s", CELL, h);
		}
	fputc('\n', f);
}

/* GB/s per thread of the workload's first mode (a copy: smaug's stack copy,
 * bandwidth's memcpy), from the median ns/op. */
static void print_gbps(const ct_study_t *s, const ct_workload_t *wl, uint64_t size, FILE *f)
{
	const ct_config_t *cfg = s->cfg;
	fprintf(f, "%-8s%-9s", "", "GB/s");
	for (size_t a = 0; a < cfg->nallocs; a++)
		for (size_t t = 0; t < cfg->nthreads; t++) {
			size_t pt = find_point(s, wl, 0, size, (unsigned)cfg->threads[t]);
			ct_summary_t sm = {0};
			unsigned failed;
			pad(s, a, t, f);
			if (pt != SIZE_MAX && s->st[a].usable)
				ct_point_summary(s, pt, a, &sm, &failed);
			if (sm.n && sm.median > 0)
				fprintf(f, "%*.2f ", CELL - 1, (double)wl->bytes_moved(size) / sm.median);
			else
				fprintf(f, "%*s", CELL, "-");
		}
	fputc('\n', f);
}

static void print_size_block(const ct_study_t *s, const ct_workload_t *wl, uint64_t size, FILE *f)
{
	const ct_config_t *cfg = s->cfg;
	char sz[32];
	ct_format_size(size, sz, sizeof sz);
	int stack = ct_workload_mode(wl, "stack"), heap = ct_workload_mode(wl, "heap");
	bool first = true, have_stack = false, have_heap = false;
	for (int m = 0; wl->modes[m]; m++) {
		if (find_point(s, wl, m, size, (unsigned)cfg->threads[0]) == SIZE_MAX)
			continue;
		have_stack |= m == stack;
		have_heap |= m == heap;
		fprintf(f, "%-8s%-9s", first ? sz : "", wl->modes[m]);
		first = false;
		for (size_t a = 0; a < cfg->nallocs; a++)
			for (size_t t = 0; t < cfg->nthreads; t++) {
				pad(s, a, t, f);
				print_cell(s, find_point(s, wl, m, size, (unsigned)cfg->threads[t]), a, f);
			}
		fputc('\n', f);
	}
	if (wl->bytes_moved)
		print_gbps(s, wl, size, f);
	if (!have_stack || !have_heap)
		return;
	fprintf(f, "%-8s%-9s", "", "heap/stk");
	for (size_t a = 0; a < cfg->nallocs; a++)
		for (size_t t = 0; t < cfg->nthreads; t++) {
			unsigned th = (unsigned)cfg->threads[t];
			pad(s, a, t, f);
			print_ratio(s, find_point(s, wl, heap, size, th), find_point(s, wl, stack, size, th),
				    a, f);
		}
	fputc('\n', f);
}

/* One line on what the census measured, per mode: the range of allocs/op
 * over the points and allocators, and whether B/op covered the object size
 * wherever something was allocated. */
static void print_census(const ct_study_t *s, const ct_workload_t *wl, FILE *f)
{
	fputs("census:", f);
	unsigned missing = 0;
	for (int m = 0; wl->modes[m]; m++) {
		double lo = INFINITY, hi = -INFINITY;
		unsigned n = 0, covered = 0;
		for (size_t i = 0; i < s->npts; i++) {
			const ct_plan_point_t *p = &s->pts[i];
			for (size_t a = 0; p->wl == wl && p->mode == m && a < s->cfg->nallocs; a++) {
				if (!s->st[a].usable)
					continue;
				if (isnan(p->allocs_per_op[a])) {
					missing++;
					continue;
				}
				n++;
				lo = fmin(lo, p->allocs_per_op[a]);
				hi = fmax(hi, p->allocs_per_op[a]);
				covered += p->allocs_per_op[a] == 0 || p->bytes_per_op[a] >= (double)p->size;
			}
		}
		if (!n)
			continue;
		if (lo == hi)
			fprintf(f, " %s %.3g allocs/op", wl->modes[m], lo);
		else
			fprintf(f, " %s %.3g-%.3g allocs/op", wl->modes[m], lo, hi);
		if (hi > 0)
			fprintf(f, " (B/op >= size at %u of %u points)", covered, n);
		fputc(';', f);
	}
	if (missing)
		fprintf(f, " %u points without a census;", missing);
	fputs(" see results.csv\n", f);
}

static void print_workload(const ct_study_t *s, const ct_workload_t *wl, FILE *f)
{
	uint64_t sizes[256];
	size_t n = 0;
	char name[160] = "";
	for (size_t i = 0; i < s->npts; i++) {
		if (s->pts[i].wl != wl)
			continue;
		if (!name[0]) /* parameters are one value per study: any point says them */
			ct_point_params(&s->pts[i], ", ", name, sizeof name);
		bool seen = false;
		for (size_t k = 0; k < n; k++)
			seen |= sizes[k] == s->pts[i].size;
		if (!seen && n < 256)
			sizes[n++] = s->pts[i].size;
	}
	if (!n)
		return;
	if (s->cfg->max_count > s->cfg->count && s->cfg->ci_target_pct > 0 &&
	    s->cfg->count >= CT_MIN_CI_SAMPLES)
		fprintf(f, "\n%s%s%s%s — ns/op per thread, median ±95%% CI over %u to %u repetitions\n",
			wl->name, name[0] ? " (" : "", name, name[0] ? ")" : "", s->cfg->count,
			s->cfg->max_count);
	else
		fprintf(f, "\n%s%s%s%s — ns/op per thread, median ±95%% CI over %u repetitions\n",
			wl->name, name[0] ? " (" : "", name, name[0] ? ")" : "", s->cfg->count);
	print_header(s, f);
	for (size_t k = 0; k < n; k++)
		print_size_block(s, wl, sizes[k], f);
	print_census(s, wl, f);
}

/* Self-check of the study's precision: the 1-thread points' CI half-widths. */
static void print_precision(const ct_study_t *s, FILE *f)
{
	unsigned n = 0, wide = 0, noci = 0;
	double widest = 0;
	size_t wpt = 0, wa = 0;
	for (size_t pt = 0; pt < s->npts; pt++) {
		if (s->pts[pt].threads != 1)
			continue;
		for (size_t a = 0; a < s->cfg->nallocs; a++) {
			ct_summary_t sm;
			unsigned failed;
			if (!s->st[a].usable)
				continue;
			ct_point_summary(s, pt, a, &sm, &failed);
			double ci = ct_ci_pct(&sm);
			n++;
			noci += ci < 0;
			wide += ci > 5;
			if (ci > widest) {
				widest = ci;
				wpt = pt;
				wa = a;
			}
		}
	}
	if (!n)
		return;
	if (noci == n) {
		fprintf(f, "precision: no confidence intervals (run -n 6 or more)\n");
		return;
	}
	char name[512];
	ct_out_bench_name(s, wpt, wa, name, sizeof name);
	fprintf(f, "precision: %u of %u 1-thread points have a 95%% CI within ±5%%; widest ±%.1f%% (%s)\n",
		n - wide - noci, n, widest, name);
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Median over a point's repetitions of the latency round's mean per op. */
static double lat_median(const ct_study_t *s, size_t pt, size_t a)
{
	double v[1024];
	size_t n = 0;
	for (unsigned r = 0; r < s->cfg->max_count && n < 1024; r++) {
		const ct_record_t *rec = ct_rec(s, pt, a, r);
		if (rec->ok && !rec->rejected && rec->r.lat_samples)
			v[n++] = rec->r.lat_mean_ns;
	}
	if (!n)
		return NAN;
	ct_summary_t sm;
	ct_summarize(v, n, &sm);
	return sm.median;
}

/* The latency round's mean per op against ns/op of the measured rounds,
 * point by point (medians over repetitions): the cost of recording latency,
 * kept out of ns/op, shown here. */
static void print_latency_check(const ct_study_t *s, FILE *f)
{
	size_t cap = s->npts * s->cfg->nallocs, n = 0, within = 0;
	double *dev = malloc((cap ? cap : 1) * sizeof *dev);
	for (size_t pt = 0; dev && pt < s->npts; pt++)
		for (size_t a = 0; a < s->cfg->nallocs; a++) {
			ct_summary_t sm;
			unsigned failed;
			double lat = lat_median(s, pt, a);
			ct_point_summary(s, pt, a, &sm, &failed);
			if (isnan(lat) || !sm.n || sm.median <= 0)
				continue;
			dev[n] = 100.0 * fabs(lat / sm.median - 1);
			within += dev[n++] <= 2;
		}
	if (n) {
		qsort(dev, n, sizeof *dev, cmp_d);
		fprintf(f, "latency: the latency round's mean per op agrees with ns/op within 2%% at "
			   "%zu of %zu points (median deviation %.2f%%)\n",
			within, n, dev[n / 2]);
	}
	free(dev);
}

static int cmp_d(const void *a, const void *b);

/* How many kept repetitions were concurrent at once, how many took more
 * runs, how many were rejected; the overlap and on-CPU share over the kept
 * multi-thread ones (median and lowest). */
static void print_concurrency(const ct_study_t *s, FILE *f)
{
	size_t cap = s->npts * s->cfg->nallocs * s->cfg->max_count, n = 0, kept = 0;
	double *ov = malloc((cap ? cap : 1) * sizeof *ov), share = 1e300;
	for (size_t i = 0; ov && i < cap; i++) {
		const ct_record_t *rec = &s->recs[i];
		if (!rec->done || !rec->ok || rec->rejected)
			continue;
		kept++;
		share = rec->r.cpu_share_min < share ? rec->r.cpu_share_min : share;
		if (s->pts[i / (s->cfg->nallocs * s->cfg->max_count)].threads > 1)
			ov[n++] = rec->r.overlap;
	}
	if (kept) {
		fprintf(f, "concurrency: %zu repetitions kept (%u runs redone, %u rejected: threads "
			   "not together or off CPU); lowest on-CPU share %.2f",
			kept, s->redone, s->rejected, share);
		if (n) {
			qsort(ov, n, sizeof *ov, cmp_d);
			fprintf(f, "; overlap of %zu multi-thread ones: median %.3f, lowest %.3f", n,
				ov[n / 2], ov[0]);
		}
		fputc('\n', f);
	}
	free(ov);
}

static void print_failures(const ct_study_t *s, FILE *f)
{
	unsigned shown = 0;
	for (size_t pt = 0; pt < s->npts; pt++)
		for (size_t a = 0; a < s->cfg->nallocs; a++)
			for (unsigned r = 0; r < s->cfg->max_count; r++) {
				const ct_record_t *rec = ct_rec(s, pt, a, r);
				if (!rec->done || (rec->ok && !rec->rejected))
					continue;
				if (shown++ == 0)
					fputs("failed or rejected repetitions:\n", f);
				if (shown > 20)
					continue;
				char name[512];
				ct_out_bench_name(s, pt, a, name, sizeof name);
				fprintf(f, "  %s-%u rep %u: %s\n", name, s->pts[pt].threads, r + 1,
					rec->r.err);
			}
	if (shown > 20)
		fprintf(f, "  ... and %u more (see results.csv)\n", shown - 20);
}

void ct_out_tables(const ct_study_t *s, FILE *f)
{
	for (size_t w = 0; w < s->cfg->nwl; w++)
		print_workload(s, s->cfg->wl[w], f);
	fputs("\n±? fewer than 6 good repetitions (no CI)   ! some repetitions failed   "
	      "* CI wider than the target\nx~ heap/stack not significant (Mann-Whitney p >= 0.05, exact with ties up "
	      "to 50 repetitions)\n",
	      f);
	if (s->oversubscribed)
		fprintf(f, "oversubscribed: some thread counts exceed the %u cores\n",
			s->machine.cores);
	for (size_t a = 0; a < s->cfg->nallocs; a++)
		if (!s->st[a].usable)
			fprintf(f, "%s: not measured: %s\n", s->cfg->allocs[a].label, s->st[a].why);
	print_precision(s, f);
	print_latency_check(s, f);
	print_concurrency(s, f);
	print_failures(s, f);
}
