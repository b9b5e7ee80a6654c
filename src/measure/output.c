/* output.c — the results directory (results.txt in Go benchmark format,
 * results.csv, machine.json) and the terminal tables of a study.
 *
 * Files are appended one repetition at a time and flushed at once, so an
 * interrupted study keeps everything it finished. */
#include "child_ctl.h"
#include "files.h"
#include "stats.h"
#include "study.h"
#include "window.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <gnu/libc-version.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "ct_config.h"

/* ---------------------------------------------------------------- files */

/* Creates dir and its missing parents; on failure removes the ones it
 * made, so a refused --out leaves nothing behind. */
static int mkdir_p(const char *dir)
{
	char p[4096];
	size_t made[64], nmade = 0;
	snprintf(p, sizeof p, "%s", dir);
	size_t n = strlen(p);
	for (size_t i = 1; i <= n; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		char c = p[i];
		p[i] = '\0';
		int rc = mkdir(p, 0755);
		int e = errno;
		if (rc == 0 && nmade < 64)
			made[nmade++] = i;
		p[i] = c;
		if (rc && e != EEXIST) {
			while (nmade--) {
				p[made[nmade]] = '\0';
				rmdir(p);
			}
			errno = e;
			return -1;
		}
	}
	return 0;
}

/* A results file, created or emptied: a regular file only (a FIFO or a
 * device planted under the name would block or swallow the results). */
static FILE *open_in(const char *dir, const char *name, char *err, size_t len)
{
	char p[4200];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	int fd = ct_open_regular(p, O_WRONLY | O_CREAT | O_TRUNC, err, len);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "w");
	if (fd >= 0 && !f) {
		snprintf(err, len, "'%s': %s", p, strerror(errno));
		close(fd);
	}
	return f;
}

/* Notes the first write that failed (a full disk, a read-only or vanished
 * target): the driver stops the study at the next repetition rather than
 * go on losing results, and machine.json says why. */
static void check_written(ct_study_t *s, FILE *f, const char *name)
{
	if (fflush(f) == 0 && !ferror(f))
		return;
	int e = errno;
	if (!s->write_err[0])
		snprintf(s->write_err, sizeof s->write_err, "writing %.3000s/%s failed: %s",
			 s->cfg->out, name, strerror(e));
}

static const char *goarch(void)
{
	static struct utsname u;
	uname(&u);
	if (strcmp(u.machine, "x86_64") == 0)
		return "amd64";
	if (strcmp(u.machine, "aarch64") == 0)
		return "arm64";
	return u.machine;
}

static void config_key(const char *label, char *key, size_t len)
{
	size_t i = 0;
	for (; label[i] && i + 1 < len; i++) {
		char c = (char)tolower((unsigned char)label[i]);
		key[i] = (c == ':' || c == '=' || c == ',' || c == ' ') ? '.' : c;
	}
	key[i] = '\0';
}

const char ct_csv_header[] =
	"workload,mode,size,size_bytes,alloc,threads,place,rep,status,iters_per_thread,rounds,"
	"ns_per_op,ns_per_op_min_thread,ns_per_op_max_thread,spread_pct,ops_per_s,"
	"bytes_per_op,allocs_per_op,minflt_per_op,majflt_per_op,vcsw_per_op,ivcsw_per_op,"
	"threads_pinned,pin_errors,oversubscribed,wall_ns,params,cycles_per_op,instr_per_op,"
	"cache_misses_per_op,lat_batch,lat_samples,p50_ns,p99_ns,p999_ns,max_ns,lat_mean_ns,"
	"peak_rss_kib,gbps_per_thread,gbps_total,ops_total,overlap,cpu_share_min,attempts,"
	"wait_ns_per_op,prod_ns_per_op,cons_ns_per_op,"
	"alloc_stats,error\n";

int ct_out_open(ct_study_t *s, char *err, size_t len)
{
	const ct_config_t *cfg = s->cfg;
	struct stat st;
	bool existed = stat(cfg->out, &st) == 0;
	if (mkdir_p(cfg->out)) {
		snprintf(err, len, "cannot create '%s': %s", cfg->out, strerror(errno));
		return -1;
	}
	s->txt = open_in(cfg->out, "results.txt", err, len);
	s->csv = s->txt ? open_in(cfg->out, "results.csv", err, len) : NULL;
	if (!s->csv) {
		char p[4200];
		if (s->txt) {
			fclose(s->txt);
			snprintf(p, sizeof p, "%s/results.txt", cfg->out);
			unlink(p);
		}
		s->txt = NULL;
		if (!existed)
			rmdir(cfg->out);
		return -1;
	}
	return 0;
}

