/* report_trust.c — how far to trust a results directory: one line per
 * thing that spoils measurements (too few repetitions, wide CIs, unstable
 * points, redone or failed repetitions, load and governor at the start,
 * oversubscription, pinning misses, no hardware counters, a VM), each with
 * a plain verdict — good, caution, do not trust — and what to do about it.
 * The same lines go to report.txt and the trust panel of report.html.
 * Entry points: _ct_trust_items(), _ct_trust_text(), _ct_trust_html().
 *
 * Everything is read from the directory: machine.json's plan and machine
 * keys, and results.csv's repetitions. A key an older contend did not write
 * reads as "not recorded", never as good news. */
#include "report_parts.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_CI_TARGET 5.0  /* contend run's --ci-target default, in % */
#define GOOD_FRACTION 0.9      /* of points within the CI target: good */
#define CAUTION_FRACTION 0.5   /* below this: do not trust */
#define GOOD_REPS 9            /* repetitions: a CI that ignores an outlier each side */
#define LOAD_GOOD 0.1          /* load per core at the start */
#define LOAD_CAUTION 0.5

const char *_ct_trust_word(ct_trust_t t)
{
	static const char *const w[] = {"good", "caution", "do not trust"};
	return w[t];
}

ct_trust_t _ct_trust_worst(const ct_trust_item_t *items, size_t n)
{
	ct_trust_t w = CT_TRUST_GOOD;
	for (size_t i = 0; i < n; i++)
		w = items[i].level > w ? items[i].level : w;
	return w;
}

/* ---------------------------------------------------------------- helpers */

static double kv_num(const ct_rdir_t *d, const char *key)
{
	const char *v = ct_rdir_kv(d, key);
	char *end;
	double x = v ? strtod(v, &end) : NAN;
	return v && end != v ? x : NAN;
}

static bool kv_true(const ct_rdir_t *d, const char *key)
{
	const char *v = ct_rdir_kv(d, key);
	return v && strcmp(v, "true") == 0;
}

static ct_trust_item_t *add(ct_trust_item_t *out, size_t *n, size_t max, const char *what,
			    ct_trust_t level)
{
	static ct_trust_item_t sink;
	ct_trust_item_t *it = *n < max ? &out[(*n)++] : &sink;
	*it = (ct_trust_item_t){.level = level};
	snprintf(it->what, sizeof it->what, "%s", what);
	return it;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return (x > y) - (x < y);
}

/* ---------------------------------------------------------------- the items */

static void reps_item(const ct_rdir_t *d, ct_trust_item_t *out, size_t *n, size_t max)
{
	size_t *k = malloc((d->ngroups + 1) * sizeof *k);
	if (!k || !d->ngroups) {
		free(k);
		return;
	}
	for (size_t i = 0; i < d->ngroups; i++)
		k[i] = d->groups[i].nok;
	qsort(k, d->ngroups, sizeof *k, cmp_size);
	size_t lo = k[0], med = k[d->ngroups / 2], hi = k[d->ngroups - 1];
	free(k);
	ct_trust_t lv = lo >= GOOD_REPS ? CT_TRUST_GOOD : lo >= CT_MIN_CI_SAMPLES ? CT_TRUST_CAUTION
										 : CT_TRUST_BAD;
	ct_trust_item_t *it = add(out, n, max, "repetitions per point", lv);
	snprintf(it->value, sizeof it->value, "%zu to %zu, median %zu (planned %s)", lo, hi, med,
		 ct_rdir_kv(d, "plan.count") ? ct_rdir_kv(d, "plan.count") : "not recorded");
	if (lv != CT_TRUST_GOOD)
		snprintf(it->todo, sizeof it->todo, "rerun with -n 12: %d+ give a 95%% CI, %d+ one "
			 "that ignores an outlier on each side", CT_MIN_CI_SAMPLES, GOOD_REPS);
}

