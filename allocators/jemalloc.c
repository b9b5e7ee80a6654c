/* jemalloc.c — adapter for jemalloc (Debian: libjemalloc2, unprefixed).
 * tcache up to 32 KiB by default, 4 arenas per CPU, per-arena mutexes above
 * the tcache. Version from mallctl("version"). Tunables: MALLOC_CONF. */
#include "allocator.h"
#include "ct_config.h"

#include <dlfcn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

typedef int (*mallctl_fn)(const char *, void *, size_t *, void *, size_t);

static bool jemalloc_version(char *buf, size_t len)
{
	mallctl_fn mallctl = (mallctl_fn)dlsym(RTLD_DEFAULT, "mallctl");
	const char *v = NULL;
	size_t sz = sizeof v;
	if (!mallctl || mallctl("version", &v, &sz, NULL, 0) != 0 || !v)
		return false;
	/* "5.3.0-0-g54eaed1d8b56b1aa528be3bdd1877e59c56fa90c": keep 5.3.0 */
	size_t n = 0;
	while (v[n] && v[n] != '-')
		n++;
	snprintf(buf, len, "%.*s", (int)n, v);
	return true;
}

static mallctl_fn mallctl_fn_get(void)
{
	return (mallctl_fn)dlsym(RTLD_DEFAULT, "mallctl");
}

static void jemalloc_stats(char *buf, size_t len)
{
	static const char *const names[][2] = {
		{"allocated", "stats.allocated"}, {"active", "stats.active"},
		{"resident", "stats.resident"},   {"mapped", "stats.mapped"},
		{"metadata", "stats.metadata"},   {"retained", "stats.retained"},
	};
	mallctl_fn mallctl = mallctl_fn_get();
	uint64_t epoch = 1;
	size_t sz = sizeof epoch, used = 0;
	buf[0] = '\0';
	if (!mallctl || mallctl("epoch", &epoch, &sz, &epoch, sz) != 0) {
		snprintf(buf, len, "unavailable");
		return;
	}
	for (size_t i = 0; i < sizeof names / sizeof names[0] && used < len; i++) {
		size_t v = 0;
		sz = sizeof v;
		if (mallctl(names[i][1], &v, &sz, NULL, 0) == 0)
			used += (size_t)snprintf(buf + used, len - used, "%s%s=%zu", used ? ";" : "",
						 names[i][0], v);
	}
	unsigned narenas = 0;
	sz = sizeof narenas;
	if (used < len && mallctl("arenas.narenas", &narenas, &sz, NULL, 0) == 0)
		snprintf(buf + used, len - used, "%sarenas=%u", used ? ";" : "", narenas);
}

/* opt.<key> read back with the type jemalloc declares for it. */
static int jemalloc_check(const char *key, const char *value, char *got, size_t len)
{
	static const struct {
		const char *key;
		char type; /* b bool, u unsigned, z size_t, s ssize_t, c string */
	} opts[] = {
		{"narenas", 'u'},        {"tcache", 'b'},         {"tcache_max", 'z'},
		{"dirty_decay_ms", 's'}, {"muzzy_decay_ms", 's'}, {"background_thread", 'b'},
		{"percpu_arena", 'c'},   {"metadata_thp", 'c'},   {"thp", 'c'},
		{"retain", 'b'},         {"oversize_threshold", 'z'},
	};
	mallctl_fn mallctl = mallctl_fn_get();
	char name[96];
	for (size_t i = 0; mallctl && i < sizeof opts / sizeof opts[0]; i++) {
		if (strcmp(opts[i].key, key) != 0)
			continue;
		snprintf(name, sizeof name, "opt.%s", key);
		union {
			bool b;
			unsigned u;
			size_t z;
			ssize_t s;
			const char *c;
		} v;
		size_t sz = opts[i].type == 'b' ? sizeof v.b : opts[i].type == 'u' ? sizeof v.u
			  : opts[i].type == 'z' ? sizeof v.z : opts[i].type == 's' ? sizeof v.s
			  : sizeof v.c;
		if (mallctl(name, &v, &sz, NULL, 0) != 0)
			return -1;
		switch (opts[i].type) {
		case 'b': snprintf(got, len, "%s", v.b ? "true" : "false"); break;
		case 'u': snprintf(got, len, "%u", v.u); break;
		case 'z': snprintf(got, len, "%zu", v.z); break;
		case 's': snprintf(got, len, "%zd", v.s); break;
		default: snprintf(got, len, "%s", v.c ? v.c : ""); break;
		}
		if (opts[i].type == 'b')
			return (strcmp(value, "true") == 0 || strcmp(value, "1") == 0) == v.b;
		if (opts[i].type == 'c')
			return strcmp(value, got) == 0;
		return strtoll(value, NULL, 0) == strtoll(got, NULL, 0);
	}
	return -1;
}

static const char *const jemalloc_keys[] = {
	"narenas", "tcache", "tcache_max", "lg_tcache_max", "dirty_decay_ms", "muzzy_decay_ms",
	"background_thread", "percpu_arena", "metadata_thp", "thp", "retain",
	"oversize_threshold", "abort_conf", NULL,
};

const ct_allocator_t ct_alloc_jemalloc = {
	.name = "jemalloc",
	.doc = "jemalloc: thread caches to 32 KiB, 4 arenas per CPU with mutexes",
	.soname = "libjemalloc.so.2",
	.build_path = CT_PATH_JEMALLOC,
	.version = jemalloc_version,
	.stats = jemalloc_stats,
	.check_tunable = jemalloc_check,
	.tune_style = CT_TUNE_MALLOC_CONF,
	.tune_keys = jemalloc_keys,
};
