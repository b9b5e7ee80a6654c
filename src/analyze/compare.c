/* compare.c — `contend compare OLD NEW`: an A/B table of two results
 * directories (or two allocators, placements or tunable variants of one).
 * Per benchmark present in both — workload, mode, size, allocator,
 * placement, threads — the two medians with the half-width of their 95%
 * CIs, the change in % and its 95% CI from one estimator (abstats.h: the
 * Hodges–Lehmann estimate of the factor new/old and the interval that
 * inverts the Mann–Whitney test, so the change is always inside its
 * interval, and the interval excludes 0% exactly when p < 0.05), the p
 * and "~" where p >= 0.05 (not significant). Entry point: ct_cmd_compare(). */
#include "abstats.h"
#include "contend.h"
#include "report.h"
#include "report_parts.h"

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_MAP 32
#define ALPHA 0.05

typedef struct {
	const char *from, *to;
} map_t;

typedef struct {
	map_t alloc[MAX_MAP], place[MAX_MAP];
	size_t nalloc, nplace;
	const char *metric;      /* column name */
	ct_metric_t m;           /* where its values are */
	const char *old, *new_;
} cmp_opts_t;

typedef struct {
	double sum_old, sum_new; /* of logs, for the geometric means */
	size_t n, nsig, nonly_old;
	int namew;
} cmp_totals_t;

void ct_compare_usage(FILE *f)
{
	fputs("usage: contend compare [options] OLD NEW\n"
	      "\n"
	      "Per benchmark (workload/mode/size/alloc/place-threads) in both results\n"
	      "directories: both medians (±95% CI), the change in % (Hodges-Lehmann estimate\n"
	      "of the factor new/old), its 95% CI (the one that inverts the test: it excludes\n"
	      "0% exactly when p < 0.05) and the Mann-Whitney U p-value (exact with ties up\n"
	      "to 50 repetitions in all); '~' marks a change that is not significant.\n"
	      "OLD and NEW may be the same directory with --alloc or --place.\n"
	      "\n"
	      "  -a, --alloc OLD=NEW    compare allocator OLD of OLD with allocator NEW of NEW\n"
	      "                         (tunable variants, other versions); repeatable; only\n"
	      "                         the allocators named are compared\n"
	      "  -p, --place OLD=NEW    the same for the placement policy\n"
	      "  -m, --metric COLUMN    a numeric column of results.csv (default ns_per_op)\n"
	      "  -h, --help             this text\n",
	      f);
}

/* ---------------------------------------------------------------- options */

static void add_map(map_t *m, size_t *n, const char *opt, char *val)
{
	char *eq = strchr(val, '=');
	if (!eq || eq == val || !eq[1])
		ct_usage_error("%s: bad value '%s': want OLD=NEW", opt, val);
	if (*n == MAX_MAP)
		ct_usage_error("%s: more than %d pairs", opt, MAX_MAP);
	*eq = '\0';
	m[(*n)++] = (map_t){val, eq + 1};
}

static ct_metric_t metric_slot(const char *name)
{
	for (int m = 0; m < CT_NMETRICS; m++)
		if (ct_metric_col[m] && strcmp(ct_metric_col[m], name) == 0)
			return (ct_metric_t)m;
	return CT_M_EXTRA;
}

static void parse(int argc, char **argv, cmp_opts_t *o)
{
	static const struct option longopts[] = {
		{"alloc", required_argument, NULL, 'a'}, {"place", required_argument, NULL, 'p'},
		{"metric", required_argument, NULL, 'm'}, {"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	*o = (cmp_opts_t){.metric = "ns_per_op", .m = CT_M_NS};
	opterr = 0;
	optind = 1;
	for (int c; (c = getopt_long(argc, argv, ":a:p:m:h", longopts, NULL)) != -1;) {
		switch (c) {
		case 'a': add_map(o->alloc, &o->nalloc, "--alloc", optarg); break;
		case 'p': add_map(o->place, &o->nplace, "--place", optarg); break;
		case 'm': o->metric = optarg; o->m = metric_slot(optarg); break;
		case 'h': ct_compare_usage(stdout); exit(0);
		default: ct_option_error("compare", c, argv);
		}
	}
	if (optind >= argc)
		ct_usage_error("compare: OLD: missing (two results directories: OLD NEW)");
	if (optind + 1 >= argc)
		ct_usage_error("compare: NEW: missing (two results directories: OLD NEW)");
	if (optind + 2 < argc)
		ct_usage_error("compare: unexpected argument '%s'", argv[optind + 2]);
	if (!*o->metric)
		ct_usage_error("--metric: bad value '': empty");
	o->old = argv[optind];
	o->new_ = argv[optind + 1];
}

static void load(const char *path, const cmp_opts_t *o, const char *which, ct_rdir_t *d)
{
	char err[512];
	int rc = ct_rdir_load(path, o->m == CT_M_EXTRA ? o->metric : NULL, d, err, sizeof err);
	if (rc == CT_LOAD_BADARG && strstr(err, "has no column"))
		ct_usage_error("--metric: bad value '%s': %s", o->metric, err);
	if (rc == CT_LOAD_BADARG)
		ct_usage_error("compare: %s %s", which, err);
	if (rc) {
		fprintf(stderr, "contend: compare: %s\n", err);
		exit(CT_EXIT_FAIL);
	}
}

/* ---------------------------------------------------------------- matching */

/* The name on the NEW side of OLD's name v under the maps, NULL when the
 * maps exist and do not name it. */
static const char *mapped(const map_t *m, size_t n, const char *v)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(m[i].from, v) == 0)
			return m[i].to;
	return n ? NULL : v;
}

