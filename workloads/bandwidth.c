/* bandwidth.c — plain memcpy of SIZE bytes per thread: the memory-bandwidth
 * reference for smaug's copies (a stack copy cannot be faster than memcpy of
 * the same size from the same cache level). STREAM's copy kernel on one
 * buffer pair per thread, at the sizes the study copies.
 *
 * One operation (mode memcpy): ct_bandwidth_copy() copies SIZE bytes from
 * one per-thread buffer to another across a non-inlinable boundary, escapes
 * the destination and reads one byte of it back at a moving offset — the
 * same call, escape and read-back as smaug's by-value copy, so the two
 * compare directly. 0 allocs/op: the buffers are malloc'd, filled and
 * faulted in before the span and freed after it.
 *
 * Layout: both buffers are carved from one malloc'd block at fixed offsets —
 * src page-aligned, dst half a page past the end of src's pages — so every
 * allocator gets the same layout. Left to malloc, the layout would decide
 * the figure: two back-to-back glibc chunks put dst 16 bytes past a 4 KiB
 * multiple from src, and the loads running ahead of the stores then alias
 * them in the low 12 address bits (4K aliasing): 2.5x slower on the AMD
 * EPYC VM this was written on, at every size that fits in L2.
 * Bandwidth per thread: SIZE / ns per op (bytes per ns = GB/s), counting
 * the bytes copied once (STREAM's copy counts read and write: twice that);
 * aggregate: that times the threads, or SIZE x ops/s from results.csv.
 * Sizes: from L1 to past the last-level cache.
 *
 * Probes: no allocator path (the census must show 0); where the buffers sit
 * in the cache hierarchy, and the memory bus shared by the threads. */
#include "workload.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { BW_MEMCPY };
static const char *const bw_modes[] = {"memcpy", NULL};

/* Step of the read-back offset (as smaug's). */
#define BW_PROBE_STEP 13

CT_NOIPA uint8_t ct_bandwidth_copy(uint8_t *dst, const uint8_t *src, size_t n, size_t probe)
{
	memcpy(dst, src, n);
	CT_ESCAPE(dst);
	return dst[probe];
}

static uint64_t copy_loop(uint8_t *dst, const uint8_t *src, size_t n, uint64_t iters,
			  ct_span_t *s)
{
	uint64_t sink = 0;
	size_t probe = 0;
	ct_span_begin(s);
	for (uint64_t i = 0; i < iters; i++) {
		sink += ct_bandwidth_copy(dst, src, n, probe);
		probe += BW_PROBE_STEP;
		if (probe >= n)
			probe -= n;
	}
	ct_span_end(s);
	return sink;
}

static void bw_run(const ct_kargs_t *a, uint64_t iters, ct_span_t *s)
{
	size_t n = (size_t)a->size, page = (size_t)sysconf(_SC_PAGESIZE);
	size_t span = (n + page - 1) / page * page + page / 2; /* dst - src */
	uint8_t *block = malloc(page + span + n);
	if (!block)
		abort();
	uint8_t *src = block + (page - (uintptr_t)block % page), *dst = src + span;
	for (size_t i = 0; i < n; i++)
		src[i] = (uint8_t)(i * 131 + a->thread); /* smaug's pattern */
	memset(dst, 0, n);
	CT_ESCAPE(src);
	CT_ESCAPE(dst);
	s->sink += copy_loop(dst, src, n, iters, s);
	free(block);
}

static uint64_t bw_bytes_moved(uint64_t size)
{
	return size;
}

/* Source and destination carved from one block, a page of slack each. */
static uint64_t bw_heap_bytes(uint64_t size, const uint64_t *param)
{
	(void)param;
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	return 2 * size + 2 * page;
}

const ct_workload_t ct_wl_bandwidth = {
	.name = "bandwidth",
	.bench = "Bandwidth",
	.doc = "memcpy SIZE bytes between two per-thread buffers (GB/s per thread = SIZE / "
	       "ns per op)",
	.probes = "none: the memory-bandwidth reference for stack copies (0 allocs/op)",
	.modes = bw_modes,
	.default_modes = "memcpy",
	.default_sizes = "4KiB,64KiB,256KiB,1MiB,4MiB",
	.min_size = 16,
	.max_size = 1ull << 30,
	.bytes_moved = bw_bytes_moved,
	.run = bw_run,
	.heap_bytes = bw_heap_bytes,
};
