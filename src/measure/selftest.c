/* selftest.c — `contend selftest`: what a user checks before trusting
 * results on a new machine. Each line is PASS, WARN or FAIL with the figure
 * measured just now: the clock, the harness's own cost per operation,
 * pinning, per-thread resource usage, hardware counters, the census
 * interposer, each allocator's identity, and how well identical runs agree.
 * Exit status 1 when anything FAILs. */
#include "runner.h"
#include "stats.h"
#include "study.h"
#include "window.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

typedef enum { PASS, WARN, FAIL } verdict_t;

static unsigned fails;

static void line(verdict_t v, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void line(verdict_t v, const char *what, const char *fmt, ...)
{
	static const char *names[] = {"PASS", "WARN", "FAIL"};
	va_list ap;
	va_start(ap, fmt);
	printf("%-5s %-14s ", names[v], what);
	vprintf(fmt, ap);
	putchar('\n');
	va_end(ap);
	fails += v == FAIL;
}

/* Median ns/op of n repetitions of one point, in this process. */
static double median_of(const ct_topo_t *topo, ct_point_t p, unsigned n, ct_summary_t *sm)
{
	double v[32];
	unsigned k = 0;
	for (unsigned i = 0; i < n && i < 32; i++) {
		ct_result_t r;
		if (ct_run_point(topo, &p, &r) == 0)
			v[k++] = r.ns_per_op;
		p.hint_iters = r.iters;
	}
	ct_summarize(v, k, sm);
	return k ? sm->median : NAN;
}

static ct_point_t point(const ct_workload_t *wl, const char *mode, uint64_t size, unsigned threads)
{
	return (ct_point_t){.wl = wl, .mode = ct_workload_mode(wl, mode), .size = size,
			    .threads = threads, .place = CT_PLACE_COMPACT, .bt = {.ns = 10000000}};
}

static void check_clock(void)
{
	double res = ct_timer_resolution_ns();
	uint64_t t0 = ct_now_ns();
	for (int i = 0; i < 1000000; i++)
		(void)ct_now_ns();
	double cost = (double)(ct_now_ns() - t0) / 1e6;
	line(res <= 100 ? PASS : WARN, "clock", "resolution %.0f ns, %.1f ns per reading", res, cost);
}

static void check_harness(const ct_topo_t *topo)
{
	ct_summary_t sm;
	double ns = median_of(topo, point(&ct_wl_bilbo, "control", 16, 1), 9, &sm);
	line(ns <= 0.5 ? PASS : WARN, "harness", "%.2f ns/op of loop and timing (target <= 0.5)", ns);
}

/* Nine repetitions of bilbo stack on every core: how many ran as one
 * common window (window.h thresholds) and the lowest overlap and on-CPU
 * share seen. Other work on the cores shows here first. */
static void check_window(const ct_topo_t *topo)
{
	unsigned cores = ct_topo_cores(topo), ok = 0;
	double ov = 1, share = 1;
	for (int i = 0; i < 9; i++) {
		ct_point_t p = point(&ct_wl_bilbo, "stack", 16, cores);
		ct_result_t r;
		char why[160];
		if (ct_run_point(topo, &p, &r) != 0)
			continue;
		ok += ct_window_ok(r.overlap, r.cpu_share_min, cores, cores, why, sizeof why);
		ov = r.overlap < ov ? r.overlap : ov;
		share = r.cpu_share_min < share ? r.cpu_share_min : share;
	}
	line(ok == 9 ? PASS : WARN, "window",
	     "%u of 9 runs on %u threads concurrent (overlap >= %.2f, on CPU >= %.2f); lowest "
	     "overlap %.3f, on-CPU share %.3f",
	     ok, cores, CT_MIN_OVERLAP, CT_MIN_CPU_SHARE, ov, share);
}

static void check_pinning(const ct_topo_t *topo)
{
	unsigned cores = ct_topo_cores(topo);
	ct_point_t p = point(&ct_wl_bilbo, "control", 16, cores);
	p.bt = (ct_benchtime_t){.iters = 1000};
	ct_result_t r;
	if (ct_run_point(topo, &p, &r) != 0)
		line(FAIL, "pinning", "%s", r.err);
	else
		line(r.pinned_ok == cores && !r.pin_errors ? PASS : FAIL, "pinning",
		     "%u of %u workers ran on their assigned core (%u bind errors)", r.pinned_ok,
		     cores, r.pin_errors);
	struct rusage ru;
	line(getrusage(RUSAGE_THREAD, &ru) == 0 ? PASS : WARN, "rusage",
	     "per-thread page faults and context switches %s",
	     getrusage(RUSAGE_THREAD, &ru) == 0 ? "available" : "unavailable");
	char why[256];
	bool hw = ct_counters_probe(why, sizeof why);
	line(hw ? PASS : WARN, "counters", "hardware counters: %s", why);
}

static void check_allocators(void)
{
	ct_err_t err;
	for (size_t i = 0; i < ct_nallocators; i++) {
		static ct_alloc_spec_t sp;
		char ver[128] = "?", live[4096] = "?", why[512], what[112];
		if (ct_alloc_spec_parse(ct_allocators[i]->name, &sp, &err))
			continue;
		snprintf(what, sizeof what, "alloc %.100s", sp.label);
		if (sp.missing)
			line(WARN, what, "not installed: %s", sp.why);
		else if (ct_probe_alloc(&sp, false, ver, sizeof ver, live, sizeof live, why, sizeof why))
			line(FAIL, what, "%s", why);
		else
			line(PASS, what, "version %s, malloc resolves to %s", ver, live);
		if (i == 0 && !sp.missing) {
			int rc = ct_probe_alloc(&sp, true, ver, sizeof ver, live, sizeof live, why,
						sizeof why);
			line(rc == 0 ? PASS : FAIL, "census", "%s",
			     rc == 0 ? "counting interposer loads in front of the allocator" : why);
		}
	}
}

/* Three identical runs of 9 repetitions each: how far apart are their medians? */
static void check_repeatability(const ct_topo_t *topo)
{
	static const char *modes[] = {"stack", "heap"};
	for (int m = 0; m < 2; m++) {
		double med[3], lo = INFINITY, hi = 0, ci = 0;
		for (int run = 0; run < 3; run++) {
			ct_summary_t sm;
			med[run] = median_of(topo, point(&ct_wl_smaug, modes[m], 4096, 1), 9, &sm);
			lo = med[run] < lo ? med[run] : lo;
			hi = med[run] > hi ? med[run] : hi;
			ci = ct_ci_pct(&sm) > ci ? ct_ci_pct(&sm) : ci;
		}
		double spread = 100 * (hi - lo) / lo;
		char what[32];
		snprintf(what, sizeof what, "repeat %s", modes[m]);
		line(spread <= 2 ? PASS : WARN, what,
		     "3 identical runs of smaug/%s/4KiB, 9 reps each: medians %.1f %.1f %.1f ns/op, "
		     "agree within %.1f%% (target 2%%; widest CI ±%.1f%%)",
		     modes[m], med[0], med[1], med[2], spread, ci);
	}
}

static void check_machine(unsigned cores)
{
	double load = 0;
	char gov[64] = "";
	FILE *f = fopen("/proc/loadavg", "r");
	if (f) {
		if (fscanf(f, "%lf", &load) != 1)
			load = 0;
		fclose(f);
	}
	line(load < 0.5 * cores ? PASS : WARN, "load", "1-minute load average %.2f on %u cores",
	     load, cores);
	f = fopen("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", "r");
	if (f) {
		if (fgets(gov, sizeof gov, f))
			gov[strcspn(gov, "\n")] = '\0';
		fclose(f);
	}
	if (gov[0])
		line(strcmp(gov, "performance") == 0 ? PASS : WARN, "governor", "%s", gov);
	else
		line(WARN, "governor", "no cpufreq governor visible (virtual machine?): clock speed "
				       "cannot be checked");
}

int ct_selftest(int argc, char **argv)
{
	if (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		puts("usage: contend selftest\n\nChecks, on this machine, what contend's figures "
		     "depend on: the clock, the harness's\ncost per operation, pinning, whether "
		     "threads on every core run together,\nper-thread "
		     "counters, the census interposer, each\nallocator's identity, and how well "
		     "identical runs agree. Takes about 10 seconds.");
		return 0;
	}
	if (argc > 1)
		ct_usage_error("selftest: unexpected argument '%s'", argv[1]);
	char err[256];
	ct_topo_t *topo = ct_topo_open(err, sizeof err);
	if (!topo) {
		line(FAIL, "topology", "%s", err);
		return CT_EXIT_FAIL;
	}
	check_machine(ct_topo_cores(topo));
	check_clock();
	check_harness(topo);
	check_pinning(topo);
	check_window(topo);
	check_allocators();
	check_repeatability(topo);
	ct_topo_close(topo);
	printf("%s\n", fails ? "selftest: some checks FAILED" : "selftest: no failures");
	return fails ? CT_EXIT_FAIL : CT_EXIT_OK;
}
