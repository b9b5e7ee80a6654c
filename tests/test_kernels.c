/* test_kernels.c — the compiler kept the work being measured.
 *
 * 1. Smaug's real struct types are exactly the powers of two from 16 B to
 *    the largest size smaug takes.
 * 2. Every byte of a Smaug copy arrives, for both copies (compiler: the
 *    real types; memcpy: run-time size): the byte read back in the callee's
 *    frame, or in the malloc'd or calloc'd block (zeroed mode), at any
 *    offset is the source byte there — every offset up to 4 KiB, a prime
 *    stride and both ends above.
 * 3. The time of a copy grows with its size: a 256 KiB copy must take at
 *    least 16x a 1 KiB copy (ideal 256x; a deleted or shortened copy gives
 *    about 1x), in all three modes and both copies. The margin is wide so a
 *    busy machine cannot make it flake; it is a proof of work, not a speed
 *    target. zeroed mode must not cost less than heap mode at 256 KiB beyond
 *    the noise (a calloc turned into malloc, or a copy dropped because the
 *    block was known zero, would show there; not in sanitized builds).
 * 4. A by-value pass of the largest type runs on a worker whose stack is
 *    sized by smaug's stack_bytes (a stack too small would crash the test).
 * 5. Bilbo's stack and heap operations cost more than the control loop
 *    (not in sanitized builds: instrumentation skews that comparison).
 * (Allocation calls are counted exactly in test_runner's and test_workloads'
 * census runs: stack mode makes none with either copy.) */
#include "runner.h"
#include "test.h"

uint8_t ct_smaug_by_value(const uint8_t *src, size_t n, size_t probe);
uint8_t *ct_smaug_to_heap(const uint8_t *src, size_t n);
uint64_t ct_smaug_type_size(size_t i);
uint8_t ct_smaug_typed_by_value(const uint8_t *src, size_t n, size_t probe);
uint8_t *ct_smaug_typed_to_heap(const uint8_t *src, size_t n);
uint8_t *ct_smaug_to_zeroed(const uint8_t *src, size_t n);
uint8_t *ct_smaug_typed_to_zeroed(const uint8_t *src, size_t n);

#define SRC_BYTES (1u << 20) /* the largest size checked on the main thread's stack */

static void types_cover_the_sizes(void)
{
	size_t i = 0;
	for (; ct_smaug_type_size(i); i++)
		EXPECT_EQ_U(ct_smaug_type_size(i), 16ull << i);
	EXPECT(i > 0);
	EXPECT_EQ_U(ct_smaug_type_size(i - 1), ct_wl_smaug.max_size);
	EXPECT_EQ_U(16, ct_wl_smaug.min_size);
}

/* Both copies of n bytes, in each mode, read back at offset k: the source
 * byte there. */
static void check_offset(const uint8_t *src, size_t n, size_t k)
{
	static const char *const mode[] = {"stack", "heap", "zeroed"};
	t_checks += 6;
	uint8_t v[6];
	v[0] = ct_smaug_typed_by_value(src, n, k);
	v[1] = ct_smaug_by_value(src, n, k);
	uint8_t *b[4] = {ct_smaug_typed_to_heap(src, n), ct_smaug_to_heap(src, n),
			 ct_smaug_typed_to_zeroed(src, n), ct_smaug_to_zeroed(src, n)};
	for (int i = 0; i < 4; i++) {
		v[2 + i] = b[i][k];
		free(b[i]);
	}
	for (int c = 0; c < 6; c++)
		if (v[c] != src[k]) {
			T_FAIL_AT("size %zu offset %zu, %s %s: byte %u != %u", n, k,
				  c & 1 ? "memcpy" : "compiler", mode[c / 2], v[c], src[k]);
			return;
		}
}

static void bytes_arrive(void)
{
	static uint8_t src[SRC_BYTES];
	for (size_t i = 0; i < sizeof src; i++)
		src[i] = (uint8_t)(i * 7 + (i >> 9));
	size_t sizes[64], nz = 0;
	for (size_t i = 0; ct_smaug_type_size(i) && ct_smaug_type_size(i) <= SRC_BYTES; i++)
		sizes[nz++] = ct_smaug_type_size(i);
	sizes[nz++] = 24;   /* sizes without a type: the memcpy path either way */
	sizes[nz++] = 1000;
	sizes[nz++] = 5000;
	for (size_t z = 0; z < nz; z++) {
		size_t n = sizes[z], stride = n <= 4096 ? 1 : 4099;
		for (size_t k = 0; k < n; k += stride)
			check_offset(src, n, k);
		check_offset(src, n, n - 1);
	}
}

