/* driver.c — the parent of a study: plans the points, starts one child per
 * allocator with LD_PRELOAD in that child's environment only, sends it the
 * points in rounds over the whole study, shuffled per round (schedule.h),
 * redoes repetitions whose threads did not run together (window.h), and
 * records every answer — or the reason there was none — as it arrives.
 *
 * Two passes per allocator: a census pass in a child that also preloads the
 * counting interposer (B/op, allocs/op; a fixed, small number of
 * operations), then the timed pass in a child without it. A child that
 * crashes, hangs or is killed costs only the repetition it was running: it
 * is restarted for the next one. */
#include "child_ctl.h"
#include "paths.h"
#include "proto.h"
#include "schedule.h"
#include "study.h"
#include "window.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ct_config.h"

/* SIGINT/SIGTERM: stop after killing the child at work; what is on disk
 * stays. Set by the handler, read by the loops and by every wait on a child
 * (child_ctl.c). */
static volatile sig_atomic_t g_stop;
/* g_stop when the results can no longer be written (s->write_err says why):
 * the study stops as it does for a signal. */
#define STOP_WRITE (-1)

static void on_stop(int sig)
{
	g_stop = sig;
}

static void catch_stops(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop; /* no SA_RESTART: poll() returns EINTR at once */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	_ct_child_watch(&g_stop);
	/* a child that died between points must not kill the parent when it
	 * writes the next command: write() then fails with EPIPE instead */
	signal(SIGPIPE, SIG_IGN);
}

typedef _ct_child_t child_t;

/* ---------------------------------------------------------------- plan */

static void add_point(ct_study_t *s, size_t *cap, const ct_workload_t *wl, int mode, uint64_t size,
		      unsigned threads, const uint64_t *param)
{
	if (s->npts == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		s->pts = realloc(s->pts, *cap * sizeof *s->pts);
		if (!s->pts) {
			fprintf(stderr, "contend: out of memory for %zu points\n", *cap);
			exit(CT_EXIT_FAIL);
		}
	}
	ct_plan_point_t *p = &s->pts[s->npts++];
	memset(p, 0, sizeof *p);
	p->wl = wl;
	p->mode = mode;
	p->size = size;
	p->threads = threads;
	memcpy(p->param, param, sizeof p->param);
	for (size_t a = 0; a < CT_MAX_ALLOCS; a++)
		p->allocs_per_op[a] = p->bytes_per_op[a] = NAN;
}

static void plan_workload(ct_study_t *s, const ct_workload_t *wl, size_t *cap)
{
	const ct_config_t *cfg = s->cfg;
	uint64_t sizes[CT_MAX_LIST];
	size_t nsizes = 0;
	ct_err_t err;
	if (!wl->default_sizes)
		sizes[nsizes++] = wl->fixed_size;
	else if (cfg->nsizes) {
		memcpy(sizes, cfg->sizes, cfg->nsizes * sizeof sizes[0]);
		nsizes = cfg->nsizes;
	} else
		ct_parse_size_list(wl->default_sizes, 1, UINT64_MAX, sizes, CT_MAX_LIST, &nsizes, &err);
	int modes[16], nmodes = 0;
	for (int m = 0; wl->modes[m] && nmodes < 16; m++) {
		bool want = false;
		if (cfg->nmodes) {
			for (size_t i = 0; i < cfg->nmodes; i++)
				want |= strcmp(cfg->modes[i], wl->modes[m]) == 0;
		} else {
			size_t n = strlen(wl->modes[m]);
			for (const char *d = wl->default_modes; *d; d += strcspn(d, ",") + (d[strcspn(d, ",")] == ','))
				want |= strcspn(d, ",") == n && strncmp(d, wl->modes[m], n) == 0;
		}
		if (want)
			modes[nmodes++] = m;
	}
	uint64_t sets[CT_MAX_SETS][CT_MAX_PARAMS];
	size_t nsets = ct_cli_param_sets(cfg, wl, sets, CT_MAX_SETS);
	for (size_t k = 0; k < nsets; k++) /* a swept parameter: all of it per value */
		for (size_t t = 0; t < cfg->nthreads; t++)
			for (size_t z = 0; z < nsizes; z++)
				for (int m = 0; m < nmodes; m++) {
					unsigned nt = (unsigned)cfg->threads[t];
					const char *why = wl->refuse ? wl->refuse(modes[m], nt) : NULL;
					if (why && k == 0 && z == 0) /* a default mode only: the CLI refused named ones */
						ct_note("%s %s not run at %u threads: %s", wl->name,
							wl->modes[modes[m]], nt, why);
					if (!why)
						add_point(s, cap, wl, modes[m], sizes[z], nt, sets[k]);
				}
}

/* Every repetition's record stays in the parent (for the CIs and tables):
 * a --max-count whose records would take more than a quarter of the
 * machine's memory is refused as bad input, before anything is written. */
