/* resultsdb.h — results directories read back for `contend report` and
 * `contend compare`: results.csv (every column looked up by name in the
 * header, so columns added later are ignored or picked up), machine.json
 * (flattened to "cpu.model" = "AMD EPYC" pairs by a small tolerant parser),
 * and the rows grouped into benchmarks — one per workload, mode, size,
 * allocator, placement and thread count — holding their good repetitions.
 * A workload run with parameters (the `params` column, "k=64;batch=8") is
 * named with them, "churn/k=64/batch=8": each parameter set is its own.
 *
 * Main entry points: ct_rdir_load(), ct_rdir_find(), ct_rdir_free(). */
#ifndef CT_RESULTSDB_H
#define CT_RESULTSDB_H

#include "readback.h"
#include "stats.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The numeric columns read from results.csv; empty or absent cells are NAN.
 * CT_M_EXTRA is the one chosen by name at load time (compare --metric). */
typedef enum {
	CT_M_NS, CT_M_OPS, CT_M_BYTES, CT_M_ALLOCS, CT_M_MINFLT, CT_M_VCSW, CT_M_IVCSW,
	CT_M_P50, CT_M_P99, CT_M_P999, CT_M_WAIT, CT_M_PROD, CT_M_CONS, CT_M_EXTRA, CT_NMETRICS
} ct_metric_t;

extern const char *const ct_metric_col[CT_NMETRICS]; /* column names; EXTRA: NULL */

typedef struct {
	unsigned workload, mode, size, alloc, place; /* ids into ct_rdir_t.str */
	uint64_t size_bytes;
	unsigned threads, rep;
	bool ok;                   /* status == "ok" */
	bool rejected;             /* status == "rejected": measured, threads not together */
	unsigned status;           /* id of the status text: "ok", "failed", ... */
	unsigned error;            /* id of the error text; 0 is "" */
	double m[CT_NMETRICS];
} ct_row_t;

/* One benchmark: its good repetitions' figures, v[metric][0..nok). */
typedef struct {
	unsigned workload, mode, size, alloc, place;
	uint64_t size_bytes;
	unsigned threads;
	size_t nok, nfailed;
	size_t nrejected;          /* not concurrent: out of v[], not failed either */
	double *v[CT_NMETRICS];
	ct_summary_t ns;           /* of ns/op over the good repetitions */
	unsigned error;            /* first failure's reason (id), 0: none */
} ct_group_t;

typedef struct {
	char path[4096];
	char label[256];           /* the machine: "cpu.model, os.arch, started"; unique in a report */
	ct_kv_t *kv;               /* machine.json flattened, in file order */
	size_t nkv;
	bool has_machine;          /* machine.json was read */
	bool complete;             /* machine.json says the study finished */
	bool has_col[CT_NMETRICS]; /* the column exists in results.csv */
	char **str;                /* interned strings, in order of first appearance; str[0] = "" */
	size_t nstr, capstr;
	unsigned *htab;            /* private: open-addressing index of str, hcap slots */
	size_t hcap;
	ct_row_t *rows;
	size_t nrows, nbad;        /* nbad: malformed lines skipped */
	ct_group_t *groups;        /* sorted: workload, mode, size, alloc, place, threads */
	size_t ngroups;
	double *vals;              /* storage behind the groups' v[] */
	size_t nfailed;            /* failed repetitions */
	size_t nrejected;          /* repetitions rejected as not concurrent (newer results) */
	size_t nplaces;            /* distinct placements */
} ct_rdir_t;

typedef enum { CT_LOAD_OK = 0, CT_LOAD_BADARG = -1, CT_LOAD_IO = -2 } ct_load_rc_t;

/* Read the results directory at path (or a results.csv file). extra names a
 * column for CT_M_EXTRA (NULL: none). On failure returns CT_LOAD_BADARG (no
 * such directory, no results.csv, a required column missing: bad input) or
 * CT_LOAD_IO (out of memory, unreadable), with the reason in err. */
int ct_rdir_load(const char *path, const char *extra, ct_rdir_t *d, char *err, size_t len);
void ct_rdir_free(ct_rdir_t *d);

/* Value of a machine.json key ("cpu.model", "allocators[0].name"); NULL when absent. */
const char *ct_rdir_kv(const ct_rdir_t *d, const char *key);
/* Version of the allocator named name from machine.json; "" when unknown. */
const char *ct_rdir_alloc_version(const ct_rdir_t *d, const char *name);

/* Id of the string s in d, or -1 when d never saw it. */
int ct_rdir_id(const ct_rdir_t *d, const char *s);

/* The benchmark with these ids, or NULL. */
const ct_group_t *ct_rdir_find(const ct_rdir_t *d, unsigned workload, unsigned mode,
			       uint64_t size_bytes, unsigned alloc, unsigned place,
			       unsigned threads);

static inline const char *ct_rstr(const ct_rdir_t *d, unsigned id)
{
	return d->str[id];
}

/* Distinct values, ascending, of the thread counts / sizes present for a
 * workload (id; -1: any). Return the count (at most max). */
size_t ct_rdir_threads(const ct_rdir_t *d, int workload, unsigned *out, size_t max);
size_t ct_rdir_sizes(const ct_rdir_t *d, int workload, uint64_t *out, size_t max);

/* Make labels of several directories distinct (appends the path when two match). */
void ct_rdir_unique_labels(ct_rdir_t *dirs, size_t n);

#endif
