/* report_fmt.h — numbers and HTML text as every part of the report writes
 * them (report_fmt.c): the tables, the matrix, the figures' labels and
 * compare, so that one ratio reads the same everywhere. Internal to
 * src/analyze/. */
#ifndef CT_REPORT_FMT_H
#define CT_REPORT_FMT_H

#include <stddef.h>
#include <stdio.h>

/* ns/op or ratios for humans: 3 significant digits (whole numbers up to 10^7,
 * then M and G), no exponent. */
void _ct_fmt_num(double v, char *buf, size_t len);
/* s with <, >, & and " escaped for HTML text and attributes. */
void _ct_html_esc(FILE *f, const char *s);

#endif
