/* mechanism.c — likely mechanisms, one line each, read from the counters
 * of a results directory: page faults per op that rise with size (fresh
 * pages from the kernel: mmap/munmap round trips and zeroing), context
 * switches that rise with threads (threads block: lock contention;
 * involuntary ones: oversubscription or preemption), and contention that
 * shows in time but in no counter (shared cache lines, atomics, memory
 * bandwidth), for cross-thread frees (xfree) the allocator's remote-free
 * path with the waiting and each side's time that point at it, and, when a
 * study measured bilbo or smaug both cold (prime=0) and primed, a slowdown
 * that only cold workers show, and what zeroing costs where a study ran the
 * zeroed (calloc) mode beside heap. Entry point: ct_mechanisms() (verdict.h).
 *
 * Each rule is a function in rules[]; each looks at one workload, mode and
 * series (allocator and placement) at a time and prints at most one line,
 * always with the numbers that triggered it. "Likely" is meant: counters
 * narrow the cause down, they do not prove it. */
#include "verdict.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define FAULTS_MIN 0.1   /* faults/op that count as "takes faults" */
#define CSW_MIN 1e-4     /* context switches/op that count */
#define RISE 10.0        /* a counter "rises" when it grows this many times */
#define CF_BAND 1.1      /* contention factor that counts as a slowdown */
#define EXCESS 1.25      /* heap's factor over the stack's that blames the allocator */
#define ZERO_COST 1.1    /* zeroed/heap that counts as zeroing costing something */

typedef struct {
	const ct_rdir_t *d;
	unsigned wl, mode, alloc, place;
	int heap, stack, zeroed;
	unsigned one, top;   /* smallest and largest thread count */
	const ct_contention_t *c;
	size_t nc;
	FILE *f;
	const char *prefix;
	char who[256];       /* "smaug heap, glibc" */
} mctx_t;

static double med(const ct_group_t *g, ct_metric_t m)
{
	return g ? ct_median(g->v[m], g->nok) : NAN;
}

static const ct_group_t *at(const mctx_t *x, unsigned mode, uint64_t size, unsigned threads)
{
	return ct_rdir_find(x->d, x->wl, mode, size, x->alloc, x->place, threads);
}

