/* mimalloc.c — adapter for Microsoft's mimalloc (Debian: libmimalloc2.0).
 * Thread-local heaps and pages; cross-thread frees go to a page's
 * thread-free list. Version from mi_version() (209 = 2.0.9). Tunables:
 * MIMALLOC_<OPTION> environment variables. */
#include "allocator.h"
#include "ct_config.h"

#include <dlfcn.h>
#include <stdio.h>

static bool mimalloc_version(char *buf, size_t len)
{
	int (*mi_version)(void) = (int (*)(void))dlsym(RTLD_DEFAULT, "mi_version");
	if (!mi_version)
		return false;
	int v = mi_version();
	snprintf(buf, len, "%d.%d.%d", v / 100, v / 10 % 10, v % 10);
	return true;
}

/* Debian builds mimalloc with statistics compiled out; the process info
 * (RSS and committed memory) is still kept. */
static void mimalloc_stats(char *buf, size_t len)
{
	typedef void (*info_fn)(size_t *, size_t *, size_t *, size_t *, size_t *, size_t *, size_t *,
				size_t *);
	info_fn info = (info_fn)dlsym(RTLD_DEFAULT, "mi_process_info");
	size_t el, us, sy, rss, prss, com, pcom, pf;
	if (!info) {
		snprintf(buf, len, "unavailable");
		return;
	}
	info(&el, &us, &sy, &rss, &prss, &com, &pcom, &pf);
	snprintf(buf, len, "rss=%zu;peak_rss=%zu;commit=%zu;peak_commit=%zu;page_faults=%zu", rss, prss,
		 com, pcom, pf);
}

static const char *const mimalloc_keys[] = {
	"show_errors", "show_stats", "verbose", "eager_commit", "eager_commit_delay",
	"large_os_pages", "reserve_huge_os_pages", "reserve_os_memory", "segment_cache",
	"page_reset", "abandoned_page_decommit", "segment_reset", "decommit_delay",
	"decommit_extend_delay", "segment_decommit_delay", "allow_decommit", "use_numa_nodes",
	"limit_os_alloc", "max_errors", "max_warnings", NULL,
};

const ct_allocator_t ct_alloc_mimalloc = {
	.name = "mimalloc",
	.doc = "mimalloc: thread-local heaps and pages, free lists sharded per page",
	.soname = "libmimalloc.so.2",
	.build_path = CT_PATH_MIMALLOC,
	.version = mimalloc_version,
	.stats = mimalloc_stats,
	.tune_style = CT_TUNE_PREFIX,
	.tune_prefix = "MIMALLOC_",
	.tune_keys = mimalloc_keys,
};