static void check_records(const ct_study_t *s)
{
	const ct_config_t *cfg = s->cfg;
	double bytes = (double)s->npts * (double)cfg->nallocs * cfg->max_count * sizeof *s->recs *
		       (cfg->resume[0] ? 2 : 1); /* --resume: the kept ones too */
	double mem = (double)sysconf(_SC_PHYS_PAGES) * (double)sysconf(_SC_PAGESIZE);
	if (mem > 0 && bytes > mem / 4)
		ct_usage_error("--max-count: bad value '%u': %zu points x %zu allocators x %u "
			       "repetitions need %.0f MiB of records, more than a quarter of the "
			       "%.0f MiB of memory",
			       cfg->max_count, s->npts, cfg->nallocs, cfg->max_count, bytes / 1048576,
			       mem / 1048576);
}

static void plan(ct_study_t *s)
{
	static ct_config_t filtered;
	size_t cap = 0;
	for (size_t w = 0; w < s->cfg->nwl; w++)
		plan_workload(s, s->cfg->wl[w], &cap);
	s->cfg = ct_plan_filter(s, &filtered);
	check_records(s);
	s->recs = calloc(s->npts * s->cfg->nallocs * s->cfg->max_count, sizeof *s->recs);
	s->visits = calloc(s->npts * s->cfg->nallocs + 1, sizeof *s->visits);
	if (!s->recs || !s->visits) {
		fprintf(stderr, "contend: out of memory for %zu points\n", s->npts);
		exit(CT_EXIT_FAIL);
	}
}

/* ---------------------------------------------------------------- children */

/* " cpus=0,2,..": the PUs the placement plans for a point, sent only to a
 * child that is its own program (go has no hwloc to plan them). Nothing for
 * `none`. Returns the bytes written. */
static int append_cpus(const ct_study_t *s, size_t a, unsigned threads, char *buf, size_t len)
{
	int cpus[CT_MAX_THREADS];
	if (!s->cfg->allocs[a].exe[0] || threads > CT_MAX_THREADS || len < 12 * threads + 8 ||
	    s->cfg->place == CT_PLACE_NONE ||
	    ct_topo_plan(s->topo, s->cfg->place, threads, cpus) != 0)
		return 0;
	int n = snprintf(buf, len, " cpus=");
	for (unsigned i = 0; i < threads; i++)
		n += snprintf(buf + n, len - (size_t)n, "%s%d", i ? "," : "", cpus[i]);
	return n;
}

/* Sends one point; fills rec. Returns 0 if the child is still usable. */
static int child_point(ct_study_t *s, child_t *c, size_t pt, size_t a, bool census,
		       ct_record_t *rec)
{
	const ct_plan_point_t *p = &s->pts[pt];
	const ct_config_t *cfg = s->cfg;
	uint64_t census_iters = (4u << 20) / p->size;
	census_iters = census_iters < 16 ? 16 : census_iters > 1000 ? 1000 : census_iters;
	char cmd[16384], line[8192];
	int n = snprintf(cmd, sizeof cmd, "P %s %s %llu %u %s %llu %llu %llu %d %d", p->wl->name,
			 p->wl->modes[p->mode], (unsigned long long)p->size, p->threads,
			 ct_place_name(cfg->place), census ? 0ull : (unsigned long long)cfg->bt.ns,
			 census ? (unsigned long long)census_iters : (unsigned long long)cfg->bt.iters,
			 (unsigned long long)p->hint[a], census, !census && cfg->latency);
	for (int i = 0; i < CT_MAX_PARAMS; i++)
		n += snprintf(cmd + n, sizeof cmd - (size_t)n, " %llu", (unsigned long long)p->param[i]);
	n += append_cpus(s, a, p->threads, cmd + n, sizeof cmd - (size_t)n);
	snprintf(cmd + n, sizeof cmd - (size_t)n, "\n");
	memset(rec, 0, sizeof *rec);
	rec->done = true;
	int rc = _ct_child_send(c, cmd) == 0 ? _ct_child_line(c, line, sizeof line, cfg->timeout_ns)
					     : -1;
	if (rc == 0) {
		int ok = ct_proto_parse_result(line, &rec->r);
		rec->ok = ok == 1;
		if (ok >= 0)
			return 0;
		snprintf(rec->r.err, sizeof rec->r.err, "malformed answer from child");
	}
	char how[160];
	_ct_child_end(c, rc == -1 ? CT_CHILD_EXIT_GRACE_NS : 0, how, sizeof how);
	if (rc == -3 || g_stop) { /* interrupted: nothing to record, whatever the child saw */
		rec->done = false;
		return -1;
	}
	if (rc == -2)
		snprintf(rec->r.err, sizeof rec->r.err, "timed out after %.0fs",
			 (double)cfg->timeout_ns / 1e9);
	else if (rc == -1)
		snprintf(rec->r.err, sizeof rec->r.err, "%s", how);
	rec->ok = false;
	return -1;
}

/* Quits children; one that does not exit within the --timeout (an
 * allocator hanging in an exit handler) is killed and said so. */
static void quit_children(const ct_study_t *s, child_t *kids, size_t n, size_t first)
{
	size_t bad = 0;
	unsigned killed = _ct_children_quit(kids, n, s->cfg->timeout_ns, &bad);
	if (killed && !g_stop)
		ct_note("warning: %s: %u child(ren) did not exit within %.0fs of being told to; "
			"killed (an exit handler that hangs?)",
			s->cfg->allocs[first + bad].label, killed, (double)s->cfg->timeout_ns / 1e9);
}

