/* report_parts.h — what the report is made of, shared by its writers:
 * report.c loads and analyses the directories into a ct_report_t, and the
 * text (report_text.c) and HTML (report_html.c) writers render it; compare.c
 * borrows the number format. Internal to src/analyze/. */
#ifndef CT_REPORT_PARTS_H
#define CT_REPORT_PARTS_H

#include "figures.h"
#include "resultsdb.h"
#include "verdict.h"

#include <stdio.h>


/* Everything one report is made of; shared by the text and HTML writers. */
typedef struct {
	ct_rdir_t *dirs;
	size_t ndirs;
	ct_verdicts_t *v;          /* per directory */
	ct_cset_t *c;              /* per directory */
	char out[4096];            /* report directory */
} ct_report_t;

void _ct_report_text(const ct_report_t *r, FILE *f);
int _ct_report_html(const ct_report_t *r, const ct_figures_t *figs, const char *path);
/* One line about a directory: "[1] AMD EPYC, x86_64, ... — path: 432 repetitions (0 failed)". */
void _ct_report_dir_line(const ct_report_t *r, size_t k, char *buf, size_t len);
/* xfree's ring and one-way shapes side by side (xshapes.c), where both ran;
 * returns the rows written (0: nothing, not even a heading). */
size_t _ct_xfree_shapes(const ct_rdir_t *d, size_t k, FILE *f, bool html);
/* ns/op or ratios for humans: 3 significant digits (whole numbers up to 10^7,
 * then M and G), no exponent. */
void _ct_fmt_num(double v, char *buf, size_t len);

#endif
