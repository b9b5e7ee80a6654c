/* figures.c — data files and the gnuplot run behind the report's figures
 * (see figures.h). Entry point: ct_figures_make().
 *
 * gnuplot reads its commands from a pipe: for each figure the variables the
 * script documents (arrays of files and titles), then `load` of the script
 * from plots/, once per terminal. A script error fails that figure only:
 * gnuplot reading a pipe goes on with the next command. Its messages go to
 * REPORT/figures/gnuplot.log; a figure whose file is missing afterwards is
 * left out of the report. */
#include "figures.h"
#include "abstats.h"
#include "report_fmt.h"
#include "units.h"
#include "verdict.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_LINES_SIZES 6  /* sizes per ns/op panel */
#define MAX_TPUT_SIZES 3   /* sizes per throughput panel */
#define PANEL_W 560
#define PANEL_H 360

typedef struct {
	const ct_rdir_t *d;
	size_t k;             /* index of d */
	const char *out;      /* report directory */
	FILE *gp;             /* gnuplot's commands */
	ct_figures_t *figs;
	unsigned al[64], pl[64];
	size_t ns;            /* series (panels) */
	unsigned th[256];
	size_t nt;
	int heap, stack;
	double ylo, yhi;      /* the figure's lowest and highest value or CI end, over
			       * every panel: one y-range for all of them */
} fctx_t;

/* ---------------------------------------------------------------- locating things */

static bool is_dir_with(const char *dir, const char *file)
{
	char p[PATH_MAX + 64];
	snprintf(p, sizeof p, "%.*s/%s", PATH_MAX, dir, file);
	return access(p, R_OK) == 0;
}

void ct_plots_dir(char *buf, size_t len)
{
	char exe[PATH_MAX], cand[3][PATH_MAX + 16];
	const char *env = getenv("CONTEND_PLOTS");
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	exe[n > 0 ? n : 0] = '\0';
	char *slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	snprintf(cand[0], sizeof cand[0], "%s/../plots", exe);
	snprintf(cand[1], sizeof cand[1], "%s/plots", exe);
	snprintf(cand[2], sizeof cand[2], "%s", __FILE__); /* the source tree: src/figures.c */
	slash = strrchr(cand[2], '/');
	snprintf(slash ? slash : cand[2], sizeof cand[2] - (size_t)(slash ? slash - cand[2] : 0),
		 "/../plots");
	buf[0] = '\0';
	if (env && *env) {
		if (is_dir_with(env, "common.gp"))
			snprintf(buf, len, "%s/", env);
		return;
	}
	for (int i = 0; i < 3; i++)
		if (cand[i][0] == '/' && is_dir_with(cand[i], "common.gp")) {
			char real[PATH_MAX];
			snprintf(buf, len, "%s/", realpath(cand[i], real) ? real : cand[i]);
			return;
		}
}

static bool find_gnuplot(char *path, size_t len)
{
	const char *env = getenv("PATH");
	char dirs[8192];
	snprintf(dirs, sizeof dirs, "%s", env ? env : "/usr/bin:/bin");
	for (char *save, *dir = strtok_r(dirs, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		snprintf(path, len, "%s/gnuplot", dir);
		if (access(path, X_OK) == 0)
			return true;
	}
	return false;
}

/* ---------------------------------------------------------------- gnuplot text */

/* A gnuplot single-quoted string: ' doubled. */
static void gq(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputc('\'', f);
		if (*s != '\n')
			fputc(*s, f);
	}
	fputc('\'', f);
}

static void gp_str(FILE *f, const char *var, const char *val)
{
	fprintf(f, "%s=", var);
	gq(f, val);
	fputc('\n', f);
}

static void gp_array_str(FILE *f, const char *var, size_t i, const char *val)
{
	fprintf(f, "%s[%zu]=", var, i);
	gq(f, val);
	fputc('\n', f);
}

static void begin(fctx_t *x, const char *title, size_t npanel)
{
	fputs("reset\nundefine pfile ptitle ltitle lcolor ldash xlab ylab\n", x->gp);
	gp_str(x->gp, "ftitle", title);
	x->ylo = INFINITY;
	x->yhi = 0;
	fprintf(x->gp, "tmin=%u; tmax=%u\n", x->nt ? x->th[0] : 1, x->nt ? x->th[x->nt - 1] : 1);
	size_t cols = npanel > 1 ? 2 : 1;
	fprintf(x->gp, "npanel=%zu; cols=%zu; rows=%zu\narray pfile[%zu]; array ptitle[%zu]\n",
		npanel, cols, (npanel + cols - 1) / cols, npanel ? npanel : 1, npanel ? npanel : 1);
}

static void file_path(const fctx_t *x, const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", x->out, name);
}

