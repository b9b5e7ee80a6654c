/* alloc.h — the engine's handling of allocator choices: parsing -a items,
 * finding the library, the environment of a child (LD_PRELOAD, tunables),
 * proving which malloc is live. The adapters' contract is allocator.h. */
#ifndef CT_ALLOC_H
#define CT_ALLOC_H

#include "allocator.h"
#include "units.h"

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#define CT_MAX_ENV 8
#define CT_MAX_ALLOCS 16

/* One allocator column of a study: an adapter, a library, tunables. */
typedef struct {
	char label[256];                /* alloc= value in results */
	const ct_allocator_t *adapter;  /* NULL: a custom library (NAME=/path) */
	char path[PATH_MAX];            /* library to preload; "" for the C library */
	char exe[PATH_MAX];             /* the child program; "" for contend itself */
	char env[CT_MAX_ENV][512];      /* NAME=VALUE for the child */
	unsigned nenv;
	bool missing;                   /* a default allocator that is not installed */
	char why[256];                  /* reason it is missing */
} ct_alloc_spec_t;

const ct_allocator_t *ct_allocator_find(const char *name);

/* Parse one -a item: NAME, NAME=/path, NAME:key=value[,key=value]. For a
 * known NAME the library is located (build path, then the usual library
 * directories and LD_LIBRARY_PATH). Returns -1 with a reason on bad input. */
int ct_alloc_spec_parse(const char *item, ct_alloc_spec_t *out, ct_err_t *err);

/* Locate soname: the build-time path if it still exists, else the library
 * directories. Returns 0 and fills path, or -1. */
int ct_alloc_locate(const ct_allocator_t *a, char *path, size_t len);

/* The program of a runtime that is its own child (adapter->child_exe): the
 * build's path if it exists, else beside the running contend. 0 or -1. */
int ct_alloc_locate_exe(const ct_allocator_t *a, char *path, size_t len);

/* In a child: which library does `malloc` resolve to (or, under the census
 * interposer, forward to)? Fills live with its real path. */
void ct_alloc_live_malloc(char *live, size_t len);
/* Real path of the C library, the expected home of malloc without preload. */
void ct_alloc_libc_path(char *out, size_t len);
/* The live allocator's version: the adapter's reader, or any reader that
 * answers for a custom library. */
void ct_alloc_version(const ct_allocator_t *a, char *buf, size_t len);

#endif