/* ---------------------------------------------------------------- passes */


static void census_pass(ct_study_t *s, size_t a)
{
	child_t c = {0};
	char hello[8192], why[512];
#ifdef CT_SANITIZED
	/* a sanitizer runtime refuses any library preloaded in front of it */
	ct_note("%s: no census in a sanitized build (B/op and allocs/op left empty)",
	     s->cfg->allocs[a].label);
	return;
#endif
	if (strpbrk(s->census_lib, " :")) {
		ct_note("error: %s: no census (B/op, allocs/op): LD_PRELOAD cannot carry the path "
			"of the counting interposer, %s (a space or ':'); install contend elsewhere",
			s->cfg->allocs[a].label, s->census_lib);
		s->census_failed++;
		return;
	}
	for (size_t pt = 0; pt < s->npts; pt++) {
		if (c.pid <= 0 && _ct_child_start(s, a, true, s->cfg->timeout_ns, &c, hello,
						  sizeof hello, why, sizeof why)) {
			if (g_stop)
				return;
			ct_note("error: %s: census unavailable (B/op, allocs/op left empty): %s",
				s->cfg->allocs[a].label, why);
			s->census_failed++;
			return;
		}
		ct_record_t rec;
		if (g_stop)
			break;
		if (child_point(s, &c, pt, a, true, &rec) == 0 && rec.ok) {
			s->pts[pt].allocs_per_op[a] = rec.r.allocs_per_op;
			s->pts[pt].bytes_per_op[a] = rec.r.bytes_per_op;
		}
	}
	quit_children(s, &c, 1, a);
}

/* Proves the allocator in a timing child; keeps that child for the run. */
static void open_alloc(ct_study_t *s, size_t a, child_t *c)
{
	const ct_alloc_spec_t *sp = &s->cfg->allocs[a];
	ct_alloc_state_t *st = &s->st[a];
	char hello[8192];
	if (sp->missing) {
		st->skipped = true;
		snprintf(st->why, sizeof st->why, "%s", sp->why);
		ct_note("%s: skipped: %s", sp->label, sp->why);
		return;
	}
	if (_ct_child_start(s, a, false, s->cfg->timeout_ns, c, hello, sizeof hello, st->why,
			    sizeof st->why)) {
		st->skipped = g_stop != 0; /* stopping is not the allocator's failure */
		if (!g_stop)
			ct_note("%s: not measured: %s", sp->label, st->why);
		return;
	}
	st->usable = true;
	ct_proto_get(hello, "version", st->version, sizeof st->version);
	ct_proto_get(hello, "live", st->live, sizeof st->live);
	ct_proto_get(hello, "tunables", st->tunables, sizeof st->tunables);
}

static void stop_if_unwritten(const ct_study_t *s)
{
	if (s->write_err[0] && !g_stop)
		g_stop = STOP_WRITE;
}

/* One run of a repetition; rec gets its answer, or why there was none. */
static void one_run(ct_study_t *s, child_t *kids, size_t pt, size_t a, ct_record_t *rec)
{
	char why[512], hello[8192];
	if (kids[a].pid <= 0 &&
	    _ct_child_start(s, a, false, s->cfg->timeout_ns, &kids[a], hello, sizeof hello, why,
			    sizeof why)) {
		memset(rec, 0, sizeof *rec); /* nothing of an earlier run may stay */
		rec->done = true;
		snprintf(rec->r.err, sizeof rec->r.err, "restart failed: %.170s", why);
	} else
		child_point(s, &kids[a], pt, a, false, rec);
}

/* ns/op as results.csv writes it (6 significant digits, output.c): the
 * extra rounds and the closing tables decide from this figure, and a
 * resumed study reads its kept repetitions back from results.csv, so an
 * interrupted study and one that ran through decide from the same values. */
static double as_written(double v)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%.6g", v);
	return strtod(buf, NULL);
}

/* What a finished repetition adds to the study: pinning misses, the
 * iterations hint of its point, the failure count. */
static void count_rep(ct_study_t *s, size_t pt, size_t a, const ct_record_t *rec)
{
	if (rec->ok && s->cfg->place != CT_PLACE_NONE && rec->r.pinned_ok < s->pts[pt].threads &&
	    s->pin_misses++ == 0)
		ct_note("warning: a worker was found off its assigned PU (%u of %u on theirs): pinning "
		     "not honored here? (recorded in results.csv: threads_pinned)",
		     rec->r.pinned_ok, s->pts[pt].threads);
	if (rec->ok && !rec->rejected && !s->pts[pt].hint[a])
		s->pts[pt].hint[a] = rec->r.iters;
	s->failed += !rec->ok;
}

/* A run whose threads did not run together (or were off their CPUs) is
 * not a measurement of this point: it is run again, up to CT_WINDOW_TRIES
 * times, and the last one is kept, marked rejected, when none was. */