static void ci_item(const ct_rdir_t *d, ct_trust_item_t *out, size_t *n, size_t max)
{
	double target = kv_num(d, "plan.ci_target_pct"), worst = -1;
	if (!(target > 0))
		target = DEFAULT_CI_TARGET;
	size_t within = 0, nci = 0;
	const ct_group_t *wg = NULL;
	for (size_t i = 0; i < d->ngroups; i++) {
		double p = ct_ci_pct(&d->groups[i].ns);
		within += p >= 0 && p <= target;
		nci += p >= 0;
		if (p > worst)
			worst = p, wg = &d->groups[i];
	}
	double frac = d->ngroups ? (double)within / (double)d->ngroups : 0;
	ct_trust_t lv = frac >= GOOD_FRACTION ? CT_TRUST_GOOD
			: frac >= CAUTION_FRACTION ? CT_TRUST_CAUTION : CT_TRUST_BAD;
	ct_trust_item_t *it = add(out, n, max, "points within the CI target", lv);
	int len = snprintf(it->value, sizeof it->value, "%zu of %zu within ±%g%%", within,
			   d->ngroups, target);
	if (wg)
		snprintf(it->value + len, sizeof it->value - (size_t)len, "; widest ±%.0f%% (%s %s %s %s "
			 "%u thr)", worst, ct_rstr(d, wg->workload), ct_rstr(d, wg->mode),
			 ct_rstr(d, wg->size), ct_rstr(d, wg->alloc), wg->threads);
	if (nci < d->ngroups)
		strncat(it->value, "; some points have no CI", sizeof it->value - strlen(it->value) - 1);
	if (lv != CT_TRUST_GOOD)
		snprintf(it->todo, sizeof it->todo, "ratios near a threshold will read INCONCLUSIVE: "
			 "rerun with a longer --benchtime or more --count on a quiet machine");
}

static void unstable_item(const ct_rdir_t *d, ct_trust_item_t *out, size_t *n, size_t max)
{
	/* contend counts unstable points per allocator: plan.points is per allocator */
	double u = kv_num(d, "plan.unstable_points"), pts = (double)d->ngroups;
	if (isnan(u)) {
		ct_trust_item_t *it = add(out, n, max, "unstable points", CT_TRUST_CAUTION);
		snprintf(it->value, sizeof it->value, "not recorded in machine.json");
		snprintf(it->todo, sizeof it->todo, "judge by the CI line above");
		return;
	}
	double frac = pts > 0 ? u / pts : 0;
	ct_trust_t lv = u == 0 ? CT_TRUST_GOOD : frac <= 0.1 ? CT_TRUST_CAUTION : CT_TRUST_BAD;
	ct_trust_item_t *it = add(out, n, max, "unstable points", lv);
	snprintf(it->value, sizeof it->value, "%.0f of %.0f still outside the CI target after "
		 "added repetitions", u, pts);
	if (lv != CT_TRUST_GOOD)
		snprintf(it->todo, sizeof it->todo, "see the '# unstable' lines of results.txt; quiet "
			 "the machine or raise --max-count");
}

/* Repetitions by status: ok, failed (anything else not ok), and redone or
 * rejected ones (statuses naming a redo or rejection, e.g. for overlap). */
static bool is_redo(const char *s)
{
	return strstr(s, "redo") || strstr(s, "redone") || strstr(s, "reject") ||
	       strstr(s, "overlap") || strstr(s, "discard") || strstr(s, "retr");
}

