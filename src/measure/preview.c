/* preview.c — what a study is about to do, before it does it: --filter
 * applied to the plan, and the plan printed with an estimate of its duration
 * (on stderr before a run; on stdout, with every point, for --dry-run).
 *   ct_plan_filter()   the points and allocators --filter selects
 *   ct_plan_preview()  the plan, its size and its estimated duration */
#include "study.h"

#include <regex.h>
#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------------- --filter */

/* Full name as benchstat and `go test -bench` see it: "BenchmarkX/k=v…-N". */
static bool name_matches(const ct_study_t *s, const regex_t *re, size_t pt, size_t a)
{
	char name[600], full[640];
	ct_out_bench_name(s, pt, a, name, sizeof name);
	snprintf(full, sizeof full, "Benchmark%s-%u", name, s->pts[pt].threads);
	return regexec(re, full, 0, NULL, 0) == 0;
}

/* Keeps the points whose name matches for some allocator, in order, and
 * marks in used[] the allocators whose name matches for some point. */
static size_t keep_matching(ct_study_t *s, const regex_t *re, bool *used)
{
	size_t kept = 0;
	for (size_t pt = 0; pt < s->npts; pt++) {
		bool any = false;
		for (size_t a = 0; a < s->cfg->nallocs; a++)
			if (name_matches(s, re, pt, a))
				any = used[a] = true;
		if (any)
			s->pts[kept++] = s->pts[pt];
	}
	return kept;
}

const ct_config_t *ct_plan_filter(ct_study_t *s, ct_config_t *out)
{
	regex_t re;
	bool used[CT_MAX_ALLOCS] = {false};
	if (!s->cfg->filter[0])
		return s->cfg;
	if (regcomp(&re, s->cfg->filter, REG_EXTENDED | REG_NOSUB))
		ct_usage_error("--filter: bad value '%s': not a regular expression", s->cfg->filter);
	size_t kept = keep_matching(s, &re, used);
	regfree(&re);
	if (!kept)
		ct_usage_error("--filter: bad value '%s': matches no benchmark of the plan (names "
			       "look like BenchmarkSmaug/mode=heap/size=1KiB/alloc=glibc/place=compact-2)",
			       s->cfg->filter);
	s->npts = kept;
	*out = *s->cfg;
	out->nallocs = 0;
	for (size_t a = 0; a < s->cfg->nallocs; a++)
		if (used[a])
			out->allocs[out->nallocs++] = s->cfg->allocs[a];
	return out;
}

/* ---------------------------------------------------------------- estimate */

/* Seconds for reps repetitions of every point and allocator on an idle
 * machine: a repetition is its timed window (one benchtime) with the
 * warm-up and calibration rounds, which aim at a tenth of it (1.3x in all),
 * the latency round when asked (+25%), and ~2 ms of thread start and child
 * round trip; the first one of a point grows its count from 1 up to that
 * tenth (about 0.2 benchtime more). Rounds over the whole study change the
 * order, not the number, of repetitions. A repetition rejected as not
 * concurrent is run again (at most 3 runs): none on an idle machine. Other
 * work on the CPUs stretches all of it. Fixed iteration counts: unknown (0). */
static double estimate_s(const ct_study_t *s, size_t nallocs, unsigned reps, bool first)
{
	const ct_config_t *cfg = s->cfg;
	if (cfg->bt.iters)
		return 0;
	double bt = (double)cfg->bt.ns / 1e9;
	double rep = bt * 1.3 * (cfg->latency ? 1.25 : 1.0) + 0.002;
	double n = (double)s->npts * (double)nallocs;
	return n * ((double)reps * rep + (first ? 0.2 * bt + 0.002 : 0));
}

static const char *fmt_secs(double t, char *buf, size_t len)
{
	if (t < 60)
		snprintf(buf, len, "%.0fs", t < 1 ? 1 : t);
	else if (t < 3600)
		snprintf(buf, len, "%dm%02ds", (int)t / 60, (int)t % 60);
	else
		snprintf(buf, len, "%dh%02dm", (int)t / 3600, (int)t % 3600 / 60);
	return buf;
}

/* ---------------------------------------------------------------- preview */

static size_t list_allocs(const ct_config_t *cfg, FILE *f, const char *pre)
{
	size_t found = 0;
	fprintf(f, "%sallocators:", pre);
	for (size_t a = 0; a < cfg->nallocs; a++) {
		const ct_alloc_spec_t *sp = &cfg->allocs[a];
		found += !sp->missing;
		fprintf(f, "%s %s%s", a ? "," : "", sp->label, sp->missing ? " (not installed)" : "");
	}
	fprintf(f, "\n");
	return found;
}

static void list_points(const ct_study_t *s, FILE *f)
{
	for (size_t pt = 0; pt < s->npts; pt++) {
		const ct_plan_point_t *p = &s->pts[pt];
		char size[32], params[256];
		ct_point_params(p, ",", params, sizeof params);
		fprintf(f, "  %-10s %-8s %-7s %4u thr%s%s\n", p->wl->name, p->wl->modes[p->mode],
			ct_format_size(p->size, size, sizeof size), p->threads, params[0] ? "  " : "",
			params);
	}
}

void ct_plan_preview(const ct_study_t *s, FILE *f)
{
	const ct_config_t *cfg = s->cfg;
	const char *pre = cfg->dry_run ? "" : "contend: "; /* a run speaks on stderr */
	char bt[32], t1[32], t2[32];
	size_t found = list_allocs(cfg, f, pre);
	fprintf(f, "%splan: %zu points x %zu allocators x %u repetitions (up to %u where a CI is "
		"wider than ±%g%%), benchtime %s, place %s%s\n",
		pre, s->npts, found, cfg->count, cfg->max_count, cfg->ci_target_pct,
		ct_format_benchtime(&cfg->bt, bt, sizeof bt), ct_place_name(cfg->place),
		cfg->latency ? ", latency round" : "");
	if (cfg->dry_run)
		list_points(s, f);
	double lo = estimate_s(s, found, cfg->count, true);
	/* extra repetitions: up to --max-count per point, and at most half the
	 * base repetitions across the whole study (extra_budget_left, driver.c) */
	double extra = estimate_s(s, found, cfg->max_count - cfg->count, false);
	extra = extra < estimate_s(s, found, cfg->count, false) / 2 ? extra
		: estimate_s(s, found, cfg->count, false) / 2;
	if (s->kept_rows && found) { /* --resume: what remains, a kept repetition at the mean cost */
		double kept = lo / ((double)s->npts * (double)found * cfg->count) * (double)s->kept_rows;
		fprintf(f, "%sresumed: %zu repetitions kept from the interrupted run\n", pre,
			s->kept_rows);
		extra = kept > lo ? extra - (kept - lo) : extra;
		extra = extra > 0 ? extra : 0;
		lo = kept < lo ? lo - kept : 0.001;
	}
	if (lo > 0)
		fprintf(f, "%sestimated duration: about %s (up to %s with extra repetitions)\n", pre,
			fmt_secs(lo, t1, sizeof t1), fmt_secs(lo + extra, t2, sizeof t2));
	else
		fprintf(f, "%sestimated duration: unknown (fixed iteration counts)\n", pre);
	if (lo > 0 && s->load_at_start >= 0.5 * s->machine.cores)
		fprintf(f, "%s  (on an idle machine; the load average is %.1f on %u cores: expect "
			"longer)\n", pre, s->load_at_start, s->machine.cores);
	fprintf(f, "%s%s %s\n", pre, cfg->dry_run ? "would write" : "results in", cfg->out);
	fflush(f);
}