static const ct_group_t *counterpart(const ct_rdir_t *a, const ct_group_t *g, const ct_rdir_t *b,
				     const cmp_opts_t *o)
{
	const char *al = mapped(o->alloc, o->nalloc, ct_rstr(a, g->alloc));
	const char *pl = mapped(o->place, o->nplace, ct_rstr(a, g->place));
	if (!al || !pl)
		return NULL;
	int w = ct_rdir_id(b, ct_rstr(a, g->workload)), m = ct_rdir_id(b, ct_rstr(a, g->mode));
	int ai = ct_rdir_id(b, al), pi = ct_rdir_id(b, pl);
	if (w < 0 || m < 0 || ai < 0 || pi < 0)
		return NULL;
	return ct_rdir_find(b, (unsigned)w, (unsigned)m, g->size_bytes, (unsigned)ai, (unsigned)pi,
			    g->threads);
}

static bool in_scope(const ct_rdir_t *a, const ct_group_t *g, const cmp_opts_t *o)
{
	return mapped(o->alloc, o->nalloc, ct_rstr(a, g->alloc)) &&
	       mapped(o->place, o->nplace, ct_rstr(a, g->place));
}

static void bench_name(const ct_rdir_t *a, const ct_group_t *g, const ct_rdir_t *b,
		       const ct_group_t *h, char *buf, size_t len)
{
	char al[160], pl[96];
	if (strcmp(ct_rstr(a, g->alloc), ct_rstr(b, h->alloc)) == 0)
		snprintf(al, sizeof al, "%s", ct_rstr(a, g->alloc));
	else
		snprintf(al, sizeof al, "%s>%s", ct_rstr(a, g->alloc), ct_rstr(b, h->alloc));
	if (strcmp(ct_rstr(a, g->place), ct_rstr(b, h->place)) == 0)
		snprintf(pl, sizeof pl, "%s", ct_rstr(a, g->place));
	else
		snprintf(pl, sizeof pl, "%s>%s", ct_rstr(a, g->place), ct_rstr(b, h->place));
	snprintf(buf, len, "%s/%s/%s/%s/%s-%u", ct_rstr(a, g->workload), ct_rstr(a, g->mode),
		 ct_rstr(a, g->size), al, pl, g->threads);
}

/* ---------------------------------------------------------------- the table */

/* The metric's usable values of g into out (NANs dropped); returns how many. */
static size_t values(const ct_group_t *g, ct_metric_t m, double *out)
{
	size_t n = 0;
	for (size_t i = 0; i < g->nok; i++)
		if (!isnan(g->v[m][i]))
			out[n++] = g->v[m][i];
	return n;
}

static void median_cell(const double *x, size_t n, char *buf, size_t len)
{
	ct_summary_t s;
	char v[32];
	ct_summarize(x, n, &s);
	_ct_fmt_num(s.median, v, sizeof v);
	double ci = ct_ci_pct(&s);
	if (ci < 0)
		snprintf(buf, len, "%s ±?", v);
	else
		snprintf(buf, len, "%s ±%.0f%%", v, ci < 1 ? 1 : ci);
}

static void compare_row(const char *name, const double *x, size_t n, const double *y, size_t m,
			cmp_totals_t *t)
{
	char a[48], b[48], ci[64] = "", ch[32];
	ct_ratio_t r;
	ct_mwu_t u;
	median_cell(x, n, a, sizeof a);
	median_cell(y, m, b, sizeof b);
	ct_ratio_ci(y, m, x, n, 0.95, &r);
	ct_mwu(x, n, y, m, &u);
	bool sig = u.p < ALPHA;
	double change = isnan(r.hl) ? r.ratio : r.hl; /* the estimator of the interval */
	snprintf(ch, sizeof ch, "%+.1f%%", 100 * (change - 1));
	if (r.has_ci)
		snprintf(ci, sizeof ci, "[%+.1f%%, %+.1f%%]", 100 * (r.lo - 1), 100 * (r.hi - 1));
	else
		snprintf(ci, sizeof ci, "[no CI]");
	printf("%-*s  %14s  %14s  %8s %s  %-20s p=%.3f n=%zu+%zu\n", t->namew, name, a, b,
	       isnan(change) ? "?" : ch, sig ? " " : "~", ci, u.p, n, m);
	double mx = ct_median(x, n), my = ct_median(y, m);
	if (mx > 0 && my > 0) {
		t->sum_old += log(mx);
		t->sum_new += log(my);
		t->n++;
	}
	t->nsig += sig;
}