static void one_rep(ct_study_t *s, child_t *kids, size_t pt, size_t a, unsigned rep)
{
	ct_record_t *rec = ct_rec(s, pt, a, rep);
	for (unsigned k = 1; k <= CT_WINDOW_TRIES && !g_stop; k++) {
		one_run(s, kids, pt, a, rec);
		rec->attempts = k;
		char why[160];
		if (!rec->done || !rec->ok ||
		    ct_window_ok(rec->r.overlap, rec->r.cpu_share_min, s->pts[pt].threads,
				 s->machine.cores, why, sizeof why))
			break;
		if (k == CT_WINDOW_TRIES) {
			rec->rejected = true;
			s->rejected++;
			snprintf(rec->r.err, sizeof rec->r.err, "not concurrent after %u runs: %s", k, why);
		} else
			s->redone++;
	}
	if (!rec->done)
		return; /* interrupted */
	if (rec->ok)
		rec->r.ns_per_op = as_written(rec->r.ns_per_op);
	count_rep(s, pt, a, rec);
	ct_out_record(s, pt, a, rep);
	stop_if_unwritten(s);
}

/* A repetition results.csv kept (--resume) takes its place in the order
 * as if it had just run: counted the same, not written again. */
static void reuse_rep(ct_study_t *s, size_t pt, size_t a, unsigned rep)
{
	ct_record_t *rec = ct_rec(s, pt, a, rep);
	*rec = s->kept[rec - s->recs];
	s->redone += rec->attempts - 1; /* every run before the last was redone */
	s->rejected += rec->rejected;
	count_rep(s, pt, a, rec);
}

/* Extra repetitions, all points together, are at most half the planned
 * ones: a noisy machine may not stretch a study without bound. */
static size_t extra_budget_left(const ct_study_t *s)
{
	size_t budget = s->planned / 2;
	return s->extra < budget ? budget - s->extra : 0;
}

/* Repetitions of (pt, a) that ran (failed, rejected or kept). */
static unsigned reps_done(const ct_study_t *s, size_t pt, size_t a)
{
	unsigned n = 0;
	for (unsigned r = 0; r < s->cfg->max_count; r++)
		n += ct_rec(s, pt, a, r)->done;
	return n;
}

/* How far this point's CI misses the target: half-width / target (> 1:
 * too wide); infinite when rejected repetitions left it without a CI (the
 * machine's fault, not the point's: it is owed repetitions first); NaN when
 * it has no CI otherwise, no target, or no room for more. *good: the
 * repetitions its CI stands on. */
static double ci_miss(const ct_study_t *s, size_t pt, size_t a, unsigned *good)
{
	ct_summary_t sm;
	unsigned failed, rejected = 0;
	*good = 0;
	if (!s->st[a].usable || s->cfg->ci_target_pct <= 0 || reps_done(s, pt, a) >= s->cfg->max_count)
		return NAN;
	ct_point_summary(s, pt, a, &sm, &failed);
	*good = (unsigned)sm.n;
	for (unsigned r = 0; r < s->cfg->max_count; r++)
		rejected += ct_rec(s, pt, a, r)->rejected;
	if (!sm.has_ci)
		return rejected ? INFINITY : NAN;
	return ct_ci_pct(&sm) / s->cfg->ci_target_pct;
}

/* Is this point's CI wider than the target? */
static bool too_wide(const ct_study_t *s, size_t pt, size_t a)
{
	ct_summary_t sm;
	unsigned failed;
	if (!s->st[a].usable || s->cfg->ci_target_pct <= 0)
		return false;
	ct_point_summary(s, pt, a, &sm, &failed);
	return sm.has_ci && ct_ci_pct(&sm) > s->cfg->ci_target_pct;
}

/* "[ 34%] smaug heap 4KiB 2 thr  ETA 0:23" on stderr, only on a terminal.
 * The total is the base rounds plus the extra repetitions once assigned:
 * it grows when they are, so the share never passes 100%. */
static void progress(const ct_study_t *s, size_t pt, bool done)
{
	static int tty = -1;
	static uint64_t last;
	if (tty < 0)
		tty = isatty(2);
	uint64_t now = ct_now_ns();
	if (!tty || (!done && now - last < 200000000u))
		return;
	last = now;
	if (done) {
		fprintf(stderr, "\r%-78s\r", "");
		return;
	}
	size_t planned = s->planned + s->extra_scheduled, ran = 0;
	for (size_t i = 0; i < s->npts * s->cfg->nallocs * s->cfg->max_count; i++)
		ran += s->recs[i].done;
	ran = ran < planned ? ran : planned;
	double el = (double)(now - s->t_start_ns) / 1e9;
	double eta = ran ? el * (double)(planned - ran) / (double)ran : 0;
	char size[32];
	const ct_plan_point_t *p = &s->pts[pt];
	fprintf(stderr, "\r[%3.0f%%] %s %s %s %u thr  ETA %d:%02d   ",
		planned ? 100.0 * (double)ran / (double)planned : 0, p->wl->name,
		p->wl->modes[p->mode], ct_format_size(p->size, size, sizeof size), p->threads,
		(int)eta / 60, (int)eta % 60);
}

/* One repetition of each slot, in the order given: the next one of its
 * point — measured, or the one results.csv kept (--resume). Counting the
 * visits, not the repetitions done, keeps a resumed study on the order it
 * began with. */
