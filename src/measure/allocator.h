/* allocator.h — the descriptor every allocator adapter exports.
 *
 * An adapter is one file in allocators/ exporting one const ct_allocator_t.
 * To add one: write allocators/<name>.c (including only this header and
 * ct_config.h), declare it below, add it to ct_allocators[] in
 * src/measure/alloc.c and to CT_ALLOCATOR_SOURCES in CMakeLists.txt (with a
 * find rule if its path should be known at build time). */
#ifndef CT_ALLOCATOR_H
#define CT_ALLOCATOR_H

#include <stdbool.h>
#include <stddef.h>

/* How NAME:key=value variants become environment. */
typedef enum {
	CT_TUNE_GLIBC,   /* GLIBC_TUNABLES=glibc.malloc.key=value:... */
	CT_TUNE_MALLOC_CONF, /* MALLOC_CONF=key:value,... (jemalloc) */
	CT_TUNE_PREFIX,  /* PREFIX + KEY in upper case = value, one variable each */
	CT_TUNE_VARS,    /* tune_vars[i] = value for tune_keys[i] (go: GOGC, GOMEMLIMIT) */
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
	const char *const *tune_vars;  /* CT_TUNE_VARS only: a variable per key */
	/* A runtime that is its own program (go): the child is this executable,
	 * found where the build put it or beside contend, started with no
	 * LD_PRELOAD; it proves itself and reads back its tunables. NULL: the
	 * child is contend itself, with the library preloaded. */
	const char *child_exe;
	/* Can this allocator's child run the workload at this size? NULL: any.
	 * false with a one-line reason. */
	bool (*supports)(const char *workload, unsigned long long size, char *why, size_t len);
} ct_allocator_t;

extern const ct_allocator_t ct_alloc_glibc, ct_alloc_mimalloc, ct_alloc_tcmalloc,
	ct_alloc_jemalloc, ct_alloc_go;
extern const ct_allocator_t *const ct_allocators[];
extern const size_t ct_nallocators;

#endif
