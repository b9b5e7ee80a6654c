/* export_json.c — results.json of a report: the results directory in the
 * shape of google/benchmark's JSON output, for the tools that read it.
 *   {"context": {date, num_cpus, ..., "machine": machine.json flattened},
 *    "benchmarks": [ one object per benchmark: its name as in results.txt,
 *                    its keys, "repetitions" (each good one's figures: not
 *                    the failed nor the rejected ones, only counted) and
 *                    "aggregates" (median with its 95% CI, mean, stddev, cv,
 *                    min, max) ]}
 * Times are per-thread ns/op ("time_unit": "ns", "real_time": the median).
 * Several directories: "context" is the first one's, "contexts" all of
 * them, and each benchmark says its directory in "dir" (0-based). Entry point: _ct_export_json(). */
#include "report_parts.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <string.h>
#include <strings.h>

/* ---------------------------------------------------------------- JSON */

static void jstr(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* A number, or null for NAN and infinities (JSON has neither). */
static void jnum(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, "%.10g", v);
	else
		fputs("null", f);
}

static void jkey_num(FILE *f, const char *k, double v, bool comma)
{
	fprintf(f, "%s\"%s\": ", comma ? ", " : "", k);
	jnum(f, v);
}

/* ---------------------------------------------------------------- names */

/* results.txt spells the workload as the benchmark does ("FalseShare");
 * results.csv in lower case. Read the spelling back from results.txt. */
static void bench_word(const ct_rdir_t *d, const char *workload, char *out, size_t len)
{
	char p[4200], line[1024];
	size_t n = strcspn(workload, "/");
	snprintf(out, len, "%.*s", (int)n, workload);
	if (out[0])
		out[0] = (char)toupper((unsigned char)out[0]);
	snprintf(p, sizeof p, "%.4000s/results.txt", d->path);
	FILE *f = fopen(p, "r");
	while (f && fgets(line, sizeof line, f)) {
		if (strncmp(line, "Benchmark", 9) != 0)
			continue;
		size_t w = strcspn(line + 9, "/");
		if (w == n && strncasecmp(line + 9, workload, n) == 0) {
			snprintf(out, len, "%.*s", (int)w, line + 9);
			break;
		}
	}
	if (f)
		fclose(f);
}

/* Groups come sorted by workload: results.txt is read once per workload
 * (reset for each file written). */
static const ct_rdir_t *last_d;
static unsigned last_wl;
static char word[128];

/* The results.txt name: BenchmarkSmaug/mode=heap/size=1KiB[/k=v…]/alloc=glibc/place=compact-2 */
static void bench_name(const ct_rdir_t *d, const ct_group_t *g, char *out, size_t len)
{
	const char *wl = ct_rstr(d, g->workload), *params = strchr(wl, '/');
	if (d != last_d || g->workload != last_wl || !word[0])
		bench_word(d, wl, word, sizeof word);
	last_d = d;
	last_wl = g->workload;
	snprintf(out, len, "Benchmark%s/mode=%s/size=%s%s/alloc=%s/place=%s-%u", word,
		 ct_rstr(d, g->mode), ct_rstr(d, g->size), params ? params : "", ct_rstr(d, g->alloc),
		 ct_rstr(d, g->place), g->threads);
}

/* ---------------------------------------------------------------- parts */

static void context(const ct_rdir_t *d, FILE *f)
{
	fputs("{\"path\": ", f);
	jstr(f, d->path);
	fputs(", \"executable\": \"contend\", \"complete\": ", f);
	fputs(d->complete ? "true" : "false", f);
	const char *cores = ct_rdir_kv(d, "cpu.cores"), *started = ct_rdir_kv(d, "started");
	fputs(", \"date\": ", f);
	jstr(f, started ? started : "");
	fputs(", \"num_cpus\": ", f);
	fputs(cores && *cores ? cores : "null", f);
	fputs(", \"machine\": {", f);
	for (size_t i = 0; i < d->nkv; i++) {
		fputs(i ? ", " : "", f);
		jstr(f, d->kv[i].key);
		fputs(": ", f);
		jstr(f, d->kv[i].val);
	}
	fputs("}}", f);
}

/* Each good repetition's figures; xfree's waiting and producer/consumer
 * columns only when results.csv has them. Rejected repetitions (threads not
 * together) are counted in "rejected_repetitions", never listed here. */
