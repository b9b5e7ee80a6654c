/* alloc.h — the descriptor every allocator adapter exports, and the engine's
 * handling of allocator choices: finding the library, the environment of a
 * child (LD_PRELOAD, tunables), proving which malloc is live.
 *
 * An adapter is one file in allocators/ exporting one const ct_allocator_t.
 * To add one: write allocators/<name>.c, declare it below, add it to
 * ct_allocators[] in src/alloc.c and to CT_ALLOCATOR_SOURCES in
 * CMakeLists.txt (with a find rule if its path should be known at build
 * time). */
#ifndef CT_ALLOC_H
#define CT_ALLOC_H

#include "units.h"

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

/* How NAME:key=value variants become environment. */
typedef enum {
	CT_TUNE_GLIBC,   /* GLIBC_TUNABLES=glibc.malloc.key=value:... */
	CT_TUNE_MALLOC_CONF, /* MALLOC_CONF=key:value,... (jemalloc) */
	CT_TUNE_PREFIX,  /* PREFIX + KEY in upper case = value, one variable each */
} ct_tune_style_t;

typedef struct ct_allocator {
	const char *name;       /* "mimalloc" */
	const char *doc;        /* one line */
	const char *soname;     /* library to preload; NULL: the C library's malloc */
	const char *build_path; /* where the build found it, "" when it did not */
	/* Version of the live allocator through dlsym; false when this
	 * allocator's version entry point is not in the process. */
	bool (*version)(char *buf, size_t len);
	/* Statistics snapshot as "key=value;key=value" (bytes), read outside
	 * timed regions; NULL when the allocator offers none. */
	void (*stats)(char *buf, size_t len);
	/* Does the live allocator report tunable key at value? 1 yes, 0 no (got
	 * holds what it reports), -1 it cannot tell. NULL: never checkable. */
	int (*check_tunable)(const char *key, const char *value, char *got, size_t len);
	ct_tune_style_t tune_style;
	const char *tune_prefix;       /* CT_TUNE_PREFIX only: "TCMALLOC_" */
	const char *const *tune_keys;  /* accepted keys, NULL-terminated */
} ct_allocator_t;

extern const ct_allocator_t ct_alloc_glibc, ct_alloc_mimalloc, ct_alloc_tcmalloc,
	ct_alloc_jemalloc;
extern const ct_allocator_t *const ct_allocators[];
extern const size_t ct_nallocators;

#define CT_MAX_ENV 8
#define CT_MAX_ALLOCS 16

/* One allocator column of a study: an adapter, a library, tunables. */
typedef struct {
	char label[256];                /* alloc= value in results */
	const ct_allocator_t *adapter;  /* NULL: a custom library (NAME=/path) */
	char path[PATH_MAX];            /* library to preload; "" for the C library */
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

/* In a child: which library does `malloc` resolve to (or, under the census
 * interposer, forward to)? Fills live with its real path. */
void ct_alloc_live_malloc(char *live, size_t len);
/* Real path of the C library, the expected home of malloc without preload. */
void ct_alloc_libc_path(char *out, size_t len);
/* The live allocator's version: the adapter's reader, or any reader that
 * answers for a custom library. */
void ct_alloc_version(const ct_allocator_t *a, char *buf, size_t len);

#endif
