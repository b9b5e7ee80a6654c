/* large.c — blocks on both sides of each allocator's large-object paths,
 * every page written: the page-fault and zeroing cost behind the seed's
 * Raspberry Pi figures (the Smaug heap/stack ratio that grows with size).
 *
 * One operation:
 *   heap   large_heap(): malloc(SIZE), one write per page (page size from
 *          sysconf(_SC_PAGESIZE)) and to the last byte, hand the pointer back;
 *          the caller reads the byte at a moving page and frees it
 *          (1 alloc/op, SIZE B/op);
 *   stack  large_frame(): the same writes into a SIZE-byte area of the
 *          callee's frame (a variable-length array, as smaug's by-value copy),
 *          the same byte read back (0 allocs/op).
 * The modes do the same writes and differ only in where the block comes
 * from: a stack frame is resident after the first operation, a heap block
 * is resident only if the allocator kept its pages. Page faults per op are
 * in results.csv (minflt/op). This is not smaug: there is no copy, so the
 * difference is the allocator's path plus any fault and zero-fill, not
 * memory bandwidth.
 *
 * Default sizes straddle each path change (glibc 2.36, mimalloc 2.0.9,
 * gperftools 2.10, jemalloc 5.3):
 *   1 KiB | 2 KiB     glibc tcache ends at 1032 B (then the arena mutex);
 *   32 KiB | 64 KiB   jemalloc tcache_max 32 KiB (then the arena's large path);
 *   64 KiB | 128 KiB  glibc's mmap threshold: the first block of 128 KiB or
 *                     more is mmapped, and freeing it raises the threshold to
 *                     its size (up to 32 MiB) for the rest of the process, so
 *                     later ones come from the arena (the child runs many
 *                     points: the first repetition pays, as a long-running
 *                     program would once; glibc:mmap_threshold=N fixes it);
 *   128 KiB | 256 KiB mimalloc's medium pages end at 128 KiB (then large
 *                     objects, up to 16 MiB, from spans of the thread's own
 *                     segments);
 *   256 KiB | 512 KiB tcmalloc's per-thread classes end at 256 KiB (then the
 *                     page heap under its global spinlock);
 *   1 MiB, 4 MiB      all four on their large paths: glibc arena top
 *                     trimming, jemalloc extents and decay purging, tcmalloc
 *                     page heap, mimalloc segment spans; more pages to touch. */
#include "workload.h"

#include <stdlib.h>
#include <unistd.h>

enum { LARGE_HEAP, LARGE_STACK };
static const char *const large_modes[] = {"heap", "stack", NULL};

/* One write per page of p[0 .. n) and one to its last byte: every page the
 * block overlaps is touched, whatever its alignment. */
static inline void touch(uint8_t *p, size_t n, size_t page, uint8_t v)
{
	for (size_t off = 0; off < n; off += page)
		p[off] = v;
	p[n - 1] = v;
}

CT_NOIPA uint8_t *ct_large_heap(size_t n, size_t page, uint8_t v)
{
	uint8_t *p = malloc(n);
	if (!p)
		abort();
	touch(p, n, page, v);
	CT_ESCAPE(p);
	return p;
}

CT_NOIPA uint8_t ct_large_frame(size_t n, size_t page, uint8_t v, size_t probe)
{
	uint8_t frame[n];
	touch(frame, n, page, v);
	CT_ESCAPE(frame);
	return frame[probe];
}

/* The value written by operation i: varies so no write can be skipped. */
static inline uint8_t value(uint64_t i, unsigned thread)
{
	return (uint8_t)(i * 131 + thread);
}

static uint64_t heap_loop(size_t n, size_t page, unsigned thread, uint64_t iters, ct_span_t *s)
{
	uint64_t sink = 0;
	size_t probe = 0;
	ct_span_begin(s);
	for (uint64_t i = 0; i < iters; i++) {
		uint8_t *p = ct_large_heap(n, page, value(i, thread));
		sink += p[probe];
		free(p);
		probe = probe + page < n ? probe + page : 0;
	}
	ct_span_end(s);
	return sink;
}

static uint64_t stack_loop(size_t n, size_t page, unsigned thread, uint64_t iters, ct_span_t *s)
{
	uint64_t sink = 0;
	size_t probe = 0;
	ct_span_begin(s);
	for (uint64_t i = 0; i < iters; i++) {
		sink += ct_large_frame(n, page, value(i, thread), probe);
		probe = probe + page < n ? probe + page : 0;
	}
	ct_span_end(s);
	return sink;
}

static void large_run(const ct_kargs_t *a, uint64_t iters, ct_span_t *s)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	if (a->mode == LARGE_STACK)
		s->sink += stack_loop((size_t)a->size, page, a->thread, iters, s);
	else
		s->sink += heap_loop((size_t)a->size, page, a->thread, iters, s);
}

static uint64_t large_stack_bytes(uint64_t size)
{
	return size; /* the callee's frame */
}

/* One SIZE-byte block, freed before the next. */
static uint64_t large_heap_bytes(uint64_t size, const uint64_t *param)
{
	(void)param;
	return size;
}

const ct_workload_t ct_wl_large = {
	.name = "large",
	.bench = "Large",
	.doc = "a SIZE-byte block, one write per page: malloc'd and freed (heap) or a "
	       "callee's stack frame (stack)",
	.probes = "large-object paths: glibc mmap threshold and arena, jemalloc extents, "
		  "tcmalloc page heap, mimalloc segments; page faults and zero-fill",
	.modes = large_modes,
	.default_modes = "heap,stack",
	.default_sizes = "1KiB,2KiB,32KiB,64KiB,128KiB,256KiB,512KiB,1MiB,4MiB",
	.min_size = 16,
	.max_size = 64ull << 20,
	.stack_bytes = large_stack_bytes,
	.run = large_run,
	.heap_bytes = large_heap_bytes,
};
