/* smaug.c — the seed's SmaugScalingStrict benchmark: a struct of any size
 * from 16 B up (default 1 KiB … 1 MiB), copied by value or allocated.
 *
 * C fixes a struct's size at compile time, but sizes here are run-time
 * parameters. So a by-value pass is written out as what the ABI does for a
 * large struct argument: the callee's frame gets an area of exactly `size`
 * bytes (a variable-length array) and every byte of the caller's value is
 * copied into it with memcpy — which is also what gcc and clang emit for a
 * by-value aggregate of that size. The copy is then escaped (an asm memory
 * clobber) and one byte at a moving offset is read back, so the compiler can
 * neither drop nor shorten it; tests/test_kernels.c proves that the bytes
 * arrive and that time grows with size.
 *
 * One operation:
 *   stack  smaug_by_value(): copy `size` bytes from the caller's stack value
 *          into the callee's frame (the seed's StackStrict);
 *   heap   smaug_to_heap(): malloc(size), copy the same `size` bytes into it,
 *          hand the pointer back across the boundary; the caller reads a byte
 *          and frees it (HeapStrict: size B/op, 1 alloc/op);
 *   control the loop alone.
 * The source value lives on the worker's stack in both modes: the modes do
 * the same copy and differ only in where the destination comes from.
 *
 * Probes: every size class up to the large-object paths — glibc's arena mutex
 * above tcache (1032 B) and mmap at 128 KiB, tcmalloc's page heap above
 * 256 KiB, jemalloc's arenas above 32 KiB, mimalloc's segments. */
#include "workload.h"

#include <stdlib.h>
#include <string.h>

enum { SMAUG_STACK, SMAUG_HEAP, SMAUG_CONTROL };
static const char *const smaug_modes[] = {"stack", "heap", "control", NULL};

/* Step of the read-back offset: below the 16 B minimum size, so one
 * subtraction keeps the offset in range. */
#define SMAUG_PROBE_STEP 13

CT_NOIPA uint8_t ct_smaug_by_value(const uint8_t *src, size_t n, size_t probe)
{
	uint8_t frame[n];
	memcpy(frame, src, n);
	CT_ESCAPE(frame);
	return frame[probe];
}

CT_NOIPA uint8_t *ct_smaug_to_heap(const uint8_t *src, size_t n)
{
	uint8_t *p = malloc(n);
	if (!p)
		abort();
	memcpy(p, src, n);
	CT_ESCAPE(p);
	return p;
}

static void fill(uint8_t *src, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		src[i] = (uint8_t)(i * 131 + seed);
}

static uint64_t stack_loop(const uint8_t *src, size_t n, uint64_t iters, ct_span_t *s)
{
	uint64_t sink = 0;
	size_t probe = 0;
	ct_span_begin(s);
	for (uint64_t i = 0; i < iters; i++) {
		sink += ct_smaug_by_value(src, n, probe);
		probe += SMAUG_PROBE_STEP;
		if (probe >= n)
			probe -= n;
	}
	ct_span_end(s);
	return sink;
}

static uint64_t heap_loop(const uint8_t *src, size_t n, uint64_t iters, ct_span_t *s)
{
	uint64_t sink = 0;
	size_t probe = 0;
	ct_span_begin(s);
	for (uint64_t i = 0; i < iters; i++) {
		uint8_t *p = ct_smaug_to_heap(src, n);
		sink += p[probe];
		free(p);
		probe += SMAUG_PROBE_STEP;
		if (probe >= n)
			probe -= n;
	}
	ct_span_end(s);
	return sink;
}

static void smaug_run(const ct_kargs_t *a, uint64_t iters, ct_span_t *s)
{
	size_t n = (size_t)a->size;
	uint8_t src[n]; /* the caller's value, on this worker's stack */
	/* Later batches of a latency round find the value already in place (same
	 * frame, same address): re-filling it would put n bytes of writes between
	 * every two timed batches. Its bytes are only copied, never trusted. */
	if (!s->batch || s->batch_no == 0)
		fill(src, n, a->thread);
	CT_ESCAPE(src);
	if (a->mode == SMAUG_STACK)
		s->sink += stack_loop(src, n, iters, s);
	else if (a->mode == SMAUG_HEAP)
		s->sink += heap_loop(src, n, iters, s);
	else
		ct_control_loop(iters, s);
}

static uint64_t smaug_stack_bytes(uint64_t size)
{
	return 2 * size; /* the caller's value and the callee's copy */
}

static uint64_t smaug_bytes_moved(uint64_t size)
{
	return size;
}

/* One SIZE-byte block, freed before the next. */
static uint64_t smaug_heap_bytes(uint64_t size, const uint64_t *param)
{
	(void)param;
	return size;
}

const ct_workload_t ct_wl_smaug = {
	.name = "smaug",
	.bench = "Smaug",
	.doc = "struct of SIZE bytes: copied by value into the callee's frame (stack) or "
	       "malloc'd, copied into, read and freed (heap)",
	.probes = "size classes up to each allocator's large-object path (mmap, page heap, "
		  "arena locks)",
	.modes = smaug_modes,
	.default_modes = "stack,heap",
	.default_sizes = "1KiB-1MiB",
	.min_size = 16,
	.max_size = 64ull << 20,
	.stack_bytes = smaug_stack_bytes,
	.bytes_moved = smaug_bytes_moved,
	.run = smaug_run,
	.heap_bytes = smaug_heap_bytes,
};