void ct_out_header(ct_study_t *s)
{
	const ct_config_t *cfg = s->cfg;
	char bt[32];
	fprintf(s->txt,
		"goos: linux\ngoarch: %s\ncpu: %s\npkg: contend\ncontend-version: %s\n"
		"cores: %u\nbenchtime: %s\ncount: %u\nns-per-op: per thread (mean over threads "
		"of thread time / thread operations)\niterations: operations of all threads\n",
		goarch(), s->machine.cpu_model, CT_VERSION, s->machine.cores,
		ct_format_benchtime(&cfg->bt, bt, sizeof bt), cfg->count);
	if (s->oversubscribed)
		fprintf(s->txt, "oversubscribed: yes (more threads than the %u cores)\n",
			s->machine.cores);
	fputs("Unit ops/s better=higher\nUnit B/op assume=exact\nUnit allocs/op assume=exact\n",
	      s->txt);
	fprintf(s->txt, "concurrency: a repetition counts when its threads overlapped >= %.2f of "
		"its span (not asked when oversubscribed) and each was on CPU >= %.2f of it (of "
		"cores/threads when oversubscribed); else it is run again, at most %d runs, then "
		"rejected\n",
		CT_MIN_OVERLAP, CT_MIN_CPU_SHARE, CT_WINDOW_TRIES);
	fprintf(s->txt, "latency: %s\nhardware-counters: %s\n",
		cfg->latency ? "batches of ~2us, mean per op; p50/p99/p99.9/max-ns units" : "off",
		s->counters);
	fputs(ct_csv_header, s->csv);
	check_written(s, s->txt, "results.txt");
	check_written(s, s->csv, "results.csv");
}

void ct_out_allocs(ct_study_t *s)
{
	for (size_t a = 0; a < s->cfg->nallocs; a++) {
		const ct_alloc_state_t *st = &s->st[a];
		char key[128];
		config_key(s->cfg->allocs[a].label, key, sizeof key);
		if (st->usable)
			fprintf(s->txt, "alloc-%s: %s %s verified%s%s\n", key, st->version, st->live,
				strcmp(st->tunables, "-") != 0 && st->tunables[0] ? " tunables " : "",
				strcmp(st->tunables, "-") != 0 && st->tunables[0] ? st->tunables : "");
		else
			fprintf(s->txt, "alloc-%s: not measured: %s\n", key, st->why);
	}
	check_written(s, s->txt, "results.txt");
}

/* Go prints ns/op with up to four significant figures. */
static void fmt_num(double v, char *buf, size_t len)
{
	if (isnan(v))
		snprintf(buf, len, "NaN");
	else if (fabs(v) >= 1000 || v == 0)
		snprintf(buf, len, "%.0f", v);
	else if (fabs(v) >= 10)
		snprintf(buf, len, "%.2f", v);
	else
		snprintf(buf, len, "%.4g", v);
}

/* Value of key in an allocator statistics string "k=v;k=v"; 0 if found. */
static int astat(const char *astats, const char *key, double *v)
{
	size_t klen = strlen(key);
	const char *p = astats;
	while (p && *p) {
		if (strncmp(p, key, klen) == 0 && p[klen] == '=') {
			*v = strtod(p + klen + 1, NULL);
			return 0;
		}
		p = strchr(p, ';');
		if (p)
			p++;
	}
	return -1;
}

