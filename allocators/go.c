/* go.c — adapter for the Go runtime's allocator: the seed's own runtime as
 * one more column. Its child is not contend with a library preloaded but
 * allocators/go/, a Go program (standard library only) built by the CMake
 * build when a Go toolchain is found; it speaks the same protocol (proto.h),
 * proves itself with runtime.Version() and reads GOGC and GOMEMLIMIT back
 * from the runtime. It runs the kernels that have a Go meaning as types:
 * bilbo, and smaug at every power of two from 16 B to 64 MiB. */
#include "allocator.h"
#include "ct_config.h"

#include <stdio.h>
#include <string.h>

static bool go_version(char *buf, size_t len)
{
	(void)buf; /* the Go child reports runtime.Version() in its hello */
	(void)len;
	return false;
}

static bool go_supports(const char *workload, unsigned long long size, char *why, size_t len)
{
	bool pow2 = size >= 16 && size <= (64ull << 20) && (size & (size - 1)) == 0;
	if (strcmp(workload, "bilbo") == 0 || (strcmp(workload, "smaug") == 0 && pow2))
		return true;
	if (strcmp(workload, "smaug") == 0)
		snprintf(why, len, "go runs smaug at powers of two from 16B to 64MiB only (sizes are "
				   "Go types), not %lluB", size);
	else
		snprintf(why, len, "go runs bilbo and smaug only, not %s", workload);
	return false;
}

static const char *const go_keys[] = {"gogc", "memlimit", NULL};
static const char *const go_vars[] = {"GOGC", "GOMEMLIMIT", NULL};

const ct_allocator_t ct_alloc_go = {
	.name = "go",
	.doc = "Go runtime (new + GC, per-P mcache, mcentral, mheap): bilbo and smaug "
	       "(powers of two) only",
	.soname = NULL,
	.build_path = "",
	.version = go_version,
	.tune_style = CT_TUNE_VARS,
	.tune_keys = go_keys,
	.tune_vars = go_vars,
	.child_exe = CT_PATH_GO_CHILD,
	.supports = go_supports,
};
