/* fuzz_duration.c — libFuzzer target for ct_parse_duration and
 * ct_parse_benchtime (--benchtime, --timeout).
 *
 * Properties:
 * - a duration is at least 1 ns and at most 1e18 ns (units.c's bounds);
 * - the same text is a benchtime of that duration, not an iteration count;
 * - a benchtime is exactly one of a duration or 1..1e12 iterations, and
 *   prints back with ct_format_benchtime to a text that reparses to it;
 * - every refusal leaves a reason. */
#include "fuzz.h"

#include <inttypes.h>

static void check_duration(const char *s)
{
	uint64_t ns = 0;
	ct_benchtime_t bt = {0, 0};
	ct_err_t err;
	fuzz_err_init(&err);
	if (ct_parse_duration(s, &ns, &err) != 0) {
		fuzz_check_err(&err, s);
		return;
	}
	FUZZ_CHECK(ns >= 1 && ns <= 1000000000000000000ull, s, "%" PRIu64 " ns", ns);
	FUZZ_CHECK(ct_parse_benchtime(s, &bt, &err) == 0 && bt.ns == ns && bt.iters == 0, s,
		   "benchtime ns=%" PRIu64 " iters=%" PRIu64 ", duration %" PRIu64, bt.ns,
		   bt.iters, ns);
}

static void check_benchtime(const char *s)
{
	ct_benchtime_t bt = {7, 7}, back = {0, 0};
	ct_err_t err;
	char buf[48];
	fuzz_err_init(&err);
	if (ct_parse_benchtime(s, &bt, &err) != 0) {
		fuzz_check_err(&err, s);
		return;
	}
	FUZZ_CHECK((bt.ns == 0) != (bt.iters == 0), s, "ns=%" PRIu64 " iters=%" PRIu64, bt.ns,
		   bt.iters);
	FUZZ_CHECK(bt.iters <= 1000000000000ull, s, "%" PRIu64 " iterations", bt.iters);
	ct_format_benchtime(&bt, buf, sizeof buf);
	fuzz_err_init(&err);
	FUZZ_CHECK(ct_parse_benchtime(buf, &back, &err) == 0, s, "'%s' refused: %s", buf,
		   err.msg);
	FUZZ_CHECK(back.ns == bt.ns && back.iters == bt.iters, s,
		   "'%s' reparses to ns=%" PRIu64 " iters=%" PRIu64 ", not ns=%" PRIu64
		   " iters=%" PRIu64, buf, back.ns, back.iters, bt.ns, bt.iters);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	check_duration(s);
	check_benchtime(s);
	free(s);
	return 0;
}