/* Draw script for the figure just described: SVG, then PNG. */
static void draw(fctx_t *x, const char *script, const char *name, const char *kind,
		 const char *title, size_t npanel)
{
	ct_figures_t *F = x->figs;
	if (F->n == F->cap) {
		size_t cap = F->cap ? F->cap * 2 : 16;
		ct_figure_t *nf = realloc(F->fig, cap * sizeof *nf);
		if (!nf)
			return;
		F->fig = nf;
		F->cap = cap;
	}
	ct_figure_t *fig = &F->fig[F->n++];
	*fig = (ct_figure_t){.dir = x->k};
	snprintf(fig->title, sizeof fig->title, "%s", title);
	snprintf(fig->kind, sizeof fig->kind, "%s", kind);
	const char *wl = strchr(name + strlen(kind) + 1, '-'); /* name: kind-K[-workload] */
	snprintf(fig->group, sizeof fig->group, "%s%s", kind, wl ? wl : "");
	snprintf(fig->svg, sizeof fig->svg, "figures/%s.svg", name);
	snprintf(fig->png, sizeof fig->png, "figures/%s.png", name);
	size_t rows = npanel > 1 ? (npanel + 1) / 2 : 1;
	unsigned w = 2 * PANEL_W + 120, h = (unsigned)rows * PANEL_H + 60;
	fprintf(x->gp, "figw=%u; figh=%u\n", w, h);
	if (x->yhi > 0)
		fprintf(x->gp, "ymin=%.6g; ymax=%.6g\n", x->ylo, x->yhi);
	char p[PATH_MAX + 300];
	file_path(x, fig->svg, p, sizeof p);
	fprintf(x->gp, "set term svg size %u,%u dynamic font 'sans,11' background '#ffffff'\n", w, h);
	fputs("set output ", x->gp);
	gq(x->gp, p);
	/* a script that fails inside its multiplot must not take the next figures with it */
	fprintf(x->gp, "\nload dir.'%s'\nunset multiplot\nset output\n", script);
	file_path(x, fig->png, p, sizeof p);
	fprintf(x->gp, "set term pngcairo size %u,%u font 'sans,10' background '#ffffff'\n", w, h);
	fputs("set output ", x->gp);
	gq(x->gp, p);
	/* a script that fails inside its multiplot must not take the next figures with it */
	fprintf(x->gp, "\nload dir.'%s'\nunset multiplot\nset output\n", script);
}

/* ---------------------------------------------------------------- data */

static FILE *data_file(const fctx_t *x, const char *name, char *path, size_t len)
{
	snprintf(path, len, "%s/data/%s.dat", x->out, name);
	return fopen(path, "w");
}

static void panel(fctx_t *x, size_t p, const char *path, unsigned alloc, unsigned place)
{
	char t[160];
	ct_series_name(x->d, alloc, place, t, sizeof t);
	gp_array_str(x->gp, "pfile", p + 1, path);
	gp_array_str(x->gp, "ptitle", p + 1, t);
}

/* Up to max of the n sizes, evenly spread, first and last always in. */
static size_t pick_sizes(const uint64_t *all, size_t n, uint64_t *out, size_t max)
{
	if (n <= max) {
		memcpy(out, all, n * sizeof *out);
		return n;
	}
	for (size_t i = 0; i < max; i++)
		out[i] = all[(i * (n - 1)) / (max - 1)];
	return max;
}

#define MAX_MODES 3

typedef struct {
	unsigned mode[MAX_MODES]; /* the workload's modes: heap, stack, then others */
	size_t nmode;
	uint64_t sz[16];
	size_t nsz;
	uint64_t all[128];
	size_t nall;
} lines_t;

static bool has_mode(const fctx_t *x, unsigned wl, int mode)
{
	for (size_t i = 0; mode >= 0 && i < x->d->ngroups; i++)
		if (x->d->groups[i].workload == wl && (int)x->d->groups[i].mode == mode)
			return true;
	return false;
}

/* Modes of workload wl worth a line: heap, stack, then the others but
 * control (the harness alone), at most MAX_MODES. */
static size_t workload_modes(const fctx_t *x, unsigned wl, unsigned *out)
{
	size_t n = 0;
	int control = ct_rdir_id(x->d, "control");
	if (has_mode(x, wl, x->heap))
		out[n++] = (unsigned)x->heap;
	if (has_mode(x, wl, x->stack))
		out[n++] = (unsigned)x->stack;
	for (size_t i = 0; i < x->d->ngroups && n < MAX_MODES; i++) {
		const ct_group_t *g = &x->d->groups[i];
		int m = (int)g->mode;
		if (g->workload == wl && m != x->heap && m != x->stack && m != control &&
		    (n == 0 || out[n - 1] != g->mode))
			out[n++] = g->mode;
	}
	return n;
}

