/* units.h — parsing and printing of the quantities on contend's command line:
 * sizes (16, 64B, 1KiB, 1MiB), durations (50ms, 1s, 1m30s as Go writes them:
 * ns, us, ms, s, m, h, pieces adding up) or fixed iteration counts
 * (1000x), counts, and comma lists of them with ranges.
 *
 * Every parser takes the whole string (no trailing junk), checks overflow, and
 * on failure returns -1 with a short reason in err (never exits): the caller
 * names the option. Sizes are binary whatever the spelling: K, KB and KiB all
 * mean 1024, as the seed study's "1KB" does. */
#ifndef CT_UNITS_H
#define CT_UNITS_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct {
	uint64_t ns;    /* target time per repetition, or 0 when iters is set */
	uint64_t iters; /* fixed iterations per thread ("1000x"), or 0 */
} ct_benchtime_t;

typedef struct {
	char msg[160];
} ct_err_t;

int ct_parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out, ct_err_t *err);
int ct_parse_size(const char *s, uint64_t *out, ct_err_t *err);
int ct_parse_benchtime(const char *s, ct_benchtime_t *out, ct_err_t *err);
int ct_parse_duration(const char *s, uint64_t *ns, ct_err_t *err);

/* "a,b,c" where an item may be "lo-hi". Sizes: a range is the powers-of-two
 * span lo, 2lo, 4lo … ≤ hi. Counts: a range is every integer lo..hi.
 * Values outside [lo, hi] are errors; at most max values; duplicates are
 * dropped, order kept. */
/* Splits the comma-separated list s into items pointing into buf (a copy
 * of s). Refused, never cut or skipped: an empty list, an empty item
 * (",a", "a,,b", "a,"), a list that does not fit buf, more than max items,
 * a control character, an item given twice (by_key: two items with the
 * same name before '='). */
int ct_split_list(const char *s, char *buf, size_t buflen, char **items, size_t max, size_t *n,
		  bool by_key, ct_err_t *err);
int ct_parse_size_list(const char *s, uint64_t lo, uint64_t hi, uint64_t *out, size_t max,
		       size_t *n, ct_err_t *err);
int ct_parse_count_list(const char *s, uint64_t lo, uint64_t hi, uint64_t *out, size_t max,
			size_t *n, ct_err_t *err);

/* Shortest exact spelling: 16B, 1536B, 1KiB, 1MiB. Returns buf. */
char *ct_format_size(uint64_t bytes, char *buf, size_t len);
/* 50ms, 1.5s, 200us, 1000x. Returns buf. */
char *ct_format_benchtime(const ct_benchtime_t *bt, char *buf, size_t len);

#endif
