/* resume.c — `contend run --resume DIR`: an interrupted study continued as
 * if it had not stopped.
 *
 *   ct_resume_config()  the plan: the options machine.json recorded, through
 *                       the same parser as the command line (cli.c)
 *   ct_resume_open()    results.csv read back into the kept repetitions, a
 *                       row cut by the interruption dropped, both results
 *                       files opened to append
 *   ct_resume_allocs()  the allocators that ran before run now, unchanged
 *
 * The driver then replays the recorded order (same plan, same seed): a
 * repetition results.csv holds is put in place when the order reaches it,
 * one it lacks is measured there. So the extra rounds are decided from the
 * same repetitions, kept and new, as in a run that did not stop. A failed
 * or rejected repetition is done too: running it again would add a
 * repetition the uninterrupted order does not have. */
#include "files.h"
#include "readback.h"
#include "study.h"
#include "window.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* machine.json is a few KiB; anything near this is not ours */
#define MACHINE_CAP ((size_t)16 << 20)

/* ---------------------------------------------------------------- the recorded plan */

static _Noreturn void refuse(const char *dir, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static _Noreturn void refuse(const char *dir, const char *fmt, ...)
{
	char why[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	ct_usage_error("--resume: bad value '%s': %s", dir, why);
}

/* DIR/machine.json flattened into kv; 0, or -1 with err set. */
static int read_machine(const char *dir, ct_kvs_t *kv, char *err, size_t len)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/machine.json", dir);
	char *text = ct_read_file(path, MACHINE_CAP, NULL, err, len);
	if (!text) {
		if (errno == ENOENT)
			snprintf(err, len, "holds no machine.json: not a study of contend run, or one "
				 "stopped before it recorded its plan (run it again)");
		return -1;
	}
	bool ok = ct_json_flatten(text, kv);
	free(text);
	if (!ok || !ct_kvs_get(kv, "contend_version") || !ct_kvs_get(kv, "plan.shuffle_seed") ||
	    !ct_kvs_get(kv, "complete")) {
		snprintf(err, len, "its machine.json is unreadable or not one contend run writes");
		return -1;
	}
	return 0;
}

/* The study in dir may be resumed by this contend: it stopped, and it was
 * started by this version, which recorded its options. */
static void check_resumable(const char *dir, const ct_kvs_t *kv)
{
	const char *ver = ct_kvs_get(kv, "contend_version");
	if (strcmp(ct_kvs_get(kv, "complete"), "false") != 0)
		refuse(dir, "the study is complete (machine.json says complete: true): nothing to "
			    "resume");
	if (strcmp(ver, CT_VERSION) != 0)
		refuse(dir, "started by contend %s, this is %s: resume it with the contend that "
			    "started it", ver, CT_VERSION);
	if (!ct_kvs_get(kv, "plan.options[0]"))
		refuse(dir, "machine.json records no plan options (a contend without --resume "
			    "wrote it): start the study again");
}

void ct_resume_config(const char *dir, ct_config_t *cfg, unsigned cores)
{
	struct stat st;
	ct_kvs_t kv = {0};
	char err[4400];
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		refuse(dir, "no such directory");
	if (read_machine(dir, &kv, err, sizeof err))
		refuse(dir, "%s", err);
	check_resumable(dir, &kv);
	char *argv[CT_MAX_OPTIONS + 2] = {"run"};
	int argc = 1;
	for (unsigned i = 0; argc <= CT_MAX_OPTIONS; i++) {
		char k[64];
		snprintf(k, sizeof k, "plan.options[%u]", i);
		if (!(argv[argc] = (char *)ct_kvs_get(&kv, k)))
			break;
		argc++;
	}
	argv[argc] = NULL;
	_ct_cli_parse_recorded(argc, argv, cfg, cores);
	ct_kvs_free(&kv);
	if (strlen(dir) >= sizeof cfg->out)
		refuse(dir, "too long");
	snprintf(cfg->out, sizeof cfg->out, "%s", dir);
	snprintf(cfg->resume, sizeof cfg->resume, "%s", dir);
}

/* ---------------------------------------------------------------- results.csv */

/* A plan point and allocator by the columns that name it in results.csv. */
typedef struct {
	char key[640];
	uint32_t pt, a;
} pkey_t;

static int by_key(const void *x, const void *y)
{
	return strcmp(((const pkey_t *)x)->key, ((const pkey_t *)y)->key);
}

/* workload, mode, size_bytes, alloc, threads, place, params: unit-separated */
static void row_key(char *buf, size_t len, const char *wl, const char *mode, const char *size,
		    const char *alloc, const char *threads, const char *place, const char *params)
{
	snprintf(buf, len, "%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s", wl, mode, size, alloc, threads,
		 place, params);
}

/* Every (point, allocator) of the plan by its key, sorted for bsearch. */
static pkey_t *plan_keys(const ct_study_t *s, size_t *n)
{
	size_t na = s->cfg->nallocs;
	pkey_t *k = malloc((s->npts * na + 1) * sizeof *k);
	for (size_t pt = 0; k && pt < s->npts; pt++) {
		const ct_plan_point_t *p = &s->pts[pt];
		char size[32], threads[16], params[256];
		snprintf(size, sizeof size, "%llu", (unsigned long long)p->size);
		snprintf(threads, sizeof threads, "%u", p->threads);
		ct_point_params(p, ";", params, sizeof params);
		for (size_t a = 0; a < na; a++) {
			pkey_t *e = &k[pt * na + a];
			row_key(e->key, sizeof e->key, p->wl->name, p->wl->modes[p->mode], size,
				s->cfg->allocs[a].label, threads, ct_place_name(s->cfg->place), params);
			e->pt = (uint32_t)pt;
			e->a = (uint32_t)a;
		}
	}
	if (k)
		qsort(k, s->npts * na, sizeof *k, by_key);
	*n = s->npts * na;
	return k;
}

/* The columns read back, by name: a column added to results.csv later
 * moves the others without breaking this. */
enum { K_WORKLOAD, K_MODE, K_SIZE, K_ALLOC, K_THREADS, K_PLACE, K_PARAMS, K_REP, K_STATUS,
       K_ATTEMPTS, K_ASTATS, K_ERROR, K_NCOLS };
static const char *const key_names[K_NCOLS] = {
	"workload", "mode", "size_bytes", "alloc", "threads", "place", "params", "rep", "status",
	"attempts", "alloc_stats", "error",
};

typedef struct {
	char *hdr_copy;
	char *name[128];
	size_t n;             /* columns of the header */
	int key[K_NCOLS];
} layout_t;

static int layout(layout_t *L)
{
	L->hdr_copy = strdup(ct_csv_header);
	if (!L->hdr_copy)
		return -1;
	L->hdr_copy[strcspn(L->hdr_copy, "\n")] = '\0';
	L->n = ct_csv_split(L->hdr_copy, L->name, 128);
	for (int k = 0; k < K_NCOLS; k++) {
		L->key[k] = -1;
		for (size_t i = 0; i < L->n; i++)
			if (strcmp(L->name[i], key_names[k]) == 0)
				L->key[k] = (int)i;
		if (L->key[k] < 0)
			return -1;
	}
	return 0;
}

static int col(const layout_t *L, const char *name)
{
	for (size_t i = 0; i < L->n; i++)
		if (strcmp(L->name[i], name) == 0)
			return (int)i;
	return -1;
}

/* A figure column: NaN when empty (not measured) or absent. */
static double fig(const layout_t *L, char **f, const char *name)
{
	int i = col(L, name);
	return i < 0 || !*f[i] ? NAN : strtod(f[i], NULL);
}

static uint64_t count_of(const layout_t *L, char **f, const char *name)
{
	double v = fig(L, f, name);
	return isnan(v) || v < 0 ? 0 : (uint64_t)v;
}

/* The figures of a row back into the result it was written from. */
static void row_result(const layout_t *L, char **f, ct_result_t *r)
{
	r->iters = count_of(L, f, "iters_per_thread");
	r->rounds = (unsigned)count_of(L, f, "rounds");
	r->ns_per_op = fig(L, f, "ns_per_op");
	r->ns_min = fig(L, f, "ns_per_op_min_thread");
	r->ns_max = fig(L, f, "ns_per_op_max_thread");
	r->ops_per_s = fig(L, f, "ops_per_s");
	r->minflt_per_op = fig(L, f, "minflt_per_op");
	r->majflt_per_op = fig(L, f, "majflt_per_op");
	r->vcsw_per_op = fig(L, f, "vcsw_per_op");
	r->ivcsw_per_op = fig(L, f, "ivcsw_per_op");
	r->pinned_ok = (unsigned)count_of(L, f, "threads_pinned");
	r->pin_errors = (unsigned)count_of(L, f, "pin_errors");
	r->wall_ns = fig(L, f, "wall_ns");
	r->cycles_per_op = fig(L, f, "cycles_per_op");
	r->instr_per_op = fig(L, f, "instr_per_op");
	r->cache_misses_per_op = fig(L, f, "cache_misses_per_op");
	r->lat_batch = count_of(L, f, "lat_batch");
	r->lat_samples = count_of(L, f, "lat_samples");
	r->lat_p50_ns = fig(L, f, "p50_ns");
	r->lat_p99_ns = fig(L, f, "p99_ns");
	r->lat_p999_ns = fig(L, f, "p999_ns");
	r->lat_max_ns = fig(L, f, "max_ns");
	r->lat_mean_ns = fig(L, f, "lat_mean_ns");
	r->peak_rss_kib = fig(L, f, "peak_rss_kib");
	r->ops = count_of(L, f, "ops_total");
	r->overlap = fig(L, f, "overlap");
	r->cpu_share_min = fig(L, f, "cpu_share_min");
	r->wait_ns_per_op = fig(L, f, "wait_ns_per_op");
	r->prod_ns_per_op = fig(L, f, "prod_ns_per_op");
	r->cons_ns_per_op = fig(L, f, "cons_ns_per_op");
	r->allocs_per_op = r->bytes_per_op = NAN;
	snprintf(r->astats, sizeof r->astats, "%s", f[L->key[K_ASTATS]]);
	snprintf(r->err, sizeof r->err, "%s", f[L->key[K_ERROR]]);
}

typedef struct {
	ct_study_t *s;
	layout_t L;
	pkey_t *keys;
	size_t nkeys;
	size_t line;          /* of results.csv, for messages */
} reader_t;

/* One row (split into f) into s->kept. 0, or -1 with err set. */
static int keep_row(reader_t *R, char **f, char *err, size_t len)
{
	const int *k = R->L.key;
	pkey_t want = {.pt = 0}, *hit;
	row_key(want.key, sizeof want.key, f[k[K_WORKLOAD]], f[k[K_MODE]], f[k[K_SIZE]],
		f[k[K_ALLOC]], f[k[K_THREADS]], f[k[K_PLACE]], f[k[K_PARAMS]]);
	hit = bsearch(&want, R->keys, R->nkeys, sizeof want, by_key);
	char *end;
	unsigned long rep = strtoul(f[k[K_REP]], &end, 10);
	const char *st = f[k[K_STATUS]];
	bool ok = strcmp(st, "ok") == 0, rejected = strcmp(st, "rejected") == 0;
	if (!hit || *end || rep < 1 || rep > R->s->cfg->max_count ||
	    (!ok && !rejected && strcmp(st, "failed") != 0))
		return snprintf(err, len, "results.csv line %zu: %s %s %s B %s %s threads rep %s %s: "
				"not a repetition of the plan machine.json records",
				R->line, f[k[K_WORKLOAD]], f[k[K_MODE]], f[k[K_SIZE]],
				f[k[K_ALLOC]], f[k[K_THREADS]], f[k[K_REP]], st), -1;
	ct_record_t *rec = &R->s->kept[(hit->pt * R->s->cfg->nallocs + hit->a) *
				       R->s->cfg->max_count + (rep - 1)];
	if (rec->done)
		return snprintf(err, len, "results.csv line %zu: repetition %lu of %s %s %s B %s %s "
				"threads is there twice", R->line, rep, f[k[K_WORKLOAD]],
				f[k[K_MODE]], f[k[K_SIZE]], f[k[K_ALLOC]], f[k[K_THREADS]]), -1;
	rec->done = true;
	rec->ok = ok || rejected;
	rec->rejected = rejected;
	unsigned long attempts = strtoul(f[k[K_ATTEMPTS]], NULL, 10);
	rec->attempts = attempts >= 1 && attempts <= CT_WINDOW_TRIES ? (unsigned)attempts : 1;
	row_result(&R->L, f, &rec->r);
	return 0;
}

/* The rows of text (results.csv after its header) into s->kept. *end: the
 * offset after the last whole row. A last line without its newline or
 * with too few fields was cut by the interruption: not kept. Returns the
 * rows kept, or -1 with err set. */
static long read_rows(reader_t *R, char *text, size_t len, size_t *end, char *err, size_t elen)
{
	size_t hdr = strlen(ct_csv_header), at = hdr;
	long rows = 0;
	*end = hdr;
	for (R->line = 2; at < len; R->line++) {
		char *nl = memchr(text + at, '\n', len - at), *f[128];
		size_t next = nl ? (size_t)(nl - text) + 1 : len;
		if (!nl)
			break; /* cut: no newline */
		*nl = '\0';
		size_t nf = ct_csv_split(text + at, f, 128);
		if (nf != R->L.n) {
			if (next == len)
				break; /* cut: too few fields */
			return snprintf(err, elen, "results.csv line %zu has %zu fields, not %zu",
					R->line, nf, R->L.n), -1;
		}
		if (keep_row(R, f, err, elen))
			return -1;
		rows++;
		*end = at = next;
	}
	return rows;
}

/* ---------------------------------------------------------------- the files */

/* path opened to append; it is cut to what is kept only once the resume
 * is sure to go on (ct_resume_allocs), so that a refused one changes nothing. */
static FILE *open_append(const char *dir, const char *name, char *err, size_t len)
{
	char p[4200];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	int fd = ct_open_regular(p, O_WRONLY | O_APPEND, err, len);
	if (fd < 0)
		return NULL;
	FILE *f = fdopen(fd, "a");
	if (!f) {
		snprintf(err, len, "'%s': %s", p, strerror(errno));
		close(fd);
	}
	return f;
}

/* Is this line of results.txt a repetition (a result or a failed or
 * rejected one, written as a comment)? */
static bool txt_rep(const char *line)
{
	return strncmp(line, "Benchmark", 9) == 0 || strncmp(line, "# FAILED ", 9) == 0 ||
	       strncmp(line, "# REJECTED ", 11) == 0;
}

/* Where results.txt must end: after the line of the last repetition that
 * results.csv keeps (results.txt is written first: a kill between the two
 * leaves it one ahead). What follows was not finished: dropped. */
static size_t txt_keep(const char *text, size_t len, size_t rows, size_t *have)
{
	size_t at = 0, end = 0;
	*have = 0;
	while (at < len && *have < rows) {
		const char *nl = memchr(text + at, '\n', len - at);
		if (!nl)
			break;
		size_t next = (size_t)(nl - text) + 1;
		if (txt_rep(text + at))
			++*have;
		at = next;
		end = next;
	}
	return *have ? end : len;
}

/* results.txt brought to the repetitions results.csv keeps, then opened
 * to append. */
static int open_txt(ct_study_t *s, char *err, size_t len)
{
	char p[4200];
	size_t n = 0, have = 0;
	snprintf(p, sizeof p, "%s/results.txt", s->cfg->out);
	char *text = ct_read_file(p, CT_FILE_CAP, &n, err, len);
	if (!text)
		return -1;
	size_t keep = txt_keep(text, n, s->kept_rows, &have), extra = 0;
	for (size_t at = keep; at < n; at += strcspn(text + at, "\n") + 1)
		extra += txt_rep(text + at);
	if (have < s->kept_rows)
		ct_warn("%s holds %zu of the %zu repetitions results.csv holds (a write that failed?); "
			"results.csv has them all", p, have, s->kept_rows);
	else if (extra || (keep < n && text[n - 1] != '\n'))
		ct_warn("%s: %zu line(s) of repetitions results.csv lacks, or a line cut by the "
			"interruption, dropped", p, extra);
	free(text); /* what else follows (# unstable notes) is written again at the end */
	s->txt_keep = (off_t)keep;
	s->txt = open_append(s->cfg->out, "results.txt", err, len);
	return s->txt ? 0 : -1;
}

/* results.csv read back, checked against the plan, its cut row dropped,
 * and opened to append. */
static int open_csv(ct_study_t *s, char *text, size_t n, char *err, size_t len)
{
	reader_t R = {.s = s};
	size_t end = 0;
	R.keys = plan_keys(s, &R.nkeys);
	long rows = R.keys && layout(&R.L) == 0 ? read_rows(&R, text, n, &end, err, len) : -1;
	if (!R.keys || !R.L.hdr_copy)
		snprintf(err, len, "out of memory reading results.csv back");
	free(R.keys);
	free(R.L.hdr_copy);
	if (rows < 0)
		return -1;
	s->kept_rows = (size_t)rows;
	if (end < n) {
		s->dropped_rows = 1;
		ct_warn("%s/results.csv: its last row was cut by the interruption (%zu bytes): dropped, "
			"that repetition runs again", s->cfg->out, n - end);
	}
	if (!rows || s->cfg->dry_run) /* --dry-run: read, never opened to write */
		return 0;
	s->csv_keep = (off_t)end;
	s->csv = open_append(s->cfg->out, "results.csv", err, len);
	return s->csv ? 0 : -1;
}

/* The machine is the one that started the study. */
static int same_machine(const ct_study_t *s, char *err, size_t len)
{
	const char *model = ct_kvs_get(&s->prev, "cpu.model");
	const char *cores = ct_kvs_get(&s->prev, "cpu.cores");
	if (model && strcmp(model, s->machine.cpu_model) == 0 && cores &&
	    strtoul(cores, NULL, 10) == s->machine.cores)
		return 0;
	snprintf(err, len, "started on %s with %s cores, this is %s with %u: resume it where it "
		 "started", model ? model : "another machine", cores ? cores : "?",
		 s->machine.cpu_model, s->machine.cores);
	return -1;
}

int ct_resume_open(ct_study_t *s, char *err, size_t len)
{
	char p[4200];
	size_t n = 0;
	if (read_machine(s->cfg->out, &s->prev, err, len) || same_machine(s, err, len))
		return -1;
	s->kept = calloc(s->npts * s->cfg->nallocs * s->cfg->max_count, sizeof *s->kept);
	if (!s->kept)
		return snprintf(err, len, "out of memory for the kept repetitions"), -1;
	snprintf(p, sizeof p, "%s/results.csv", s->cfg->out);
	char *text = ct_read_file(p, CT_FILE_CAP, &n, err, len);
	if (!text && errno != ENOENT)
		return -1;
	size_t hdr = strlen(ct_csv_header), have = n < hdr ? n : hdr; /* a header cut short: no rows */
	if (text && strncmp(text, ct_csv_header, have) != 0) {
		free(text);
		return snprintf(err, len, "%s: its header is not the one this contend writes", p), -1;
	}
	int rc = text && n >= hdr ? open_csv(s, text, n, err, len) : 0;
	free(text);
	if (rc)
		return -1;
	if (!s->kept_rows) { /* nothing measured yet: the study starts over, same plan and seed */
		ct_note("%s: no repetition finished before the interruption: %s the study over",
			s->cfg->out, s->cfg->dry_run ? "would start" : "starting");
		return s->cfg->dry_run ? 0 : ct_out_open(s, err, len);
	}
	return s->cfg->dry_run ? 0 : open_txt(s, err, len);
}

/* ---------------------------------------------------------------- allocators */

/* What machine.json recorded of the allocator named label: verified, its
 * version. False when it was not measured (or is not listed). */
static bool ran_before(const ct_study_t *s, const char *label, const char **version)
{
	for (unsigned i = 0;; i++) {
		char k[64];
		snprintf(k, sizeof k, "allocators[%u].name", i);
		const char *name = ct_kvs_get(&s->prev, k);
		if (!name)
			return false;
		if (strcmp(name, label) != 0)
			continue;
		snprintf(k, sizeof k, "allocators[%u].version", i);
		*version = ct_kvs_get(&s->prev, k);
		snprintf(k, sizeof k, "allocators[%u].verified", i);
		const char *v = ct_kvs_get(&s->prev, k);
		return v && strcmp(v, "true") == 0;
	}
}

static bool has_kept(const ct_study_t *s, size_t a)
{
	for (size_t pt = 0; pt < s->npts; pt++)
		for (unsigned r = 0; r < s->cfg->max_count; r++)
			if (s->kept[(pt * s->cfg->nallocs + a) * s->cfg->max_count + r].done)
				return true;
	return false;
}

/* The results files cut to what is kept: the row the interruption cut,
 * the lines results.txt holds past results.csv. */
static int cut_files(ct_study_t *s, char *err, size_t len)
{
	if (ftruncate(fileno(s->csv), s->csv_keep) == 0 &&
	    ftruncate(fileno(s->txt), s->txt_keep) == 0)
		return 0;
	return snprintf(err, len, "cutting the results files of %s: %s", s->cfg->out,
			strerror(errno)), -1;
}

int ct_resume_allocs(ct_study_t *s, char *err, size_t len)
{
	for (size_t a = 0; a < s->cfg->nallocs; a++) {
		ct_alloc_state_t *st = &s->st[a];
		const char *label = s->cfg->allocs[a].label, *ver = NULL;
		bool before = ran_before(s, label, &ver);
		if (before && !st->usable)
			return snprintf(err, len, "%s ran in the interrupted study but cannot now: %s",
					label, st->why), -1;
		if (before && ver && strcmp(ver, st->version) != 0)
			return snprintf(err, len, "%s is version %s now, %s in the interrupted study: "
					"their figures would not compare", label, st->version, ver), -1;
		if (!before && has_kept(s, a))
			return snprintf(err, len, "results.csv holds repetitions of %s, which machine.json "
					"says was not measured", label), -1;
		if (!before && st->usable) { /* not in the recorded order: it stays out */
			st->usable = false;
			st->skipped = true;
			snprintf(st->why, sizeof st->why, "not measured in the study being resumed");
			ct_note("%s: skipped: not measured in the study being resumed", label);
		}
	}
	return cut_files(s, err, len);
}
