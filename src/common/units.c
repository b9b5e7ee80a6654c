/* units.c — the one place where unit suffixes are parsed (see units.h).
 * Suffixes live in tables; adding one is one row. */
#include "units.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct {
	const char *suffix;
	uint64_t mult;
} unit_row_t;

static const unit_row_t size_units[] = {
	{"", 1},
	{"b", 1},
	{"k", 1ull << 10}, {"kb", 1ull << 10}, {"kib", 1ull << 10},
	{"m", 1ull << 20}, {"mb", 1ull << 20}, {"mib", 1ull << 20},
	{"g", 1ull << 30}, {"gb", 1ull << 30}, {"gib", 1ull << 30},
};

static const unit_row_t time_units[] = {
	{"ns", 1}, {"us", 1000}, {"µs", 1000}, {"ms", 1000000}, {"s", 1000000000ull},
	{"m", 60000000000ull}, {"h", 3600000000000ull},
};

static int fail(ct_err_t *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(ct_err_t *err, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Leading decimal number of s: digits, then optionally '.' and digits (no
 * sign, no exponent); *end past it. */
static int parse_number(const char *s, double *val, uint64_t *ival, const char **end)
{
	const char *p = s;
	if (!isdigit((unsigned char)*p))
		return -1;
	errno = 0;
	char *e;
	unsigned long long iv = strtoull(p, &e, 10);
	if (errno == ERANGE)
		return -1;
	*ival = iv;
	*val = (double)iv;
	if (*e == '.') {
		const char *f = e + 1;
		if (!isdigit((unsigned char)*f))
			return -1;
		while (isdigit((unsigned char)*f))
			f++;
		char num[64];
		if ((size_t)(f - p) >= sizeof num)
			return -1;
		memcpy(num, p, (size_t)(f - p));
		num[f - p] = '\0';
		*val = strtod(num, NULL);
		e = (char *)f;
	}
	*end = e;
	return 0;
}

static const unit_row_t *find_unit(const unit_row_t *t, size_t n, const char *suffix)
{
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(t[i].suffix, suffix) == 0)
			return &t[i];
	return NULL;
}

int ct_parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out, ct_err_t *err)
{
	if (!s || !*s)
		return fail(err, "empty value");
	if (*s == '-')
		return fail(err, "negative value");
	if (!isdigit((unsigned char)*s))
		return fail(err, "not a whole number");
	errno = 0;
	char *e;
	unsigned long long v = strtoull(s, &e, 10);
	if (errno == ERANGE)
		return fail(err, "too large");
	if (*e)
		return fail(err, "not a whole number");
	if (v < lo || v > hi)
		return fail(err, "out of range %" PRIu64 "..%" PRIu64, lo, hi);
	*out = v;
	return 0;
}

int ct_parse_size(const char *s, uint64_t *out, ct_err_t *err)
{
	double v;
	uint64_t iv;
	const char *end;
	if (!s || !*s)
		return fail(err, "empty size");
	if (*s == '-')
		return fail(err, "negative size");
	if (parse_number(s, &v, &iv, &end))
		return fail(err, "not a size (want e.g. 64B, 1KiB, 1MiB)");
	const unit_row_t *u = find_unit(size_units, sizeof size_units / sizeof size_units[0], end);
	if (!u)
		return fail(err, "unknown size unit '%s' (use B, KiB, MiB, GiB)", end);
	if (v == (double)iv && !strchr(s, '.')) {
		if (iv > UINT64_MAX / u->mult)
			return fail(err, "size too large");
		*out = iv * u->mult;
		return 0;
	}
	double bytes = v * (double)u->mult;
	if (bytes >= 9.2e18)
		return fail(err, "size too large");
	if (bytes != (double)(uint64_t)bytes)
		return fail(err, "not a whole number of bytes");
	*out = (uint64_t)bytes;
	return 0;
}

/* One "<number><unit>" piece of a duration: its nanoseconds, *end past it. */
static int duration_piece(const char *s, double *ns, const char **end, ct_err_t *err)
{
	double v;
	uint64_t iv;
	const char *e;
	if (parse_number(s, &v, &iv, &e))
		return fail(err, "not a duration (want e.g. 50ms, 1s, 1m30s)");
	size_t ulen = strcspn(e, "0123456789.");
	if (!ulen)
		return fail(err, "duration needs a unit (ns, us, ms, s, m, h)");
	char unit[16];
	if (ulen >= sizeof unit)
		return fail(err, "unknown time unit '%.15s' (use ns, us, ms, s, m, h)", e);
	memcpy(unit, e, ulen);
	unit[ulen] = '\0';
	const unit_row_t *u = find_unit(time_units, sizeof time_units / sizeof time_units[0], unit);
	if (!u)
		return fail(err, "unknown time unit '%s' (use ns, us, ms, s, m, h)", unit);
	*ns = v * (double)u->mult;
	*end = e + ulen;
	return 0;
}

/* Go's spelling: pieces add up, "1m30s", "1h2m3.5s". */
int ct_parse_duration(const char *s, uint64_t *ns, ct_err_t *err)
{
	if (!s || !*s)
		return fail(err, "empty duration");
	if (*s == '-')
		return fail(err, "negative duration");
	double t = 0, piece = 0;
	for (const char *p = s; *p;) {
		if (duration_piece(p, &piece, &p, err))
			return -1;
		t += piece;
	}
	if (t > 1e18)
		return fail(err, "duration too long");
	if (t < 1)
		return fail(err, "duration must be positive");
	*ns = (uint64_t)t;
	return 0;
}