/* smaug's copy parameter by name; other workloads have none. */
static void set_copy(ct_point_t *p, const char *copy)
{
	int k = ct_workload_param(p->wl, "copy");
	ct_err_t err;
	if (k >= 0 && ct_param_parse(&p->wl->params[k], copy, &p->param[k], &err))
		abort();
}

static double median_ns(const ct_topo_t *topo, const ct_workload_t *wl, const char *mode,
			uint64_t size, const char *copy)
{
	double v[3];
	for (int i = 0; i < 3; i++) {
		ct_point_t p = {.wl = wl, .mode = ct_workload_mode(wl, mode), .size = size,
				.threads = 1, .place = CT_PLACE_COMPACT, .bt = {.ns = 20000000}};
		set_copy(&p, copy);
		ct_result_t r;
		if (ct_run_point(topo, &p, &r))
			return -1;
		v[i] = r.ns_per_op;
	}
	double a = v[0], b = v[1], c = v[2];
	return a > b ? (b > c ? b : (a > c ? c : a)) : (a > c ? a : (b > c ? c : b));
}

static void time_grows_with_size(const ct_topo_t *topo)
{
	const char *modes[] = {"stack", "heap", "zeroed"}, *copies[] = {"compiler", "memcpy"};
	double big[3][2];
	for (int m = 0; m < 3; m++)
		for (int c = 0; c < 2; c++) {
			double small = median_ns(topo, &ct_wl_smaug, modes[m], 1024, copies[c]);
			big[m][c] = median_ns(topo, &ct_wl_smaug, modes[m], 256 << 10, copies[c]);
			EXPECT(small > 0 && big[m][c] > 0);
			EXPECT_GE_D(big[m][c] / small, 16);
			printf("smaug %s copy=%s: 1KiB %.1f ns, 256KiB %.1f ns (%.0fx)\n", modes[m],
			       copies[c], small, big[m][c], big[m][c] / small);
		}
#ifndef CT_SANITIZED
	/* calloc + copy is malloc + copy plus whatever zeroing costs: never
	 * much less (0.7: the noise of a shared machine, not a speed target).
	 * Instrumented builds change the relative cost of a call and a loop
	 * (and TSan's interceptors that of calloc and malloc); there the exact
	 * sinks of test_runner carry the proof alone. */
	for (int c = 0; c < 2; c++)
		EXPECT_GE_D(big[2][c], 0.7 * big[1][c]);
	double control = median_ns(topo, &ct_wl_bilbo, "control", 16, "");
	double stack = median_ns(topo, &ct_wl_bilbo, "stack", 16, "");
	double heap = median_ns(topo, &ct_wl_bilbo, "heap", 16, "");
	printf("bilbo: control %.2f ns, stack %.2f ns, heap %.2f ns\n", control, stack, heap);
	EXPECT(control > 0);
	EXPECT_GE_D(stack, 1.5 * control);
	EXPECT_GE_D(heap, 1.5 * stack);
#endif
}

/* Two by-value passes of the largest type, on a worker whose stack the
 * runner sized from smaug's stack_bytes: the caller's value and the copy. */
static void largest_type_fits(const ct_topo_t *topo)
{
	ct_point_t p = {.wl = &ct_wl_smaug, .mode = ct_workload_mode(&ct_wl_smaug, "stack"),
			.size = ct_wl_smaug.max_size, .threads = 1, .place = CT_PLACE_COMPACT,
			.bt = {.iters = 2}};
	set_copy(&p, "compiler");
	ct_result_t r;
	EXPECT_EQ_U(ct_run_point(topo, &p, &r), 0);
	EXPECT_EQ_U(r.iters, 2);
	/* thread 0's value holds (i * 131) mod 256 at offset i: the warm-up
	 * reads offset 0, the measured round offsets 0 and 13 */
	EXPECT_EQ_U(r.sink, (uint8_t)(13 * 131));
}

int main(void)
{
	char err[256];
	ct_topo_t *topo = ct_topo_open(err, sizeof err);
	if (!topo)
		return 1;
	types_cover_the_sizes();
	bytes_arrive();
	largest_type_fits(topo);
	time_grows_with_size(topo);
	ct_topo_close(topo);
	return t_finish("test_kernels");
}
