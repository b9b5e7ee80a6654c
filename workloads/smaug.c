/* smaug.c — the seed's SmaugScalingStrict benchmark: a struct of any size
 * from 16 B up (default 1 KiB … 1 MiB), passed by value or allocated.
 *
 * Two copies, chosen with --param copy=compiler|memcpy:
 *
 * compiler (the default, every power of two from 16 B to 64 MiB): a real
 *   type `struct { unsigned char b[N]; }` per size, generated below from one
 *   macro table. stack mode passes it by value to a non-inlinable callee,
 *   heap mode assigns it (`*p = v`) into the malloc'd block; both copies are
 *   whatever the compiler emits for that type with the build's flags (gcc 12
 *   -O3 on x86-64: register moves up to 256 B, `rep movsq` from 512 B to
 *   8 KiB, a call to memcpy from 16 KiB; the README shows how to look).
 *   This is what the seed's StackStrict measures: a value of a fixed type
 *   crossing a frame boundary.
 * memcpy (every size; the only copy at sizes that are not powers of two): a
 *   run-time size, written out as a by-value pass of a variable-length array
 *   — the callee's frame gets exactly `size` bytes and library memcpy fills
 *   it — and a memcpy of `size` bytes into the malloc'd block.
 *
 * Either way the copy is escaped (an asm memory clobber) and one byte at a
 * moving offset is read back, so the compiler can neither drop nor shorten
 * it; tests/test_kernels.c proves that the bytes arrive and that time grows
 * with size, test_workloads.c that the sinks are exact and that stack mode
 * allocates nothing.
 *
 * One operation:
 *   stack   copy `size` bytes from the caller's value into the callee's
 *           frame (the seed's StackStrict);
 *   heap    malloc(size), copy the same `size` bytes into it, hand the
 *           pointer back across the boundary; the caller reads a byte and
 *           frees it (HeapStrict: size B/op, 1 alloc/op);
 *   zeroed  heap with calloc(1, size) in place of malloc(size), the same
 *           copy, read and free: Go's `new` always returns zeroed memory,
 *           so zeroed - heap is what zeroing costs, apart from the
 *           allocator, when C and the `go` column disagree (glibc's calloc
 *           skips the memset for fresh mmapped chunks: that is its cost);
 *   control the loop alone.
 * The source value lives on the worker's stack in both modes: the modes do
 * the same copy and differ only in where the destination comes from.
 *
 * Probes: every size class up to the large-object paths — glibc's arena mutex
 * above tcache (1032 B) and mmap at 128 KiB, tcmalloc's page heap above
 * 256 KiB, jemalloc's arenas above 32 KiB, mimalloc's segments.
 *
 * Parameter prime (prime.h): in heap and zeroed modes each worker first warms
 * its allocator with that many objects of the point's size (at most 64 KiB of
 * them), in turn; prime=0 measures cold workers. */
#include "prime.h"
#include "workload.h"

#include <stdlib.h>
#include <string.h>

enum { SMAUG_STACK, SMAUG_HEAP, SMAUG_CONTROL, SMAUG_ZEROED };
static const char *const smaug_modes[] = {"stack", "heap", "control", "zeroed", NULL};

enum { P_COPY, P_PRIME };
enum { COPY_COMPILER, COPY_MEMCPY };
static const char *const smaug_copies[] = {"compiler", "memcpy", NULL};
static const ct_param_t smaug_params[] = {
	{"copy",
	 "compiler: a real struct type copied as the compiler does (sizes that are powers of "
	 "two; other sizes use memcpy); memcpy: library memcpy of a run-time size",
	 COPY_COMPILER, COPY_COMPILER, COPY_MEMCPY, smaug_copies, true},
	CT_PRIME_PARAM,
	{NULL, NULL, 0, 0, 0, NULL, false},
};

#define SMAUG_MIN 16
#define SMAUG_MAX (64ull << 20)

/* Step of the read-back offset: below the 16 B minimum size, so one
 * subtraction keeps the offset in range; odd, so that at a power-of-two size
 * `size` operations read every byte once. */