static void txt_record(ct_study_t *s, size_t pt, size_t a, const ct_record_t *rec)
{
	const ct_plan_point_t *p = &s->pts[pt];
	const ct_result_t *r = &rec->r;
	char name[512], ns[32], ops[32];
	ct_out_bench_name(s, pt, a, name, sizeof name);
	if (!rec->ok || rec->rejected) { /* a comment: benchstat must not read it */
		fprintf(s->txt, "# %s Benchmark%s-%u: %s\n", rec->ok ? "REJECTED" : "FAILED", name,
			p->threads, r->err);
		return;
	}
	fmt_num(r->ns_per_op, ns, sizeof ns);
	snprintf(ops, sizeof ops, "%.4g", r->ops_per_s);
	fprintf(s->txt, "Benchmark%s-%u\t%llu\t%s ns/op", name, p->threads,
		(unsigned long long)r->ops, ns);
	if (!isnan(p->bytes_per_op[a]))
		fprintf(s->txt, "\t%.0f B/op\t%.3g allocs/op", p->bytes_per_op[a],
			p->allocs_per_op[a]);
	if (p->wl->bytes_moved && r->ns_per_op > 0) /* Go's SetBytes unit, per thread */
		fprintf(s->txt, "\t%.2f MB/s", (double)p->wl->bytes_moved(p->size) * 1e3 / r->ns_per_op);
	fprintf(s->txt, "\t%s ops/s\t%.3g minflt/op\t%.3g ctxsw/op\t%.3g spread-%%", ops,
		r->minflt_per_op, r->vcsw_per_op + r->ivcsw_per_op,
		100.0 * (r->ns_max - r->ns_min) / r->ns_per_op);
	if (p->wl->waits) /* part of ns/op spent waiting on another thread */
		fprintf(s->txt, "\t%.4g wait-ns/op", r->wait_ns_per_op);
	if (!isnan(r->prod_ns_per_op) && !isnan(r->cons_ns_per_op))
		fprintf(s->txt, "\t%.4g prod-ns/op\t%.4g cons-ns/op", r->prod_ns_per_op,
			r->cons_ns_per_op);
	if (r->lat_samples)
		fprintf(s->txt, "\t%.4g p50-ns\t%.4g p99-ns\t%.4g p99.9-ns\t%.4g max-ns", r->lat_p50_ns,
			r->lat_p99_ns, r->lat_p999_ns, r->lat_max_ns);
	if (!isnan(r->cycles_per_op))
		fprintf(s->txt, "\t%.4g cycles/op", r->cycles_per_op);
	if (!isnan(r->instr_per_op))
		fprintf(s->txt, "\t%.4g instructions/op", r->instr_per_op);
	if (!isnan(r->cache_misses_per_op))
		fprintf(s->txt, "\t%.4g cache-misses/op", r->cache_misses_per_op);
	double gc, share; /* a garbage-collected runtime's (go) cost per repetition */
	if (astat(r->astats, "gc_per_op", &gc) == 0 && astat(r->astats, "gc_cpu_share", &share) == 0)
		fprintf(s->txt, "\t%.4g gc/op\t%.3g gc-cpu-%%", gc, 100.0 * share);
	/* peak RSS in bytes, named so that benchstat scales it as binary (Ki, Mi) */
	fprintf(s->txt, "\t%.0f peak-RSS-bytes\t%.4f overlap\t%.4f cpu-share\n",
		r->peak_rss_kib * 1024, r->overlap, r->cpu_share_min);
}

/* ---------------------------------------------------------------- results.csv
 * RFC 4180: a field holding a comma or a quote is quoted, quotes doubled
 * (a variant label such as glibc:arena_max=1,tcache_count=0 is one
 * field). Line breaks become spaces so that one row stays one line, which
 * line-oriented tools and an interrupted study's last row rely on. */
static void csv_text(FILE *f, const char *v)
{
	bool quote = strpbrk(v, ",\"\r\n") != NULL;
	if (quote)
		fputc('"', f);
	for (; *v; v++) {
		if (*v == '"')
			fputc('"', f);
		fputc(*v == '\n' || *v == '\r' ? ' ' : *v, f);
	}
	if (quote)
		fputc('"', f);
}

static void csv_str(FILE *f, const char *v)
{
	csv_text(f, v);
	fputc(',', f);
}

/* A figure in fmt, or an empty field when it was not measured (NaN). */
static void csv_fig(FILE *f, const char *fmt, double v)
{
	if (!isnan(v))
		fprintf(f, fmt, v);
	fputc(',', f);
}

/* The point's keys: workload .. status. */
static void csv_keys(const ct_study_t *s, size_t pt, size_t a, unsigned rep,
		     const ct_record_t *rec)
{
	const ct_plan_point_t *p = &s->pts[pt];
	char size[32];
	csv_str(s->csv, p->wl->name);
	csv_str(s->csv, p->wl->modes[p->mode]);
	csv_str(s->csv, ct_format_size(p->size, size, sizeof size));
	fprintf(s->csv, "%llu,", (unsigned long long)p->size);
	csv_str(s->csv, s->cfg->allocs[a].label);
	fprintf(s->csv, "%u,", p->threads);
	csv_str(s->csv, ct_place_name(s->cfg->place));
	fprintf(s->csv, "%u,%s,", rep + 1,
		rec->rejected ? "rejected" : rec->ok ? "ok" : "failed");
}

