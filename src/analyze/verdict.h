/* verdict.h — the seed study's conclusions as testable claims, judged on a
 * results directory: for every claim, allocator and thread count HOLDS,
 * FAILS, EQUAL or INCONCLUSIVE, with the numbers that decided it. Also the
 * contention factors (ns/op at N threads over 1 thread) with scaling
 * efficiency, and one-line likely mechanisms read from the counters.
 *
 * Every claim compares a ratio of two samples of repetitions against a
 * threshold t, with a margin of practical equivalence m (default 5%,
 * `report --margin`): ratios within [t/(1+m), t(1+m)] are "no practical
 * difference" from t. The ratio's CI comes from ct_ratio_ci (abstats.h). A
 * point
 *   HOLDS        when the whole CI is on the claim's side of every
 *                threshold, beyond each by more than the margin;
 *   FAILS        when the whole CI is on the other side, beyond the margin;
 *   EQUAL        when the whole CI lies within the margin of one threshold
 *                (no practical difference from it);
 *   INCONCLUSIVE otherwise (the CI crosses a margin's edge), or when there
 *                are too few repetitions for a CI at the level asked.
 * A claim over k sizes (or points) controls its error over all of them.
 * "Fails (or is equal) at some size" is a statement about any of k: each
 * point's CI is taken at 1 - 5%/k (Bonferroni), so the k intervals cover
 * together with at least 95% and every point's outcome may be read at once.
 * "Holds at every size" is a statement about all of k, which is wrong only
 * if it is wrong at some size j, and then only if j's own 95% CI misses:
 * it needs each point's 95% CI to hold, no more (the intersection-union
 * test). The row FAILS when a point fails at 1 - 5%/k, else is EQUAL when
 * a point is EQUAL there (the claim does not hold in practice), HOLDS when
 * every point holds at 95%, and is INCONCLUSIVE otherwise.
 *
 * The claims live in one table, ct_claims[] in verdict.c (README: "Claims"). */
#ifndef CT_VERDICT_H
#define CT_VERDICT_H

#include "abstats.h"
#include "resultsdb.h"

#include <stdint.h>
#include <stdio.h>

/* Outcomes; CT_V_N counts them (arrays indexed by outcome). */
typedef enum { CT_V_NA, CT_V_HOLDS, CT_V_FAILS, CT_V_INCONCLUSIVE, CT_V_EQUAL, CT_V_N } ct_verdict_t;

#define CT_MARGIN_DEFAULT 0.05 /* practical equivalence: within 5% of a threshold */
#define CT_MARGIN_MAX 0.5      /* larger margins would swallow C5's whole band */
#define CT_FAMILY_CONF 0.95    /* joint coverage of the intervals of one claim row */

/* What a claim measures: */
typedef enum {
	CT_Q_HEAP_STACK,     /* heap ns/op / stack ns/op, same size and thread count */
	CT_Q_DISPERSION,     /* heap's / stack's relative dispersion over repetitions:
			      * |x / median - 1| per repetition, floored at 0.1% */
	CT_Q_CONTENTION,     /* heap ns/op at N threads / at 1 thread */
} ct_quantity_t;

/* How the ratio's CI is tested against the thresholds lo, hi: */
typedef enum {
	CT_T_ABOVE,          /* holds when CI > lo */
	CT_T_WITHIN,         /* holds when CI inside [lo, hi] */
	CT_T_OUTSIDE,        /* holds when CI entirely below lo or above hi */
} ct_test_t;

typedef struct {
	const char *id;              /* "C2" */
	const char *seed;            /* the seed study's words */
	const char *claim;           /* the testable restatement */
	const char *workload;        /* NULL: every workload with stack and heap modes */
	uint64_t min_size, max_size; /* bytes, inclusive */
	ct_quantity_t q;
	ct_test_t test;
	double lo, hi;               /* thresholds of the ratio */
	unsigned min_threads;        /* judged at thread counts >= this */
} ct_claim_t;

extern const ct_claim_t ct_claims[];
extern const size_t ct_nclaims;

/* One size's ratio for one claim, allocator and thread count. */
typedef struct {
	unsigned workload, size;     /* string ids */
	uint64_t size_bytes;
	ct_ratio_t r;                /* CI at the row's simultaneous level (row->conf) */
	ct_verdict_t v;              /* judged on r */
	ct_ratio_t r_each;           /* CI at CT_FAMILY_CONF alone: the test of "holds at
				      * every size" (the same as r for one point) */
	ct_verdict_t v_each;         /* judged on r_each */
} ct_claim_pt_t;