#define SMAUG_PROBE_STEP 13

/* One operation's copy, behind a uniform signature so that one loop serves
 * every type: pass copies src into a callee's frame and returns the byte at
 * probe there; put copies it into a new heap block and returns the block. */
typedef uint8_t (*smaug_pass_fn)(const uint8_t *src, size_t n, size_t probe);
typedef uint8_t *(*smaug_put_fn)(const uint8_t *src, size_t n);

/* ---------------------------------------------------------------- the loops */

/* Inlined into each caller with a constant pass: the loop of a typed size
 * calls its own by-value callee directly, as compiled code would. */
static inline __attribute__((always_inline)) uint64_t
stack_loop(const uint8_t *src, size_t n, uint64_t iters, ct_span_t *s, smaug_pass_fn pass)
{
	uint64_t sink = 0;
	size_t probe = 0;
	ct_span_begin(s);
	for (uint64_t i = 0; i < iters; i++) {
		sink += pass(src, n, probe);
		probe += SMAUG_PROBE_STEP;
		if (probe >= n)
			probe -= n;
	}
	ct_span_end(s);
	return sink;
}

static inline __attribute__((always_inline)) uint64_t
heap_loop(const uint8_t *src, size_t n, uint64_t iters, ct_span_t *s, smaug_put_fn put)
{
	uint64_t sink = 0;
	size_t probe = 0;
	ct_span_begin(s);
	for (uint64_t i = 0; i < iters; i++) {
		uint8_t *p = put(src, n);
		sink += p[probe];
		free(p);
		probe += SMAUG_PROBE_STEP;
		if (probe >= n)
			probe -= n;
	}
	ct_span_end(s);
	return sink;
}

/* ---------------------------------------------------------------- copy=memcpy */

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

CT_NOIPA uint8_t *ct_smaug_to_zeroed(const uint8_t *src, size_t n)
{
	uint8_t *p = calloc(1, n);
	if (!p)
		abort();
	memcpy(p, src, n);
	CT_ESCAPE(p);
	return p;
}

/* ---------------------------------------------------------------- copy=compiler */

/* The sizes with a real type: each power of two from SMAUG_MIN to SMAUG_MAX,
 * once (checked at compile time below). X(n) expands to the type, its
 * by-value callee, its assignment into a malloc'd and into a calloc'd block
 * and the three loops. */
#define SMAUG_TYPED_SIZES(X)                                                                      \
	X(16) X(32) X(64) X(128) X(256) X(512) X(1024) X(2048) X(4096) X(8192) X(16384) X(32768) \
	X(65536) X(131072) X(262144) X(524288) X(1048576) X(2097152) X(4194304) X(8388608)        \
	X(16777216) X(33554432) X(67108864)

/* The source is the caller's value seen through its type: accessing bytes
 * through a struct of unsigned char is allowed by C's aliasing rules, and
 * the type's alignment is 1. by_value's parameter is the by-value copy; its
 * address escapes, so the copy must exist whole in the callee's frame (on
 * x86-64 the argument area above the return address, on arm64 a copy the
 * caller makes and passes by reference). */