static void status_items(const ct_rdir_t *d, ct_trust_item_t *out, size_t *n, size_t max)
{
	size_t redo = 0, failed = 0;
	char names[128] = "";
	for (size_t i = 0; i < d->nrows; i++) {
		const char *s = ct_rstr(d, d->rows[i].status);
		if (d->rows[i].ok)
			continue;
		if (!is_redo(s)) {
			failed++;
			continue;
		}
		if (!redo++ || !strstr(names, s))
			snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s",
				 names[0] ? ", " : "", s);
	}
	double rf = d->nrows ? (double)redo / (double)d->nrows : 0;
	ct_trust_item_t *it = add(out, n, max, "repetitions redone or rejected",
				  !redo ? CT_TRUST_GOOD : rf <= 0.1 ? CT_TRUST_CAUTION : CT_TRUST_BAD);
	if (redo) {
		snprintf(it->value, sizeof it->value, "%zu of %zu (status %s)", redo, d->nrows, names);
		snprintf(it->todo, sizeof it->todo, "repetitions were disturbed: quiet the machine");
	} else {
		snprintf(it->value, sizeof it->value, "none in results.csv");
	}
	double ff = d->nrows ? (double)failed / (double)d->nrows : 0;
	it = add(out, n, max, "failed repetitions",
		 !failed ? CT_TRUST_GOOD : ff <= 0.01 ? CT_TRUST_CAUTION : CT_TRUST_BAD);
	snprintf(it->value, sizeof it->value, "%zu of %zu", failed, d->nrows);
	if (failed)
		snprintf(it->todo, sizeof it->todo, "see \"Failed repetitions\": the points they "
			 "belong to have fewer repetitions");
}

static void load_item(const ct_rdir_t *d, ct_trust_item_t *out, size_t *n, size_t max)
{
	double load = kv_num(d, "load_at_start"), cores = kv_num(d, "cpu.cores");
	if (isnan(load)) {
		ct_trust_item_t *it = add(out, n, max, "load at start", CT_TRUST_CAUTION);
		snprintf(it->value, sizeof it->value, "not recorded in machine.json");
		return;
	}
	double per = load / (cores > 0 ? cores : 1);
	ct_trust_t lv = per <= LOAD_GOOD ? CT_TRUST_GOOD : per <= LOAD_CAUTION ? CT_TRUST_CAUTION
									   : CT_TRUST_BAD;
	ct_trust_item_t *it = add(out, n, max, "load at start", lv);
	snprintf(it->value, sizeof it->value, "%.2f on %.0f cores (%.2f per core)", load,
		 cores > 0 ? cores : 1, per);
	if (lv != CT_TRUST_GOOD)
		snprintf(it->todo, sizeof it->todo, "other work shared the cores: rerun when `uptime` "
			 "shows under %.1f per core", LOAD_GOOD);
}

static void governor_item(const ct_rdir_t *d, ct_trust_item_t *out, size_t *n, size_t max)
{
	const char *g = ct_rdir_kv(d, "os.governor");
	bool perf = g && strcmp(g, "performance") == 0;
	ct_trust_item_t *it = add(out, n, max, "CPU governor", perf ? CT_TRUST_GOOD : CT_TRUST_CAUTION);
	snprintf(it->value, sizeof it->value, "%s", !g ? "not recorded"
			: strcmp(g, "unknown") == 0 ? "unknown (no cpufreq: a VM or container?)" : g);
	if (!perf)
		snprintf(it->todo, sizeof it->todo, "clock speed may vary between points: "
			 "`cpupower frequency-set -g performance` where cpufreq exists");
}

static void oversub_item(const ct_rdir_t *d, ct_trust_item_t *out, size_t *n, size_t max)
{
	unsigned th[256];
	size_t nt = ct_rdir_threads(d, -1, th, 256);
	double cores = kv_num(d, "cpu.cores");
	bool over = kv_true(d, "plan.oversubscribed") || (cores > 0 && nt && th[nt - 1] > cores);
	ct_trust_item_t *it = add(out, n, max, "oversubscription", over ? CT_TRUST_CAUTION
									 : CT_TRUST_GOOD);
	if (cores > 0 && nt)
		snprintf(it->value, sizeof it->value, "%s: up to %u threads on %.0f cores",
			 over ? "yes" : "no", th[nt - 1], cores);
	else
		snprintf(it->value, sizeof it->value, "%s", over ? "yes" : "core count not recorded");
	if (over)
		snprintf(it->todo, sizeof it->todo, "points above %.0f threads time-share cores: their "
			 "ns/op includes waiting; read contention only up to the core count", cores);
}

