/* tcmalloc.c — adapter for gperftools' tcmalloc, the minimal build (no
 * profiler, no libunwind: the one to preload). Per-thread caches up to
 * 256 KiB under a shared budget; larger blocks from the page heap under one
 * global lock. Version from tc_version(). Tunables: TCMALLOC_<NAME>. */
#include "alloc.h"
#include "ct_config.h"

#include <dlfcn.h>
#include <stdio.h>

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
	.tune_style = CT_TUNE_PREFIX,
	.tune_prefix = "TCMALLOC_",
	.tune_keys = tcmalloc_keys,
};