/* A failed repetition measured nothing: its figure columns stay empty (a
 * 0.0 there would read as a measurement), its keys and error are kept. A
 * rejected one (its threads did not run together) keeps its figures: they
 * were measured, and only the medians leave them out; its error says why. */
static void csv_record(ct_study_t *s, size_t pt, size_t a, unsigned rep, const ct_record_t *rec)
{
	const ct_plan_point_t *p = &s->pts[pt];
	const ct_result_t *r = &rec->r;
	FILE *f = s->csv;
	bool ok = rec->ok, lat = ok && r->lat_samples > 0;
#define FIG(v) (ok ? (double)(v) : NAN)
#define LAT(v) (lat ? (double)(v) : NAN)
	csv_keys(s, pt, a, rep, rec);
	csv_fig(f, "%.0f", FIG(r->iters));
	csv_fig(f, "%.0f", FIG(r->rounds));
	csv_fig(f, "%.6g", FIG(r->ns_per_op));
	csv_fig(f, "%.6g", FIG(r->ns_min));
	csv_fig(f, "%.6g", FIG(r->ns_max));
	double spread = r->ns_per_op > 0 ? 100.0 * (r->ns_max - r->ns_min) / r->ns_per_op : NAN;
	csv_fig(f, "%.4g", FIG(spread));
	csv_fig(f, "%.6g", FIG(r->ops_per_s));
	/* the census's, not this repetition's; whole bytes to 1 GiB exact, as -benchmem */
	csv_fig(f, "%.10g", p->bytes_per_op[a]);
	csv_fig(f, "%.10g", p->allocs_per_op[a]);
	csv_fig(f, "%.4g", FIG(r->minflt_per_op));
	csv_fig(f, "%.4g", FIG(r->majflt_per_op));
	csv_fig(f, "%.4g", FIG(r->vcsw_per_op));
	csv_fig(f, "%.4g", FIG(r->ivcsw_per_op));
	csv_fig(f, "%.0f", FIG(r->pinned_ok));
	csv_fig(f, "%.0f", FIG(r->pin_errors));
	fprintf(f, "%d,", p->threads > s->machine.cores);
	csv_fig(f, "%.0f", FIG(r->wall_ns));
	char params[256];
	ct_point_params(p, ";", params, sizeof params);
	csv_str(f, params);
	csv_fig(f, "%.6g", FIG(r->cycles_per_op));
	csv_fig(f, "%.6g", FIG(r->instr_per_op));
	csv_fig(f, "%.6g", FIG(r->cache_misses_per_op));
	csv_fig(f, "%.0f", FIG(r->lat_batch));
	csv_fig(f, "%.0f", FIG(r->lat_samples));
	csv_fig(f, "%.6g", LAT(r->lat_p50_ns));
	csv_fig(f, "%.6g", LAT(r->lat_p99_ns));
	csv_fig(f, "%.6g", LAT(r->lat_p999_ns));
	csv_fig(f, "%.6g", LAT(r->lat_max_ns));
	csv_fig(f, "%.6g", LAT(r->lat_mean_ns));
	csv_fig(f, "%.6g", FIG(r->peak_rss_kib));
	double moved = p->wl->bytes_moved ? (double)p->wl->bytes_moved(p->size) : NAN;
	csv_fig(f, "%.6g", ok && r->ns_per_op > 0 ? moved / r->ns_per_op : NAN);
	csv_fig(f, "%.6g", FIG(moved * r->ops_per_s / 1e9));
	csv_fig(f, "%.0f", FIG(r->ops));
	csv_fig(f, "%.6g", FIG(r->overlap));
	csv_fig(f, "%.6g", FIG(r->cpu_share_min));
	fprintf(f, "%u,", rec->attempts); /* runs made, whatever their outcome */
	csv_fig(f, "%.6g", ok && p->wl->waits ? r->wait_ns_per_op : NAN);
	csv_fig(f, "%.6g", FIG(r->prod_ns_per_op));
	csv_fig(f, "%.6g", FIG(r->cons_ns_per_op));
#undef FIG
#undef LAT
	csv_str(f, r->astats);
	csv_text(f, ok && !rec->rejected ? "" : r->err);
	fputc('\n', f);
}

