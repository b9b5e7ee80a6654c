/* jemalloc.c — adapter for jemalloc (Debian: libjemalloc2, unprefixed).
 * tcache up to 32 KiB by default, 4 arenas per CPU, per-arena mutexes above
 * the tcache. Version from mallctl("version"). Tunables: MALLOC_CONF. */
#include "alloc.h"
#include "ct_config.h"

#include <dlfcn.h>
#include <stdio.h>

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
	.tune_style = CT_TUNE_MALLOC_CONF,
	.tune_keys = jemalloc_keys,
};
