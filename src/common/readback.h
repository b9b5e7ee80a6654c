/* readback.h — reading back the files contend writes, for both halves:
 * analyze/ reports on them, measure/ resumes an interrupted study from
 * them. A results.csv line is split into its fields (RFC 4180 quoting);
 * machine.json is flattened to path = value pairs, in file order:
 * {"cpu": {"model": "X"}, "a": [{"n": 1}]} gives cpu.model = X, a[0].n = 1. */
#ifndef CT_READBACK_H
#define CT_READBACK_H

#include <stdbool.h>
#include <stddef.h>

/* Splits line (modified in place) at commas; double-quoted fields may hold
 * commas and "" for a quote. Returns the field count (at most max kept). */
size_t ct_csv_split(char *line, char **f, size_t max);

typedef struct {
	char *key, *val;
} ct_kv_t;

typedef struct {
	ct_kv_t *kv;
	size_t n, cap;
} ct_kvs_t;

/* Appends the scalars of the JSON text to out. Returns false on malformed
 * text (what was read before the fault is kept). */
bool ct_json_flatten(const char *text, ct_kvs_t *out);
/* The value at path key ("plan.count", "allocators[0].name"); NULL if absent. */
const char *ct_kvs_get(const ct_kvs_t *k, const char *key);
void ct_kvs_free(ct_kvs_t *k);

#endif