void ct_out_record(ct_study_t *s, size_t pt, size_t a, unsigned rep)
{
	const ct_record_t *rec = ct_rec(s, pt, a, rep);
	txt_record(s, pt, a, rec);
	csv_record(s, pt, a, rep, rec);
	check_written(s, s->txt, "results.txt");
	check_written(s, s->csv, "results.csv");
}

void ct_out_unstable(ct_study_t *s, size_t pt, size_t a)
{
	ct_summary_t sm;
	unsigned failed;
	char name[512];
	ct_point_summary(s, pt, a, &sm, &failed);
	ct_out_bench_name(s, pt, a, name, sizeof name);
	fprintf(s->txt, "# unstable: Benchmark%s-%u: 95%% CI ±%.1f%% after %zu repetitions\n", name,
		s->pts[pt].threads, ct_ci_pct(&sm), sm.n);
	check_written(s, s->txt, "results.txt");
}

void ct_out_resumed(ct_study_t *s)
{
	char at[64];
	strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%S%z", localtime(&s->started));
	fprintf(s->txt, "# resumed %s: the %zu repetitions above were kept from the interrupted "
		"run\n", at, s->kept_rows);
	check_written(s, s->txt, "results.txt");
}

/* A results file that could not be written completely is said so: a full
 * disk must not pass for a short study. */
static void close_checked(ct_study_t *s, FILE *f, const char *name)
{
	if (!f)
		return;
	check_written(s, f, name);
	if (fclose(f) != 0 && !s->write_err[0])
		snprintf(s->write_err, sizeof s->write_err, "closing %.3000s/%s failed: %s",
			 s->cfg->out, name, strerror(errno));
}

void ct_out_close(ct_study_t *s)
{
	close_checked(s, s->txt, "results.txt");
	close_checked(s, s->csv, "results.csv");
	s->txt = s->csv = NULL;
}

/* ---------------------------------------------------------------- machine.json */

static void json_str(FILE *f, const char *v)
{
	fputc('"', f);
	for (; *v; v++) {
		if (*v == '"' || *v == '\\')
			fprintf(f, "\\%c", *v);
		else if ((unsigned char)*v < 0x20)
			fprintf(f, "\\u%04x", *v);
		else
			fputc(*v, f);
	}
	fputc('"', f);
}

static void read_first_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	buf[0] = '\0';
	if (f) {
		if (fgets(buf, (int)len, f))
			buf[strcspn(buf, "\n")] = '\0';
		fclose(f);
	}
}

/* The allocator tuning found in contend's environment and kept from the
 * children (child_ctl.c), so that a reader sees what was not applied. */
static void json_cleared_env(FILE *f)
{
	extern char **environ;
	fputs("  \"cleared_environment\": [", f);
	size_t n = 0;
	for (char **e = environ; *e; e++)
		if (_ct_child_env_cleared(*e)) {
			fputs(n++ ? ", " : "", f);
			json_str(f, *e);
		}
	fputs("],\n", f);
}

static void json_allocs(const ct_study_t *s, FILE *f)
{
	fputs("  \"allocators\": [\n", f);
	for (size_t a = 0; a < s->cfg->nallocs; a++) {
		const ct_alloc_spec_t *sp = &s->cfg->allocs[a];
		const ct_alloc_state_t *st = &s->st[a];
		fputs("    {\"name\": ", f);
		json_str(f, sp->label);
		fputs(", \"adapter\": ", f);
		json_str(f, sp->adapter ? sp->adapter->name : "custom");
		fputs(", \"preload\": ", f);
		json_str(f, sp->path);
		fputs(", \"live_malloc\": ", f);
		json_str(f, st->live);
		fputs(", \"version\": ", f);
		json_str(f, st->version);
		fprintf(f, ", \"verified\": %s, \"environment\": [", st->usable ? "true" : "false");
		for (unsigned i = 0; i < sp->nenv; i++) {
			fputs(i ? ", " : "", f);
			json_str(f, sp->env[i]);
		}
		fputs("], \"tunables\": ", f);
		json_str(f, st->tunables[0] ? st->tunables : "-");
		fputs(", \"status\": ", f);
		char status[sizeof st->why + 16];
		snprintf(status, sizeof status, "skipped: %s", st->why);
		json_str(f, st->usable ? "ok" : st->skipped ? status : st->why);
		if (sp->exe[0]) { /* a runtime that is its own program (go) */
			fputs(", \"program\": ", f);
			json_str(f, sp->exe);
		}
		fprintf(f, "}%s\n", a + 1 < s->cfg->nallocs ? "," : "");
	}
	fputs("  ],\n", f);
}

