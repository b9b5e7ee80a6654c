/* mwu.h — the Mann–Whitney U test with ties, and the shift interval that
 * inverts the same test: one distribution for both, so an interval
 * excludes a shift of 0 exactly when the test rejects it.
 *
 * Up to CT_MWU_EXACT_MAX values in all, the null distribution is exact: the
 * permutation distribution of the pooled sample's midranks (tied values
 * share their mean rank), i.e. every way of choosing which n of the N
 * pooled values belong to the first sample is equally likely. Counted by
 * dynamic programming over doubled midranks (whole numbers); every count
 * is at most C(50, 25) < 2^53, so double arithmetic is exact. Above that
 * size, both the test and the interval use the normal approximation with
 * the tie and continuity corrections — still one function for both.
 *
 * The interval of the shift d in y - d ~ x is the set of shifts the test at
 * level alpha does not reject, searched over the pairwise differences
 * y_j - x_i and the gaps between them (where ties appear and vanish), which
 * are formed only in the exact range (selection finds them otherwise); its
 * ends are the Hodges–Lehmann/Moses order statistics when there are no
 * ties. Used by the tables of `contend run` (measure/) and by report and
 * compare (analyze/), which apply it to logarithms to get ratios. */
#ifndef CT_MWU_H
#define CT_MWU_H

#include <stdbool.h>
#include <stddef.h>

#define CT_MWU_EXACT_MAX 50

typedef struct {
	double u;   /* pairs (x_i, y_j) with x_i > y_j, ties counted 1/2 */
	double p;   /* two-sided: twice the smaller tail, at most 1 */
	bool exact; /* from the permutation distribution (n + m <= CT_MWU_EXACT_MAX) */
} ct_mwu_result_t;

/* Two-sided test of x[0..n) against y[0..m). n or m 0: p = 1. Returns -1
 * when out of memory (p = 1 then). */
int ct_mwu_test(const double *x, size_t n, const double *y, size_t m, ct_mwu_result_t *out);

/* The (1 - alpha) interval [*lo, *hi] of the shift d with y - d ~ x, and the
 * Hodges–Lehmann estimate *hl (median of the differences y_j - x_i, always
 * inside). Returns 1 with an interval; 0 when the samples are too small for
 * one at this level (every shift accepted on one side); -1 out of memory. */
int ct_mwu_shift_ci(const double *x, size_t n, const double *y, size_t m, double alpha,
		    double *lo, double *hi, double *hl);

#endif
