/* test_kernels.c — the compiler kept the work being measured.
 *
 * 1. Every byte of a Smaug stack copy arrives in the callee's frame: the
 *    byte read back at any offset is the source byte there.
 * 2. The time of a copy grows with its size: a 256 KiB copy must take at
 *    least 16x a 1 KiB copy (ideal 256x; a deleted or shortened copy gives
 *    about 1x), in both modes. The margin is wide so a busy machine cannot
 *    make it flake; it is a proof of work, not a speed target.
 * 3. Bilbo's stack and heap operations cost more than the control loop
 *    (not in sanitized builds: instrumentation skews that comparison).
 * (Allocation calls are counted exactly in test_runner's census run.) */
#include "runner.h"
#include "test.h"

uint8_t ct_smaug_by_value(const uint8_t *src, size_t n, size_t probe);
uint8_t *ct_smaug_to_heap(const uint8_t *src, size_t n);

static void bytes_arrive(void)
{
	static uint8_t src[1 << 20];
	for (size_t i = 0; i < sizeof src; i++)
		src[i] = (uint8_t)(i * 7 + (i >> 9));
	for (size_t n = 16; n <= sizeof src; n *= 4) {
		size_t probes[] = {0, n / 3, n / 2 + 1, n - 1};
		for (size_t k = 0; k < 4; k++) {
			EXPECT_EQ_U(ct_smaug_by_value(src, n, probes[k]), src[probes[k]]);
			uint8_t *p = ct_smaug_to_heap(src, n);
			EXPECT_EQ_U(p[probes[k]], src[probes[k]]);
			free(p);
		}
	}
}

static double median_ns(const ct_topo_t *topo, const ct_workload_t *wl, const char *mode,
			uint64_t size)
{
	double v[3];
	for (int i = 0; i < 3; i++) {
		ct_point_t p = {.wl = wl, .mode = ct_workload_mode(wl, mode), .size = size,
				.threads = 1, .place = CT_PLACE_COMPACT, .bt = {.ns = 20000000}};
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
	const char *modes[] = {"stack", "heap"};
	for (int m = 0; m < 2; m++) {
		double small = median_ns(topo, &ct_wl_smaug, modes[m], 1024);
		double big = median_ns(topo, &ct_wl_smaug, modes[m], 256 << 10);
		EXPECT(small > 0 && big > 0);
		EXPECT_GE_D(big / small, 16);
		printf("smaug %s: 1KiB %.1f ns, 256KiB %.1f ns (%.0fx)\n", modes[m], small, big,
		       big / small);
	}
#ifndef CT_SANITIZED
	/* Instrumented builds change the relative cost of a call and a loop;
	 * there the exact sinks of test_runner carry the proof alone. */
	double control = median_ns(topo, &ct_wl_bilbo, "control", 16);
	double stack = median_ns(topo, &ct_wl_bilbo, "stack", 16);
	double heap = median_ns(topo, &ct_wl_bilbo, "heap", 16);
	printf("bilbo: control %.2f ns, stack %.2f ns, heap %.2f ns\n", control, stack, heap);
	EXPECT(control > 0);
	EXPECT_GE_D(stack, 1.5 * control);
	EXPECT_GE_D(heap, 1.5 * stack);
#endif
}

int main(void)
{
	char err[256];
	ct_topo_t *topo = ct_topo_open(err, sizeof err);
	if (!topo)
		return 1;
	bytes_arrive();
	time_grows_with_size(topo);
	ct_topo_close(topo);
	return t_finish("test_kernels");
}