/* A file-name-safe copy of s. */
static const char *safe(const char *s, char *buf, size_t len)
{
	size_t i = 0;
	for (; s[i] && i + 1 < len; i++)
		buf[i] = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_", s[i])
			 ? s[i] : '_';
	buf[i] = '\0';
	return buf;
}

/* The lines of a panel: each mode at the chosen sizes. */
static size_t line_setup(fctx_t *x, unsigned wl, size_t max, lines_t *L)
{
	L->nmode = workload_modes(x, wl, L->mode);
	L->nall = ct_rdir_sizes(x->d, (int)wl, L->all, 128);
	L->nsz = pick_sizes(L->all, L->nall, L->sz, max);
	size_t n = 0;
	size_t lines = L->nmode * L->nsz > 0 ? L->nmode * L->nsz : 1;
	fprintf(x->gp, "nline=%zu\narray ltitle[%zu]; array lcolor[%zu]; array ldash[%zu]\n",
		L->nmode * L->nsz, lines, lines, lines);
	for (size_t m = 0; m < L->nmode; m++)
		for (size_t s = 0; s < L->nsz; s++, n++) {
			char t[96], sz[32];
			snprintf(t, sizeof t, "%s %s", ct_rstr(x->d, L->mode[m]),
				 ct_format_size(L->sz[s], sz, sizeof sz));
			gp_array_str(x->gp, "ltitle", n + 1, t);
			/* a size keeps its colour in every mode and panel */
			fprintf(x->gp, "lcolor[%zu]=%zu; ldash[%zu]=%zu\n", n + 1, s + 1, n + 1, m + 1);
		}
	return n;
}

/* threads, value and its CI (the value itself when there is none); the
 * figure's y-range grows to hold it */
static void track(fctx_t *x, double lo, double hi)
{
	if (lo > 0)
		x->ylo = fmin(x->ylo, lo);
	x->yhi = fmax(x->yhi, hi);
}

static void ci_row(fctx_t *x, FILE *f, unsigned t, double v, bool has_ci, double lo, double hi)
{
	if (!has_ci)
		lo = hi = v;
	fprintf(f, "%u %.6g %.6g %.6g\n", t, v, lo, hi);
	track(x, lo, hi);
}

/* ---------------------------------------------------------------- figures */

static int fig_nsop(fctx_t *x, unsigned wl)
{
	char title[512], name[96];
	snprintf(title, sizeof title, "%s: ns/op per thread vs threads — %s", ct_rstr(x->d, wl),
		 x->d->label);
	char sw[64];
	snprintf(name, sizeof name, "nsop-%zu-%s", x->k, safe(ct_rstr(x->d, wl), sw, sizeof sw));
	begin(x, title, x->ns);
	lines_t L;
	line_setup(x, wl, MAX_LINES_SIZES, &L);
	for (size_t p = 0; p < x->ns; p++) {
		char dn[160], path[PATH_MAX + 300];
		snprintf(dn, sizeof dn, "%s-%zu", name, p);
		FILE *f = data_file(x, dn, path, sizeof path);
		if (!f)
			return -1;
		for (size_t m = 0; m < L.nmode; m++)
			for (size_t s = 0; s < L.nsz; s++) {
				for (size_t t = 0; t < x->nt; t++) {
					const ct_group_t *g = ct_rdir_find(x->d, wl, L.mode[m], L.sz[s],
									   x->al[p], x->pl[p], x->th[t]);
					if (g && g->nok)
						ci_row(x, f, x->th[t], g->ns.median, g->ns.has_ci,
						       g->ns.lo, g->ns.hi);
				}
				fputs("\n\n", f);
			}
		fclose(f);
		panel(x, p, path, x->al[p], x->pl[p]);
	}
	draw(x, "nsop_threads.gp", name, "nsop", title, x->ns);
	return 0;
}

/* heap/stack of ns/op at one size, allocator and thread count, with its CI;
 * ratio NAN when a side is missing. */
static ct_ratio_t cell_ratio(const fctx_t *x, unsigned wl, uint64_t size, size_t p, unsigned t)
{
	const ct_group_t *h = ct_rdir_find(x->d, wl, (unsigned)x->heap, size, x->al[p], x->pl[p], t);
	const ct_group_t *s = ct_rdir_find(x->d, wl, (unsigned)x->stack, size, x->al[p], x->pl[p], t);
	ct_ratio_t q = {.ratio = NAN};
	if (!h || !s || !h->nok || !s->nok ||
	    ct_ratio_ci(h->v[CT_M_NS], h->nok, s->v[CT_M_NS], s->nok, 0.95, &q))
		q = (ct_ratio_t){.ratio = NAN};
	return q;
}

/* A heatmap cell: indices, ratio, whether its CI excludes 1, and the label
 * exactly as the report's tables print it ("1.06x ~"). */
