/* test_integration.c — contend run end to end, as a user runs it: real
 * allocators preloaded in child processes, real threads, the results files
 * parsed back.
 *
 *   test_integration CONTEND BUILD_DIR study     every installed allocator
 *   test_integration CONTEND BUILD_DIR identity  a library that is not a malloc
 *   test_integration CONTEND BUILD_DIR faults    a crashing and a hanging allocator
 *   test_integration CONTEND BUILD_DIR sanitized the C library's column in a sanitized build
 *   test_integration CONTEND BUILD_DIR interrupt SIGINT halfway through a study */
#include "test.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *contend, *build;
static char tmp[256];

static int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int run(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	fprintf(stderr, "+ %s\n", cmd);
	int st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static char *slurp(const char *dir, const char *name)
{
	char p[512];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	FILE *f = fopen(p, "r");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	rewind(f);
	char *b = calloc(1, (size_t)n + 1);
	if (fread(b, 1, (size_t)n, f) != (size_t)n)
		b[0] = '\0';
	fclose(f);
	return b;
}

/* ---------------------------------------------------------------- csv */

#define MAXCOL 64
typedef struct {
	char *col[MAXCOL];
	int ncol;
} row_t;

static int split(char *line, row_t *r)
{
	r->ncol = 0;
	for (char *p = line; r->ncol < MAXCOL;) {
		r->col[r->ncol++] = p;
		char *c = strchr(p, ',');
		if (!c)
			break;
		*c = '\0';
		p = c + 1;
	}
	return r->ncol;
}

static int colidx(const row_t *h, const char *name)
{
	for (int i = 0; i < h->ncol; i++)
		if (strcmp(h->col[i], name) == 0)
			return i;
	fprintf(stderr, "no column %s\n", name);
	exit(1);
}

typedef struct {
	int workload, mode, size_bytes, alloc, threads, status, bpo, apo, pinned, oversub, err, ns;
	int p50, p99, p999, max, lat_mean, rss, overlap, share, attempts;
} cols_t;

static cols_t columns(const row_t *h)
{
	return (cols_t){colidx(h, "workload"), colidx(h, "mode"), colidx(h, "size_bytes"),
			colidx(h, "alloc"), colidx(h, "threads"), colidx(h, "status"),
			colidx(h, "bytes_per_op"), colidx(h, "allocs_per_op"),
			colidx(h, "threads_pinned"), colidx(h, "oversubscribed"),
			colidx(h, "error"), colidx(h, "ns_per_op"), colidx(h, "p50_ns"),
			colidx(h, "p99_ns"), colidx(h, "p999_ns"), colidx(h, "max_ns"),
			colidx(h, "lat_mean_ns"), colidx(h, "peak_rss_kib"), colidx(h, "overlap"),
			colidx(h, "cpu_share_min"), colidx(h, "attempts")};
}

static unsigned json_cores(const char *json)
{
	const char *p = json ? strstr(json, "\"cores\": ") : NULL;
	return p ? (unsigned)atoi(p + 9) : 0;
}

/* A kept row met the documented thresholds (overlap 0.95 with 2+ threads on
 * as many cores, on-CPU share 0.90 of what the cores allow, over the whole
 * span; one thread always meets them) on its first to third run; a
 * rejected one missed them on its third. A loaded machine may reject rows,
 * never keep one that missed. */
static void check_window(const row_t *r, const cols_t *c, unsigned threads, unsigned cores)
{
	double ov = atof(r->col[c->overlap]), share = atof(r->col[c->share]);
	double need = 0.90 * (threads > cores ? (double)cores / threads : 1.0);
	bool met = threads == 1 || ((threads > cores || ov >= 0.95) && share >= need);
	unsigned attempts = (unsigned)atoi(r->col[c->attempts]);
	EXPECT(ov >= 0 && ov <= 1 && share > 0);
	if (strcmp(r->col[c->status], "rejected") == 0) {
		EXPECT(!met && attempts == 3 && strstr(r->col[c->err], "not concurrent"));
		return;
	}
	EXPECT_STR(r->col[c->status], "ok");
	EXPECT(met && attempts >= 1 && attempts <= 3);
	if (!met)
		fprintf(stderr, "  kept: %u threads, overlap %.3f, on-CPU %.3f\n", threads, ov, share);
}

/* Every row of a healthy study: measured, census exact, pinned. */
static unsigned check_rows(const char *dir, unsigned cores, bool census, bool latency)
{
	char *csv = slurp(dir, "results.csv"), *save = NULL;
	EXPECT(csv != NULL);
	if (!csv)
		return 0;
	row_t h, r;
	char *line = strtok_r(csv, "\n", &save);
	split(line, &h);
	cols_t c = columns(&h);
	unsigned rows = 0;
	while ((line = strtok_r(NULL, "\n", &save))) {
		EXPECT_EQ_U(split(line, &r), h.ncol);
		rows++;
		unsigned threads = (unsigned)atoi(r.col[c.threads]);
		check_window(&r, &c, threads, cores);
		double apo = atof(r.col[c.apo]), bpo = atof(r.col[c.bpo]);
		EXPECT(!census || r.col[c.apo][0] != '\0'); /* census present */
		if (!census) {
		} else if (strcmp(r.col[c.mode], "heap") == 0 || strcmp(r.col[c.mode], "zeroed") == 0) {
			EXPECT_EQ_D(apo, 1);
			EXPECT_GE_D(bpo, atof(r.col[c.size_bytes]));
		} else {
			EXPECT_EQ_D(apo, 0);
			EXPECT_EQ_D(bpo, 0);
		}
		EXPECT_EQ_U(atoi(r.col[c.pinned]), threads);
		EXPECT_EQ_U(atoi(r.col[c.oversub]), threads > cores);
		EXPECT(atof(r.col[c.ns]) > 0);
		/* latency percentiles are ordered and come from a real round */
		EXPECT((r.col[c.p50][0] != '\0') == latency);
		if (!latency)
			continue;
		double p50 = atof(r.col[c.p50]), p99 = atof(r.col[c.p99]);
		double p999 = atof(r.col[c.p999]), max = atof(r.col[c.max]);
		EXPECT(p50 > 0 && p50 <= p99 && p99 <= p999 && p999 <= max);
		EXPECT(atof(r.col[c.lat_mean]) > 0);
		EXPECT(atof(r.col[c.rss]) > 0);
	}
	free(csv);
	return rows;
}

/* Distinct (workload, mode, size, threads, alloc) among results.csv's rows:
 * the points a study measured, however many repetitions each took. */
static unsigned count_points(const char *dir)
{
	char *csv = slurp(dir, "results.csv"), *save = NULL;
	static char keys[1024][160];
	unsigned n = 0;
	if (!csv)
		return 0;
	row_t h, r;
	split(strtok_r(csv, "\n", &save), &h);
	cols_t c = columns(&h);
	for (char *line; (line = strtok_r(NULL, "\n", &save));) {
		split(line, &r);
		char key[160];
		snprintf(key, sizeof key, "%s|%s|%s|%s|%s", r.col[c.workload], r.col[c.mode],
			 r.col[c.size_bytes], r.col[c.threads], r.col[c.alloc]);
		unsigned k = 0;
		while (k < n && strcmp(keys[k], key) != 0)
			k++;
		if (k == n && n < 1024)
			snprintf(keys[n++], sizeof keys[0], "%s", key);
	}
	free(csv);
	return n;
}

/* ---------------------------------------------------------------- results.txt */

static bool config_line(const char *l)
{
	const char *colon = strstr(l, ": ");
	if (!colon || colon == l || !(l[0] >= 'a' && l[0] <= 'z'))
		return false;
	for (const char *p = l; p < colon; p++)
		if (*p == ' ' || (*p >= 'A' && *p <= 'Z'))
			return false;
	return true;
}

/* One result line per the Go benchmark format: name, iterations, then
 * value-unit pairs; our name keys; the -N suffix. */
static bool bench_line(char *l)
{
	if (strncmp(l, "Benchmark", 9) != 0 || (l[9] >= 'a' && l[9] <= 'z'))
		return false;
	char *save = NULL, *name = strtok_r(l, "\t ", &save), *iters = strtok_r(NULL, "\t ", &save);
	if (!name || !iters || !strstr(name, "/mode=") || !strstr(name, "/size=") ||
	    !strstr(name, "/alloc=") || !strstr(name, "/place="))
		return false;
	char *dash = strrchr(name, '-');
	if (!dash || atoi(dash + 1) < 1)
		return false;
	for (char *p = iters; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	int pairs = 0;
	bool ns = false;
	for (char *v; (v = strtok_r(NULL, "\t ", &save));) {
		char *unit = strtok_r(NULL, "\t ", &save), *end;
		strtod(v, &end);
		if (!unit || *end)
			return false;
		ns |= strcmp(unit, "ns/op") == 0;
		pairs++;
	}
	return ns && pairs >= 5;
}

static unsigned check_txt(const char *dir)
{
	char *txt = slurp(dir, "results.txt"), *save = NULL;
	EXPECT(txt != NULL);
	if (!txt)
		return 0;
	unsigned results = 0;
	for (char *l = strtok_r(txt, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		if (strncmp(l, "Benchmark", 9) == 0) {
			bool ok = bench_line(l);
			EXPECT(ok);
			results += ok;
		} else if (strncmp(l, "# REJECTED Benchmark", 20) == 0) {
			results++; /* kept out of benchstat's reach, still one per row */
		} else if (strncmp(l, "Unit ", 5) != 0 && l[0] != '#') {
			EXPECT(config_line(l));
			if (!config_line(l))
				fprintf(stderr, "  bad line: %s\n", l);
		}
	}
	free(txt);
	return results;
}

/* Allocators of machine.json that failed to prove themselves: "verified":
 * false on a line whose status does not say it was skipped (not installed,
 * or unable to run this study's workloads, as go at 24 B). */
static unsigned unverified_not_skipped(const char *json)
{
	unsigned n = 0;
	for (const char *p = json; (p = strstr(p, "\"verified\": false")); p++) {
		const char *eol = strchr(p, '\n');
		const char *st = strstr(p, "\"status\": \"skipped: ");
		n += !st || (eol && st > eol);
	}
	return n;
}

/* ---------------------------------------------------------------- cases */

static void study(void)
{
	char dir[300];
	snprintf(dir, sizeof dir, "%s/study", tmp);
	/* 3 threads on a 2-core machine: oversubscribed on purpose */
	EXPECT_EQ_U(run("%s run -w bilbo,smaug -s 24B,1KiB,64KiB -t 1,2,3 -n 2 --benchtime 2ms "
			"--latency -o %s -q",
			contend, dir),
		    0);
	char *json = slurp(dir, "machine.json");
	EXPECT(json && unverified_not_skipped(json) == 0);
	unsigned allocs = 0;
	for (const char *p = json; p && (p = strstr(p, "\"verified\": true")); p++)
		allocs++;
	EXPECT(allocs >= 1);
	unsigned rows = check_rows(dir, json_cores(json), true, true);
	/* bilbo 4 modes + smaug 3 sizes x 3 modes = 13 per thread count, plus
	 * the extra repetitions machine.json counts (points left without a CI
	 * by rejected repetitions get some), at most half the planned ones */
	EXPECT_EQ_U(count_points(dir), 13 * 3 * allocs);
	const char *ex = json ? strstr(json, "\"extra_repetitions\": ") : NULL;
	unsigned extra = ex ? (unsigned)atoi(ex + strlen("\"extra_repetitions\": ")) : 0;
	EXPECT(ex && extra <= 13 * 3 * 2 * allocs / 2);
	EXPECT_EQ_U(rows, 13 * 3 * 2 * allocs + extra);
	EXPECT_EQ_U(check_txt(dir), rows);
	free(json);
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Median of the kept ns/op of one mode in results.csv, by this test. */
static double csv_median(const char *dir, const char *mode, size_t *n)
{
	char *csv = slurp(dir, "results.csv"), *save = NULL;
	double v[64];
	*n = 0;
	if (!csv)
		return NAN;
	row_t h, r;
	split(strtok_r(csv, "\n", &save), &h);
	cols_t c = columns(&h);
	for (char *l; (l = strtok_r(NULL, "\n", &save));) {
		split(l, &r);
		if (strcmp(r.col[c.mode], mode) == 0 && strcmp(r.col[c.status], "ok") == 0 && *n < 64)
			v[(*n)++] = atof(r.col[c.ns]);
	}
	free(csv);
	qsort(v, *n, sizeof *v, cmp_d);
	return *n == 0 ? NAN : *n % 2 ? v[*n / 2] : (v[*n / 2 - 1] + v[*n / 2]) / 2;
}

/* A study long enough for intervals: the tables print ±N% cells, the
 * heap/stack ratio of the medians this test computes from results.csv,
 * significant (bilbo's heap mode costs several times its stack mode, and
 * 6+ against 6+ fully separated repetitions give p < 0.005), and the
 * concurrency line. */
static void intervals(void)
{
	char dir[300], out[400];
	snprintf(dir, sizeof dir, "%s/cis", tmp);
	snprintf(out, sizeof out, "%s/tables.txt", tmp);
	EXPECT_EQ_U(run("%s run -w bilbo -m stack,heap -a glibc -t 1 -n 8 --ci-target 0 "
			"--benchtime 2ms -o %s > %s",
			contend, dir, out),
		    0);
	char *t = slurp(tmp, "tables.txt");
	EXPECT(t != NULL);
	if (!t)
		return;
	size_t nh, ns;
	double heap = csv_median(dir, "heap", &nh), stack = csv_median(dir, "stack", &ns);
	EXPECT(nh >= 6 && ns >= 6);
	const char *row = strstr(t, "heap/stk");
	char want[32];
	snprintf(want, sizeof want, "%.2fx ", heap / stack);
	EXPECT(row && strncmp(row + strspn(row + 8, " ") + 8, want, strlen(want)) == 0);
	if (row)
		fprintf(stderr, "  tables: %.40s, want %s\n", row, want);
	char line[256] = "";
	const char *cell = strstr(t, "heap    ");
	if (cell)
		snprintf(line, sizeof line, "%.*s", (int)strcspn(cell, "\n"), cell);
	EXPECT(strstr(line, " \xc2\xb1") && !strstr(line, "\xc2\xb1?")); /* "±N%", not "±?" */
	EXPECT(strstr(t, "\nconcurrency: ") != NULL);
	free(t);
}

/* Sanitized build: the C library's column only, without census figures
 * (nothing can be preloaded in front of a sanitizer runtime). */
static void sanitized(void)
{
	char dir[300];
	snprintf(dir, sizeof dir, "%s/sanitized", tmp);
	EXPECT_EQ_U(run("%s run -w bilbo,smaug -s 1KiB -a glibc -t 1,3 -n 2 --benchtime 1ms -o %s -q",
			contend, dir),
		    0);
	char *json = slurp(dir, "machine.json");
	EXPECT(json && strstr(json, "\"verified\": true"));
	unsigned rows = check_rows(dir, json_cores(json), false, false);
	const char *ex = json ? strstr(json, "\"extra_repetitions\": ") : NULL;
	unsigned extra = ex ? (unsigned)atoi(ex + strlen("\"extra_repetitions\": ")) : 0;
	EXPECT(ex && extra <= 7 * 2 * 2 / 2);
	/* bilbo 4 modes + smaug 3, at 2 thread counts: planned, plus extras (see study()) */
	EXPECT_EQ_U(rows, 7 * 2 * 2 + extra);
	EXPECT_EQ_U(check_txt(dir), rows);
	free(json);
}

static void identity(void)
{
	char dir[300];
	snprintf(dir, sizeof dir, "%s/identity", tmp);
	/* libctcensus.so defines malloc but forwards it to libc: the live
	 * allocator is not the named library, so "fake" must not be measured. */
	EXPECT_EQ_U(run("%s run -w bilbo -m heap -a glibc,fake=%s/libctcensus.so -t 1 -n 2 "
			"--benchtime 1ms -o %s -q 2>%s/identity.err",
			contend, build, dir, tmp),
		    1);
	char *json = slurp(dir, "machine.json"), *err = slurp(tmp, "identity.err");
	EXPECT(json && strstr(json, "\"name\": \"fake\"") && strstr(json, "\"verified\": false"));
	EXPECT(err && strstr(err, "fake: not measured: malloc resolves to"));
	EXPECT_EQ_U(check_rows(dir, json_cores(json), true, false), 2); /* glibc's rows all there */
	free(json);
	free(err);
}

/* SIGINT halfway: the study stops within seconds, keeps every finished
 * repetition as whole lines, and says it is incomplete. */
static void interrupt(void)
{
	char dir[300];
	snprintf(dir, sizeof dir, "%s/interrupt", tmp);
	pid_t pid = fork();
	if (pid == 0) {
		execl(contend, contend, "run", "-w", "smaug", "-t", "1", "-n", "9", "-o", dir, "-q",
		      (char *)NULL);
		_exit(127);
	}
	/* Halfway: once the first repetition is on disk (children start in
	 * milliseconds natively, in seconds under qemu), at most 60 s. */
	for (unsigned ms = 0; ms < 60000; ms += 50) {
		char *c = slurp(dir, "results.csv"), *nl = c ? strchr(c, '\n') : NULL;
		bool row = nl && strchr(nl + 1, '\n');
		free(c);
		if (row)
			break;
		usleep(50 * 1000);
	}
	usleep(200 * 1000);
	kill(pid, SIGINT);
	int status = 0;
	uint64_t waited = 0;
	while (waitpid(pid, &status, WNOHANG) == 0 && waited < 5000) {
		usleep(10 * 1000);
		waited += 10;
	}
	EXPECT(waited < 3000); /* stopped within a second or two */
	EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == 130);
	char *json = slurp(dir, "machine.json");
	EXPECT(json && strstr(json, "\"complete\": false") && strstr(json, "Interrupt"));
	char *csv = slurp(dir, "results.csv"), *save = NULL;
	EXPECT(csv != NULL);
	unsigned rows = 0;
	row_t h, r;
	if (csv) {
		int ncol = split(strtok_r(csv, "\n", &save), &h);
		for (char *l; (l = strtok_r(NULL, "\n", &save)); rows++)
			EXPECT_EQ_U(split(l, &r), ncol); /* whole lines only */
	}
	EXPECT(rows > 0);
	EXPECT_EQ_U(check_txt(dir), rows);
	free(json);
	free(csv);
}

static void faults(void)
{
	char dir[300];
	snprintf(dir, sizeof dir, "%s/faults", tmp);
	EXPECT_EQ_U(run("%s run -w smaug -m heap -s 1KiB,3KiB,5KiB,16KiB -a crash=%s/libctcrashalloc.so "
			"-t 1 -n 2 --benchtime 1ms --timeout 1s -o %s -q",
			contend, build, dir),
		    1);
	char *csv = slurp(dir, "results.csv"), *save = NULL;
	EXPECT(csv != NULL);
	if (!csv)
		return;
	row_t h, r;
	split(strtok_r(csv, "\n", &save), &h);
	cols_t c = columns(&h);
	unsigned ok = 0, crashed = 0, hung = 0;
	for (char *l; (l = strtok_r(NULL, "\n", &save));) {
		split(l, &r);
		long size = atol(r.col[c.size_bytes]);
		bool good = strcmp(r.col[c.status], "ok") == 0;
		/* measured: kept, or (on a busy machine) rejected for its on-CPU
		 * share — either way the healthy sizes ran despite the faults */
		bool measured = good || strcmp(r.col[c.status], "rejected") == 0;
		ok += measured && (size == 1024 || size == 16384);
		crashed += !good && size == 3072 && strstr(r.col[c.err], "signal 11");
		hung += !good && size == 5120 && strstr(r.col[c.err], "timed out");
	}
	EXPECT(ok >= 4);
	EXPECT_EQ_U(crashed, 2);
	EXPECT_EQ_U(hung, 2);
	free(csv);
}

int main(int argc, char **argv)
{
	if (argc < 4)
		return 2;
	contend = argv[1];
	build = argv[2];
	snprintf(tmp, sizeof tmp, "/tmp/contend-test-%s-XXXXXX", argv[3]);
	if (!mkdtemp(tmp))
		return 1;
	if (strcmp(argv[3], "study") == 0)
		study();
	else if (strcmp(argv[3], "identity") == 0)
		identity();
	else if (strcmp(argv[3], "faults") == 0)
		faults();
	else if (strcmp(argv[3], "sanitized") == 0)
		sanitized();
	else if (strcmp(argv[3], "interrupt") == 0)
		interrupt();
	else if (strcmp(argv[3], "intervals") == 0)
		intervals();
	if (t_failures == 0)
		run("rm -rf %s", tmp);
	else
		fprintf(stderr, "kept %s\n", tmp);
	return t_finish(argv[3]);
}