/* The options that rebuild this plan, for --resume (cli.h). */
static void json_options(const ct_study_t *s, FILE *f)
{
	static char buf[CT_MAX_ALLOCS * 8192 + 16384]; /* -a NAME=/path for each, the rest */
	char *argv[CT_MAX_OPTIONS];
	size_t n = ct_cli_options(s->cfg, s->seed, argv, CT_MAX_OPTIONS, buf, sizeof buf);
	fputs(", \"options\": [", f);
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ", " : "", f);
		json_str(f, argv[i]);
	}
	fputs("]", f);
}

/* Each time the study was resumed: the earlier ones as the interrupted
 * study's machine.json listed them, then this one. */
static void json_resumed(const ct_study_t *s, FILE *f)
{
	if (!s->cfg->resume[0])
		return;
	fputs(",\n  \"resumed\": [", f);
	for (unsigned i = 0;; i++) {
		char k[64];
		snprintf(k, sizeof k, "resumed[%u].at", i);
		const char *at = ct_kvs_get(&s->prev, k);
		if (!at)
			break;
		snprintf(k, sizeof k, "resumed[%u].rows_kept", i);
		const char *kept = ct_kvs_get(&s->prev, k);
		snprintf(k, sizeof k, "resumed[%u].rows_dropped", i);
		const char *dropped = ct_kvs_get(&s->prev, k);
		snprintf(k, sizeof k, "resumed[%u].load_at_resume", i);
		const char *load = ct_kvs_get(&s->prev, k);
		fputs("{\"at\": ", f);
		json_str(f, at);
		fprintf(f, ", \"rows_kept\": %llu, \"rows_dropped\": %llu, \"load_at_resume\": %.2f}, ",
			kept ? strtoull(kept, NULL, 10) : 0ull,
			dropped ? strtoull(dropped, NULL, 10) : 0ull, load ? strtod(load, NULL) : 0.0);
	}
	char at[64];
	strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%S%z", localtime(&s->started));
	fputs("{\"at\": ", f);
	json_str(f, at);
	fprintf(f, ", \"rows_kept\": %zu, \"rows_dropped\": %zu, \"load_at_resume\": %.2f}]",
		s->kept_rows, s->dropped_rows, s->load_at_start);
}

static void json_body(const ct_study_t *s, FILE *f, double duration_s);

/* machine.json is replaced whole (a temporary file renamed over it), so a
 * failed write leaves the previous version — which says "complete": false
 * — rather than a cut one. */
void ct_out_machine(ct_study_t *s, double duration_s)
{
	char tmp[4200], path[4200], err[512];
	snprintf(tmp, sizeof tmp, "%s/.machine.json.tmp", s->cfg->out);
	snprintf(path, sizeof path, "%s/machine.json", s->cfg->out);
	unlink(tmp);
	int fd = ct_open_regular(tmp, O_WRONLY | O_CREAT | O_EXCL, err, sizeof err);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!f) {
		if (fd >= 0)
			close(fd);
		if (!s->write_err[0])
			snprintf(s->write_err, sizeof s->write_err, "writing machine.json: %s", err);
		return;
	}
	json_body(s, f, duration_s);
	bool bad = fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0;
	int e = errno;
	bad |= fclose(f) != 0;
	if (!bad && rename(tmp, path) == 0)
		return;
	unlink(tmp);
	if (!s->write_err[0])
		snprintf(s->write_err, sizeof s->write_err, "writing %.3000s failed: %s", path,
			 strerror(bad ? e : errno));
}

