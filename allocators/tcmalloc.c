/* tcmalloc.c — adapter for gperftools' tcmalloc, the minimal build (no
 * profiler, no libunwind: the one to preload). Per-thread caches up to
 * 256 KiB under a shared budget; larger blocks from the page heap under one
 * global lock. Version from tc_version(). Tunables: TCMALLOC_<NAME>. */
#include "allocator.h"
#include "ct_config.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool tcmalloc_version(char *buf, size_t len)
{
	const char *(*tc_version)(int *, int *, const char **) =
		(const char *(*)(int *, int *, const char **))dlsym(RTLD_DEFAULT, "tc_version");
	if (!tc_version)
		return false;
	int major = 0, minor = 0;
	const char *patch = "";
	tc_version(&major, &minor, &patch);
	snprintf(buf, len, "%d.%d%s", major, minor, patch ? patch : "");
	return true;
}

typedef int (*prop_fn)(const char *, size_t *);

static prop_fn property_reader(void)
{
	return (prop_fn)dlsym(RTLD_DEFAULT, "MallocExtension_GetNumericProperty");
}

static void tcmalloc_stats(char *buf, size_t len)
{
	static const char *const props[][2] = {
		{"allocated", "generic.current_allocated_bytes"},
		{"heap", "generic.heap_size"},
		{"thread_cache", "tcmalloc.current_total_thread_cache_bytes"},
		{"thread_cache_max", "tcmalloc.max_total_thread_cache_bytes"},
		{"central_free", "tcmalloc.central_cache_free_bytes"},
		{"transfer_free", "tcmalloc.transfer_cache_free_bytes"},
		{"pageheap_free", "tcmalloc.pageheap_free_bytes"},
		{"pageheap_unmapped", "tcmalloc.pageheap_unmapped_bytes"},
	};
	prop_fn get = property_reader();
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; get && i < sizeof props / sizeof props[0] && used < len; i++) {
		size_t v = 0;
		if (get(props[i][1], &v))
			used += (size_t)snprintf(buf + used, len - used, "%s%s=%zu", used ? ";" : "",
						 props[i][0], v);
	}
	if (!buf[0])
		snprintf(buf, len, "unavailable");
}

/* The tunables gperftools reports back as numeric properties. */
static int tcmalloc_check(const char *key, const char *value, char *got, size_t len)
{
	const char *prop = strcmp(key, "max_total_thread_cache_bytes") == 0
				   ? "tcmalloc.max_total_thread_cache_bytes"
				   : strcmp(key, "aggressive_decommit") == 0
				   ? "tcmalloc.aggressive_memory_decommit"
				   : NULL;
	prop_fn get = property_reader();
	size_t v = 0;
	if (!prop || !get || !get(prop, &v))
		return -1;
	snprintf(got, len, "%zu", v);
	return strtoull(value, NULL, 10) == v;
}

static const char *const tcmalloc_keys[] = {
	"max_total_thread_cache_bytes", "release_rate", "large_alloc_report_threshold",
	"aggressive_decommit", "heap_limit_mb", "transfer_num_objects", "skip_sbrk",
	"skip_mmap", NULL,
};

const ct_allocator_t ct_alloc_tcmalloc = {
	.name = "tcmalloc",
	.doc = "gperftools tcmalloc (minimal): thread caches to 256 KiB, global page heap above",
	.soname = "libtcmalloc_minimal.so.4",
	.build_path = CT_PATH_TCMALLOC,
	.version = tcmalloc_version,
	.stats = tcmalloc_stats,
	.check_tunable = tcmalloc_check,
	.tune_style = CT_TUNE_PREFIX,
	.tune_prefix = "TCMALLOC_",
	.tune_keys = tcmalloc_keys,
};