static void heat_row(FILE *f, size_t t, size_t s, const ct_ratio_t *q)
{
	char v[16];
	bool sig = q->has_ci && (q->lo > 1 || q->hi < 1);
	_ct_fmt_num(q->ratio, v, sizeof v);
	if (isnan(q->ratio))
		fprintf(f, "%zu %zu NaN 1 \"no data\"\n", t, s); /* a blank cell says why */
	else
		fprintf(f, "%zu %zu %.4g %d \"%sx%s\"\n", t, s, q->ratio, sig, v, sig ? "" : " ~");
}

static int fig_heatmap(fctx_t *x, unsigned wl)
{
	char title[512], name[96];
	uint64_t sz[128];
	size_t nsz = ct_rdir_sizes(x->d, (int)wl, sz, 128);
	snprintf(title, sizeof title, "%s: heap/stack ns/op by size and threads — %s",
		 ct_rstr(x->d, wl), x->d->label);
	char sw[64];
	snprintf(name, sizeof name, "heatmap-%zu-%s", x->k, safe(ct_rstr(x->d, wl), sw, sizeof sw));
	begin(x, title, x->ns);
	double span = 2;
	for (size_t p = 0; p < x->ns; p++) {
		char dn[160], path[PATH_MAX + 300];
		snprintf(dn, sizeof dn, "%s-%zu", name, p);
		FILE *f = data_file(x, dn, path, sizeof path);
		if (!f)
			return -1;
		for (size_t t = 0; t < x->nt; t++) {
			for (size_t s = 0; s < nsz; s++) {
				ct_ratio_t q = cell_ratio(x, wl, sz[s], p, x->th[t]);
				double r = q.ratio;
				heat_row(f, t, s, &q);
				if (r > 0)
					span = fmax(span, fmax(r, 1 / r));
			}
			fputs("\n", f);
		}
		fclose(f);
		panel(x, p, path, x->al[p], x->pl[p]);
	}
	fprintf(x->gp, "nx=%zu; ny=%zu; cbmax=%g\narray xlab[%zu]; array ylab[%zu]\n", x->nt, nsz,
		pow(2, ceil(log2(span))), x->nt, nsz);
	for (size_t t = 0; t < x->nt; t++)
		fprintf(x->gp, "xlab[%zu]='%u'\n", t + 1, x->th[t]);
	for (size_t s = 0; s < nsz; s++) {
		char b[32];
		gp_array_str(x->gp, "ylab", s + 1, ct_format_size(sz[s], b, sizeof b));
	}
	draw(x, "heatmap.gp", name, "heatmap", title, x->ns);
	return 0;
}

/* ---------------------------------------------------------------- heap/stack ratio */

static int fig_ratio(fctx_t *x, unsigned wl)
{
	char title[512], name[96], sw[64];
	uint64_t all[128], sz[16];
	size_t nall = ct_rdir_sizes(x->d, (int)wl, all, 128);
	size_t nsz = pick_sizes(all, nall, sz, MAX_LINES_SIZES);
	snprintf(title, sizeof title, "%s: heap/stack ns/op vs threads — %s", ct_rstr(x->d, wl),
		 x->d->label);
	snprintf(name, sizeof name, "ratio-%zu-%s", x->k, safe(ct_rstr(x->d, wl), sw, sizeof sw));
	begin(x, title, x->ns);
	fprintf(x->gp, "nline=%zu\narray ltitle[%zu]; array lcolor[%zu]; array ldash[%zu]\n", nsz,
		nsz ? nsz : 1, nsz ? nsz : 1, nsz ? nsz : 1);
	for (size_t s = 0; s < nsz; s++) {
		char b[32];
		gp_array_str(x->gp, "ltitle", s + 1, ct_format_size(sz[s], b, sizeof b));
		fprintf(x->gp, "lcolor[%zu]=%zu; ldash[%zu]=1\n", s + 1, s + 1, s + 1);
	}
	for (size_t p = 0; p < x->ns; p++) {
		char dn[160], path[PATH_MAX + 300];
		snprintf(dn, sizeof dn, "%s-%zu", name, p);
		FILE *f = data_file(x, dn, path, sizeof path);
		if (!f)
			return -1;
		for (size_t s = 0; s < nsz; s++) {
			for (size_t t = 0; t < x->nt; t++) {
				ct_ratio_t q = cell_ratio(x, wl, sz[s], p, x->th[t]);
				if (q.ratio > 0)
					ci_row(x, f, x->th[t], q.ratio, q.has_ci, q.lo, q.hi);
			}
			fputs("\n\n", f);
		}
		fclose(f);
		panel(x, p, path, x->al[p], x->pl[p]);
	}
	draw(x, "ratio.gp", name, "ratio", title, x->ns);
	return 0;
}

/* Speedup of one line at threads th[t] over the smallest thread count,
 * scaled to 1 thread; false when a side is missing. */
