/* go.c — adapter for the Go runtime's allocator: the seed's own runtime as
 * one more column. Its child is not contend with a library preloaded but
 * allocators/go/, a Go program (standard library only) built by the CMake
 * build when a Go toolchain is found; it speaks the same protocol (proto.h),
 * proves itself with runtime.Version() and reads GOGC and GOMEMLIMIT back
 * from the runtime. It runs the kernels that have a Go meaning: bilbo,
 * churn, and smaug and large at every power of two from 16 B to 64 MiB
 * (their sizes are Go types). */
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

/* bilbo and churn at any size they take; smaug and large at the sizes that
 * are Go types. The rest has no Go meaning here (xfree's hand-over is
 * channels in Go, falseshare's placement is the runtime's): refused by name. */
static bool go_supports(const char *workload, unsigned long long size, char *why, size_t len)
{
	bool pow2 = size >= 16 && size <= (64ull << 20) && (size & (size - 1)) == 0;
	bool typed = strcmp(workload, "smaug") == 0 || strcmp(workload, "large") == 0;
	if (strcmp(workload, "bilbo") == 0 || strcmp(workload, "churn") == 0 || (typed && pow2))
		return true;
	if (typed)
		snprintf(why, len, "go runs %s at powers of two from 16B to 64MiB only (sizes are "
				   "Go types), not %lluB", workload, size);
	else
		snprintf(why, len, "go runs bilbo, smaug, churn and large only, not %s", workload);
	return false;
}

static const char *const go_keys[] = {"gogc", "memlimit", NULL};
static const char *const go_vars[] = {"GOGC", "GOMEMLIMIT", NULL};

const ct_allocator_t ct_alloc_go = {
	.name = "go",
	.doc = "Go runtime (new + GC, per-P mcache, mcentral, mheap): bilbo, churn, and smaug "
	       "and large (powers of two) only",
	.soname = NULL,
	.build_path = "",
	.version = go_version,
	.tune_style = CT_TUNE_VARS,
	.tune_keys = go_keys,
	.tune_vars = go_vars,
	.child_exe = CT_PATH_GO_CHILD,
	.supports = go_supports,
};