static void header(const ct_rdir_t *a, const ct_rdir_t *b, const cmp_opts_t *o, int namew)
{
	printf("old: %s — %s\nnew: %s — %s\n", a->label, a->path, b->label, b->path);
	for (size_t i = 0; i < o->nalloc; i++)
		printf("alloc %s %s -> %s %s\n", o->alloc[i].from,
		       ct_rdir_alloc_version(a, o->alloc[i].from), o->alloc[i].to,
		       ct_rdir_alloc_version(b, o->alloc[i].to));
	if (!a->complete || !b->complete)
		printf("PARTIAL: %s did not finish (machine.json \"complete\": false)\n",
		       !a->complete ? "old" : "new");
	printf("metric: %s%s\n\n", o->metric,
	       o->m == CT_M_OPS ? " (higher is better)" : " (lower is better)");
	printf("%-*s  %14s  %14s  %8s %s  %-20s %s\n", namew, "benchmark", "old", "new", "change", " ",
	       "95% CI of change", "Mann-Whitney");
}

/* Width of the benchmark column; *matches: benchmarks in both. */
static int name_width(const ct_rdir_t *a, const ct_rdir_t *b, const cmp_opts_t *o, size_t *matches)
{
	int w = 9;
	*matches = 0;
	for (size_t i = 0; i < a->ngroups; i++) {
		const ct_group_t *h = in_scope(a, &a->groups[i], o) ? counterpart(a, &a->groups[i], b, o) : NULL;
		char name[512];
		if (!h)
			continue;
		bench_name(a, &a->groups[i], b, h, name, sizeof name);
		w = (int)strlen(name) > w ? (int)strlen(name) : w;
		++*matches;
	}
	return w;
}

static void rows(const ct_rdir_t *a, const ct_rdir_t *b, const cmp_opts_t *o, cmp_totals_t *t,
		 bool *used)
{
	size_t cap = 0;
	for (size_t i = 0; i < a->ngroups; i++)
		cap = a->groups[i].nok > cap ? a->groups[i].nok : cap;
	for (size_t i = 0; i < b->ngroups; i++)
		cap = b->groups[i].nok > cap ? b->groups[i].nok : cap;
	double *x = malloc((cap + 1) * sizeof *x), *y = malloc((cap + 1) * sizeof *y);
	for (size_t i = 0; x && y && i < a->ngroups; i++) {
		const ct_group_t *g = &a->groups[i];
		if (!in_scope(a, g, o))
			continue;
		const ct_group_t *h = counterpart(a, g, b, o);
		if (!h) {
			t->nonly_old++;
			continue;
		}
		used[h - b->groups] = true;
		size_t n = values(g, o->m, x), m = values(h, o->m, y);
		if (!n || !m)
			continue;
		char name[512];
		bench_name(a, g, b, h, name, sizeof name);
		compare_row(name, x, n, y, m, t);
	}
	free(x);
	free(y);
}

static void footer(const ct_rdir_t *b, const cmp_totals_t *t, const bool *used)
{
	size_t only_new = 0;
	for (size_t i = 0; i < b->ngroups; i++)
		only_new += !used[i];
	if (t->n) {
		char a[32], c[32];
		_ct_fmt_num(exp(t->sum_old / (double)t->n), a, sizeof a);
		_ct_fmt_num(exp(t->sum_new / (double)t->n), c, sizeof c);
		printf("%-*s  %14s  %14s  %+7.1f%%\n", t->namew, "geomean", a, c,
		       100 * expm1((t->sum_new - t->sum_old) / (double)t->n));
	}
	printf("\n%zu benchmarks compared, %zu changed significantly (p < 0.05), ~ not significant",
	       t->n, t->nsig);
	if (t->nonly_old || only_new)
		printf("; %zu only in old, %zu only in new", t->nonly_old, only_new);
	putchar('\n');
}

static void no_common(const ct_rdir_t *a, const ct_rdir_t *b)
{
	unsigned al[64], pl[64], bl[64], ql[64];
	size_t na = ct_series(a, al, pl, 64), nb = ct_series(b, bl, ql, 64);
	ct_usage_error("compare: OLD and NEW have no benchmark in common (allocators: old %s%s, "
		       "new %s%s; see --alloc OLD=NEW)", na ? ct_rstr(a, al[0]) : "none",
		       na > 1 ? ",..." : "", nb ? ct_rstr(b, bl[0]) : "none", nb > 1 ? ",..." : "");
}

int ct_cmd_compare(int argc, char **argv)
{
	cmp_opts_t o;
	parse(argc, argv, &o);
	ct_rdir_t a, b;
	load(o.old, &o, "OLD", &a);
	load(o.new_, &o, "NEW", &b);
	size_t matches;
	cmp_totals_t t = {.namew = name_width(&a, &b, &o, &matches)};
	if (!matches)
		no_common(&a, &b);
	bool *used = calloc(b.ngroups + 1, sizeof *used);
	if (!used) {
		fprintf(stderr, "contend: compare: out of memory\n");
		return CT_EXIT_FAIL;
	}
	header(&a, &b, &o, t.namew);
	rows(&a, &b, &o, &t, used);
	footer(&b, &t, used);
	free(used);
	ct_rdir_free(&a);
	ct_rdir_free(&b);
	return 0;
}
