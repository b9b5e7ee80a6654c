/* resultsdb.c — reading results directories back (see resultsdb.h).
 *
 * Tolerant by design: a study that was interrupted may end in half a line,
 * a later contend may add columns, an older one may lack some. Lines whose
 * field count differs from the header's are skipped and counted; absent
 * columns read as NAN; only the columns without which nothing can be said
 * (workload, mode, size, alloc, threads, status, ns_per_op) are required. */
#include "resultsdb.h"
#include "contend.h"
#include "files.h"
#include "readback.h"
#include "units.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *const ct_metric_col[CT_NMETRICS] = {
	[CT_M_NS] = "ns_per_op",        [CT_M_OPS] = "ops_per_s",
	[CT_M_BYTES] = "bytes_per_op",  [CT_M_ALLOCS] = "allocs_per_op",
	[CT_M_MINFLT] = "minflt_per_op", [CT_M_VCSW] = "vcsw_per_op",
	[CT_M_IVCSW] = "ivcsw_per_op",  [CT_M_P50] = "p50_ns",
	[CT_M_P99] = "p99_ns",          [CT_M_P999] = "p999_ns",
	[CT_M_WAIT] = "wait_ns_per_op", [CT_M_PROD] = "prod_ns_per_op",
	[CT_M_CONS] = "cons_ns_per_op",
	[CT_M_EXTRA] = NULL,
};

/* ---------------------------------------------------------------- files */

/* ---------------------------------------------------------------- interning */

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static int grow_htab(ct_rdir_t *d)
{
	size_t cap = d->hcap ? d->hcap * 2 : 256;
	unsigned *t = malloc(cap * sizeof *t);
	if (!t)
		return -1;
	memset(t, 0xff, cap * sizeof *t);
	for (size_t i = 0; i < d->nstr; i++) {
		size_t h = hash_str(d->str[i]) & (cap - 1);
		while (t[h] != ~0u)
			h = (h + 1) & (cap - 1);
		t[h] = (unsigned)i;
	}
	free(d->htab);
	d->htab = t;
	d->hcap = cap;
	return 0;
}

/* Slot of s in the index: holding its id, or empty (~0u). */
static size_t slot_of(const ct_rdir_t *d, const char *s)
{
	size_t h = hash_str(s) & (d->hcap - 1);
	while (d->htab[h] != ~0u && strcmp(d->str[d->htab[h]], s) != 0)
		h = (h + 1) & (d->hcap - 1);
	return h;
}

int ct_rdir_id(const ct_rdir_t *d, const char *s)
{
	if (!d->hcap)
		return -1;
	unsigned id = d->htab[slot_of(d, s)];
	return id == ~0u ? -1 : (int)id;
}

/* Id of s, added when new; -1 when out of memory. */
static int intern(ct_rdir_t *d, const char *s)
{
	if ((d->nstr + 1) * 2 > d->hcap && grow_htab(d))
		return -1;
	size_t h = slot_of(d, s);
	if (d->htab[h] != ~0u)
		return (int)d->htab[h];
	if (d->nstr == d->capstr) {
		size_t cap = d->capstr ? d->capstr * 2 : 64;
		char **ns = realloc(d->str, cap * sizeof *ns);
		if (!ns)
			return -1;
		d->str = ns;
		d->capstr = cap;
	}
	if (!(d->str[d->nstr] = strdup(s)))
		return -1;
	d->htab[h] = (unsigned)d->nstr;
	return (int)d->nstr++;
}

/* ---------------------------------------------------------------- machine.json */

static void load_machine(ct_rdir_t *d, const char *dir)
{
	char p[4200];
	snprintf(p, sizeof p, "%s/machine.json", dir);
	char why[4400];
	char *text = ct_read_file(p, CT_FILE_CAP, NULL, why, sizeof why);
	if (!text) {
		if (errno != ENOENT) /* absent is said by the report; anything else here */
			ct_warn("machine.json ignored: %s", why);
		return;
	}
	ct_kvs_t kvs = {0};
	ct_json_flatten(text, &kvs); /* on malformed input, what was read before */
	free(text);
	d->kv = kvs.kv;
	d->nkv = kvs.n;
	d->has_machine = d->nkv > 0;
	const char *c = ct_rdir_kv(d, "complete");
	d->complete = !d->has_machine || !c || strcmp(c, "false") != 0;
}

const char *ct_rdir_kv(const ct_rdir_t *d, const char *key)
{
	ct_kvs_t kvs = {.kv = d->kv, .n = d->nkv};
	return ct_kvs_get(&kvs, key);
}