static void run_slots(ct_study_t *s, child_t *kids, const ct_slot_t *v, size_t n, bool extra)
{
	for (size_t i = 0; i < n && !g_stop; i++) {
		unsigned rep = s->visits[v[i].pt * s->cfg->nallocs + v[i].a]++;
		if (rep >= s->cfg->max_count)
			continue;
		if (s->kept && s->kept[ct_rec(s, v[i].pt, v[i].a, rep) - s->recs].done)
			reuse_rep(s, v[i].pt, v[i].a, rep);
		else
			one_rep(s, kids, v[i].pt, v[i].a, rep);
		s->extra += extra;
		progress(s, v[i].pt, false);
	}
}

/* One look after the base rounds: the points whose CI misses the target
 * by a margin more repetitions can close within --max-count get about as
 * many as the width predicts (ct_schedule_extra), cheapest first until the
 * budget is spent, decided then and never revised. Adding one at a time
 * while the interval is wide, and stopping when it happens to be narrow,
 * would lose coverage (test_stats simulates both). Returns the total. */
static size_t assign_extras(const ct_study_t *s, const ct_slot_t *all, size_t n, unsigned *left)
{
	double *miss = malloc((n ? n : 1) * sizeof *miss);
	unsigned *good = malloc((n ? n : 1) * sizeof *good);
	unsigned *room = malloc((n ? n : 1) * sizeof *room);
	size_t total = 0;
	for (size_t i = 0; miss && good && room && i < n; i++) {
		miss[i] = ci_miss(s, all[i].pt, all[i].a, &good[i]);
		room[i] = s->cfg->max_count - reps_done(s, all[i].pt, all[i].a);
	}
	if (miss && good && room)
		total = ct_schedule_extra(miss, good, room, n, extra_budget_left(s), left);
	free(miss);
	free(good);
	free(room);
	return total;
}

/* Extra rounds: every point with assigned repetitions left, once per
 * round, shuffled per round like the base rounds. */
static void extra_rounds(ct_study_t *s, child_t *kids, const ct_slot_t *all, size_t n)
{
	unsigned *left = calloc(n ? n : 1, sizeof *left);
	ct_slot_t *v = malloc((n ? n : 1) * sizeof *v);
	if (left && v)
		s->extra_scheduled = assign_extras(s, all, n, left);
	for (unsigned round = s->cfg->count; left && v && !g_stop; round++) {
		size_t k = 0;
		for (size_t i = 0; i < n; i++)
			if (left[i]) {
				left[i]--;
				v[k++] = all[i];
			}
		if (k == 0)
			break;
		s->extra_rounds++;
		ct_schedule_shuffle(v, k, s->seed, round);
		run_slots(s, kids, v, k, true);
	}
	free(left);
	free(v);
}

/* Base rounds over the whole study (every point and usable allocator once
 * per round, shuffled per round), then the extra rounds, then a note for
 * each point whose CI stayed too wide. */
static void timed_pass(ct_study_t *s, child_t *kids)
{
	const ct_config_t *cfg = s->cfg;
	size_t n = 0;
	ct_slot_t *all = malloc((s->npts * cfg->nallocs + 1) * sizeof *all);
	ct_slot_t *v = malloc((s->npts * cfg->nallocs + 1) * sizeof *v);
	for (size_t pt = 0; all && v && pt < s->npts; pt++)
		for (size_t a = 0; a < cfg->nallocs; a++)
			if (s->st[a].usable)
				all[n++] = (ct_slot_t){(uint32_t)pt, (uint32_t)a};
	s->planned = n * cfg->count;
	for (unsigned round = 0; all && v && round < cfg->count && !g_stop; round++) {
		memcpy(v, all, n * sizeof *v);
		ct_schedule_shuffle(v, n, s->seed, round);
		run_slots(s, kids, v, n, false);
	}
	if (all)
		extra_rounds(s, kids, all, n);
	for (size_t i = 0; all && i < n && !g_stop; i++)
		if (too_wide(s, all[i].pt, all[i].a)) {
			s->unstable++;
			ct_out_unstable(s, all[i].pt, all[i].a);
		}
	free(all);
	free(v);
	progress(s, 0, true);
}

static void warn_oversubscription(ct_study_t *s)
{
	for (size_t i = 0; i < s->cfg->nthreads; i++)
		if (s->cfg->threads[i] > s->machine.cores) {
			s->oversubscribed = true;
			ct_note("warning: %llu threads on %u cores: oversubscribed points measure the "
			     "scheduler too (recorded in the results)",
			     (unsigned long long)s->cfg->threads[i], s->machine.cores);
			return;
		}
}

/* What could make this machine's figures less trustworthy, said once and
 * recorded in machine.json. */
static void check_machine(ct_study_t *s)
{
	char buf[256];
	FILE *f = fopen("/proc/loadavg", "r");
	if (f) {
		if (fscanf(f, "%lf", &s->load_at_start) != 1)
			s->load_at_start = 0;
		fclose(f);
	}
	if (s->load_at_start >= 0.5 * s->machine.cores && s->load_at_start >= 0.8)
		ct_note("warning: load average %.2f at start on %u cores: other work competes for them",
		     s->load_at_start, s->machine.cores);
	f = fopen("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", "r");
	if (f) {
		if (fgets(buf, sizeof buf, f) && strncmp(buf, "performance", 11) != 0) {
			buf[strcspn(buf, "\n")] = '\0';
			ct_note("warning: CPU frequency governor is '%s', not 'performance': clock speed "
			     "may change under the benchmark",
			     buf);
		}
		fclose(f);
	}
}