/* One claim, allocator (with placement) and thread count. */
typedef struct {
	const ct_claim_t *claim;
	unsigned alloc, place, threads;
	ct_verdict_t v;
	size_t nv[CT_V_N];           /* points per verdict at the simultaneous level */
	ct_claim_pt_t *pts;          /* npts, ascending workload and size */
	size_t npts;
	double conf;                 /* simultaneous level of each point's CI: 1 - 5%/npts */
	double margin;               /* the margin judged with */
	int decisive;                /* the point that decided (HOLDS: weakest, FAILS:
				      * clearest failure, EQUAL: clearest equal,
				      * INCONCLUSIVE: first undecided); -1 */
} ct_vrow_t;

typedef struct {
	ct_vrow_t *rows;             /* claim order, then allocator, then threads */
	size_t nrows;
	ct_claim_pt_t *pts;          /* storage behind rows[].pts */
	size_t npts;
	double margin;               /* margin of practical equivalence, e.g. 0.05 */
} ct_verdicts_t;

/* Judges every claim on d with the margin (0 <= margin <= CT_MARGIN_MAX). */
int ct_verdicts_eval_margin(const ct_rdir_t *d, double margin, ct_verdicts_t *out);
/* The same with CT_MARGIN_DEFAULT. */
int ct_verdicts_eval(const ct_rdir_t *d, ct_verdicts_t *out);
void ct_verdicts_free(ct_verdicts_t *v);
const char *ct_verdict_name(ct_verdict_t v);
/* The row for claim c, allocator/placement and thread count; NULL when not judged. */
const ct_vrow_t *ct_verdict_find(const ct_verdicts_t *v, const ct_claim_t *c, unsigned alloc,
				 unsigned place, unsigned threads);
/* The outcome of one point: its CI r against claim c with the margin. */
ct_verdict_t ct_claim_judge(const ct_claim_t *c, double margin, const ct_ratio_t *r);

/* One point's two samples: the claim's numerator (heap ns/op, or ns/op at N
 * threads) and denominator (stack, or 1 thread). */
typedef struct {
	const double *num, *den;
	size_t nnum, nden;
} ct_samples_t;

/* Judges row->claim on k points s[0..k), each with a CI at the
 * simultaneous level 1 - (1 - CT_FAMILY_CONF)/k and one at CT_FAMILY_CONF
 * (see above): fills row->pts[0..k) (storage of the caller, workload and
 * size fields left as they are), npts, nv, v, conf, margin and decisive.
 * Returns 0, or -1 when out of memory. */
int ct_vrow_judge(ct_vrow_t *row, double margin, const ct_samples_t *s, size_t k);

/* "64KiB 1.17x [1.05, 1.30]; fails at 64KiB 32KiB; equal at 1KiB; ...": the
 * numbers that decided row r, then which sizes had which outcome. */
void ct_vrow_why(const ct_rdir_t *d, const ct_vrow_t *r, char *buf, size_t len);
/* A ratio with its CI for claim c: "1.17x [1.004, 1.30]", or in percent
 * near 1 ("+0.4% [-0.3%, +1.2%]"); every bound with the digits that show
 * which side of each threshold and margin edge it is on. */
void ct_fmt_ratio_ci(const ct_claim_t *c, double margin, const ct_ratio_t *r, char *buf,
		     size_t len);
/* The threshold as text: "> 1", "in [2, 10]", "outside [0.9, 1.1]". */
void ct_claim_threshold(const ct_claim_t *c, char *buf, size_t len);

/* ---------------------------------------------------------------- contention */

typedef struct {
	const ct_group_t *g, *base;  /* at N threads, at 1 thread */
	ct_ratio_t cf;               /* contention factor: ns/op at N / at 1 */
	ct_ratio_t eff;              /* scaling efficiency: ops/s at N / (N x ops/s at 1) */
} ct_contention_t;

/* The contention factors of one results directory. */
typedef struct {
	ct_contention_t *v;
	size_t n;
} ct_cset_t;

/* Every benchmark at more than one thread that has a 1-thread counterpart,
 * in the groups' order. *out is malloc'd (free it). */
int ct_contention_eval(const ct_rdir_t *d, ct_contention_t **out, size_t *n);

/* Likely mechanisms behind what the counters show, one line each, printed
 * to f with prefix before each. Returns how many lines. */
size_t ct_mechanisms(const ct_rdir_t *d, const ct_contention_t *c, size_t nc, FILE *f,
		     const char *prefix);

/* Series: the (allocator, placement) pairs of d, in order of appearance. */
size_t ct_series(const ct_rdir_t *d, unsigned *alloc, unsigned *place, size_t max);
/* "glibc", or "glibc/scatter" when d holds several placements. */
void ct_series_name(const ct_rdir_t *d, unsigned alloc, unsigned place, char *buf, size_t len);

#endif