const char *ct_rdir_alloc_version(const ct_rdir_t *d, const char *name)
{
	for (unsigned i = 0;; i++) {
		char k[64];
		snprintf(k, sizeof k, "allocators[%u].name", i);
		const char *n = ct_rdir_kv(d, k);
		if (!n)
			return "";
		if (strcmp(n, name) == 0) {
			snprintf(k, sizeof k, "allocators[%u].version", i);
			const char *v = ct_rdir_kv(d, k);
			return v ? v : "";
		}
	}
}

/* ---------------------------------------------------------------- results.csv */

enum { C_WORKLOAD, C_MODE, C_SIZE, C_SIZE_BYTES, C_ALLOC, C_THREADS, C_PLACE, C_REP,
       C_STATUS, C_ERROR, C_PARAMS, C_NKEYS };
static const char *const key_col[C_NKEYS] = {
	"workload", "mode", "size", "size_bytes", "alloc", "threads", "place", "rep", "status",
	"error", "params",
};
static const bool key_required[C_NKEYS] = {
	[C_WORKLOAD] = true, [C_MODE] = true, [C_SIZE] = true, [C_ALLOC] = true,
	[C_THREADS] = true, [C_STATUS] = true,
};

typedef struct {
	int key[C_NKEYS];        /* field index of each key column, -1: absent */
	int metric[CT_NMETRICS]; /* field index of each metric, -1: absent */
	size_t nfields;
} layout_t;

static int read_header(char *line, const char *extra, layout_t *L, ct_rdir_t *d, char *err,
		       size_t len)
{
	char *f[256];
	L->nfields = ct_csv_split(line, f, 256);
	for (int k = 0; k < C_NKEYS; k++)
		L->key[k] = -1;
	for (int m = 0; m < CT_NMETRICS; m++)
		L->metric[m] = -1;
	for (size_t i = 0; i < L->nfields; i++) {
		for (int k = 0; k < C_NKEYS; k++)
			if (strcmp(f[i], key_col[k]) == 0)
				L->key[k] = (int)i;
		for (int m = 0; m < CT_NMETRICS; m++) {
			const char *name = m == CT_M_EXTRA ? extra : ct_metric_col[m];
			if (name && strcmp(f[i], name) == 0)
				L->metric[m] = (int)i;
		}
	}
	for (int k = 0; k < C_NKEYS; k++)
		if (key_required[k] && L->key[k] < 0)
			return snprintf(err, len, "results.csv has no '%s' column", key_col[k]), -1;
	if (L->metric[CT_M_NS] < 0)
		return snprintf(err, len, "results.csv has no 'ns_per_op' column"), -1;
	if (extra && L->metric[CT_M_EXTRA] < 0)
		return snprintf(err, len, "results.csv has no column '%s'", extra), -1;
	/* a key or text column is no figure: every row would read as malformed */
	for (int k = 0; extra && k < C_NKEYS; k++)
		if (strcmp(extra, key_col[k]) == 0 && k != C_THREADS && k != C_SIZE_BYTES &&
		    k != C_REP)
			return snprintf(err, len, "results.csv has no column '%s' that is numeric",
					extra), -1;
	if (extra && strcmp(extra, "alloc_stats") == 0)
		return snprintf(err, len, "results.csv has no column '%s' that is numeric", extra), -1;
	for (int m = 0; m < CT_NMETRICS; m++)
		d->has_col[m] = L->metric[m] >= 0;
	return 0;
}

/* A figure, or NaN for an empty field. inf, nan and trailing garbage are
 * not figures either: *bad says so, so that the row is counted malformed
 * instead of giving "HOLDS inf x". */
static double num(const char *s, bool *bad)
{
	char *end;
	double v = strtod(s, &end);
	if (end == s && !*s)
		return NAN;
	if (end == s || *end || !isfinite(v)) {
		*bad = true;
		return NAN;
	}
	return v;
}

static const char *field(char **f, const layout_t *L, int k, const char *dflt)
{
	return L->key[k] >= 0 ? f[L->key[k]] : dflt;
}

/* The workload's name, with its parameters when it has any: "churn/k=64/batch=8"
 * (params "k=64;batch=8"), so that each parameter set is a benchmark of its own. */
static const char *workload_name(char **f, const layout_t *L, char *buf, size_t len)
{
	const char *w = f[L->key[C_WORKLOAD]], *p = field(f, L, C_PARAMS, "");
	if (!*p)
		return w;
	snprintf(buf, len, "%s/%s", w, p);
	for (char *c = buf; *c; c++)
		*c = *c == ';' ? '/' : *c;
	return buf;
}