/* Allocator tuning in contend's own environment is kept from the children
 * (child_ctl.c): said once, so that nobody believes it applied. */
static void warn_cleared_env(void)
{
	extern char **environ;
	char names[1024] = "";
	size_t used = 0;
	for (char **e = environ; *e; e++)
		if (_ct_child_env_cleared(*e) && used < sizeof names)
			used += (size_t)snprintf(names + used, sizeof names - used, "%s%.*s",
						 used ? ", " : "", (int)strcspn(*e, "="), *e);
	if (used)
		ct_warn("%s set in the environment: not passed to the allocators, each column runs "
			"its allocator's defaults (tune with -a NAME:key=value; recorded in "
			"machine.json as cleared_environment)",
			names);
}

/* The executable to re-run as children, and the census interposer; an
 * empty census_lib when it is not installed (census_where then says where
 * it was looked for). */
static int find_exe(ct_study_t *s)
{
	ssize_t n = readlink("/proc/self/exe", s->exe, sizeof s->exe - 1);
	if (n <= 0)
		return -1;
	s->exe[n] = '\0';
	if (ct_own_file(CT_FILE_CENSUS, s->census_lib, sizeof s->census_lib)) {
		snprintf(s->census_where, sizeof s->census_where, "%s", s->census_lib);
		s->census_lib[0] = '\0';
	}
	return 0;
}

/* Without the interposer there are no B/op and allocs/op: an error, not a
 * study with those columns silently empty. */
static int census_missing(const ct_study_t *s)
{
#ifdef CT_SANITIZED
	(void)s;
	return 0; /* no census in a sanitized build anyway (census_pass) */
#else
	if (s->census_lib[0])
		return 0;
	ct_note("the census interposer %s is missing (looked in %s): B/op and allocs/op cannot "
		"be measured; install contend with `cmake --install` or run it from its build tree",
		CT_CENSUS_NAME, s->census_where);
	return 1;
#endif
}

/* The closing: files closed and machine.json written from one reading of
 * the stop flag, so a signal arriving now changes neither what the files
 * say nor the exit status that must agree with them. */
static int finish(ct_study_t *s, size_t usable)
{
	const ct_config_t *cfg = s->cfg;
	int stop = g_stop;
	s->stopped_by = stop > 0 ? stop : 0;
	s->complete = !stop;
	double secs = (double)(ct_now_ns() - s->t_start_ns) / 1e9;
	ct_out_close(s);
	ct_out_machine(s, secs);
	if (!cfg->quiet)
		ct_out_tables(s, stdout);
	bool alloc_failed = false;
	for (size_t a = 0; a < cfg->nallocs; a++)
		alloc_failed |= !s->st[a].usable && !s->st[a].skipped;
	if (s->write_err[0]) {
		ct_note("error: %s; the study stopped after %.1fs and %s is incomplete",
			s->write_err, secs, cfg->out);
		return CT_EXIT_WRITE;
	}
	if (stop) {
		ct_note("interrupted by %s after %.1fs: every finished repetition is in %s (marked "
			"incomplete)",
			strsignal(stop), secs, cfg->out);
		return 128 + stop;
	}
	ct_note("done in %.1fs: %u failed repetitions, %u rejected as not concurrent (%u runs "
		"redone), %u added to narrow CIs, %u points still unstable%s%s; results in %s",
		secs, s->failed, s->rejected, s->redone, s->extra, s->unstable,
		alloc_failed ? ", some allocators could not be measured" : "",
		s->census_failed ? ", B/op and allocs/op missing for some allocators" : "", cfg->out);
	bool failed = s->failed || alloc_failed || s->census_failed || usable == 0;
	return failed ? CT_EXIT_FAIL : CT_EXIT_OK;
}

/* setup()'s answer for --dry-run: the plan is printed, nothing is run. */
#define CT_DRY_RUN_DONE (-1)

/* Everything before the first child: a results directory that could not be
 * created is bad input, said in one line with nothing left behind. */

static int setup(ct_study_t *s)
{
	char err[4400];
	catch_stops(); /* from here a signal is recorded, never a kill mid-write */
	s->topo = ct_topo_open(err, sizeof err);
	if (!s->topo || find_exe(s)) {
		ct_note("%s", s->topo ? "cannot find my own executable" : err);
		return CT_EXIT_FAIL;
	}
	if (census_missing(s))
		return CT_EXIT_FAIL;
	plan(s); /* first: a --filter matching nothing is bad input, one line */
	ct_topo_machine(s->topo, &s->machine);
	/* then the results directory: a refused -o is one line, before any other */
	if (s->cfg->resume[0] && ct_resume_open(s, err, sizeof err)) {
		fprintf(stderr, "contend: --resume: %s: %s\n", s->cfg->resume, err);
		return CT_EXIT_USAGE;
	}
	if (!s->cfg->dry_run && !s->cfg->resume[0] && ct_out_open(s, err, sizeof err)) {
		fprintf(stderr, "contend: --out: %s\n", err);
		return CT_EXIT_USAGE;
	}
	check_machine(s);
	if (!s->cfg->dry_run && !ct_counters_probe(s->counters, sizeof s->counters))
		ct_note("hardware counters %s; cycles, instructions and cache misses left empty",
			s->counters);
	ct_plan_preview(s, s->cfg->dry_run ? stdout : stderr);
	if (s->cfg->dry_run)
		return CT_DRY_RUN_DONE;
	warn_oversubscription(s);
	warn_cleared_env();
	if (!s->kept_rows) { /* a resumed study keeps the header and machine.json it has */
		ct_out_header(s);
		/* the plan on disk at once: a study stopped while its allocators
		 * are proved can be resumed (it starts over, same plan and seed) */
		ct_out_machine(s, 0);
	}
	stop_if_unwritten(s);
	return CT_EXIT_OK;
}