static void repetitions(const ct_rdir_t *d, const ct_group_t *g, FILE *f)
{
	static const struct {
		ct_metric_t m;
		const char *key;
	} cols[] = {
		{CT_M_NS, "real_time"},         {CT_M_OPS, "ops_per_second"},
		{CT_M_BYTES, "bytes_per_op"},   {CT_M_ALLOCS, "allocs_per_op"},
		{CT_M_MINFLT, "minflt_per_op"}, {CT_M_VCSW, "vcsw_per_op"},
		{CT_M_IVCSW, "ivcsw_per_op"},   {CT_M_WAIT, "wait_ns_per_op"},
		{CT_M_PROD, "prod_ns_per_op"},  {CT_M_CONS, "cons_ns_per_op"},
	};
	fputs(", \"repetitions\": [", f);
	for (size_t r = 0; r < g->nok; r++) {
		fprintf(f, "%s\n      {\"repetition_index\": %zu", r ? "," : "", r);
		for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++)
			if (g->v[cols[c].m] && d->has_col[cols[c].m])
				jkey_num(f, cols[c].key, g->v[cols[c].m][r], true);
		fputc('}', f);
	}
	fputs("]", f);
}

static void aggregates(const ct_group_t *g, FILE *f)
{
	const ct_summary_t *s = &g->ns;
	fputs(", \"aggregates\": {", f);
	jkey_num(f, "median", s->median, false);
	jkey_num(f, "ci95_low", s->has_ci ? s->lo : NAN, true);
	jkey_num(f, "ci95_high", s->has_ci ? s->hi : NAN, true);
	jkey_num(f, "mean", s->mean, true);
	jkey_num(f, "stddev", s->sd, true);
	jkey_num(f, "cv", s->mean > 0 ? s->sd / s->mean : NAN, true);
	jkey_num(f, "min", s->min, true);
	jkey_num(f, "max", s->max, true);
	fputc('}', f);
}

static void benchmark(const ct_rdir_t *d, size_t k, const ct_group_t *g, FILE *f)
{
	char name[1024];
	bench_name(d, g, name, sizeof name);
	fputs("    {\"name\": ", f);
	jstr(f, name);
	fprintf(f, ", \"dir\": %zu, \"run_type\": \"benchmark\", \"workload\": ", k);
	jstr(f, ct_rstr(d, g->workload));
	fputs(", \"mode\": ", f);
	jstr(f, ct_rstr(d, g->mode));
	fprintf(f, ", \"size_bytes\": %llu, \"alloc\": ", (unsigned long long)g->size_bytes);
	jstr(f, ct_rstr(d, g->alloc));
	fputs(", \"place\": ", f);
	jstr(f, ct_rstr(d, g->place));
	fprintf(f,
		", \"threads\": %u, \"time_unit\": \"ns\", \"failed_repetitions\": %zu"
		", \"rejected_repetitions\": %zu",
		g->threads, g->nfailed, g->nrejected);
	jkey_num(f, "real_time", g->nok ? g->ns.median : NAN, true);
	aggregates(g, f);
	repetitions(d, g, f);
	fputs("}", f);
}

int _ct_export_json(const ct_report_t *r, const char *path)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	last_d = NULL;
	word[0] = '\0';
	fputs("{\n  \"context\": ", f);
	context(&r->dirs[0], f);
	if (r->ndirs > 1) {
		fputs(",\n  \"contexts\": [", f);
		for (size_t k = 0; k < r->ndirs; k++) {
			fputs(k ? ",\n    " : "\n    ", f);
			context(&r->dirs[k], f);
		}
		fputs("\n  ]", f);
	}
	fputs(",\n  \"benchmarks\": [\n", f);
	bool first = true;
	for (size_t k = 0; k < r->ndirs; k++)
		for (size_t i = 0; i < r->dirs[k].ngroups; i++) {
			fputs(first ? "" : ",\n", f);
			benchmark(&r->dirs[k], k, &r->dirs[k].groups[i], f);
			first = false;
		}
	fputs("\n  ]\n}\n", f);
	int bad = ferror(f);
	if (fclose(f) || bad) {
		errno = errno ? errno : EIO;
		return -1;
	}
	return 0;
}
