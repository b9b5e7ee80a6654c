/* report.c — `contend report DIR...`: the command line and the pipeline
 * (load every directory, judge the claims, contention factors, figures,
 * then report.txt and report.html). Entry points: ct_cmd_report() for the
 * command line, ct_report() for `contend run` at the end of a study.
 * The writers are report_text.c and report_html.c. */
#include "contend.h"
#include "report.h"
#include "report_parts.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void ct_report_opts_init(ct_report_opts_t *o)
{
	*o = (ct_report_opts_t){.out = NULL, .text = true, .figures = true,
				.margin = CT_MARGIN_DEFAULT};
}

void ct_report_usage(FILE *f)
{
	fputs("usage: contend report [options] DIR...\n"
	      "\n"
	      "Judges each conclusion of the seed study on the results directories (HOLDS,\n"
	      "FAILS, EQUAL or INCONCLUSIVE per allocator and thread count), with contention\n"
	      "factors, likely mechanisms and figures. It opens with a claims x allocators x\n"
	      "threads matrix and a trust panel (repetitions, CI widths, unstable points, load,\n"
	      "governor, oversubscription, pinning, counters, VM: good / caution / do not\n"
	      "trust, with what to do). Several directories (one per machine) are put side\n"
	      "by side. Writes report.txt, report.html (self-contained), data/ and figures/\n"
	      "into the report directory and prints the text report; also report.md\n"
	      "(GitHub tables, for an issue or a pull request) and results.json\n"
	      "(google/benchmark-like: context, then each benchmark with its repetitions\n"
	      "and aggregates).\n"
	      "\n"
	      "  -o, --out DIR      report directory (default DIR/report for one directory,\n"
	      "                     ./contend-report for several)\n"
	      "  -m, --margin PCT   margin of practical equivalence around each claim's\n"
	      "                     threshold, in percent (default 5; 0 to 50): a ratio whose\n"
	      "                     whole CI is within it is EQUAL, not HOLDS or FAILS\n"
	      "  -q, --quiet        do not print the text report\n"
	      "      --no-figures   skip the figures (no gnuplot run)\n"
	      "  -h, --help         this text\n",
	      f);
}

/* ---------------------------------------------------------------- pipeline */

static void free_report(ct_report_t *r)
{
	for (size_t k = 0; k < r->ndirs; k++) {
		if (r->v)
			ct_verdicts_free(&r->v[k]);
		if (r->c)
			free(r->c[k].v);
		ct_rdir_free(&r->dirs[k]);
	}
	free(r->v);
	free(r->c);
	free(r->dirs);
}

static int load_all(ct_report_t *r, int ndirs, char **dirs)
{
	r->dirs = calloc((size_t)ndirs, sizeof *r->dirs);
	r->v = calloc((size_t)ndirs, sizeof *r->v);
	r->c = calloc((size_t)ndirs, sizeof *r->c);
	if (!r->dirs || !r->v || !r->c) {
		fprintf(stderr, "contend: report: out of memory\n");
		return CT_EXIT_FAIL;
	}
	for (int k = 0; k < ndirs; k++) {
		char err[512];
		int rc = ct_rdir_load(dirs[k], NULL, &r->dirs[k], err, sizeof err);
		if (rc) {
			fprintf(stderr, "contend: report: %s\n", err);
			return rc == CT_LOAD_BADARG ? CT_EXIT_USAGE : CT_EXIT_FAIL;
		}
		r->ndirs++;
	}
	ct_rdir_unique_labels(r->dirs, r->ndirs);
	return 0;
}

static int analyse(ct_report_t *r)
{
	for (size_t k = 0; k < r->ndirs; k++)
		if (ct_verdicts_eval_margin(&r->dirs[k], r->margin, &r->v[k]) ||
		    ct_contention_eval(&r->dirs[k], &r->c[k].v, &r->c[k].n)) {
			fprintf(stderr, "contend: report: out of memory\n");
			return CT_EXIT_FAIL;
		}
	return 0;
}

static int make_out(ct_report_t *r, const ct_report_opts_t *o)
{
	if (o->out)
		snprintf(r->out, sizeof r->out, "%s", o->out);
	else if (r->ndirs == 1)
		snprintf(r->out, sizeof r->out, "%.4000s/report", r->dirs[0].path);
	else
		snprintf(r->out, sizeof r->out, "contend-report");
	if (mkdir(r->out, 0755) && errno != EEXIST) {
		fprintf(stderr, "contend: report: cannot create '%s': %s\n", r->out, strerror(errno));
		return CT_EXIT_FAIL;
	}
	return 0;
}