static void pin_item(const ct_rdir_t *d, ct_trust_item_t *out, size_t *n, size_t max)
{
	double miss = kv_num(d, "plan.repetitions_off_their_pu");
	ct_trust_t lv = isnan(miss) ? CT_TRUST_CAUTION : miss == 0 ? CT_TRUST_GOOD
			: miss <= 0.05 * (double)d->nrows ? CT_TRUST_CAUTION : CT_TRUST_BAD;
	ct_trust_item_t *it = add(out, n, max, "pinning misses", lv);
	if (isnan(miss))
		snprintf(it->value, sizeof it->value, "not recorded in machine.json");
	else
		snprintf(it->value, sizeof it->value, "%.0f of %zu repetitions ran off their PU", miss,
			 d->nrows);
	if (lv != CT_TRUST_GOOD)
		snprintf(it->todo, sizeof it->todo, "threads migrated: check `contend selftest` and "
			 "that no cpuset or taskset narrows the cores");
}

static void counters_item(const ct_rdir_t *d, ct_trust_item_t *out, size_t *n, size_t max)
{
	const char *c = ct_rdir_kv(d, "counters");
	bool none = !c || !*c || strncmp(c, "unsupported", 11) == 0 || strncmp(c, "off", 3) == 0 ||
		    strncmp(c, "unavailable", 11) == 0;
	ct_trust_item_t *it = add(out, n, max, "hardware counters", none ? CT_TRUST_CAUTION
									 : CT_TRUST_GOOD);
	snprintf(it->value, sizeof it->value, "%s", !c ? "not recorded" : none ? "unavailable" : c);
	if (none)
		snprintf(it->todo, sizeof it->todo, "mechanisms read OS counters only (faults, context "
			 "switches): run on bare metal with perf_event_paranoid <= 2 for cycles and misses");
}

/* A VM: machine.json's own word when it has one, else the CPU model's. */
static void vm_item(const ct_rdir_t *d, ct_trust_item_t *out, size_t *n, size_t max)
{
	static const char *const keys[] = {"vm", "virtualization", "os.virtualization",
					   "cpu.hypervisor", "machine.vm"};
	const char *v = NULL, *model = ct_rdir_kv(d, "cpu.model");
	for (size_t i = 0; i < sizeof keys / sizeof keys[0] && !v; i++)
		v = ct_rdir_kv(d, keys[i]);
	bool said_no = v && (!*v || !strcmp(v, "none") || !strcmp(v, "false") || !strcmp(v, "no"));
	bool model_vm = model && (strstr(model, "QEMU") || strstr(model, "KVM") ||
				  strstr(model, "Virtual") || strstr(model, "VMware"));
	ct_trust_item_t *it = add(out, n, max, "virtual machine", said_no ? CT_TRUST_GOOD
									   : CT_TRUST_CAUTION);
	if (said_no)
		snprintf(it->value, sizeof it->value, "no");
	else if (v || model_vm)
		snprintf(it->value, sizeof it->value, "yes (%s)", v ? v : model);
	else
		snprintf(it->value, sizeof it->value, "not recorded in machine.json");
	if (!said_no)
		snprintf(it->todo, sizeof it->todo, "a VM adds steal time and hides counters: check "
			 "`systemd-detect-virt`; prefer bare metal for final figures");
}

static void complete_item(const ct_rdir_t *d, ct_trust_item_t *out, size_t *n, size_t max)
{
	if (d->complete && !d->nbad)
		return;
	ct_trust_item_t *it = add(out, n, max, "study finished", CT_TRUST_CAUTION);
	snprintf(it->value, sizeof it->value, "%s%s; %zu malformed line(s)",
		 d->complete ? "yes" : "no, interrupted", d->complete ? "" : " (partial)", d->nbad);
	snprintf(it->todo, sizeof it->todo, "points the study did not reach are empty below");
}

