/* glibc.c — adapter for the GNU C library's own malloc (ptmalloc2).
 * Nothing is preloaded: malloc must resolve into libc.so.6 itself.
 * Per-thread tcache up to 1032 B, arenas with a mutex above it, mmap from
 * 128 KiB (dynamic threshold). Tunables: GLIBC_TUNABLES glibc.malloc.*. */
#include "alloc.h"

#include <gnu/libc-version.h>
#include <stdio.h>

static bool glibc_version(char *buf, size_t len)
{
	snprintf(buf, len, "%s", gnu_get_libc_version());
	return true;
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
	.tune_style = CT_TUNE_GLIBC,
	.tune_keys = glibc_keys,
};