static int write_text(const ct_report_t *r, const ct_report_opts_t *o)
{
	char p[4200];
	snprintf(p, sizeof p, "%s/report.txt", r->out);
	FILE *f = fopen(p, "w");
	if (!f) {
		fprintf(stderr, "contend: report: cannot write '%s': %s\n", p, strerror(errno));
		return CT_EXIT_FAIL;
	}
	_ct_report_text(r, f);
	fclose(f);
	if (o->text) {
		_ct_report_text(r, stdout);
		fflush(stdout);
	}
	return 0;
}

/* report.md and results.json, for pasting and for tools (export_*.c). */
static int write_exports(const ct_report_t *r)
{
	static const struct {
		const char *file;
		int (*write)(const ct_report_t *, const char *);
	} ex[] = {{"report.md", _ct_export_md}, {"results.json", _ct_export_json}};
	for (size_t i = 0; i < sizeof ex / sizeof ex[0]; i++) {
		char p[4200];
		snprintf(p, sizeof p, "%s/%s", r->out, ex[i].file);
		if (ex[i].write(r, p)) {
			fprintf(stderr, "contend: report: cannot write '%s': %s\n", p, strerror(errno));
			return CT_EXIT_FAIL;
		}
	}
	return 0;
}

static int write_rest(const ct_report_t *r, const ct_report_opts_t *o)
{
	ct_figures_t figs = {0};
	if (o->figures && ct_figures_make(r->dirs, r->ndirs, r->out, &figs)) {
		fprintf(stderr, "contend: report: cannot write the figures' data in '%s': %s\n",
			r->out, strerror(errno));
		ct_figures_free(&figs);
		return CT_EXIT_FAIL;
	}
	if (!o->figures)
		snprintf(figs.note, sizeof figs.note, "figures skipped (--no-figures)");
	char p[4200];
	snprintf(p, sizeof p, "%s/report.html", r->out);
	int rc = _ct_report_html(r, &figs, p);
	if (rc)
		fprintf(stderr, "contend: report: cannot write '%s': %s\n", p, strerror(errno));
	else
		fprintf(o->text ? stdout : stderr, "report: %s (%zu figures%s%s)\n", p, figs.n,
			figs.note[0] ? "; " : "", figs.note);
	ct_figures_free(&figs);
	return rc ? CT_EXIT_FAIL : 0;
}

int ct_report(int ndirs, char **dirs, const ct_report_opts_t *o)
{
	ct_report_t r = {0};
	ct_report_opts_t dflt;
	if (!o) {
		ct_report_opts_init(&dflt);
		o = &dflt;
	}
	if (ndirs < 1) {
		fprintf(stderr, "contend: report: DIR: missing\n");
		return CT_EXIT_USAGE;
	}
	r.margin = o->margin;
	int rc = load_all(&r, ndirs, dirs);
	if (!rc)
		rc = analyse(&r);
	if (!rc)
		rc = make_out(&r, o);
	if (!rc)
		rc = write_text(&r, o);
	if (!rc)
		rc = write_exports(&r);
	if (!rc)
		rc = write_rest(&r, o);
	free_report(&r);
	return rc;
}

/* ---------------------------------------------------------------- command line */

/* "5", "5%" or "2.5" percent, 0 to CT_MARGIN_MAX; exits 2 otherwise. */
static double parse_margin(const char *arg)
{
	char *end;
	errno = 0;
	double pct = strtod(arg, &end);
	if (end != arg && *end == '%')
		end++;
	if (end == arg || *end || errno || !(pct >= 0 && pct <= 100 * CT_MARGIN_MAX))
		ct_usage_error("--margin: bad value '%s': a percentage from 0 to %g", arg,
			       100 * CT_MARGIN_MAX);
	return pct / 100;
}

int ct_cmd_report(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"out", required_argument, NULL, 'o'},
		{"margin", required_argument, NULL, 'm'},
		{"quiet", no_argument, NULL, 'q'},
		{"no-figures", no_argument, NULL, 'F'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	ct_report_opts_t o;
	ct_report_opts_init(&o);
	opterr = 0;
	optind = 1;
	for (int c; (c = getopt_long(argc, argv, ":o:m:qh", longopts, NULL)) != -1;) {
		switch (c) {
		case 'o': o.out = optarg; break;
		case 'm': o.margin = parse_margin(optarg); break;
		case 'q': o.text = false; break;
		case 'F': o.figures = false; break;
		case 'h': ct_report_usage(stdout); return 0;
		default: ct_option_error("report", c, argv);
		}
	}
	if (optind >= argc)
		ct_usage_error("report: DIR: missing (a results directory of `contend run`)");
	if (o.out && !*o.out)
		ct_usage_error("--out: bad value '': empty");
	return ct_report(argc - optind, argv + optind, &o);
}