int ct_parse_benchtime(const char *s, ct_benchtime_t *out, ct_err_t *err)
{
	size_t n = s ? strlen(s) : 0;
	if (n > 1 && (s[n - 1] == 'x' || s[n - 1] == 'X')) {
		char num[32];
		if (n - 1 >= sizeof num)
			return fail(err, "iteration count too long");
		memcpy(num, s, n - 1);
		num[n - 1] = '\0';
		uint64_t it;
		if (ct_parse_u64(num, 1, 1000000000000ull, &it, err))
			return -1;
		out->ns = 0;
		out->iters = it;
		return 0;
	}
	out->iters = 0;
	return ct_parse_duration(s, &out->ns, err);
}

/* Append v unless present. */
static int push_unique(uint64_t v, uint64_t *out, size_t max, size_t *n, ct_err_t *err)
{
	for (size_t i = 0; i < *n; i++)
		if (out[i] == v)
			return 0;
	if (*n >= max)
		return fail(err, "more than %zu values", max);
	out[(*n)++] = v;
	return 0;
}

typedef int (*item_parser_t)(const char *s, uint64_t *out, ct_err_t *err);

static int parse_count_item(const char *s, uint64_t *out, ct_err_t *err)
{
	return ct_parse_u64(s, 0, UINT64_MAX, out, err);
}

/* Split on ',' and on the '-' of a range; expand ranges with step. */
static int parse_list(const char *s, uint64_t lo, uint64_t hi, uint64_t *out, size_t max,
		      size_t *n, ct_err_t *err, item_parser_t item, int doubling)
{
	*n = 0;
	if (!s || !*s)
		return fail(err, "empty list");
	char buf[1024];
	if (strlen(s) >= sizeof buf)
		return fail(err, "list too long");
	strcpy(buf, s);
	char *save = NULL;
	if (buf[0] == ',' || buf[strlen(buf) - 1] == ',' || strstr(buf, ",,"))
		return fail(err, "empty item in list");
	for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *dash = strchr(tok, '-');
		uint64_t a = 0, b = 0;
		if (dash == tok)
			return fail(err, "negative or malformed item '%s'", tok);
		if (dash) {
			*dash = '\0';
			if (item(tok, &a, err) || item(dash + 1, &b, err))
				return -1;
			if (a > b)
				return fail(err, "range %s-%s runs backwards", tok, dash + 1);
		} else {
			if (item(tok, &a, err))
				return -1;
			b = a;
		}
		if (a < lo || b > hi)
			return fail(err, "'%s' outside %" PRIu64 "..%" PRIu64, tok, lo, hi);
		for (uint64_t v = a; v <= b;) {
			if (push_unique(v, out, max, n, err))
				return -1;
			uint64_t next = doubling ? v * 2 : v + 1;
			if (next <= v)
				break;
			v = next;
		}
	}
	return 0;
}

/* Length of an item's key: up to '=' when items are name=value. */
static size_t key_len(const char *item, bool by_key)
{
	return by_key ? strcspn(item, "=") : strlen(item);
}

int ct_split_list(const char *s, char *buf, size_t buflen, char **items, size_t max, size_t *n,
		  bool by_key, ct_err_t *err)
{
	*n = 0;
	size_t len = s ? strlen(s) : 0;
	if (len == 0)
		return fail(err, "empty list");
	if (len >= buflen)
		return fail(err, "list longer than %zu bytes", buflen - 1);
	memcpy(buf, s, len + 1);
	if (buf[0] == ',' || buf[len - 1] == ',' || strstr(buf, ",,"))
		return fail(err, "empty item in list");
	char *save = NULL;
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		for (const char *c = t; *c; c++)
			if ((unsigned char)*c < 0x20 || *c == 0x7f)
				return fail(err, "control character in item");
		size_t k = key_len(t, by_key);
		for (size_t i = 0; i < *n; i++)
			if (key_len(items[i], by_key) == k && strncmp(items[i], t, k) == 0)
				return fail(err, "'%.*s' given twice", (int)k, t);
		if (*n == max)
			return fail(err, "more than %zu items", max);
		items[(*n)++] = t;
	}
	return 0;
}

int ct_parse_size_list(const char *s, uint64_t lo, uint64_t hi, uint64_t *out, size_t max,
		       size_t *n, ct_err_t *err)
{
	return parse_list(s, lo, hi, out, max, n, err, ct_parse_size, 1);
}

int ct_parse_count_list(const char *s, uint64_t lo, uint64_t hi, uint64_t *out, size_t max,
			size_t *n, ct_err_t *err)
{
	return parse_list(s, lo, hi, out, max, n, err, parse_count_item, 0);
}

char *ct_format_size(uint64_t bytes, char *buf, size_t len)
{
	static const char *names[] = {"B", "KiB", "MiB", "GiB"};
	int u = 0;
	while (u < 3 && bytes >= 1024 && bytes % 1024 == 0) {
		bytes /= 1024;
		u++;
	}
	snprintf(buf, len, "%" PRIu64 "%s", bytes, names[u]);
	return buf;
}

char *ct_format_benchtime(const ct_benchtime_t *bt, char *buf, size_t len)
{
	if (bt->iters)
		snprintf(buf, len, "%" PRIu64 "x", bt->iters);
	else if (bt->ns % 1000000000u == 0)
		snprintf(buf, len, "%" PRIu64 "s", bt->ns / 1000000000u);
	else if (bt->ns % 1000000u == 0)
		snprintf(buf, len, "%" PRIu64 "ms", bt->ns / 1000000u);
	else if (bt->ns % 1000u == 0)
		snprintf(buf, len, "%" PRIu64 "us", bt->ns / 1000u);
	else
		snprintf(buf, len, "%" PRIu64 "ns", bt->ns);
	return buf;
}
