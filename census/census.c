/* census.c — libctcensus.so, the counting interposer behind B/op and allocs/op.
 *
 * Loaded only in census children, in front of the allocator under test:
 *   LD_PRELOAD=libctcensus.so[:liballocator.so]
 * Each malloc-family call counts one allocation and its requested bytes in
 * thread-local counters, then forwards to the next definition in lookup
 * order (RTLD_NEXT): the allocator under test. The timed children never load
 * it, so measured times carry no counting cost.
 *
 * dlsym() may itself call calloc/malloc before the real functions are known;
 * those early requests are served from a small static arena and never freed. */
#include <dlfcn.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define CENSUS_API __attribute__((visibility("default")))

typedef void *(*malloc_fn)(size_t);
typedef void *(*calloc_fn)(size_t, size_t);
typedef void *(*realloc_fn)(void *, size_t);
typedef void (*free_fn)(void *);
typedef int (*memalign_fn)(void **, size_t, size_t);
typedef void *(*aligned_fn)(size_t, size_t);

static malloc_fn next_malloc;
static calloc_fn next_calloc;
static realloc_fn next_realloc;
static free_fn next_free;
static memalign_fn next_posix_memalign;
static aligned_fn next_aligned_alloc, next_memalign;

static __thread uint64_t t_allocs, t_bytes;
static __thread int t_resolving;

static _Alignas(64) unsigned char boot[64 << 10];
static size_t boot_used;

static void *boot_alloc(size_t n)
{
	n = (n + 15) & ~(size_t)15;
	if (boot_used + n > sizeof boot)
		return NULL;
	void *p = boot + boot_used;
	boot_used += n;
	return p;
}

static int in_boot(const void *p)
{
	return (const unsigned char *)p >= boot && (const unsigned char *)p < boot + sizeof boot;
}

static void resolve(void)
{
	t_resolving = 1;
	next_malloc = (malloc_fn)dlsym(RTLD_NEXT, "malloc");
	next_calloc = (calloc_fn)dlsym(RTLD_NEXT, "calloc");
	next_realloc = (realloc_fn)dlsym(RTLD_NEXT, "realloc");
	next_free = (free_fn)dlsym(RTLD_NEXT, "free");
	next_posix_memalign = (memalign_fn)dlsym(RTLD_NEXT, "posix_memalign");
	next_aligned_alloc = (aligned_fn)dlsym(RTLD_NEXT, "aligned_alloc");
	next_memalign = (aligned_fn)dlsym(RTLD_NEXT, "memalign");
	t_resolving = 0;
}

static inline void count(size_t n)
{
	t_allocs++;
	t_bytes += n;
}

CENSUS_API void *malloc(size_t n)
{
	if (!next_malloc) {
		if (t_resolving)
			return boot_alloc(n);
		resolve();
	}
	count(n);
	return next_malloc(n);
}

CENSUS_API void *calloc(size_t k, size_t n)
{
	if (!next_calloc) {
		if (t_resolving)
			return boot_alloc(k * n); /* static storage is already zero */
		resolve();
	}
	count(k * n);
	return next_calloc(k, n);
}

CENSUS_API void *realloc(void *p, size_t n)
{
	if (!next_realloc)
		resolve();
	if (in_boot(p)) {
		void *q = malloc(n);
		if (q)
			memcpy(q, p, n); /* boot blocks are never shrunk in place */
		return q;
	}
	count(n);
	return next_realloc(p, n);
}

CENSUS_API void free(void *p)
{
	if (!p || in_boot(p))
		return;
	if (!next_free)
		resolve();
	next_free(p);
}

CENSUS_API int posix_memalign(void **out, size_t align, size_t n)
{
	if (!next_posix_memalign)
		resolve();
	count(n);
	return next_posix_memalign(out, align, n);
}

CENSUS_API void *aligned_alloc(size_t align, size_t n)
{
	if (!next_aligned_alloc)
		resolve();
	count(n);
	return next_aligned_alloc(align, n);
}

CENSUS_API void *memalign(size_t align, size_t n)
{
	if (!next_memalign)
		resolve();
	count(n);
	return next_memalign(align, n);
}

/* Allocation calls and bytes requested by the calling thread so far. */
CENSUS_API void ct_census_counts(uint64_t *allocs, uint64_t *bytes)
{
	*allocs = t_allocs;
	*bytes = t_bytes;
}

/* The malloc the census forwards to: the allocator under test. */
CENSUS_API void *ct_census_next_malloc(void)
{
	if (!next_malloc)
		resolve();
	return (void *)next_malloc;
}