/* Fill r from one split line; -1: malformed, -2: out of memory. */
static int parse_row(ct_rdir_t *d, char **f, const layout_t *L, ct_row_t *r)
{
	uint64_t sz = 0;
	ct_err_t e;
	const char *sb = field(f, L, C_SIZE_BYTES, "");
	char *end;
	unsigned long long v = strtoull(sb, &end, 10);
	if (*sb && !*end)
		sz = v;
	else if (ct_parse_size(f[L->key[C_SIZE]], &sz, &e))
		return -1;
	long t = strtol(f[L->key[C_THREADS]], &end, 10);
	if (*end || t < 1 || t > CT_MAX_THREADS) /* beyond: not a thread count contend runs */
		return -1;
	char wl[512];
	int ids[7] = {intern(d, workload_name(f, L, wl, sizeof wl)), intern(d, f[L->key[C_MODE]]),
		      intern(d, f[L->key[C_SIZE]]), intern(d, f[L->key[C_ALLOC]]),
		      intern(d, field(f, L, C_PLACE, "-")), intern(d, field(f, L, C_ERROR, "")),
		      intern(d, f[L->key[C_STATUS]])};
	for (int i = 0; i < 7; i++)
		if (ids[i] < 0)
			return -2;
	*r = (ct_row_t){.workload = (unsigned)ids[0], .mode = (unsigned)ids[1],
			.size = (unsigned)ids[2], .alloc = (unsigned)ids[3],
			.place = (unsigned)ids[4], .error = (unsigned)ids[5],
			.status = (unsigned)ids[6], .size_bytes = sz,
			.threads = (unsigned)t,
			.rep = (unsigned)strtoul(field(f, L, C_REP, "0"), NULL, 10),
			.ok = strcmp(f[L->key[C_STATUS]], "ok") == 0,
			.rejected = strcmp(f[L->key[C_STATUS]], "rejected") == 0};
	bool bad = false;
	for (int m = 0; m < CT_NMETRICS; m++)
		r->m[m] = L->metric[m] >= 0 ? num(f[L->metric[m]], &bad) : NAN;
	if (bad)
		return -1;
	if (r->ok && !(r->m[CT_M_NS] > 0))
		r->ok = false; /* an "ok" row without a time cannot be used */
	return 0;
}

static int add_row(ct_rdir_t *d, size_t *cap, const ct_row_t *r)
{
	if (d->nrows == *cap) {
		size_t nc = *cap ? *cap * 2 : 1024;
		ct_row_t *nr = realloc(d->rows, nc * sizeof *nr);
		if (!nr)
			return -1;
		d->rows = nr;
		*cap = nc;
	}
	d->rows[d->nrows++] = *r;
	return 0;
}

static int parse_rows(ct_rdir_t *d, char *text, const layout_t *L)
{
	size_t cap = 0;
	char *f[256];
	for (char *line = text, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		line[strcspn(line, "\r")] = '\0';
		if (!*line)
			continue;
		ct_row_t r;
		int rc = ct_csv_split(line, f, 256) == L->nfields ? parse_row(d, f, L, &r) : -1;
		if (rc == -2 || (rc == 0 && add_row(d, &cap, &r)))
			return -1;
		d->nbad += rc == -1;
	}
	return 0;
}

static int load_csv(ct_rdir_t *d, const char *csv, const char *extra, char *err, size_t len)
{
	char why[4400];
	char *text = ct_read_file(csv, CT_FILE_CAP, NULL, why, sizeof why);
	if (!text)
		return snprintf(err, len, "cannot read %s", why), CT_LOAD_IO;
	layout_t L;
	char *body = strchr(text, '\n');
	if (body)
		*body++ = '\0';
	text[strcspn(text, "\r")] = '\0';
	int rc = read_header(text, extra, &L, d, err, len) ? CT_LOAD_BADARG : CT_LOAD_OK;
	if (rc == CT_LOAD_OK && body && parse_rows(d, body, &L)) {
		snprintf(err, len, "out of memory reading '%s'", csv);
		rc = CT_LOAD_IO;
	}
	free(text);
	return rc;
}

/* ---------------------------------------------------------------- groups */

static const ct_rdir_t *sort_dir; /* qsort has no context argument in C11 */

static int cmp_key(const ct_row_t *a, const ct_row_t *b)
{
	if (a->workload != b->workload)
		return a->workload < b->workload ? -1 : 1;
	if (a->mode != b->mode)
		return a->mode < b->mode ? -1 : 1;
	if (a->size_bytes != b->size_bytes)
		return a->size_bytes < b->size_bytes ? -1 : 1;
	if (a->alloc != b->alloc)
		return a->alloc < b->alloc ? -1 : 1;
	if (a->place != b->place)
		return a->place < b->place ? -1 : 1;
	if (a->threads != b->threads)
		return a->threads < b->threads ? -1 : 1;
	return 0;
}

