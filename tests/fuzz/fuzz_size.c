/* fuzz_size.c — libFuzzer target for ct_parse_size and ct_parse_u64 (the
 * parsers behind -s items, -n, --max-count, --param values).
 *
 * Properties, beyond "no crash, no out-of-bounds, no undefined behaviour":
 * - a size that parses prints back with ct_format_size and reparses to the
 *   same number of bytes, and the printed form is a fixed point;
 * - a whole number that ct_parse_u64 accepts is accepted as a size of that
 *   many bytes, and is refused by a range that excludes it;
 * - every refusal leaves a reason (fuzz_check_err). */
#include "fuzz.h"

#include <inttypes.h>

static void check_size(const char *s)
{
	uint64_t v = 0, w = 0;
	ct_err_t err;
	char buf[32], again[32];
	fuzz_err_init(&err);
	if (ct_parse_size(s, &v, &err) != 0) {
		fuzz_check_err(&err, s);
		return;
	}
	ct_format_size(v, buf, sizeof buf);
	fuzz_err_init(&err);
	FUZZ_CHECK(ct_parse_size(buf, &w, &err) == 0, s, "'%s' (from %" PRIu64 ") refused: %s",
		   buf, v, err.msg);
	FUZZ_CHECK(w == v, s, "'%s' reparses to %" PRIu64 ", not %" PRIu64, buf, w, v);
	ct_format_size(w, again, sizeof again);
	FUZZ_CHECK(strcmp(buf, again) == 0, s, "'%s' prints back as '%s'", buf, again);
}

static void check_u64(const char *s)
{
	uint64_t v = 0, w = 0;
	ct_err_t err;
	fuzz_err_init(&err);
	if (ct_parse_u64(s, 0, UINT64_MAX, &v, &err) != 0) {
		fuzz_check_err(&err, s);
		return;
	}
	fuzz_err_init(&err);
	FUZZ_CHECK(ct_parse_size(s, &w, &err) == 0 && w == v, s,
		   "u64 %" PRIu64 " but size %" PRIu64 " (%s)", v, w, err.msg);
	FUZZ_CHECK(ct_parse_u64(s, v, v, &w, &err) == 0 && w == v, s, "refused by [%" PRIu64
		   ", %" PRIu64 "]", v, v);
	if (v < UINT64_MAX) {
		fuzz_err_init(&err);
		FUZZ_CHECK(ct_parse_u64(s, v + 1, UINT64_MAX, &w, &err) != 0, s,
			   "%" PRIu64 " accepted below its range", v);
		fuzz_check_err(&err, s);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	check_size(s);
	check_u64(s);
	free(s);
	return 0;
}
