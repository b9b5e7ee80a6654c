/* proto.c — encoding of results on the parent/child pipe (see proto.h).
 * The figures travel by a field table, so a new figure is one row. */
#include "proto.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	const char *key;
	size_t off;
	char type; /* 'u' uint64_t, 'd' double, 'i' unsigned */
} field_t;

#define F(k, t) {#k, offsetof(ct_result_t, k), t}
static const field_t fields[] = {
	F(iters, 'u'),         F(rounds, 'i'),        F(ns_per_op, 'd'),
	F(ns_min, 'd'),        F(ns_max, 'd'),        F(ops_per_s, 'd'),
	F(wall_ns, 'd'),       F(minflt_per_op, 'd'), F(majflt_per_op, 'd'),
	F(vcsw_per_op, 'd'),   F(ivcsw_per_op, 'd'),  F(allocs_per_op, 'd'),
	F(bytes_per_op, 'd'),  F(pinned_ok, 'i'),     F(pin_errors, 'i'),
	F(sink, 'u'),          F(cycles_per_op, 'd'), F(instr_per_op, 'd'),
	F(cache_misses_per_op, 'd'), F(lat_batch, 'u'), F(lat_samples, 'u'),
	F(lat_p50_ns, 'd'),    F(lat_p99_ns, 'd'),    F(lat_p999_ns, 'd'),
	F(lat_max_ns, 'd'),    F(lat_mean_ns, 'd'),   F(peak_rss_kib, 'd'),
	F(ops, 'u'),           F(overlap, 'd'),       F(cpu_share_min, 'd'),
	F(wait_ns_per_op, 'd'), F(prod_ns_per_op, 'd'), F(cons_ns_per_op, 'd'),
};
#undef F

void ct_proto_format_result(const ct_result_t *r, bool ok, char *buf, size_t len)
{
	if (!ok) {
		char e[sizeof r->err];
		snprintf(e, sizeof e, "%s", r->err);
		for (char *c = e; *c; c++)
			if (*c == '\n')
				*c = ' ';
		snprintf(buf, len, "R ok=0 err=%s\n", e);
		return;
	}
	size_t used = (size_t)snprintf(buf, len, "R ok=1");
	for (size_t i = 0; i < sizeof fields / sizeof fields[0] && used < len; i++) {
		const char *p = (const char *)r + fields[i].off;
		if (fields[i].type == 'u')
			used += (size_t)snprintf(buf + used, len - used, " %s=%" PRIu64, fields[i].key,
						 *(const uint64_t *)p);
		else if (fields[i].type == 'i')
			used += (size_t)snprintf(buf + used, len - used, " %s=%u", fields[i].key,
						 *(const unsigned *)p);
		else
			used += (size_t)snprintf(buf + used, len - used, " %s=%.17g", fields[i].key,
						 *(const double *)p);
	}
	if (used < len) /* last: it runs to the end of the line */
		snprintf(buf + used, len - used, " astats=%s\n", r->astats);
}

int ct_proto_get(const char *line, const char *key, char *out, size_t len)
{
	size_t klen = strlen(key);
	for (const char *p = strchr(line, ' '); p; p = strchr(p + 1, ' ')) {
		if (strncmp(p + 1, key, klen) != 0 || p[1 + klen] != '=')
			continue;
		const char *v = p + 2 + klen;
		bool rest = strcmp(key, "err") == 0 || strcmp(key, "why") == 0 ||
			    strcmp(key, "astats") == 0;
		size_t n = rest ? strcspn(v, "\n") : strcspn(v, " \n");
		snprintf(out, len, "%.*s", (int)n, v);
		return 0;
	}
	return -1;
}

int ct_proto_parse_result(const char *line, ct_result_t *r)
{
	char v[256];
	memset(r, 0, sizeof *r);
	if (strncmp(line, "R ", 2) != 0 || ct_proto_get(line, "ok", v, sizeof v))
		return -1;
	if (strcmp(v, "1") != 0) {
		if (ct_proto_get(line, "err", r->err, sizeof r->err))
			snprintf(r->err, sizeof r->err, "child reported failure");
		return 0;
	}
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		char *p = (char *)r + fields[i].off;
		if (ct_proto_get(line, fields[i].key, v, sizeof v))
			return -1;
		if (fields[i].type == 'u')
			*(uint64_t *)p = strtoull(v, NULL, 10);
		else if (fields[i].type == 'i')
			*(unsigned *)p = (unsigned)strtoul(v, NULL, 10);
		else
			*(double *)p = strtod(v, NULL);
	}
	ct_proto_get(line, "astats", r->astats, sizeof r->astats);
	return 1;
}