static void say(const mctx_t *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(const mctx_t *x, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(x->f, "%s%s: ", x->prefix, x->who);
	vfprintf(x->f, fmt, ap);
	fputc('\n', x->f);
	va_end(ap);
}

/* ---------------------------------------------------------------- rules */

/* Heap faults per op that appear from some size up, at the baseline thread count. */
static int rule_faults(const mctx_t *x)
{
	uint64_t sz[128];
	size_t n = ct_rdir_sizes(x->d, (int)x->wl, sz, 128);
	if (!x->d->has_col[CT_M_MINFLT] || (int)x->mode != x->heap || n < 2)
		return 0;
	const ct_group_t *g0 = at(x, x->mode, sz[0], x->one), *gn = at(x, x->mode, sz[n - 1], x->one);
	double first = med(g0, CT_M_MINFLT);
	if (!g0 || !gn || !(first < FAULTS_MIN))
		return 0; /* faults at every size do not rise with size */
	for (size_t i = 1; i < n; i++) {
		const ct_group_t *h = at(x, x->mode, sz[i], x->one);
		const ct_group_t *s = x->stack >= 0 ? at(x, (unsigned)x->stack, sz[i], x->one) : NULL;
		double fh = med(h, CT_M_MINFLT), fs = s ? med(s, CT_M_MINFLT) : 0;
		fs = isnan(fs) ? 0 : fs;
		if (!h || !(fh >= FAULTS_MIN) || fh < RISE * fs)
			continue;
		say(x, "page faults rise with size: %.2g/op at %s, %.3g/op from %s, %.3g/op at %s "
		       "(stack %.2g/op): blocks this large come fresh from the kernel each op "
		       "(mmap/munmap, zeroed pages), a cost the stack copy never pays",
		    first, ct_rstr(x->d, g0->size), fh, ct_rstr(x->d, h->size),
		    med(gn, CT_M_MINFLT), ct_rstr(x->d, gn->size), fs);
		return 1;
	}
	return 0;
}

/* The size whose counter m is largest at the top thread count. */
static const ct_group_t *worst_at_top(const mctx_t *x, ct_metric_t m)
{
	const ct_group_t *w = NULL;
	for (size_t i = 0; i < x->d->ngroups; i++) {
		const ct_group_t *g = &x->d->groups[i];
		if (g->workload == x->wl && g->mode == x->mode && g->alloc == x->alloc &&
		    g->place == x->place && g->threads == x->top && (!w || med(g, m) > med(w, m)))
			w = g;
	}
	return w;
}

static int rule_switches(const mctx_t *x, ct_metric_t m)
{
	const ct_group_t *g = worst_at_top(x, m);
	if (!g || !x->d->has_col[m] || x->top == x->one)
		return 0;
	double hi = med(g, m), lo = med(at(x, x->mode, g->size_bytes, x->one), m);
	if (!(hi >= CSW_MIN) || !(hi >= RISE * (isnan(lo) ? 0 : lo)))
		return 0;
	const char *cores = ct_rdir_kv(x->d, "cpu.cores");
	bool over = cores && g->threads > (unsigned)atoi(cores);
	const char *why = m == CT_M_VCSW
		? "threads block and sleep — lock contention (allocator locks, or the kernel's "
		  "mmap lock)"
		: over ? "more threads than cores — threads are preempted (oversubscription)"
		       : "threads are preempted — other processes share the cores";
	say(x, "%s context switches rise with threads (%.2g/op at %u, %.2g/op at %u threads, %s): %s",
	    m == CT_M_VCSW ? "voluntary" : "involuntary", isnan(lo) ? 0 : lo, x->one, hi, g->threads,
	    ct_rstr(x->d, g->size), why);
	return 1;
}

static int rule_vcsw(const mctx_t *x)
{
	return rule_switches(x, CT_M_VCSW);
}

static int rule_ivcsw(const mctx_t *x)
{
	return rule_switches(x, CT_M_IVCSW);
}

static const ct_contention_t *cf_of(const mctx_t *x, unsigned mode, uint64_t size)
{
	for (size_t i = 0; i < x->nc; i++) {
		const ct_group_t *g = x->c[i].g;
		if (g->workload == x->wl && g->mode == mode && g->size_bytes == size &&
		    g->alloc == x->alloc && g->place == x->place && g->threads == x->top)
			return &x->c[i];
	}
	return NULL;
}

/* A heap slowdown under threads with no faults or switches to explain it. */
static int rule_silent(const mctx_t *x)
{
	const ct_contention_t *w = NULL;
	for (size_t i = 0; i < x->nc; i++) {
		const ct_contention_t *c = &x->c[i];
		if (c->g->workload == x->wl && c->g->mode == x->mode && c->g->alloc == x->alloc &&
		    c->g->place == x->place && c->g->threads == x->top && c->cf.has_ci &&
		    (!w || c->cf.ratio > w->cf.ratio))
			w = c;
	}
	if ((int)x->mode != x->heap || !w || !(w->cf.lo > CF_BAND))
		return 0;
	const ct_contention_t *s = x->stack >= 0 ? cf_of(x, (unsigned)x->stack, w->g->size_bytes) : NULL;
	const char *size = ct_rstr(x->d, w->g->size);
	if (!s || !s->cf.has_ci)
		say(x, "heap slows with threads at %s (x%.2f [%.2f, %.2f] at %u threads), no stack "
		       "figure to compare: the allocator or the shared cores", size, w->cf.ratio,
		    w->cf.lo, w->cf.hi, x->top);
	else if (w->cf.ratio >= EXCESS * s->cf.ratio && w->cf.lo > s->cf.ratio)
		say(x, "heap slows more than the stack copy at %s (x%.2f [%.2f, %.2f] vs x%.2f at %u "
		       "threads) with no faults or switches to explain it: contention inside the "
		       "allocator — shared cache lines or atomics (a shared arena, central free lists)",
		    size, w->cf.ratio, w->cf.lo, w->cf.hi, s->cf.ratio, x->top);
	else if (s->cf.lo > CF_BAND)
		say(x, "both modes slow alike with threads at %s (heap x%.2f, stack x%.2f at %u "
		       "threads): not the allocator — shared cores, caches or memory bandwidth",
		    size, w->cf.ratio, s->cf.ratio, x->top);
	else
		say(x, "heap slows with threads at %s (x%.2f [%.2f, %.2f] at %u threads); the stack "
		       "copy's x%.2f [%.2f, %.2f] is undecided: the allocator, or the shared cores",
		    size, w->cf.ratio, w->cf.lo, w->cf.hi, x->top, s->cf.ratio, s->cf.lo, s->cf.hi);
	return 1;
}

/* The remote-free path each allocator takes (its version as in ALLOCATORS.md),
 * by the allocator's name, "glibc:arena_max=1" matching "glibc". */
static const struct {
	const char *alloc, *path;
} remote_paths[] = {
	{"glibc", "free() puts a foreign chunk in the freeing thread's tcache (7 per size), the "
		  "rest back into the owner's arena under its mutex, which the owner takes to "
		  "refill"},
	{"mimalloc", "a foreign free is one atomic push onto the page's thread-free list; the "
		     "owner takes the whole list back when its free list runs dry: no lock"},
	{"tcmalloc", "the object joins the freeing thread's cache whatever its owner; a consumer's "
		     "cache overflows into the central list and a producer's refills from it, under "
		     "its spinlock"},
	{"jemalloc", "the object joins the freeing thread's tcache; a full bin is flushed to the "
		     "owning arena's bin under its mutex, which the owner's refills take too"},
};

static const char *remote_path(const char *alloc)
{
	for (size_t i = 0; i < sizeof remote_paths / sizeof remote_paths[0]; i++) {
		size_t n = strlen(remote_paths[i].alloc);
		if (strncmp(alloc, remote_paths[i].alloc, n) == 0 &&
		    (alloc[n] == '\0' || alloc[n] == ':' || alloc[n] == '/'))
			return remote_paths[i].path;
	}
	return "the allocator's own remote-free path";
}

/* xfree's remote and pc modes: how much of ns/op is waiting, which side of
 * a one-way hand-off is slower, and the remote-free path that explains it. */
static int rule_remote_free(const mctx_t *x)
{
	const char *wl = ct_rstr(x->d, x->wl), *mode = ct_rstr(x->d, x->mode);
	bool pc = strcmp(mode, "pc") == 0;
	uint64_t sz[128];
	bool xfree = strncmp(wl, "xfree", 5) == 0 && (wl[5] == '\0' || wl[5] == '/');
	if (!xfree || (!pc && strcmp(mode, "remote") != 0) ||
	    x->top == x->one || !ct_rdir_sizes(x->d, (int)x->wl, sz, 128))
		return 0;
	const ct_group_t *g = at(x, x->mode, sz[0], x->top);
	double ns = med(g, CT_M_NS), wait = med(g, CT_M_WAIT);
	if (!g || isnan(ns) || isnan(wait))
		return 0;
	const char *path = remote_path(ct_rstr(x->d, x->alloc));
	if (!pc) {
		say(x, "remote frees in a ring at %u threads, %s: %.3g ns/op, %.3g of it waiting; "
		       "remote-free path: %s", x->top, ct_rstr(x->d, g->size), ns, wait, path);
		return 1;
	}
	double p = med(g, CT_M_PROD), c = med(g, CT_M_CONS);
	say(x, "remote frees one way at %u threads, %s: %.3g ns/op, %.3g of it waiting; producer "
	       "%.3g ns/op, consumer %.3g: the %s is the bottleneck; remote-free path: %s",
	    x->top, ct_rstr(x->d, g->size), ns, wait, p, c, p > c ? "producer (malloc)" :
	    "consumer (free)", path);
	return 1;
}

/* The name without its "/prime=N" segment, into buf; returns N, or -1 when
 * the name has none (the parameter at its default, left out of names). */
static long strip_prime(const char *name, char *buf, size_t len)
{
	const char *p = strstr(name, "/prime=");
	if (!p) {
		snprintf(buf, len, "%s", name);
		return -1;
	}
	char *end;
	long n = strtol(p + 7, &end, 10);
	if (end == p + 7 || (*end != '\0' && *end != '/'))
		n = -2; /* not a number: never a sibling */
	snprintf(buf, len, "%.*s%s", (int)(p - name), name, end);
	return n;
}

/* The same workload primed, for a cold one ("bilbo/prime=0"): the id of the
 * first workload named as it is but with prime left out (primed at its
 * default, "bilbo") or another positive value; -1 when the study has none. */
static int primed_sibling(const ct_rdir_t *d, unsigned wl)
{
	char stem[512], other[512];
	if (strip_prime(ct_rstr(d, wl), stem, sizeof stem) != 0)
		return -1;
	for (size_t i = 0; i < d->ngroups; i++) {
		unsigned w = d->groups[i].workload;
		long n = strip_prime(ct_rstr(d, w), other, sizeof other);
		if (w != wl && (n == -1 || n > 0) && strcmp(other, stem) == 0)
			return (int)w;
	}
	return -1;
}

static const ct_contention_t *cf_wl(const mctx_t *x, unsigned wl, uint64_t size)
{
	for (size_t i = 0; i < x->nc; i++) {
		const ct_group_t *g = x->c[i].g;
		if (g->workload == wl && g->mode == x->mode && g->size_bytes == size &&
		    g->alloc == x->alloc && g->place == x->place && g->threads == x->top)
			return &x->c[i];
	}
	return NULL;
}

/* Cold workers (prime=0) slow with threads, primed ones of the same study do
 * not: their single reused objects were handed out as neighbours in shared
 * cache lines (README, "Why tcmalloc's small objects slow down under
 * threads"), not a lock. */
static int rule_prime(const mctx_t *x)
{
	int warm = (int)x->mode == x->heap ? primed_sibling(x->d, x->wl) : -1;
	for (size_t i = 0; warm >= 0 && i < x->nc; i++) {
		const ct_contention_t *c = &x->c[i], *p;
		if (c->g->workload != x->wl || c->g->mode != x->mode || c->g->alloc != x->alloc ||
		    c->g->place != x->place || c->g->threads != x->top || !c->cf.has_ci ||
		    !(c->cf.lo > CF_BAND) || !(p = cf_wl(x, (unsigned)warm, c->g->size_bytes)) ||
		    !p->cf.has_ci || !(c->cf.lo > p->cf.hi))
			continue;
		const char *primed = ct_rstr(x->d, (unsigned)warm);
		say(x, "only cold workers slow with threads at %s (x%.2f [%.2f, %.2f] at %u threads; "
		       "x%.2f [%.2f, %.2f] in %s%s): likely false sharing — each cold worker reuses "
		       "one object placed by the heap's history, and neighbours handed to different "
		       "threads share a cache line (tcmalloc's one-object first fetches); priming "
		       "(parameter prime) separates them. Not lock contention",
		    ct_rstr(x->d, c->g->size), c->cf.ratio, c->cf.lo, c->cf.hi, x->top, p->cf.ratio,
		    p->cf.lo, p->cf.hi, primed,
		    strstr(primed, "/prime=") ? "" : " (prime at its default)");
		return 1;
	}
	return 0;
}

/* The go column or one of its variants ("go:gogc=off"): its zeroed mode
 * is its heap mode (Go's new always zeroes), so zeroed - heap is noise. */
static bool is_go(const char *alloc)
{
	return strncmp(alloc, "go", 2) == 0 && (alloc[2] == '\0' || alloc[2] == ':');
}

/* zeroed (calloc) beside heap (malloc) at the baseline thread count: the
 * size where zeroing adds most to heap's ns/op, and what share of what
 * allocating adds over the stack copy it is. Go's new always pays it. */
static int rule_zeroing(const mctx_t *x)
{
	uint64_t sz[128];
	size_t n = ct_rdir_sizes(x->d, (int)x->wl, sz, 128);
	const ct_group_t *worst = NULL;
	double wz = 0, wh = 0;
	if ((int)x->mode != x->zeroed || x->heap < 0 || is_go(ct_rstr(x->d, x->alloc)))
		return 0;
	for (size_t i = 0; i < n; i++) {
		const ct_group_t *z = at(x, x->mode, sz[i], x->one);
		double nz = med(z, CT_M_NS), nh = med(at(x, (unsigned)x->heap, sz[i], x->one), CT_M_NS);
		if (z && nh > 0 && nz >= ZERO_COST * nh && (!worst || nz / nh > wz / wh))
			worst = z, wz = nz, wh = nh;
	}
	if (!worst)
		return 0;
	const ct_group_t *s = x->stack >= 0 ? at(x, (unsigned)x->stack, worst->size_bytes, x->one)
					    : NULL;
	double ns = med(s, CT_M_NS);
	char share[96] = "";
	if (ns > 0 && wh > ns)
		snprintf(share, sizeof share, "; %.0f%% of what allocating adds to the stack copy",
			 100 * (wz - wh) / (wz - ns));
	say(x, "zeroing costs %.4g ns/op at %s, %u thr (calloc %.4g vs malloc %.4g ns, x%.2f%s): "
	       "a price Go's new always pays and C's malloc does not",
	    wz - wh, ct_rstr(x->d, worst->size), x->one, wz, wh, wz / wh, share);
	return 1;
}

static int (*const rules[])(const mctx_t *) = {rule_remote_free, rule_faults, rule_vcsw,
					       rule_ivcsw, rule_prime, rule_zeroing, rule_silent};

/* ---------------------------------------------------------------- driver */

size_t ct_mechanisms(const ct_rdir_t *d, const ct_contention_t *c, size_t nc, FILE *f,
		     const char *prefix)
{
	unsigned th[256], al[64], pl[64];
	size_t nt = ct_rdir_threads(d, -1, th, 256), ns = ct_series(d, al, pl, 64), lines = 0;
	if (!nt)
		return 0;
	mctx_t x = {.d = d, .heap = ct_rdir_id(d, "heap"), .stack = ct_rdir_id(d, "stack"),
		    .zeroed = ct_rdir_id(d, "zeroed"), .one = th[0], .top = th[nt - 1], .c = c, .nc = nc, .f = f, .prefix = prefix};
	for (size_t i = 0; i < d->ngroups; i++) {
		const ct_group_t *g = &d->groups[i];
		bool first = i == 0 || g->workload != d->groups[i - 1].workload ||
			     g->mode != d->groups[i - 1].mode;
		if (!first || (int)g->mode == x.stack)
			continue; /* one pass per workload and mode; stack is the reference */
		x.wl = g->workload;
		x.mode = g->mode;
		for (size_t s = 0; s < ns; s++) {
			x.alloc = al[s];
			x.place = pl[s];
			char name[128];
			ct_series_name(d, al[s], pl[s], name, sizeof name);
			snprintf(x.who, sizeof x.who, "%s %s, %s", ct_rstr(d, x.wl), ct_rstr(d, x.mode),
				 name);
			size_t before = lines;
			for (size_t r = 0; r < sizeof rules / sizeof rules[0]; r++)
				if (rules[r] != rule_silent || lines == before) /* silent: nothing else said */
					lines += (size_t)rules[r](&x);
		}
	}
	return lines;
}