#define SMAUG_TYPE(N)                                                                            \
	typedef struct {                                                                         \
		unsigned char b[N];                                                              \
	} smaug_##N##_t;                                                                         \
	_Static_assert(sizeof(smaug_##N##_t) == (N) && ((N) & ((N)-1)) == 0, "power of two");    \
	CT_NOIPA static uint8_t smaug_by_value_##N(smaug_##N##_t v, size_t probe)               \
	{                                                                                        \
		CT_ESCAPE(&v);                                                                   \
		return v.b[probe];                                                               \
	}                                                                                        \
	CT_NOIPA static uint8_t *smaug_assign_##N(const smaug_##N##_t *v)                       \
	{                                                                                        \
		smaug_##N##_t *p = malloc(sizeof *p);                                            \
		if (!p)                                                                          \
			abort();                                                                 \
		*p = *v;                                                                         \
		CT_ESCAPE(p);                                                                    \
		return (uint8_t *)p; /* the block, seen as its bytes */                          \
	}                                                                                        \
	CT_NOIPA static uint8_t *smaug_assign_zeroed_##N(const smaug_##N##_t *v)                \
	{                                                                                        \
		smaug_##N##_t *p = calloc(1, sizeof *p);                                         \
		if (!p)                                                                          \
			abort();                                                                 \
		*p = *v;                                                                         \
		CT_ESCAPE(p);                                                                    \
		return (uint8_t *)p;                                                             \
	}                                                                                        \
	static inline uint8_t smaug_pass_##N(const uint8_t *src, size_t n, size_t probe)        \
	{                                                                                        \
		(void)n;                                                                         \
		return smaug_by_value_##N(*(const smaug_##N##_t *)src, probe);                   \
	}                                                                                        \
	static inline uint8_t *smaug_put_##N(const uint8_t *src, size_t n)                      \
	{                                                                                        \
		(void)n;                                                                         \
		return smaug_assign_##N((const smaug_##N##_t *)src);                             \
	}                                                                                        \
	static inline uint8_t *smaug_put_zeroed_##N(const uint8_t *src, size_t n)               \
	{                                                                                        \
		(void)n;                                                                         \
		return smaug_assign_zeroed_##N((const smaug_##N##_t *)src);                      \
	}                                                                                        \
	static uint64_t smaug_stack_##N(const uint8_t *src, uint64_t iters, ct_span_t *s)       \
	{                                                                                        \
		return stack_loop(src, N, iters, s, smaug_pass_##N);                             \
	}                                                                                        \
	static uint64_t smaug_heap_##N(const uint8_t *src, uint64_t iters, ct_span_t *s)        \
	{                                                                                        \
		return heap_loop(src, N, iters, s, smaug_put_##N);                               \
	}                                                                                        \
	static uint64_t smaug_zeroed_##N(const uint8_t *src, uint64_t iters, ct_span_t *s)      \
	{                                                                                        \
		return heap_loop(src, N, iters, s, smaug_put_zeroed_##N);                        \
	}

SMAUG_TYPED_SIZES(SMAUG_TYPE)

typedef struct {
	uint64_t size; /* bytes */
	uint64_t (*stack)(const uint8_t *src, uint64_t iters, ct_span_t *s);
	uint64_t (*heap)(const uint8_t *src, uint64_t iters, ct_span_t *s);
	uint64_t (*zeroed)(const uint8_t *src, uint64_t iters, ct_span_t *s);
	smaug_pass_fn pass; /* one operation of each mode, for the tests */
	smaug_put_fn put, put_zeroed;
} smaug_type_t;

#define SMAUG_ENTRY(N)                                                                           \
	{N, smaug_stack_##N, smaug_heap_##N, smaug_zeroed_##N, smaug_pass_##N, smaug_put_##N,      \
	 smaug_put_zeroed_##N},
static const smaug_type_t smaug_types[] = {SMAUG_TYPED_SIZES(SMAUG_ENTRY)};
#define SMAUG_NTYPES (sizeof smaug_types / sizeof smaug_types[0])

/* Distinct powers of two (the typedefs would clash otherwise) whose count and
 * sum are those of every power from SMAUG_MIN to SMAUG_MAX: no gap, no extra.
 * The sum is the size of a type holding one char array of each size. */
#define SMAUG_MEMBER(N) char s##N[N];
struct smaug_sum {
	SMAUG_TYPED_SIZES(SMAUG_MEMBER)
};
_Static_assert(sizeof(struct smaug_sum) == 2 * SMAUG_MAX - SMAUG_MIN, "a size is missing");
_Static_assert((SMAUG_MIN << (SMAUG_NTYPES - 1)) == SMAUG_MAX, "sizes are not 16 B to 64 MiB");

static const smaug_type_t *smaug_type(uint64_t size)
{
	for (size_t i = 0; i < SMAUG_NTYPES; i++)
		if (smaug_types[i].size == size)
			return &smaug_types[i];
	return NULL;
}

/* For the tests: the typed sizes in order (0 past the end), and one
 * operation of a typed size (the memcpy path where size has no type). */
uint64_t ct_smaug_type_size(size_t i)
{
	return i < SMAUG_NTYPES ? smaug_types[i].size : 0;
}

uint8_t ct_smaug_typed_by_value(const uint8_t *src, size_t n, size_t probe)
{
	const smaug_type_t *t = smaug_type(n);
	return t ? t->pass(src, n, probe) : ct_smaug_by_value(src, n, probe);
}

uint8_t *ct_smaug_typed_to_heap(const uint8_t *src, size_t n)
{
	const smaug_type_t *t = smaug_type(n);
	return t ? t->put(src, n) : ct_smaug_to_heap(src, n);
}

uint8_t *ct_smaug_typed_to_zeroed(const uint8_t *src, size_t n)
{
	const smaug_type_t *t = smaug_type(n);
	return t ? t->put_zeroed(src, n) : ct_smaug_to_zeroed(src, n);
}

/* ---------------------------------------------------------------- run */

static void fill(uint8_t *src, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		src[i] = (uint8_t)(i * 131 + seed);
}

static uint64_t copy_loop(const ct_kargs_t *a, const uint8_t *src, uint64_t iters, ct_span_t *s)
{
	size_t n = (size_t)a->size;
	const smaug_type_t *t = a->param[P_COPY] == COPY_COMPILER ? smaug_type(n) : NULL;
	if (a->mode == SMAUG_STACK)
		return t ? t->stack(src, iters, s) : stack_loop(src, n, iters, s, ct_smaug_by_value);
	if (a->mode == SMAUG_ZEROED)
		return t ? t->zeroed(src, iters, s) : heap_loop(src, n, iters, s, ct_smaug_to_zeroed);
	return t ? t->heap(src, iters, s) : heap_loop(src, n, iters, s, ct_smaug_to_heap);
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
	if (a->mode == SMAUG_HEAP || a->mode == SMAUG_ZEROED) /* untimed: before the span */
		ct_prime_worker(a, a->param[P_PRIME]);
	if (a->mode == SMAUG_CONTROL)
		ct_control_loop(iters, s);
	else
		s->sink += copy_loop(a, src, iters, s);
}

/* The caller's value and the by-value copy (the callee's VLA, or the
 * argument area of a typed pass); test_kernels proves it at the largest size.
 * AddressSanitizer moves a parameter whose address is taken into a slot of
 * its own, between redzones: a third copy in sanitized builds. */
static uint64_t smaug_stack_bytes(uint64_t size)
{
#ifdef CT_SANITIZED
	return 3 * size;
#else
	return 2 * size;
#endif
}

static uint64_t smaug_bytes_moved(uint64_t size)
{
	return size;
}

/* One SIZE-byte block, freed before the next, whichever copy: a typed
 * block is malloc(sizeof (T)) or calloc(1, sizeof (T)), sizeof (T) == SIZE. */
static uint64_t smaug_heap_bytes(uint64_t size, const uint64_t *param)
{
	(void)param;
	return size;
}

const ct_workload_t ct_wl_smaug = {
	.name = "smaug",
	.bench = "Smaug",
	.doc = "struct of SIZE bytes: passed by value to a callee (stack) or malloc'd (heap) or "
	       "calloc'd (zeroed), assigned, read and freed; --param copy says how the bytes "
	       "are copied",
	.probes = "size classes up to each allocator's large-object path (mmap, page heap, "
		  "arena locks)",
	.modes = smaug_modes,
	.default_modes = "stack,heap,zeroed",
	.default_sizes = "1KiB-1MiB",
	.min_size = SMAUG_MIN,
	.max_size = SMAUG_MAX,
	.params = smaug_params,
	.setup = ct_prime_setup,
	.teardown = ct_prime_teardown,
	.stack_bytes = smaug_stack_bytes,
	.bytes_moved = smaug_bytes_moved,
	.run = smaug_run,
	.heap_bytes = smaug_heap_bytes,
};
