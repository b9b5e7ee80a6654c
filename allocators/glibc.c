/* glibc.c — adapter for the GNU C library's own malloc (ptmalloc2).
 * Nothing is preloaded: malloc must resolve into libc.so.6 itself.
 * Per-thread tcache up to 1032 B, arenas with a mutex above it, mmap from
 * 128 KiB (dynamic threshold). Tunables: GLIBC_TUNABLES glibc.malloc.*. */
#include "allocator.h"

#include <dlfcn.h>
#include <gnu/libc-version.h>
#include <malloc.h>
#include <stdio.h>

static bool glibc_version(char *buf, size_t len)
{
	snprintf(buf, len, "%s", gnu_get_libc_version());
	return true;
}

/* mallinfo2 sums every arena in 2.36. Looked up by name: it only means
 * something when glibc's malloc is the live one. */
static void glibc_stats(char *buf, size_t len)
{
	struct mallinfo2 (*mi2)(void) = (struct mallinfo2(*)(void))dlsym(RTLD_DEFAULT, "mallinfo2");
	if (!mi2) {
		snprintf(buf, len, "unavailable");
		return;
	}
	struct mallinfo2 m = mi2();
	snprintf(buf, len, "arena=%zu;mmap=%zu;mmap_blocks=%zu;in_use=%zu;free=%zu;top_free=%zu",
		 m.arena, m.hblkhd, m.hblks, m.uordblks, m.fordblks, m.keepcost);
}

static const char *const glibc_keys[] = {
	"arena_max", "arena_test", "tcache_count", "tcache_max", "tcache_unsorted_limit",
	"mmap_threshold", "mmap_max", "trim_threshold", "top_pad", "perturb", "mxfast",
	"hugetlb", NULL,
};

const ct_allocator_t ct_alloc_glibc = {
	.name = "glibc",
	.doc = "GNU C library malloc (ptmalloc2): tcache, arenas, mmap above 128 KiB",
	.soname = NULL,
	.build_path = "",
	.version = glibc_version,
	.stats = glibc_stats,
	.tune_style = CT_TUNE_GLIBC,
	.tune_keys = glibc_keys,
};
