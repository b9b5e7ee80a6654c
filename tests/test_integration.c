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
	int p50, p99, p999, max, lat_mean, rss;
} cols_t;

static cols_t columns(const row_t *h)
{
	return (cols_t){colidx(h, "workload"), colidx(h, "mode"), colidx(h, "size_bytes"),
			colidx(h, "alloc"), colidx(h, "threads"), colidx(h, "status"),
			colidx(h, "bytes_per_op"), colidx(h, "allocs_per_op"),
			colidx(h, "threads_pinned"), colidx(h, "oversubscribed"),
			colidx(h, "error"), colidx(h, "ns_per_op"), colidx(h, "p50_ns"),
			colidx(h, "p99_ns"), colidx(h, "p999_ns"), colidx(h, "max_ns"),
			colidx(h, "lat_mean_ns"), colidx(h, "peak_rss_kib")};
}

static unsigned json_cores(const char *json)
{
	const char *p = json ? strstr(json, "\"cores\": ") : NULL;
	return p ? (unsigned)atoi(p + 9) : 0;
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
		EXPECT_STR(r.col[c.status], "ok");
		double apo = atof(r.col[c.apo]), bpo = atof(r.col[c.bpo]);
		unsigned threads = (unsigned)atoi(r.col[c.threads]);
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
	/* bilbo 4 modes + smaug 3 sizes x 2 modes = 10 per thread count */
	EXPECT_EQ_U(rows, 10 * 3 * 2 * allocs);
	EXPECT_EQ_U(check_txt(dir), rows);
	free(json);
}

/* Sanitized build: the C library's column only, without census figures
 * (nothing can be preloaded in front of a sanitizer runtime). */
static void sanitized(void)
{
	char dir[300];
	snprintf(dir, sizeof dir, "%s/sanitized", tmp);
	run("%s run -w bilbo,smaug -s 1KiB -a glibc -t 1,3 -n 2 --benchtime 1ms -o %s -q", contend,
	    dir);
	char *json = slurp(dir, "machine.json");
	EXPECT(json && strstr(json, "\"verified\": true"));
	unsigned rows = check_rows(dir, json_cores(json), false, false);
	EXPECT_EQ_U(rows, 6 * 2 * 2); /* bilbo 4 modes + smaug 2, at 2 thread counts */
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
		ok += good && (size == 1024 || size == 16384);
		crashed += !good && size == 3072 && strstr(r.col[c.err], "signal 11");
		hung += !good && size == 5120 && strstr(r.col[c.err], "timed out");
	}
	EXPECT_EQ_U(ok, 4);
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
	if (t_failures == 0)
		run("rm -rf %s", tmp);
	else
		fprintf(stderr, "kept %s\n", tmp);
	return t_finish(argv[3]);
}
