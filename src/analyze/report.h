/* report.h — `contend report DIR...` and `contend compare OLD NEW`.
 *
 * ct_report() reads one or more results directories (one per machine) and
 * writes, into the report directory: report.txt (also printed), report.html
 * (self-contained: figures embedded, nothing fetched), data/ (figure data)
 * and figures/ (SVG and PNG) (figures.h). First the answer at a glance: the
 * claims x allocators x threads matrix and the trust panel (report_glance.c,
 * report_trust.c); then the verdicts in detail (verdict.h), likely
 * mechanisms, the figures, contention, the seed-layout tables
 * (report_seed.c) and the machines side by side. `contend run` calls it at
 * the end of a study.
 *
 * ct_compare() prints, per benchmark present in both, the two medians, the
 * change with its 95% CI and a Mann–Whitney p-value (compare.c). */
#ifndef CT_REPORT_H
#define CT_REPORT_H

#include <stdbool.h>
#include <stdio.h>

typedef struct {
	const char *out;  /* report directory; NULL: DIR/report for one directory,
			   * ./contend-report for several */
	bool text;        /* print the text report on stdout (it is saved either way) */
	bool figures;     /* draw the figures (needs gnuplot; skipped with a note otherwise) */
	double margin;    /* practical equivalence around each threshold (0.05: 5%, verdict.h) */
} ct_report_opts_t;

/* Defaults: out NULL, text on, figures on, margin CT_MARGIN_DEFAULT. */
void ct_report_opts_init(ct_report_opts_t *o);

/* Report on dirs[0..ndirs). Returns 0; 2 on bad input (a directory that is
 * missing or holds no results.csv: one "contend: report: ..." line on
 * stderr); 1 when the report cannot be written. Never exits. */
int ct_report(int ndirs, char **dirs, const ct_report_opts_t *o);

/* The subcommands, argv[0] being "report" / "compare". Bad arguments exit
 * with status 2 (ct_usage_error). */
int ct_cmd_report(int argc, char **argv);
int ct_cmd_compare(int argc, char **argv);
void ct_report_usage(FILE *f);
void ct_compare_usage(FILE *f);

#endif
