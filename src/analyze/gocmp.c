/* gocmp.c — Go beside C: where the go column and a C allocator disagree
 * on heap vs stack, which measured difference accounts for it.
 *
 * heap/stack = (S + A) / S, with S the stack mode's ns/op (the copy, or the
 * by-value return) and A = heap - stack (what allocating adds to the same
 * copy). Go's ratio can differ from C's because Go copies at another speed
 * (S) or because its allocation costs differently (A: new, its zeroing, the
 * GC). Swapping one factor at a time says which: Go's ratio with C's copy,
 * (S_c + A_go) / S_c, and with C's allocation, (S_go + A_c) / S_go — the
 * swap that brings Go's ratio nearer C's names the cause. Where the study
 * ran C's zeroed mode (bilbo's and smaug's), Z = zeroed - heap (calloc -
 * malloc) is C's price of zeroing; when it is most of Go's extra allocation
 * cost, zeroing is named, and C's zeroed/stack is printed beside the ratios.
 * (glibc's calloc also skips its tcache, so Z overstates pure zeroing there.)
 * Every figure is a median of the same study.
 *
 * Main entry point: ct_go_beside_c(). */
#include "gocmp.h"

#include <math.h>

/* Ratios further apart than this are a disagreement. */
#define CT_GOCMP_APART 1.25

enum { CAUSE_COPY, CAUSE_ZEROING, CAUSE_ALLOCATOR, NCAUSES };
static const char *const cause_name[NCAUSES] = {"the copy", "zeroing", "the allocator"};

typedef struct {
	const ct_rdir_t *d;
	int stack, heap, zeroed;
	unsigned wl, go, c, place, threads;
} gctx_t;

/* Medians of one size: stack and heap of go and of C, C's zeroing. */
typedef struct {
	double sg, hg, sc, hc, z;
} gpoint_t;

static double median_ns(const gctx_t *x, int mode, unsigned alloc, uint64_t size)
{
	if (mode < 0)
		return NAN;
	const ct_group_t *g =
		ct_rdir_find(x->d, x->wl, (unsigned)mode, size, alloc, x->place, x->threads);
	return g && g->nok ? g->ns.median : NAN;
}

static bool load(const gctx_t *x, uint64_t size, gpoint_t *p)
{
	p->sg = median_ns(x, x->stack, x->go, size);
	p->hg = median_ns(x, x->heap, x->go, size);
	p->sc = median_ns(x, x->stack, x->c, size);
	p->hc = median_ns(x, x->heap, x->c, size);
	p->z = median_ns(x, x->zeroed, x->c, size) - p->hc;
	return p->sg > 0 && p->hg > 0 && p->sc > 0 && p->hc > 0;
}

static int cause(const gpoint_t *p)
{
	double ag = p->hg - p->sg, ac = p->hc - p->sc, rc = p->hc / p->sc;
	double with_c_copy = (p->sc + ag) / p->sc, with_c_alloc = (p->sg + ac) / p->sg;
	if (fabs(log(with_c_alloc / rc)) >= fabs(log(with_c_copy / rc)))
		return CAUSE_COPY;
	if (isfinite(p->z) && ag > ac && p->z >= 0.5 * (ag - ac))
		return CAUSE_ZEROING;
	return CAUSE_ALLOCATOR;
}

/* One line for a workload, thread count and C allocator, or nothing when
 * go and C agree at every size. */
static size_t compare(const gctx_t *x, FILE *f, const char *prefix)
{
	uint64_t sizes[64], worst_size = 0;
	size_t nsz = ct_rdir_sizes(x->d, (int)x->wl, sizes, 64), both = 0, apart = 0;
	unsigned n[NCAUSES] = {0};
	gpoint_t p, worst = {0};
	double far = 0;
	for (size_t i = 0; i < nsz; i++) {
		if (!load(x, sizes[i], &p))
			continue;
		both++;
		double d = fabs(log((p.hg / p.sg) / (p.hc / p.sc)));
		if (d < log(CT_GOCMP_APART))
			continue;
		apart++;
		n[cause(&p)]++;
		if (d > far) {
			far = d;
			worst = p;
			worst_size = sizes[i];
		}
	}
	if (!apart)
		return 0;
	fprintf(f, "%s%s %u thr, go vs %s: apart at %zu of %zu sizes:", prefix,
		ct_rstr(x->d, x->wl), x->threads, ct_rstr(x->d, x->c), apart, both);
	for (int c = 0, k = 0; c < NCAUSES; c++)
		if (n[c])
			fprintf(f, "%s %s at %u", k++ ? "," : "", cause_name[c], n[c]);
	fprintf(f, "; most at %lluB: heap/stack %.3gx vs %.3gx, stack %.4g vs %.4g ns, heap - stack "
		   "%.4g vs %.4g ns",
		(unsigned long long)worst_size, worst.hg / worst.sg, worst.hc / worst.sc, worst.sg,
		worst.sc, worst.hg - worst.sg, worst.hc - worst.sc);
	if (isfinite(worst.z)) /* C's zeroed/stack: C paying for zeroing as Go's new does */
		fprintf(f, ", C's zeroing (calloc - malloc) %.4g ns, zeroed/stack %.3gx", worst.z,
			(worst.hc + worst.z) / worst.sc);
	fputc('\n', f);
	return 1;
}

size_t ct_go_beside_c(const ct_rdir_t *d, FILE *f, const char *prefix)
{
	int go = ct_rdir_id(d, "go");
	unsigned al[64], pl[64], th[256];
	size_t ns = ct_series(d, al, pl, 64), lines = 0;
	gctx_t x = {.d = d, .stack = ct_rdir_id(d, "stack"), .heap = ct_rdir_id(d, "heap"),
		    .zeroed = ct_rdir_id(d, "zeroed"), .go = (unsigned)go};
	if (go < 0 || x.stack < 0 || x.heap < 0)
		return 0;
	for (size_t i = 0; i < d->ngroups; i++) {
		const ct_group_t *g = &d->groups[i];
		if (i && d->groups[i - 1].workload == g->workload)
			continue; /* one pass per workload (groups are sorted by it) */
		x.wl = g->workload;
		size_t nt = ct_rdir_threads(d, (int)x.wl, th, 256);
		for (size_t t = 0; t < nt; t++)
			for (size_t s = 0; s < ns; s++) {
				if (al[s] == x.go)
					continue;
				x.threads = th[t];
				x.c = al[s];
				x.place = pl[s];
				lines += compare(&x, f, prefix);
			}
	}
	return lines;
}