static bool speedup(const fctx_t *x, unsigned wl, unsigned mode, uint64_t size, size_t p, size_t t,
		    ct_ratio_t *r)
{
	const ct_group_t *b = ct_rdir_find(x->d, wl, mode, size, x->al[p], x->pl[p], x->th[0]);
	const ct_group_t *g = ct_rdir_find(x->d, wl, mode, size, x->al[p], x->pl[p], x->th[t]);
	if (!b || !b->nok || !g || !g->nok ||
	    ct_ratio_ci(g->v[CT_M_OPS], g->nok, b->v[CT_M_OPS], b->nok, 0.95, r) || isnan(r->ratio))
		return false;
	double k = (double)x->th[0];
	r->ratio *= k, r->lo *= k, r->hi *= k;
	r->has_ci &= t > 0; /* the baseline against itself has no interval */
	return true;
}

/* The top of the throughput axis: the ideal line and every median fit with
 * room to spare; one wide CI must not stretch the axis for everyone. */
static double tput_cap(const fctx_t *x, unsigned wl, const lines_t *L)
{
	double top = x->th[x->nt - 1];
	for (size_t p = 0; p < x->ns; p++)
		for (size_t m = 0; m < L->nmode; m++)
			for (size_t s = 0; s < L->nsz; s++)
				for (size_t t = 0; t < x->nt; t++) {
					ct_ratio_t r;
					if (speedup(x, wl, L->mode[m], L->sz[s], p, t, &r))
						top = fmax(top, r.ratio);
				}
	return top * 1.15;
}

static size_t tput_line(fctx_t *x, FILE *f, unsigned wl, unsigned mode, uint64_t size, size_t p,
			double cap)
{
	size_t clipped = 0;
	for (size_t t = 0; t < x->nt; t++) {
		ct_ratio_t r;
		if (!speedup(x, wl, mode, size, p, t, &r))
			continue;
		bool cut = r.has_ci && r.hi > cap;
		clipped += cut;
		fprintf(f, "%u %.6g %.6g %.6g %d\n", x->th[t], r.ratio, r.has_ci ? r.lo : r.ratio,
			r.has_ci ? r.hi : r.ratio, cut);
	}
	fputs("\n\n", f);
	return clipped;
}

static int fig_throughput(fctx_t *x, unsigned wl)
{
	if (!x->d->has_col[CT_M_OPS] || x->nt < 2)
		return 0;
	char title[512], name[96];
	snprintf(title, sizeof title, "%s: throughput vs threads, relative to 1 thread — %s",
		 ct_rstr(x->d, wl), x->d->label);
	char sw[64];
	snprintf(name, sizeof name, "throughput-%zu-%s", x->k, safe(ct_rstr(x->d, wl), sw, sizeof sw));
	begin(x, title, x->ns);
	lines_t L;
	line_setup(x, wl, MAX_TPUT_SIZES, &L);
	double cap = tput_cap(x, wl, &L);
	size_t nclip = 0;
	for (size_t p = 0; p < x->ns; p++) {
		char dn[160], path[PATH_MAX + 300];
		snprintf(dn, sizeof dn, "%s-%zu", name, p);
		FILE *f = data_file(x, dn, path, sizeof path);
		if (!f)
			return -1;
		for (size_t m = 0; m < L.nmode; m++)
			for (size_t s = 0; s < L.nsz; s++)
				nclip += tput_line(x, f, wl, L.mode[m], L.sz[s], p, cap);
		fclose(f);
		panel(x, p, path, x->al[p], x->pl[p]);
	}
	fprintf(x->gp, "ycap=%.6g; nclip=%zu\n", cap, nclip);
	draw(x, "throughput.gp", name, "throughput", title, x->ns);
	return 0;
}

static const ct_metric_t pct_metric[] = {CT_M_P50, CT_M_P99, CT_M_P999};
static const char *const pct_name[] = {"p50", "p99", "p99.9"};

static bool has_latency(const ct_rdir_t *d)
{
	if (!d->has_col[CT_M_P50] || !d->has_col[CT_M_P99])
		return false;
	for (size_t i = 0; i < d->nrows; i++)
		if (d->rows[i].ok && d->rows[i].m[CT_M_P50] > 0)
			return true;
	return false;
}