/* Everything a study holds, released. */
static void release(ct_study_t *s)
{
	ct_out_close(s);
	ct_topo_close((ct_topo_t *)s->topo);
	ct_kvs_free(&s->prev);
	free(s->pts);
	free(s->recs);
	free(s->kept);
	free(s->visits);
}

/* The allocators' lines in results.txt; when resuming, the check that the
 * allocators that ran before run now (the header has their lines). The
 * children of those that stay out are ended. Returns the usable ones, or
 * -1 when the study cannot be resumed. */
static ssize_t settle_allocs(ct_study_t *s, child_t *kids)
{
	char err[1024];
	size_t usable = 0;
	if (s->kept_rows && ct_resume_allocs(s, err, sizeof err)) {
		ct_note("error: cannot resume %s: %s", s->cfg->out, err);
		return -1;
	}
	for (size_t a = 0; a < s->cfg->nallocs; a++) {
		if (!s->st[a].usable && kids[a].pid > 0)
			quit_children(s, &kids[a], 1, a);
		usable += s->st[a].usable;
	}
	if (s->kept_rows)
		ct_out_resumed(s);
	else
		ct_out_allocs(s);
	return (ssize_t)usable;
}

int ct_run_study(const ct_config_t *cfg, bool *wrote)
{
	static ct_study_t s; /* large (paths, messages): not on the stack */
	static ct_config_t recorded;
	if (cfg->resume[0]) { /* the plan of the interrupted study */
		ct_resume_config(cfg->resume, &recorded, cfg->cores);
		recorded.quiet = cfg->quiet;
		recorded.dry_run = cfg->dry_run;
		cfg = &recorded;
	}
	memset(&s, 0, sizeof s);
	s.cfg = cfg;
	s.t_start_ns = ct_now_ns();
	s.started = time(NULL);
	s.seed = cfg->has_seed ? cfg->seed : ct_schedule_seed();
	int rc = setup(&s);
	*wrote = rc == CT_EXIT_OK;
	if (rc != CT_EXIT_OK) {
		release(&s);
		return rc == CT_DRY_RUN_DONE ? CT_EXIT_OK : rc;
	}
	cfg = s.cfg; /* less the allocators --filter leaves out */
	child_t kids[CT_MAX_ALLOCS] = {0};
	for (size_t a = 0; a < cfg->nallocs && !g_stop; a++) {
		open_alloc(&s, a, &kids[a]);
		if (s.st[a].usable)
			census_pass(&s, a);
	}
	if (g_stop > 0 && s.kept_rows) { /* stopped before the resume began: nothing changed */
		quit_children(&s, kids, cfg->nallocs, 0);
		release(&s);
		*wrote = false;
		ct_note("interrupted by %s before the resume began: %s is as it was", strsignal(g_stop),
			cfg->out);
		return 128 + g_stop;
	}
	ssize_t usable = settle_allocs(&s, kids);
	if (usable < 0) { /* a resume refused: the study stays as it was */
		*wrote = false;
		quit_children(&s, kids, cfg->nallocs, 0);
		release(&s);
		return CT_EXIT_FAIL;
	}
	ct_out_machine(&s, 0);
	stop_if_unwritten(&s);
	ct_note("%zu points x %zd allocators x %u repetitions, benchtime %s; results in %s%s", s.npts,
		usable, cfg->count, cfg->bt.iters ? "fixed" : "timed", cfg->out,
		s.kept_rows ? " (resumed: the repetitions results.csv holds are kept)" : "");
	timed_pass(&s, kids);
	quit_children(&s, kids, cfg->nallocs, 0);
	rc = finish(&s, (size_t)usable);
	release(&s);
	return rc;
}

/* ---------------------------------------------------------------- list */

static void list_param(const ct_param_t *pd)
{
	char def[32];
	ct_param_format(pd, pd->def, def, sizeof def);
	if (!pd->choices) {
		printf("  %-10s --param %s=N: %s (default %s, %llu..%llu%s)\n", "", pd->name, pd->doc, def,
		       (unsigned long long)pd->min, (unsigned long long)pd->max,
		       pd->quiet ? "; left out of names at the default" : "");
		return;
	}
	printf("  %-10s --param %s=", "", pd->name);
	for (int i = 0; pd->choices[i]; i++)
		printf("%s%s", i ? "|" : "", pd->choices[i]);
	printf(": %s (default %s%s)\n", pd->doc, def, pd->quiet ? ", left out of names" : "");
}