static int cmp_row_idx(const void *x, const void *y)
{
	const ct_row_t *a = &sort_dir->rows[*(const size_t *)x], *b = &sort_dir->rows[*(const size_t *)y];
	int c = cmp_key(a, b);
	if (c)
		return c;
	return (a->rep > b->rep) - (a->rep < b->rep);
}

static void fill_group(ct_rdir_t *d, ct_group_t *g, const size_t *idx, size_t n, double **store)
{
	const ct_row_t *r0 = &d->rows[idx[0]];
	*g = (ct_group_t){.workload = r0->workload, .mode = r0->mode, .size = r0->size,
			  .alloc = r0->alloc, .place = r0->place, .size_bytes = r0->size_bytes,
			  .threads = r0->threads};
	for (size_t i = 0; i < n; i++) {
		const ct_row_t *r = &d->rows[idx[i]];
		if (!r->ok && !r->rejected && !g->nfailed++)
			g->error = r->error;
		g->nok += r->ok;
		g->nrejected += r->rejected;
	}
	for (int m = 0; m < CT_NMETRICS; m++) {
		g->v[m] = *store;
		*store += g->nok;
		for (size_t i = 0, k = 0; i < n; i++)
			if (d->rows[idx[i]].ok)
				g->v[m][k++] = d->rows[idx[i]].m[m];
	}
	ct_summarize(g->v[CT_M_NS], g->nok, &g->ns);
}

static int build_groups(ct_rdir_t *d)
{
	size_t n = d->nrows, *idx = malloc((n ? n : 1) * sizeof *idx);
	d->vals = malloc((n ? n : 1) * CT_NMETRICS * sizeof *d->vals);
	d->groups = calloc(n ? n : 1, sizeof *d->groups);
	if (!idx || !d->vals || !d->groups)
		return free(idx), -1;
	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	sort_dir = d;
	qsort(idx, n, sizeof *idx, cmp_row_idx);
	double *store = d->vals;
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && cmp_key(&d->rows[idx[i]], &d->rows[idx[j]]) == 0)
			j++;
		fill_group(d, &d->groups[d->ngroups++], idx + i, j - i, &store);
		d->nfailed += d->groups[d->ngroups - 1].nfailed;
		d->nrejected += d->groups[d->ngroups - 1].nrejected;
		i = j;
	}
	free(idx);
	return 0;
}

static void count_places(ct_rdir_t *d)
{
	unsigned seen[64];
	d->nplaces = 0;
	for (size_t g = 0; g < d->ngroups; g++) {
		size_t k = 0;
		while (k < d->nplaces && seen[k] != d->groups[g].place)
			k++;
		if (k == d->nplaces && d->nplaces < 64)
			seen[d->nplaces++] = d->groups[g].place;
	}
}

static int cmp_group_key(const ct_group_t *a, const ct_group_t *b)
{
	ct_row_t ra = {.workload = a->workload, .mode = a->mode, .size_bytes = a->size_bytes,
		       .alloc = a->alloc, .place = a->place, .threads = a->threads};
	ct_row_t rb = {.workload = b->workload, .mode = b->mode, .size_bytes = b->size_bytes,
		       .alloc = b->alloc, .place = b->place, .threads = b->threads};
	return cmp_key(&ra, &rb);
}