static void json_body(const ct_study_t *s, FILE *f, double duration_s)
{
	const ct_machine_t *m = &s->machine;
	struct utsname u;
	uname(&u);
	char gov[128], started[64];
	read_first_line("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", gov, sizeof gov);
	strftime(started, sizeof started, "%Y-%m-%dT%H:%M:%S%z", localtime(&s->started));
	const char *first = ct_kvs_get(&s->prev, "started"); /* resumed: when it began */
	const char *before = ct_kvs_get(&s->prev, "duration_s");
	const char *load = ct_kvs_get(&s->prev, "load_at_start");
	if (first)
		snprintf(started, sizeof started, "%s", first);
	if (before)
		duration_s += strtod(before, NULL);
	fputs("{\n  \"contend_version\": ", f);
	json_str(f, CT_VERSION);
	fputs(",\n  \"started\": ", f);
	json_str(f, started);
	fprintf(f, ",\n  \"duration_s\": %.2f,\n  \"complete\": %s,\n  \"interrupted_by\": ",
		duration_s, s->complete && !s->write_err[0] ? "true" : "false");
	json_str(f, s->stopped_by ? strsignal(s->stopped_by) : "");
	fputs(",\n  \"write_error\": ", f);
	json_str(f, s->write_err);
	fprintf(f, ",\n  \"load_at_start\": %.2f,\n", load ? strtod(load, NULL) : s->load_at_start);
	fprintf(f, "  \"os\": {\"kernel\": ");
	json_str(f, u.release);
	fputs(", \"arch\": ", f);
	json_str(f, u.machine);
	fputs(", \"goarch\": ", f);
	json_str(f, goarch());
	fputs(", \"libc\": ", f);
	json_str(f, gnu_get_libc_version());
	fputs(", \"governor\": ", f);
	json_str(f, gov[0] ? gov : "unknown");
	fputs("},\n  \"cpu\": {\"model\": ", f);
	json_str(f, m->cpu_model);
	fprintf(f,
		", \"packages\": %u, \"numa_nodes\": %u, \"cores\": %u, \"pus\": %u, "
		"\"cores_in_machine\": %u, \"cache_line\": %u, \"l1d_bytes\": %llu, \"l2_bytes\": %llu, "
		"\"l3_bytes\": %llu, \"l1d_count\": %u, \"l2_count\": %u, \"l3_count\": %u, "
		"\"memory_bytes\": %llu},\n",
		m->packages, m->numa_nodes, m->cores, m->pus, m->cores_total, m->line_bytes,
		(unsigned long long)m->cache_bytes[1], (unsigned long long)m->cache_bytes[2],
		(unsigned long long)m->cache_bytes[3], m->cache_count[1], m->cache_count[2],
		m->cache_count[3], (unsigned long long)m->mem_bytes);
	fputs("  \"counters\": ", f);
	json_str(f, s->counters);
	fputs(",\n  \"build\": {\"compiler\": ", f);
	json_str(f, CT_COMPILER);
	fputs(", \"flags\": ", f);
	json_str(f, CT_CFLAGS);
	fputs("},\n", f);
	json_cleared_env(f);
	json_allocs(s, f);
	char bt[32];
	fprintf(f, "  \"plan\": {\"benchtime\": \"%s\", \"count\": %u, \"place\": \"%s\", "
		   "\"points\": %zu, \"oversubscribed\": %s, \"failed_repetitions\": %u, "
		   "\"unstable_points\": %u, \"repetitions_off_their_pu\": %u, "
		   "\"runs_redone_not_concurrent\": %u, \"repetitions_rejected_not_concurrent\": %u, "
		   "\"min_overlap\": %.2f, \"min_cpu_share\": %.2f, \"order\": \"rounds over the "
		   "study, shuffled per round\", \"shuffle_seed\": %llu, \"extra_rounds\": %u, "
		   "\"extra_repetitions\": %u, \"ci_target_pct\": %g, \"max_count\": %u, "
		   "\"timeout_s\": %g, \"latency\": %s, \"filter\": ",
		ct_format_benchtime(&s->cfg->bt, bt, sizeof bt), s->cfg->count,
		ct_place_name(s->cfg->place), s->npts, s->oversubscribed ? "true" : "false",
		s->failed, s->unstable, s->pin_misses, s->redone, s->rejected, CT_MIN_OVERLAP,
		CT_MIN_CPU_SHARE, (unsigned long long)s->seed, s->extra_rounds, s->extra,
		s->cfg->ci_target_pct, s->cfg->max_count, (double)s->cfg->timeout_ns / 1e9,
		s->cfg->latency ? "true" : "false");
	json_str(f, s->cfg->filter);
	json_options(s, f);
	fputs("}", f);
	json_resumed(s, f);
	fputs("\n}\n", f);
}
