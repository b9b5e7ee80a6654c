/* fuzz_list.c — libFuzzer target for ct_parse_size_list and
 * ct_parse_count_list (-s and -t lists: "a,b,lo-hi").
 *
 * Each input is parsed by both parsers under three sets of bounds: the ones
 * the CLI uses (cli.c), the whole 64-bit range with room for only 8 values
 * (the "more than max" path), and a narrow window. The output array is
 * malloc'd with exactly max elements, so ASan catches a write past it.
 *
 * Properties, on success: 1..max values, each within [lo, hi], no two
 * equal; the values printed back as a plain list (sizes with
 * ct_format_size) reparse to the same values in the same order. On failure:
 * a reason (fuzz_check_err). */
#include "fuzz.h"

#include <inttypes.h>

typedef int (*list_parser_t)(const char *s, uint64_t lo, uint64_t hi, uint64_t *out, size_t max,
			     size_t *n, ct_err_t *err);

typedef struct {
	uint64_t lo, hi;
	size_t max;
} bounds_t;

static const bounds_t bounds[] = {
	{1, 1024, 64},          /* -t: 1..CT_MAX_THREADS, CT_MAX_LIST values */
	{0, UINT64_MAX, 8},     /* everything, few slots */
	{4, 4096, 64},          /* a window */
};

/* The values as "v1,v2,..." in the parser's own spelling. */
static void print_list(const uint64_t *v, size_t n, int sizes, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n && used < len; i++) {
		char item[32];
		if (sizes)
			ct_format_size(v[i], item, sizeof item);
		else
			snprintf(item, sizeof item, "%" PRIu64, v[i]);
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? "," : "", item);
	}
}

static void check_values(const char *s, const uint64_t *v, size_t n, const bounds_t *b)
{
	FUZZ_CHECK(n >= 1 && n <= b->max, s, "%zu values, max %zu", n, b->max);
	for (size_t i = 0; i < n; i++) {
		FUZZ_CHECK(v[i] >= b->lo && v[i] <= b->hi, s,
			   "value %" PRIu64 " outside %" PRIu64 "..%" PRIu64, v[i], b->lo, b->hi);
		for (size_t j = 0; j < i; j++)
			FUZZ_CHECK(v[i] != v[j], s, "%" PRIu64 " twice (items %zu, %zu)", v[i], j,
				   i);
	}
}

static void check(const char *s, list_parser_t parse, int sizes, const bounds_t *b)
{
	uint64_t *v = malloc(b->max * sizeof *v), *w = malloc(b->max * sizeof *w);
	size_t n = 0, m = 0;
	ct_err_t err;
	char text[64 * 24];
	if (!v || !w)
		abort();
	fuzz_err_init(&err);
	if (parse(s, b->lo, b->hi, v, b->max, &n, &err) != 0) {
		fuzz_check_err(&err, s);
		goto out;
	}
	check_values(s, v, n, b);
	print_list(v, n, sizes, text, sizeof text);
	fuzz_err_init(&err);
	FUZZ_CHECK(parse(text, b->lo, b->hi, w, b->max, &m, &err) == 0, s, "'%s' refused: %s",
		   text, err.msg);
	FUZZ_CHECK(m == n && memcmp(v, w, n * sizeof *v) == 0, s,
		   "'%s' reparses to %zu values, not the same %zu", text, m, n);
out:
	free(v);
	free(w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	for (size_t i = 0; i < sizeof bounds / sizeof bounds[0]; i++) {
		check(s, ct_parse_size_list, 1, &bounds[i]);
		check(s, ct_parse_count_list, 0, &bounds[i]);
	}
	free(s);
	return 0;
}