static int fig_latency(fctx_t *x, unsigned wl)
{
	if (!has_latency(x->d))
		return 0;
	uint64_t sz[128];
	size_t nsz = ct_rdir_sizes(x->d, (int)wl, sz, 128);
	uint64_t size = sz[nsz / 2];
	char title[512], name[96], b[32];
	snprintf(title, sizeof title, "%s %s: latency percentiles vs threads — %s", ct_rstr(x->d, wl),
		 ct_format_size(size, b, sizeof b), x->d->label);
	char sw[64];
	snprintf(name, sizeof name, "latency-%zu-%s", x->k, safe(ct_rstr(x->d, wl), sw, sizeof sw));
	begin(x, title, x->ns);
	unsigned modes[MAX_MODES];
	size_t nm = workload_modes(x, wl, modes);
	fprintf(x->gp, "nline=%zu\narray ltitle[%zu]; array lcolor[%zu]; array ldash[%zu]\n",
		3 * nm, 3 * nm + 1, 3 * nm + 1, 3 * nm + 1);
	for (size_t m = 0, n = 1; m < nm; m++)
		for (int q = 0; q < 3; q++, n++)
			fprintf(x->gp, "ltitle[%zu]='%s %s'; lcolor[%zu]=%d; ldash[%zu]=%zu\n", n,
				ct_rstr(x->d, modes[m]), pct_name[q], n, q + 1, n, m + 1);
	for (size_t p = 0; p < x->ns; p++) {
		char dn[160], path[PATH_MAX + 300];
		snprintf(dn, sizeof dn, "%s-%zu", name, p);
		FILE *f = data_file(x, dn, path, sizeof path);
		if (!f)
			return -1;
		for (size_t m = 0; m < nm; m++)
			for (int q = 0; q < 3; q++) {
				for (size_t t = 0; t < x->nt; t++) {
					const ct_group_t *g = ct_rdir_find(x->d, wl, modes[m], size,
									   x->al[p], x->pl[p], x->th[t]);
					double v = g ? ct_median(g->v[pct_metric[q]], g->nok) : NAN;
					if (v > 0) {
						fprintf(f, "%u %.6g\n", x->th[t], v);
						x->ylo = fmin(x->ylo, v);
						x->yhi = fmax(x->yhi, v);
					}
				}
				fputs("\n\n", f);
			}
		fclose(f);
		panel(x, p, path, x->al[p], x->pl[p]);
	}
	draw(x, "latency.gp", name, "latency", title, x->ns);
	return 0;
}

/* ---------------------------------------------------------------- contention */

/* One line of the contention figure: per thread count, ns/op per thread
 * and aggregate Mops/s, each median with its 95% CI. */
static void cont_line(fctx_t *x, FILE *f, unsigned wl, unsigned mode, uint64_t size, size_t p,
		      double *omax)
{
	for (size_t t = 0; t < x->nt; t++) {
		const ct_group_t *g = ct_rdir_find(x->d, wl, mode, size, x->al[p], x->pl[p], x->th[t]);
		if (!g || !g->nok)
			continue;
		ct_summary_t o;
		ct_summarize(g->v[CT_M_OPS], g->nok, &o);
		double olo = o.has_ci ? o.lo : o.median, ohi = o.has_ci ? o.hi : o.median;
		if (!(o.median > 0)) /* no ops/s column: the throughput panel stays empty */
			o.median = olo = ohi = NAN;
		const ct_summary_t *ns = &g->ns;
		double lo = ns->has_ci ? ns->lo : ns->median, hi = ns->has_ci ? ns->hi : ns->median;
		fprintf(f, "%u %.6g %.6g %.6g %.6g %.6g %.6g\n", x->th[t], ns->median, lo, hi,
			o.median / 1e6, olo / 1e6, ohi / 1e6);
		track(x, lo, hi);
		if (ohi > 0)
			*omax = fmax(*omax, ohi / 1e6);
	}
	fputs("\n\n", f);
}

/* Contention workloads (no stack mode): every allocator in one panel, the
 * cost per thread beside the aggregate throughput, at the middle size. */
static int fig_contention(fctx_t *x, unsigned wl)
{
	char title[512], name[96], sw[64], b[32], path[PATH_MAX + 300];
	uint64_t sz[128];
	size_t nsz = ct_rdir_sizes(x->d, (int)wl, sz, 128);
	unsigned modes[MAX_MODES];
	size_t nm = workload_modes(x, wl, modes), n = 0;
	if (!nsz || !nm || x->nt < 2)
		return 0;
	uint64_t size = sz[nsz / 2];
	snprintf(title, sizeof title, "%s %s: contention, allocators side by side — %s",
		 ct_rstr(x->d, wl), ct_format_size(size, b, sizeof b), x->d->label);
	snprintf(name, sizeof name, "contention-%zu-%s", x->k, safe(ct_rstr(x->d, wl), sw, sizeof sw));
	FILE *f = data_file(x, name, path, sizeof path);
	if (!f)
		return -1;
	begin(x, title, 2);
	fputs("undefine pfile\n", x->gp);
	gp_str(x->gp, "pfile", path);
	fprintf(x->gp, "nline=%zu\narray ltitle[%zu]; array lcolor[%zu]; array ldash[%zu]\n",
		x->ns * nm, x->ns * nm + 1, x->ns * nm + 1, x->ns * nm + 1);
	double omax = 0;
	for (size_t p = 0; p < x->ns; p++)
		for (size_t m = 0; m < nm; m++, n++) {
			char t[256], sn[160];
			ct_series_name(x->d, x->al[p], x->pl[p], sn, sizeof sn);
			snprintf(t, sizeof t, nm > 1 ? "%s %s" : "%s", sn, ct_rstr(x->d, modes[m]));
			gp_array_str(x->gp, "ltitle", n + 1, t);
			fprintf(x->gp, "lcolor[%zu]=%zu; ldash[%zu]=%zu\n", n + 1, p + 1, n + 1, m + 1);
			cont_line(x, f, wl, modes[m], size, p, &omax);
		}
	fclose(f);
	fprintf(x->gp, "omax=%.6g\n", omax > 0 ? omax : 1);
	draw(x, "contention.gp", name, "contention", title, 2);
	return 0;
}