static void list_workloads(void)
{
	printf("workloads:\n");
	for (size_t i = 0; i < ct_nworkloads; i++) {
		const ct_workload_t *w = ct_workloads[i];
		char lo[32], hi[32];
		printf("  %-10s %s\n", w->name, w->doc);
		printf("  %-10s modes: ", "");
		for (int m = 0; w->modes[m]; m++)
			printf("%s%s", m ? ", " : "", w->modes[m]);
		printf(" (default %s)\n", w->default_modes);
		if (w->default_sizes)
			printf("  %-10s sizes: %s to %s (default %s)\n", "",
			       ct_format_size(w->min_size, lo, sizeof lo),
			       ct_format_size(w->max_size, hi, sizeof hi), w->default_sizes);
		else
			printf("  %-10s size: %s (fixed)\n", "", ct_format_size(w->fixed_size, lo, sizeof lo));
		for (int k = 0; k < ct_workload_nparams(w); k++)
			list_param(&w->params[k]);
		printf("  %-10s probes: %s\n", "", w->probes);
	}
}

int ct_probe_alloc(const ct_alloc_spec_t *sp, bool census, char *version, size_t vlen, char *live,
		   size_t llen, char *why, size_t wlen)
{
	static ct_config_t cfg;
	ct_study_t s = {.cfg = &cfg};
	char hello[8192];
	child_t c;
	if (sp->missing) {
		snprintf(why, wlen, "%s", sp->why);
		return -1;
	}
	if (find_exe(&s)) {
		snprintf(why, wlen, "cannot find my own executable");
		return -1;
	}
	if (census && !s.census_lib[0]) {
		snprintf(why, wlen, "%s is missing (looked in %s)", CT_CENSUS_NAME, s.census_where);
		return -1;
	}
	cfg.allocs[0] = *sp;
	cfg.nallocs = 1;
	if (_ct_child_start(&s, 0, census, 30000000000ull, &c, hello, sizeof hello, why, wlen))
		return -1;
	ct_proto_get(hello, "version", version, vlen);
	ct_proto_get(hello, "live", live, llen);
	_ct_children_quit(&c, 1, 10000000000ull, NULL);
	return 0;
}

static void list_allocators(void)
{
	ct_err_t err;
	printf("\nallocators:\n");
	for (size_t i = 0; i < ct_nallocators; i++) {
		static ct_alloc_spec_t sp;
		char why[512], ver[128] = "?", live[4096] = "?";
		if (ct_alloc_spec_parse(ct_allocators[i]->name, &sp, &err))
			continue;
		printf("  %-9s %s\n", sp.label, sp.adapter->doc);
		if (sp.missing)
			printf("  %-9s not installed: %s\n", "", sp.why);
		else if (ct_probe_alloc(&sp, false, ver, sizeof ver, live, sizeof live, why, sizeof why))
			printf("  %-9s preload %s\n  %-9s NOT VERIFIED: %s\n", "",
			       sp.path[0] ? sp.path : "(none)", "", why);
		else if (sp.exe[0]) /* a runtime that is its own program */
			printf("  %-9s version %s, program %s\n  %-9s verified: the child is that runtime\n",
			       "", ver, sp.exe, "");
		else
			printf("  %-9s version %s, preload %s\n  %-9s verified: malloc resolves to %s\n",
			       "", ver, sp.path[0] ? sp.path : "(none: the C library)", "", live);
	}
}

static void list_topology(const ct_topo_t *topo)
{
	ct_machine_t mach;
	const ct_machine_t *m = &mach;
	ct_topo_machine(topo, &mach);
	printf("\ntopology (the CPUs this process may use):\n");
	printf("  cpu        %s\n", m->cpu_model);
	printf("  layout     %u package(s), %u NUMA node(s), %u core(s), %u PU(s)\n", m->packages,
	       m->numa_nodes, m->cores, m->pus);
	printf("  caches     L1d %llu KiB x%u, L2 %llu KiB x%u, L3 %llu KiB x%u, line %u B\n",
	       (unsigned long long)m->cache_bytes[1] >> 10, m->cache_count[1],
	       (unsigned long long)m->cache_bytes[2] >> 10, m->cache_count[2],
	       (unsigned long long)m->cache_bytes[3] >> 10, m->cache_count[3], m->line_bytes);
	unsigned n = ct_topo_cores(topo) < 64 ? ct_topo_cores(topo) : 64;
	for (int p = CT_PLACE_COMPACT; p <= CT_PLACE_SCATTER; p++) {
		int cpus[64];
		printf("  %-10s", ct_place_name((ct_place_t)p));
		if (ct_topo_plan(topo, (ct_place_t)p, n, cpus) == 0)
			/* cppcheck-suppress knownConditionTrueFalse ; n comes from topo.c at run time */
			for (unsigned i = 0; i < n; i++)
				printf("%s%d", i ? "," : " threads 0.. on PUs ", cpus[i]);
		printf("\n");
	}
}

int ct_list(void)
{
	char err[512];
	list_workloads();
	ct_topo_t *topo = ct_topo_open(err, sizeof err);
	if (!topo) {
		ct_note("%s", err);
		return CT_EXIT_FAIL;
	}
	list_allocators();
	list_topology(topo);
	ct_topo_close(topo);
	return CT_EXIT_OK;
}