const ct_group_t *ct_rdir_find(const ct_rdir_t *d, unsigned workload, unsigned mode,
			       uint64_t size_bytes, unsigned alloc, unsigned place,
			       unsigned threads)
{
	ct_group_t key = {.workload = workload, .mode = mode, .size_bytes = size_bytes,
			  .alloc = alloc, .place = place, .threads = threads};
	size_t lo = 0, hi = d->ngroups;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = cmp_group_key(&d->groups[mid], &key);
		if (c == 0)
			return &d->groups[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* ---------------------------------------------------------------- queries */

static int cmp_unsigned(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
	return (x > y) - (x < y);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

size_t ct_rdir_threads(const ct_rdir_t *d, int workload, unsigned *out, size_t max)
{
	size_t n = 0;
	for (size_t g = 0; g < d->ngroups; g++) {
		const ct_group_t *gr = &d->groups[g];
		if (workload >= 0 && gr->workload != (unsigned)workload)
			continue;
		size_t k = 0;
		while (k < n && out[k] != gr->threads)
			k++;
		if (k == n && n < max)
			out[n++] = gr->threads;
	}
	qsort(out, n, sizeof *out, cmp_unsigned);
	return n;
}

size_t ct_rdir_sizes(const ct_rdir_t *d, int workload, uint64_t *out, size_t max)
{
	size_t n = 0;
	for (size_t g = 0; g < d->ngroups; g++) {
		const ct_group_t *gr = &d->groups[g];
		if (workload >= 0 && gr->workload != (unsigned)workload)
			continue;
		size_t k = 0;
		while (k < n && out[k] != gr->size_bytes)
			k++;
		if (k == n && n < max)
			out[n++] = gr->size_bytes;
	}
	qsort(out, n, sizeof *out, cmp_u64);
	return n;
}

/* ---------------------------------------------------------------- load */

static void make_label(ct_rdir_t *d)
{
	const char *cpu = ct_rdir_kv(d, "cpu.model"), *arch = ct_rdir_kv(d, "os.arch"),
		   *started = ct_rdir_kv(d, "started");
	if (!d->has_machine || !cpu) {
		const char *base = strrchr(d->path, '/');
		snprintf(d->label, sizeof d->label, "%.200s", base && base[1] ? base + 1 : d->path);
		return;
	}
	char when[32] = "";
	if (started) /* 2026-11-26T00:43:15+0000 -> 2026-11-26 00:43 */
		snprintf(when, sizeof when, ", %.10s %.5s", started,
			 strlen(started) > 11 ? started + 11 : "");
	snprintf(d->label, sizeof d->label, "%.160s, %.32s%s", cpu, arch ? arch : "?", when);
}

void ct_rdir_unique_labels(ct_rdir_t *dirs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(dirs[i].label, dirs[j].label) == 0) {
				size_t l = strlen(dirs[i].label);
				snprintf(dirs[i].label + l, sizeof dirs[i].label - l, " (%s)",
					 dirs[i].path);
				break;
			}
}

/* path is a directory holding results.csv, or a results.csv file. */
static int locate(const char *path, ct_rdir_t *d, char *csv, size_t clen, char *err, size_t len)
{
	struct stat st;
	if (stat(path, &st))
		return snprintf(err, len, "'%s': %s", path, strerror(errno)), CT_LOAD_BADARG;
	snprintf(d->path, sizeof d->path, "%s", path);
	if (S_ISDIR(st.st_mode)) {
		snprintf(csv, clen, "%s/results.csv", path);
		if (access(csv, F_OK))
			return snprintf(err, len, "'%s': not a results directory (no results.csv)",
					path), CT_LOAD_BADARG;
		return CT_LOAD_OK;
	}
	snprintf(csv, clen, "%s", path);
	char *slash = strrchr(d->path, '/');
	if (slash)
		*slash = '\0';
	else
		snprintf(d->path, sizeof d->path, ".");
	return CT_LOAD_OK;
}

int ct_rdir_load(const char *path, const char *extra, ct_rdir_t *d, char *err, size_t len)
{
	memset(d, 0, sizeof *d);
	char csv[4200];
	int rc = locate(path, d, csv, sizeof csv, err, len);
	if (rc)
		return rc;
	if (intern(d, "") < 0)
		return snprintf(err, len, "out of memory"), CT_LOAD_IO;
	load_machine(d, d->path);
	make_label(d);
	rc = load_csv(d, csv, extra, err, len);
	/* said on stderr too: compare prints no directory lines */
	if (rc == CT_LOAD_OK && !d->has_machine)
		ct_warn("%s: no machine.json: the machine, the allocator versions and whether the "
			"study finished are unknown", d->path);
	if (rc == CT_LOAD_OK && d->nbad)
		ct_warn("%s: %zu malformed row(s) of results.csv skipped (wrong number of fields, "
			"a figure that is not a finite number, a thread count out of range)",
			d->path, d->nbad);
	if (rc == CT_LOAD_OK && build_groups(d)) {
		snprintf(err, len, "out of memory grouping '%s'", csv);
		rc = CT_LOAD_IO;
	}
	if (rc)
		ct_rdir_free(d);
	else
		count_places(d);
	return rc;
}

void ct_rdir_free(ct_rdir_t *d)
{
	for (size_t i = 0; i < d->nkv; i++) {
		free(d->kv[i].key);
		free(d->kv[i].val);
	}
	for (size_t i = 0; i < d->nstr; i++)
		free(d->str[i]);
	free(d->kv);
	free(d->str);
	free(d->htab);
	free(d->rows);
	free(d->groups);
	free(d->vals);
	memset(d, 0, sizeof *d);
}