/* GB/s per thread of each mode of workload wl at the smallest thread count, first series. */
static void bw_line(fctx_t *x, FILE *f, unsigned wl, unsigned mode)
{
	uint64_t sz[128];
	size_t nsz = ct_rdir_sizes(x->d, (int)wl, sz, 128);
	for (size_t s = 0; s < nsz; s++) {
		const ct_group_t *g = ct_rdir_find(x->d, wl, mode, sz[s], x->al[0], x->pl[0], x->th[0]);
		if (g && g->nok && g->ns.median > 0)
			fprintf(f, "%llu %.6g\n", (unsigned long long)sz[s],
				(double)sz[s] / g->ns.median);
	}
	fputs("\n\n", f);
}

static int fig_bandwidth(fctx_t *x)
{
	int bw = ct_rdir_id(x->d, "bandwidth"), smaug = ct_rdir_id(x->d, "smaug");
	if (bw < 0 || !x->ns)
		return 0;
	char title[512], name[96], path[PATH_MAX + 300];
	snprintf(title, sizeof title, "stack copy vs memcpy reference, %u thread(s), %s — %s",
		 x->th[0], ct_rstr(x->d, x->al[0]), x->d->label);
	snprintf(name, sizeof name, "bandwidth-%zu", x->k);
	FILE *f = data_file(x, name, path, sizeof path);
	if (!f)
		return -1;
	begin(x, title, 1);
	fputs("undefine pfile\n", x->gp);
	gp_str(x->gp, "pfile", path);
	unsigned modes[32];
	size_t nm = 0;
	for (size_t i = 0; i < x->d->ngroups && nm < 32; i++)
		if ((int)x->d->groups[i].workload == bw &&
		    (nm == 0 || modes[nm - 1] != x->d->groups[i].mode))
			modes[nm++] = x->d->groups[i].mode;
	fprintf(x->gp, "nline=%zu\narray ltitle[%zu]; array lcolor[%zu]; array ldash[%zu]\n",
		nm + 1, nm + 1, nm + 1, nm + 1);
	fputs("ltitle[1]='smaug stack copy'; lcolor[1]=1; ldash[1]=1\n", x->gp);
	if (smaug >= 0 && x->stack >= 0)
		bw_line(x, f, (unsigned)smaug, (unsigned)x->stack);
	else
		fputs("\n\n", f);
	for (size_t m = 0; m < nm; m++) {
		char t[96];
		snprintf(t, sizeof t, "%s (reference)", ct_rstr(x->d, modes[m]));
		gp_array_str(x->gp, "ltitle", m + 2, t);
		fprintf(x->gp, "lcolor[%zu]=%zu; ldash[%zu]=2\n", m + 2, m + 2, m + 2);
		bw_line(x, f, (unsigned)bw, modes[m]);
	}
	fclose(f);
	draw(x, "bandwidth.gp", name, "bandwidth", title, 1);
	return 0;
}

/* ---------------------------------------------------------------- driver */

static int dir_figures(fctx_t *x)
{
	x->ns = ct_series(x->d, x->al, x->pl, 64);
	x->nt = ct_rdir_threads(x->d, -1, x->th, 256);
	x->heap = ct_rdir_id(x->d, "heap");
	x->stack = ct_rdir_id(x->d, "stack");
	if (!x->ns || !x->nt)
		return 0;
	for (size_t i = 0; i < x->d->ngroups; i++) {
		unsigned wl = x->d->groups[i].workload;
		if (i > 0 && wl == x->d->groups[i - 1].workload)
			continue;
		if (strcmp(ct_rstr(x->d, wl), "bandwidth") == 0)
			continue;
		bool both = has_mode(x, wl, x->heap) && has_mode(x, wl, x->stack);
		if (fig_nsop(x, wl) || (both && (fig_ratio(x, wl) || fig_heatmap(x, wl))) ||
		    (!has_mode(x, wl, x->stack) && fig_contention(x, wl)) ||
		    fig_throughput(x, wl) || fig_latency(x, wl))
			return -1;
	}
	return fig_bandwidth(x);
}