size_t _ct_trust_items(const ct_rdir_t *d, ct_trust_item_t *out, size_t max)
{
	size_t n = 0;
	reps_item(d, out, &n, max);
	ci_item(d, out, &n, max);
	unstable_item(d, out, &n, max);
	status_items(d, out, &n, max);
	load_item(d, out, &n, max);
	governor_item(d, out, &n, max);
	oversub_item(d, out, &n, max);
	pin_item(d, out, &n, max);
	counters_item(d, out, &n, max);
	vm_item(d, out, &n, max);
	complete_item(d, out, &n, max);
	return n;
}

/* ---------------------------------------------------------------- rendering */

/* "do not trust: 2 lines (points within the CI target, load at start)" */
static void headline(const ct_trust_item_t *it, size_t n, char *buf, size_t len)
{
	ct_trust_t w = _ct_trust_worst(it, n);
	size_t k = 0, used = (size_t)snprintf(buf, len, "%s", _ct_trust_word(w));
	for (size_t i = 0; i < n; i++)
		k += it[i].level == w;
	if (w == CT_TRUST_GOOD)
		return;
	used += (size_t)snprintf(buf + used, len - used, ": %zu line%s (", k, k == 1 ? "" : "s");
	for (size_t i = 0, j = 0; i < n && used < len; i++)
		if (it[i].level == w)
			used += (size_t)snprintf(buf + used, len - used, "%s%s", j++ ? ", " : "",
						 it[i].what);
	if (used < len)
		snprintf(buf + used, len - used, ")");
}

void _ct_trust_text(const ct_report_t *r, size_t k, FILE *f)
{
	ct_trust_item_t it[CT_TRUST_MAX];
	size_t n = _ct_trust_items(&r->dirs[k], it, CT_TRUST_MAX);
	char h[512];
	headline(it, n, h, sizeof h);
	fprintf(f, "\n== How far to trust it — [%zu] %s ==\nOverall: %s\n", k + 1, r->dirs[k].label, h);
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "  %-12s %-30s %s\n", _ct_trust_word(it[i].level), it[i].what, it[i].value);
		if (it[i].todo[0])
			fprintf(f, "  %-12s %-30s -> %s\n", "", "", it[i].todo);
	}
}

static const char *trust_cls(ct_trust_t t)
{
	static const char *const c[] = {"t-good", "t-caution", "t-bad"};
	return c[t];
}

/* compact: the first screen's panel (advice as a tooltip for good lines) */
void _ct_trust_html(const ct_report_t *r, size_t k, FILE *f, bool compact)
{
	ct_trust_item_t it[CT_TRUST_MAX];
	size_t n = _ct_trust_items(&r->dirs[k], it, CT_TRUST_MAX);
	char h[512];
	headline(it, n, h, sizeof h);
	fprintf(f, "<div class=\"trust%s\"><p class=\"%s overall\"><b>Trust [%zu]: ", compact ? " compact" : "",
		trust_cls(_ct_trust_worst(it, n)), k + 1);
	_ct_html_esc(f, h);
	fputs("</b></p>\n<table class=\"trust\">\n", f);
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "<tr><td class=\"%s\">%s</td><th>", trust_cls(it[i].level),
			_ct_trust_word(it[i].level));
		_ct_html_esc(f, it[i].what);
		fputs("</th><td>", f);
		_ct_html_esc(f, it[i].value);
		if (it[i].todo[0] && compact) { /* the first screen: advice on hover, in full at #trust */
			fputs(" <abbr title=\"", f);
			_ct_html_esc(f, it[i].todo);
			fputs("\">→ what to do</abbr>", f);
		} else if (it[i].todo[0]) {
			fputs("<br><small>→ ", f);
			_ct_html_esc(f, it[i].todo);
			fputs("</small>", f);
		}
		fputs("</td></tr>\n", f);
	}
	fputs("</table></div>\n", f);
}
