/* test.h — contend's small test harness: typed checks that print both values
 * and file:line, and exit codes mapped to CTest (0 pass, 1 fail,
 * CT_TEST_SKIP skip — SKIP_RETURN_CODE in tests/CMakeLists.txt). */
#ifndef CT_TEST_H
#define CT_TEST_H

#include "topo.h"
#include "workload.h"

#include <dlfcn.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CT_TEST_SKIP 77

static int t_checks, t_failures;

#define T_FAIL_AT(...)                                                                           \
	do {                                                                                     \
		t_failures++;                                                                    \
		fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);                                  \
		fprintf(stderr, __VA_ARGS__);                                                    \
		fputc('\n', stderr);                                                             \
	} while (0)

#define EXPECT(cond)                                                                             \
	do {                                                                                     \
		t_checks++;                                                                      \
		if (!(cond))                                                                     \
			T_FAIL_AT("expected %s", #cond);                                         \
	} while (0)

#define EXPECT_EQ_U(a, b)                                                                        \
	do {                                                                                     \
		unsigned long long _a = (unsigned long long)(a), _b = (unsigned long long)(b);   \
		t_checks++;                                                                      \
		if (_a != _b)                                                                    \
			T_FAIL_AT("%s == %s: %llu != %llu", #a, #b, _a, _b);                     \
	} while (0)

#define EXPECT_EQ_D(a, b)                                                                        \
	do {                                                                                     \
		double _a = (double)(a), _b = (double)(b);                                       \
		t_checks++;                                                                      \
		if (!(_a == _b))                                                                 \
			T_FAIL_AT("%s == %s: %.17g != %.17g", #a, #b, _a, _b);                   \
	} while (0)

#define EXPECT_GE_D(a, b)                                                                        \
	do {                                                                                     \
		double _a = (double)(a), _b = (double)(b);                                       \
		t_checks++;                                                                      \
		if (!(_a >= _b))                                                                 \
			T_FAIL_AT("%s >= %s: %.6g < %.6g", #a, #b, _a, _b);                      \
	} while (0)

#define EXPECT_STR(a, b)                                                                         \
	do {                                                                                     \
		const char *_a = (a), *_b = (b);                                                 \
		t_checks++;                                                                      \
		if (strcmp(_a, _b) != 0)                                                         \
			T_FAIL_AT("%s == %s: \"%s\" != \"%s\"", #a, #b, _a, _b);                 \
	} while (0)

/* The machine's topology, or exit 1 with hwloc's reason. */
static inline ct_topo_t *t_topo(void)
{
	char err[256];
	ct_topo_t *topo = ct_topo_open(err, sizeof err);
	if (!topo) {
		fprintf(stderr, "%s\n", err);
		exit(1);
	}
	return topo;
}

/* The census interposer's counter; exits with CT_TEST_SKIP when
 * libctcensus.so is not preloaded (the census tests run under LD_PRELOAD). */
static inline ct_census_fn t_census(void)
{
	ct_census_fn fn = (ct_census_fn)dlsym(RTLD_DEFAULT, "ct_census_counts");
	if (!fn) {
		fprintf(stderr, "libctcensus.so is not preloaded\n");
		exit(CT_TEST_SKIP);
	}
	return fn;
}

/* Print the closing line CTest logs show and return the exit status. */
static inline int t_finish(const char *name)
{
	printf("%s: %d checks, %d passed, %d failed\n", name, t_checks, t_checks - t_failures,
	       t_failures);
	return t_failures ? 1 : 0;
}

#endif