static int make_dirs(const char *out)
{
	char p[PATH_MAX + 32];
	snprintf(p, sizeof p, "%s/data", out);
	if (mkdir(p, 0755) && errno != EEXIST)
		return -1;
	snprintf(p, sizeof p, "%s/figures", out);
	return mkdir(p, 0755) && errno != EEXIST ? -1 : 0;
}

/* Keep only the figures gnuplot actually wrote. */
static void prune(ct_figures_t *F, const char *out)
{
	size_t k = 0;
	for (size_t i = 0; i < F->n; i++) {
		char p[PATH_MAX + 300];
		struct stat st;
		snprintf(p, sizeof p, "%s/%s", out, F->fig[i].png);
		bool png = stat(p, &st) == 0 && st.st_size > 0;
		snprintf(p, sizeof p, "%s/%s", out, F->fig[i].svg);
		if (!(stat(p, &st) == 0 && st.st_size > 0))
			F->fig[i].svg[0] = '\0';
		if (png)
			F->fig[k++] = F->fig[i];
	}
	if (k < F->n)
		snprintf(F->note, sizeof F->note, "%zu figure(s) failed to draw: see figures/gnuplot.log",
			 F->n - k);
	F->n = k;
}

/* gnuplot reading a pipe from us, its output in figures/gnuplot.log; no shell. */
static FILE *spawn(const char *gp, const char *out, pid_t *pid)
{
	char log[PATH_MAX + 64];
	int fd[2];
	snprintf(log, sizeof log, "%.*s/figures/gnuplot.log", PATH_MAX, out);
	int lfd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (lfd < 0 || pipe2(fd, O_CLOEXEC)) {
		if (lfd >= 0)
			close(lfd);
		return NULL;
	}
	*pid = fork();
	if (*pid == 0) {
		dup2(fd[0], STDIN_FILENO);
		dup2(lfd, STDOUT_FILENO);
		dup2(lfd, STDERR_FILENO);
		execl(gp, "gnuplot", (char *)NULL);
		_exit(127);
	}
	close(fd[0]);
	close(lfd);
	FILE *f = *pid > 0 ? fdopen(fd[1], "w") : NULL;
	if (!f)
		close(fd[1]);
	return f;
}

static FILE *open_gnuplot(const char *out, ct_figures_t *F, char *plots, size_t len, pid_t *pid)
{
	char gp[PATH_MAX];
	ct_plots_dir(plots, len);
	if (!find_gnuplot(gp, sizeof gp)) {
		snprintf(F->note, sizeof F->note, "figures skipped: gnuplot not found "
			 "(install gnuplot-nox); the data files are in data/");
		return NULL;
	}
	if (!plots[0]) {
		snprintf(F->note, sizeof F->note, "figures skipped: the gnuplot scripts (plots/) "
			 "were not found; set CONTEND_PLOTS");
		return NULL;
	}
	FILE *f = spawn(gp, out, pid);
	if (!f)
		snprintf(F->note, sizeof F->note, "figures skipped: cannot run gnuplot: %s",
			 strerror(errno));
	return f;
}

static int draw_all(const ct_rdir_t *dirs, size_t n, const char *outdir, ct_figures_t *out)
{
	memset(out, 0, sizeof *out);
	if (make_dirs(outdir))
		return -1;
	char plots[PATH_MAX];
	pid_t pid = -1;
	FILE *gp = open_gnuplot(outdir, out, plots, sizeof plots, &pid);
	FILE *sink = gp ? gp : fopen("/dev/null", "w"); /* data files are written either way */
	if (!sink)
		return -1;
	gp_str(sink, "dir", plots);
	int rc = 0;
	for (size_t k = 0; k < n && !rc; k++) {
		fctx_t x = {.d = &dirs[k], .k = k, .out = outdir, .gp = sink, .figs = out};
		rc = dir_figures(&x);
	}
	if (!gp) {
		fclose(sink);
		out->n = 0;
		return rc;
	}
	fputs("quit\n", gp);
	fclose(gp);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	out->drawn = true;
	prune(out, outdir);
	return rc;
}

int ct_figures_make(const ct_rdir_t *dirs, size_t n, const char *outdir, ct_figures_t *out)
{
	/* a gnuplot that dies early must not take contend with it (SIGPIPE) */
	struct sigaction ign = {.sa_handler = SIG_IGN}, old;
	sigaction(SIGPIPE, &ign, &old);
	int rc = draw_all(dirs, n, outdir, out);
	sigaction(SIGPIPE, &old, NULL);
	return rc;
}

void ct_figures_free(ct_figures_t *f)
{
	free(f->fig);
	memset(f, 0, sizeof *f);
}
