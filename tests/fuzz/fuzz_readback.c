/* fuzz_readback.c — libFuzzer target for the readers of what contend wrote
 * (readback.h): ct_csv_split on a results.csv line, ct_json_flatten on a
 * machine.json. Both read files a user can edit or plant: report reads them,
 * run --resume continues a study from them.
 *
 * Properties:
 * - split: at most max fields, each a terminated string inside the line; a
 *   line without quotes gives one field per comma plus one, and joining them
 *   with ',' gives the line back;
 * - flatten: every pair has a key and a value, and looking a key up finds a
 *   value (the first pair with that key). */
#include "fuzz.h"
#include "readback.h"

static void check_split(const char *in)
{
	char *line = strdup(in), *f[8];
	if (!line)
		abort();
	size_t len = strlen(in), n = ct_csv_split(line, f, 8), commas = 0;
	FUZZ_CHECK(n >= 1 && n <= 8, in, "%zu fields", n);
	for (size_t i = 0; i < n; i++)
		FUZZ_CHECK(f[i] >= line && f[i] + strlen(f[i]) <= line + len, in,
			   "field %zu outside the line", i);
	for (const char *c = in; *c; c++)
		commas += *c == ',';
	if (!strchr(in, '"') && commas < 8) {
		char back[4096] = "";
		size_t used = 0;
		FUZZ_CHECK(n == commas + 1, in, "%zu fields for %zu commas", n, commas);
		for (size_t i = 0; i < n && used < sizeof back; i++)
			used += (size_t)snprintf(back + used, sizeof back - used, "%s%s", i ? "," : "",
						 f[i]);
		FUZZ_CHECK(len >= sizeof back || strcmp(back, in) == 0, in, "joined back: '%s'", back);
	}
	free(line);
}

static void check_flatten(const char *in)
{
	ct_kvs_t kv = {0};
	ct_json_flatten(in, &kv);
	for (size_t i = 0; i < kv.n; i++) {
		FUZZ_CHECK(kv.kv[i].key && kv.kv[i].val, in, "pair %zu lacks a key or a value", i);
		FUZZ_CHECK(ct_kvs_get(&kv, kv.kv[i].key) != NULL, in, "key '%s' not found",
			   kv.kv[i].key);
	}
	ct_kvs_free(&kv);
	FUZZ_CHECK(kv.n == 0 && kv.kv == NULL, in, "not emptied");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	check_split(s);
	check_flatten(s);
	free(s);
	return 0;
}
