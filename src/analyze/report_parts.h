/* report_parts.h — what the report is made of, shared by its writers:
 * report.c loads and analyses the directories into a ct_report_t, and the
 * text (report_text.c) and HTML (report_html.c) writers render it; compare.c
 * borrows the number format. Internal to src/analyze/. */
#ifndef CT_REPORT_PARTS_H
#define CT_REPORT_PARTS_H

#include "figures.h"
#include "report_fmt.h"
#include "resultsdb.h"
#include "verdict.h"

#include <stdbool.h>
#include <stdio.h>


/* Everything one report is made of; shared by the text and HTML writers. */
typedef struct {
	ct_rdir_t *dirs;
	size_t ndirs;
	ct_verdicts_t *v;          /* per directory */
	ct_cset_t *c;              /* per directory */
	double margin;             /* of practical equivalence, for every verdict */
	char out[4096];            /* report directory */
} ct_report_t;

void _ct_report_text(const ct_report_t *r, FILE *f);
int _ct_report_html(const ct_report_t *r, const ct_figures_t *figs, const char *path);
/* One line about a directory: "[1] AMD EPYC, x86_64, ... — path: 432 repetitions (0 failed)". */
void _ct_report_dir_line(const ct_report_t *r, size_t k, char *buf, size_t len);
/* ---------------------------------------------------------------- outcomes (report_glance.c) */

/* How one verdict outcome is shown, the same in text and HTML. One entry per
 * ct_verdict_t in report_glance.c: a new outcome is one line there. */
typedef struct {
	const char *cls;      /* HTML class: "HOLDS"; colours only for decided outcomes */
	const char *word;     /* "HOLDS" */
	char letter;          /* the text matrix's letter: 'H' */
	bool decided;         /* the CI settles it: coloured; else grey */
} ct_outcome_style_t;

const ct_outcome_style_t *_ct_outcome_style(ct_verdict_t v);

/* The claims x allocators x threads matrix of directory k, each cell the
 * outcome and its deciding ratio; then a paragraph per allocator. */
void _ct_glance_text(const ct_report_t *r, size_t k, FILE *f);
void _ct_glance_html(const ct_report_t *r, size_t k, FILE *f);
/* A paragraph per allocator of directory k in plain words (html: <p> each). */
void _ct_paragraphs(const ct_report_t *r, size_t k, FILE *f, bool html);
/* Claim c has a verdict somewhere in directory k. */
bool _ct_claim_judged(const ct_report_t *r, size_t k, const ct_claim_t *c);
/* Why claim c has no verdict at all in d (call it only then), and the
 * `contend run` command that would fill it. */
void _ct_claim_gap(const ct_rdir_t *d, const ct_claim_t *c, char *why, size_t wlen, char *cmd,
		   size_t clen);
/* Why the cell of claim c, series alloc ("glibc") and thread count th is
 * empty, when the claim has verdicts elsewhere, and the command that fills
 * it; "baseline: ..." for a contention claim's smallest thread count. */
void _ct_cell_gap(const ct_rdir_t *d, const ct_claim_t *c, const char *alloc, unsigned th,
		  char *why, size_t len);
/* The series names ("glibc", "glibc/scatter") of every directory, first
 * appearance first; names[] are malloc'd (free each). */
size_t _ct_series_names(const ct_report_t *r, const char **names, size_t max);
/* The series of d called name, or false. */
bool _ct_series_named(const ct_rdir_t *d, const char *name, unsigned *al, unsigned *pl);
/* The stack-vs-heap tables in the seed's layout beside its published
 * numbers (report_seed.c). */
void _ct_seed_tables_html(const ct_report_t *r, FILE *f);
/* The `contend run` options that repeat d's allocators and thread counts. */
void _ct_run_scope(const ct_rdir_t *d, char *buf, size_t len);

/* ---------------------------------------------------------------- trust (report_trust.c) */

typedef enum { CT_TRUST_GOOD, CT_TRUST_CAUTION, CT_TRUST_BAD } ct_trust_t;

typedef struct {
	char what[48];        /* "load at start" */
	char value[256];      /* "1.77 on 2 cores" */
	ct_trust_t level;
	char todo[256];       /* what to do about it; "" when good */
} ct_trust_item_t;

#define CT_TRUST_MAX 16

/* The data-quality lines of directory d, in a fixed order. Returns how many. */
size_t _ct_trust_items(const ct_rdir_t *d, ct_trust_item_t *out, size_t max);
/* "good", "caution", "do not trust" */
const char *_ct_trust_word(ct_trust_t t);
/* The worst level of items[0..n). */
ct_trust_t _ct_trust_worst(const ct_trust_item_t *items, size_t n);
void _ct_trust_text(const ct_report_t *r, size_t k, FILE *f);
void _ct_trust_html(const ct_report_t *r, size_t k, FILE *f, bool compact);
/* xfree's ring and one-way shapes side by side (xshapes.c), where both ran;
 * returns the rows written (0: nothing, not even a heading). */
size_t _ct_xfree_shapes(const ct_rdir_t *d, size_t k, FILE *f, bool html);

#endif
