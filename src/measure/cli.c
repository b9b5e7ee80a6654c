/* cli.c — the command-line parser of `contend run` (see cli.h). */
#include "cli.h"
#include "runner.h"

#include <errno.h>
#include <getopt.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

void ct_cli_usage(FILE *f)
{
	fputs("usage: contend [SUBCOMMAND] [options]\n"
	      "\n"
	      "  contend               run the default study (same as `contend run`)\n"
	      "  contend run [opts]    run a study, write a results directory, print tables\n"
	      "  contend list          workloads, allocators found (path, version, verified?),\n"
	      "                        topology\n"
	      "  contend report DIR... verdicts, figures and report.html from results dirs\n"
	      "  contend compare OLD NEW  A/B: medians, change with CI, Mann-Whitney p\n"
	      "  contend selftest      checks this machine before you trust its figures\n"
	      "  contend help [SUBCOMMAND]  this text, or that subcommand's (same as\n"
	      "                        `contend SUBCOMMAND --help`)\n"
	      "  contend version       version, git revision, where its files were found\n"
	      "                        (also `contend --version`)\n"
	      "\n"
	      "contend runs the Bilbo/Smaug stack-vs-heap kernels on N pinned threads under\n"
	      "glibc malloc, mimalloc, tcmalloc and jemalloc, each in its own process.\n",
	      f);
}

void ct_cli_run_usage(FILE *f)
{
	fputs("usage: contend run [options]\n"
	      "       contend run --resume DIR [-q] [--dry-run]\n"
	      "\n"
	      "  -w, --workload LIST   workloads (default bilbo,smaug; see `contend list`)\n"
	      "  -m, --mode LIST       modes: stack, heap, zeroed, control (default: per\n"
	      "                        workload; `contend list`)\n"
	      "  -a, --alloc LIST      glibc, mimalloc, tcmalloc, jemalloc, go, NAME=/path/lib.so,\n"
	      "                        NAME:key=value[,key=value]; all: every one installed;\n"
	      "                        no-NAME: all but NAME (default: all installed);\n"
	      "                        go (Go's runtime: bilbo, churn, and smaug and large at\n"
	      "                        powers of two) takes go:gogc=off|N, go:memlimit=1GiB\n"
	      "  -t, --threads LIST    thread counts, e.g. 1,2,4 or 1-16 (default: powers of\n"
	      "                        two up to the core count, plus the core count)\n"
	      "  -s, --size LIST       object sizes for sized workloads, e.g. 64B,1KiB or\n"
	      "                        1KiB-1MiB (powers of two) (default 1KiB-1MiB)\n"
	      "  -P, --param LIST      workload parameters, name=value[,name=value]\n"
	      "                        (see `contend list`), each name once; values\n"
	      "                        separated by / are swept, every combination in\n"
	      "                        one study: -P prime=0/64 or -P copy=compiler/memcpy\n"
	      "      --filter REGEX    only the benchmarks whose full name (as in results.txt)\n"
	      "                        matches, like go test -bench; e.g. 'mode=heap/.*glibc'\n"
	      "                        (POSIX extended regex)\n"
	      "  -p, --place POLICY    compact, scatter or none (default compact)\n"
	      "  -n, --count N         repetitions per point (default 9; 6+ gives a 95% CI,\n"
	      "                        9+ one that ignores an outlier on each side, 12+ two)\n"
	      "      --ci-target PCT   after the base rounds, points whose 95% CI is wider\n"
	      "                        than ±PCT% of the median get repetitions up to\n"
	      "                        --max-count; when the budget is short, those\n"
	      "                        predicted to close the gap, where they fit,\n"
	      "                        cheapest first (default 5; 0: never)\n"
	      "      --max-count N     at most N repetitions per point (default 3x --count);\n"
	      "                        added ones are at most half of the planned ones\n"
	      "      --benchtime T     time per repetition, during which all threads run\n"
	      "                        together, e.g. 30ms; or operations per thread, 1000x\n"
	      "                        (default 5ms)\n"
	      "      --timeout T       give up on a child's start, one repetition or its\n"
	      "                        exit after T, e.g. 1m30s (default 120s; above\n"
	      "                        --benchtime)\n"
	      "  -o, --out DIR         results directory (default results/<date-time>)\n"
	      "      --latency         add a latency round to each repetition: p50, p99,\n"
	      "                        p99.9 and max per op (about +25% time)\n"
	      "      --dry-run         print the plan, every point, the repetitions and an\n"
	      "                        estimated duration; run and write nothing\n"
	      "      --seed N          seed of the order shuffled anew each round (default:\n"
	      "                        from the clock); recorded in machine.json: the same\n"
	      "                        seed and plan give the same order\n"
	      "      --resume DIR      continue the interrupted study in DIR (machine.json\n"
	      "                        says complete: false) with the plan, options and seed\n"
	      "                        recorded there, keeping every finished repetition;\n"
	      "                        the order and the extra repetitions are those of a\n"
	      "                        run that did not stop. Only -q and --dry-run (what\n"
	      "                        remains; nothing written) may be given with it\n"
	      "  -q, --quiet           no tables on stdout (allocator output discarded)\n"
	      "  -h, --help            this text\n"
	      "\n"
	      "-w, -m, -a, -t, -s and -P may be repeated: the lists add up.\n"
	      "MALLOC_*, MIMALLOC_*, TCMALLOC_*, GLIBC_TUNABLES and LD_PRELOAD in the\n"
	      "environment are not passed to the allocators (tune with NAME:key=value).\n"
	      "Exit status: 0 all measured, 1 a repetition, allocator or census failed,\n"
	      "2 bad input, 3 results could not be written, 128+N stopped by signal N.\n",
	      f);
}

void ct_cli_list_usage(FILE *f)
{
	fputs("usage: contend list\n"
	      "\n"
	      "Lists the workloads with their modes and sizes, the allocators with the\n"
	      "library each would preload, its version and whether a child process proved\n"
	      "that malloc resolves into it, and the topology contend pins threads on.\n"
	      "\n"
	      "  -h, --help         this text\n",
	      f);
}

static _Noreturn void bad(const char *opt, const char *val, const char *why)
{
	ct_usage_error("%s: bad value '%s': %s", opt, val, why);
}

/* Which list options were given: the first one replaces the default list,
 * the later ones add to it. */
typedef struct {
	bool wl, allocs;
} given_t;

/* The items of a -w, -m or -P list (units.c refuses empty, repeated and
 * overlong ones rather than cut or skip them). */
static size_t split(const char *opt, const char *arg, char *buf, size_t len, char **items,
		    bool by_key)
{
	size_t n = 0;
	ct_err_t err;
	if (ct_split_list(arg, buf, len, items, CT_MAX_LIST, &n, by_key, &err))
		bad(opt, arg, err.msg);
	return n;
}

static void parse_workloads(const char *arg, ct_config_t *cfg, given_t *g)
{
	char buf[512], *items[CT_MAX_LIST];
	size_t n = split("--workload", arg, buf, sizeof buf, items, false);
	if (!g->wl)
		cfg->nwl = 0;
	g->wl = true;
	for (size_t i = 0; i < n; i++) {
		const ct_workload_t *w = ct_workload_find(items[i]);
		if (!w)
			bad("--workload", items[i], "no such workload (see `contend list`)");
		bool dup = false; /* a workload an earlier -w gave already */
		for (size_t k = 0; k < cfg->nwl; k++)
			dup |= cfg->wl[k] == w;
		if (dup)
			continue;
		if (cfg->nwl == CT_MAX_WORKLOADS)
			bad("--workload", arg, "too many workloads");
		cfg->wl[cfg->nwl++] = w;
	}
}

static void parse_modes(const char *arg, ct_config_t *cfg)
{
	char buf[512], *items[CT_MAX_LIST];
	size_t n = split("--mode", arg, buf, sizeof buf, items, false);
	for (size_t i = 0; i < n; i++) {
		if (strlen(items[i]) >= sizeof cfg->modes[0] || cfg->nmodes >= CT_MAX_LIST)
			bad("--mode", items[i], "too long");
		bool dup = false; /* a mode an earlier -m gave already */
		for (size_t k = 0; k < cfg->nmodes; k++)
			dup |= strcmp(cfg->modes[k], items[i]) == 0;
		if (!dup)
			snprintf(cfg->modes[cfg->nmodes++], sizeof cfg->modes[0], "%s", items[i]);
	}
}

/* -P adds up over repeated options; a name given twice, in one list or
 * across options, is refused (which value would hold?). */
static void parse_params(const char *arg, ct_config_t *cfg)
{
	char buf[512], *items[CT_MAX_LIST];
	/* repeated names are refused below, with how to sweep instead */
	size_t n = split("--param", arg, buf, sizeof buf, items, false);
	for (size_t i = 0; i < n; i++) {
		char *t = items[i], *eq = strchr(t, '=');
		if (!eq || eq == t || (size_t)(eq - t) >= sizeof cfg->params[0].name)
			bad("--param", t, "want name=value");
		if (cfg->nparams >= CT_MAX_PARAMS)
			bad("--param", t, "too many parameters");
		if (!eq[1] || strlen(eq + 1) >= sizeof cfg->params[0].text)
			bad("--param", t, "want name=value, the value at most 127 characters");
		*eq = '\0';
		for (size_t k = 0; k < cfg->nparams; k++)
			if (strcmp(cfg->params[k].name, t) == 0)
				bad("--param", t, "given twice: to sweep it, name it once with values a/b");
		snprintf(cfg->params[cfg->nparams].name, sizeof cfg->params[0].name, "%s", t);
		snprintf(cfg->params[cfg->nparams].text, sizeof cfg->params[0].text, "%s", eq + 1);
		cfg->nparams++;
	}
}

static ssize_t alloc_index(const ct_config_t *cfg, const char *label)
{
	for (size_t i = 0; i < cfg->nallocs; i++)
		if (strcmp(cfg->allocs[i].label, label) == 0)
			return (ssize_t)i;
	return -1;
}

/* Every allocator contend knows, not yet in the list; those not installed
 * stay in it, marked missing, and are skipped with a note at run time. */
static void add_all_allocs(ct_config_t *cfg)
{
	ct_err_t err;
	for (size_t i = 0; i < ct_nallocators && cfg->nallocs < CT_MAX_ALLOCS; i++)
		if (alloc_index(cfg, ct_allocators[i]->name) < 0 &&
		    ct_alloc_spec_parse(ct_allocators[i]->name, &cfg->allocs[cfg->nallocs], &err) == 0)
			cfg->nallocs++;
}

/* "no-NAME": NAME leaves the list; as the first item, from all of them. */
static void exclude_alloc(ct_config_t *cfg, const char *item)
{
	if (cfg->nallocs == 0)
		add_all_allocs(cfg);
	ssize_t i = alloc_index(cfg, item + 3);
	if (i >= 0) {
		size_t at = (size_t)i;
		memmove(&cfg->allocs[at], &cfg->allocs[at + 1],
			(cfg->nallocs - at - 1) * sizeof cfg->allocs[0]);
		cfg->nallocs--;
		return;
	}
	bad("--alloc", item, "names no allocator of the list so far");
}

static void add_alloc(ct_config_t *cfg, const char *item, const char *arg)
{
	ct_err_t err;
	if (cfg->nallocs >= CT_MAX_ALLOCS)
		bad("--alloc", arg, "too many allocators");
	ct_alloc_spec_t *s = &cfg->allocs[cfg->nallocs];
	if (ct_alloc_spec_parse(item, s, &err))
		bad("--alloc", item, err.msg);
	if (s->missing)
		bad("--alloc", item, s->why);
	if (alloc_index(cfg, s->label) >= 0)
		bad("--alloc", item, "named twice");
	cfg->nallocs++;
}

static void parse_allocs(const char *arg, ct_config_t *cfg)
{
	char buf[8192];
	if (strlen(arg) >= sizeof buf)
		bad("--alloc", arg, "list too long");
	snprintf(buf, sizeof buf, "%s", arg);
	if (!*arg || arg[0] == ',' || arg[strlen(arg) - 1] == ',')
		bad("--alloc", arg, "empty item in list");
	cfg->allocs_default = false; /* repeated -a options add up */
	/* Items are split on ',' but a tunable list (NAME:k=v,k=v) continues
	 * an item: a piece with '=' and no ':' or '/' after a variant joins it. */
	char *save = NULL, *prev_variant = NULL;
	ct_err_t err;
	char item[1024];
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		bool cont = prev_variant && strchr(t, '=') && !strchr(t, ':') && !strchr(t, '/');
		if (cont) {
			ct_alloc_spec_t *s = &cfg->allocs[cfg->nallocs - 1];
			snprintf(item, sizeof item, "%s,%s", prev_variant, t);
			if (ct_alloc_spec_parse(item, s, &err))
				bad("--alloc", item, err.msg);
			prev_variant = s->label;
			continue;
		}
		if (strcmp(t, "all") == 0)
			add_all_allocs(cfg);
		else if (strncmp(t, "no-", 3) == 0)
			exclude_alloc(cfg, t);
		else
			add_alloc(cfg, t, arg);
		prev_variant = strchr(t, ':') ? cfg->allocs[cfg->nallocs - 1].label : NULL;
	}
	if (!cfg->nallocs)
		bad("--alloc", arg, "leaves no allocator");
}

static void default_allocs(ct_config_t *cfg)
{
	cfg->nallocs = 0;
	cfg->allocs_default = true;
	add_all_allocs(cfg);
}

static void default_threads(ct_config_t *cfg)
{
	cfg->nthreads = 0;
	for (uint64_t t = 1; t <= cfg->cores && cfg->nthreads < CT_MAX_LIST; t *= 2)
		cfg->threads[cfg->nthreads++] = t;
	if (cfg->threads[cfg->nthreads - 1] != cfg->cores && cfg->nthreads < CT_MAX_LIST)
		cfg->threads[cfg->nthreads++] = cfg->cores;
}

static void default_out(ct_config_t *cfg)
{
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	strftime(cfg->out, sizeof cfg->out, "results/%Y%m%d-%H%M%S", &tm);
}

static void check_modes(const ct_config_t *cfg)
{
	for (size_t m = 0; m < cfg->nmodes; m++) {
		bool found = false;
		for (size_t w = 0; w < cfg->nwl; w++)
			found |= ct_workload_mode(cfg->wl[w], cfg->modes[m]) >= 0;
		if (!found)
			bad("--mode", cfg->modes[m], "no selected workload has this mode");
	}
}

/* A mode named with -m must run at every thread count asked for; one that
 * is only a default is left out where it cannot (the plan says so). */
static void check_refusals(const ct_config_t *cfg)
{
	for (size_t w = 0; w < cfg->nwl; w++)
		for (size_t m = 0; m < cfg->nmodes && cfg->wl[w]->refuse; m++) {
			int mode = ct_workload_mode(cfg->wl[w], cfg->modes[m]);
			for (size_t t = 0; t < cfg->nthreads && mode >= 0; t++) {
				const char *why = cfg->wl[w]->refuse(mode, (unsigned)cfg->threads[t]);
				char v[32];
				snprintf(v, sizeof v, "%llu", (unsigned long long)cfg->threads[t]);
				if (why)
					bad("--threads", v, why);
			}
		}
}

static void check_sizes(const ct_config_t *cfg)
{
	for (size_t w = 0; w < cfg->nwl; w++) {
		const ct_workload_t *wl = cfg->wl[w];
		if (!wl->default_sizes)
			continue;
		for (size_t i = 0; i < cfg->nsizes; i++) {
			if (cfg->sizes[i] < wl->min_size || cfg->sizes[i] > wl->max_size) {
				char v[32], lo[32], hi[32], why[128];
				snprintf(why, sizeof why, "%s takes sizes %s to %s", wl->name,
					 ct_format_size(wl->min_size, lo, sizeof lo),
					 ct_format_size(wl->max_size, hi, sizeof hi));
				bad("--size", ct_format_size(cfg->sizes[i], v, sizeof v), why);
			}
		}
	}
}

/* Splits a --param value "a/b/c" into its values (empty ones included),
 * keeping the first max; returns how many there are, max or not. */
static size_t split_values(const char *text, char (*val)[CT_PARAM_TEXT], size_t max)
{
	size_t n = 0;
	for (const char *t = text;; n++) {
		size_t len = strcspn(t, "/");
		if (n < max)
			snprintf(val[n], CT_PARAM_TEXT, "%.*s", (int)len, t);
		if (!t[len])
			return n + 1;
		t += len + 1;
	}
}

/* Every value of a --param list is valid for the workload's parameter pd
 * as a single value would be; none is empty and none repeats another. */
static void check_values(const ct_workload_t *wl, const ct_param_t *pd, const char *text)
{
	char val[CT_MAX_VALUES][CT_PARAM_TEXT];
	uint64_t v[CT_MAX_VALUES];
	size_t n = split_values(text, val, CT_MAX_VALUES);
	if (n > CT_MAX_VALUES)
		bad("--param", text, "at most 16 values per parameter");
	for (size_t i = 0; i < n; i++) {
		ct_err_t err;
		if (!val[i][0])
			bad("--param", text, "empty value in list");
		if (ct_param_parse(pd, val[i], &v[i], &err)) {
			char why[200];
			snprintf(why, sizeof why, "%s: %s", wl->name, err.msg);
			bad("--param", val[i], why);
		}
		for (size_t k = 0; k < i; k++)
			if (v[k] == v[i])
				bad("--param", val[i], "the same value given twice");
	}
}

/* A sweep's combinations per workload fit the plan (CT_MAX_SETS). */
static void check_sets(const ct_config_t *cfg)
{
	for (size_t w = 0; w < cfg->nwl; w++) {
		uint64_t sets = 1;
		for (size_t i = 0; i < cfg->nparams; i++) {
			char val[CT_MAX_VALUES][CT_PARAM_TEXT];
			if (ct_workload_param(cfg->wl[w], cfg->params[i].name) >= 0)
				sets *= split_values(cfg->params[i].text, val, CT_MAX_VALUES);
		}
		if (sets > CT_MAX_SETS) {
			char v[32], why[120];
			snprintf(v, sizeof v, "%llu", (unsigned long long)sets);
			snprintf(why, sizeof why, "%s: at most %d combinations of parameter values",
				 cfg->wl[w]->name, CT_MAX_SETS);
			bad("--param", v, why);
		}
	}
}

/* Why a runtime with its own child (go) cannot run workload w at some size
 * of this study; false when it can run them all. */
static bool runtime_refuses(const ct_config_t *cfg, const ct_allocator_t *a,
			    const ct_workload_t *w, char *why, size_t len)
{
	uint64_t sizes[CT_MAX_LIST];
	size_t n = 0;
	ct_err_t err;
	if (!w->default_sizes)
		sizes[n++] = w->fixed_size;
	else if (cfg->nsizes) {
		memcpy(sizes, cfg->sizes, cfg->nsizes * sizeof sizes[0]);
		n = cfg->nsizes;
	} else
		ct_parse_size_list(w->default_sizes, 1, UINT64_MAX, sizes, CT_MAX_LIST, &n, &err);
	for (size_t i = 0; i < n; i++)
		if (!a->supports(w->name, (unsigned long long)sizes[i], why, len))
			return true;
	return false;
}

/* An allocator asked for by name must run every point of the study (else
 * exit 2); one that is only there by default is skipped with the reason. */
static void check_runtimes(ct_config_t *cfg)
{
	char why[256];
	for (size_t i = 0; i < cfg->nallocs; i++) {
		ct_alloc_spec_t *sp = &cfg->allocs[i];
		if (!sp->adapter || !sp->adapter->supports || sp->missing)
			continue;
		for (size_t w = 0; w < cfg->nwl; w++) {
			if (!runtime_refuses(cfg, sp->adapter, cfg->wl[w], why, sizeof why))
				continue;
			if (!cfg->allocs_default)
				bad("--alloc", sp->label, why);
			sp->missing = true;
			snprintf(sp->why, sizeof sp->why, "%s", why);
			break;
		}
	}
}

/* Each parameter belongs to a selected workload and each of its values is
 * valid there (a number in its range, or one of its choices). */
static void check_params(const ct_config_t *cfg)
{
	for (size_t i = 0; i < cfg->nparams; i++) {
		bool found = false;
		for (size_t w = 0; w < cfg->nwl; w++) {
			int k = ct_workload_param(cfg->wl[w], cfg->params[i].name);
			if (k < 0)
				continue;
			found = true;
			check_values(cfg->wl[w], &cfg->wl[w]->params[k], cfg->params[i].text);
		}
		if (!found)
			bad("--param", cfg->params[i].name, "no selected workload has this parameter");
	}
	check_sets(cfg);
}

static void check_out(const ct_config_t *cfg)
{
	char p[4200];
	struct stat st;
	snprintf(p, sizeof p, "%s/results.txt", cfg->out);
	if (stat(p, &st) == 0)
		bad("--out", cfg->out, "already holds a study (results.txt); choose another directory");
	if (stat(cfg->out, &st) == 0 && !S_ISDIR(st.st_mode))
		bad("--out", cfg->out, "exists and is not a directory");
}

/* Values --param gives the workload's parameter i (its default when none),
 * in the order given; the list was checked by check_params. */
static size_t param_values(const ct_config_t *cfg, const ct_workload_t *wl, int i, uint64_t *v)
{
	const ct_param_t *pd = &wl->params[i];
	for (size_t k = 0; k < cfg->nparams; k++) {
		if (strcmp(cfg->params[k].name, pd->name) != 0)
			continue;
		char val[CT_MAX_VALUES][CT_PARAM_TEXT];
		size_t n = split_values(cfg->params[k].text, val, CT_MAX_VALUES);
		for (size_t j = 0; j < n && j < CT_MAX_VALUES; j++) {
			ct_err_t err;
			if (ct_param_parse(pd, val[j], &v[j], &err))
				v[j] = pd->def;
		}
		return n < CT_MAX_VALUES ? n : CT_MAX_VALUES;
	}
	v[0] = pd->def;
	return 1;
}

size_t ct_cli_param_sets(const ct_config_t *cfg, const ct_workload_t *wl,
			 uint64_t (*sets)[CT_MAX_PARAMS], size_t max)
{
	int np = ct_workload_nparams(wl) < CT_MAX_PARAMS ? ct_workload_nparams(wl) : CT_MAX_PARAMS;
	uint64_t v[CT_MAX_PARAMS][CT_MAX_VALUES];
	size_t nv[CT_MAX_PARAMS] = {0}, at[CT_MAX_PARAMS] = {0}, n = 0;
	for (int i = 0; i < np; i++)
		nv[i] = param_values(cfg, wl, i, v[i]);
	for (;;) { /* an odometer over the values, the last parameter fastest */
		if (n == max)
			return n;
		memset(sets[n], 0, sizeof sets[n]);
		for (int i = 0; i < np; i++)
			sets[n][i] = v[i][at[i]];
		n++;
		int i = np - 1;
		while (i >= 0 && ++at[i] == nv[i])
			at[i--] = 0;
		if (i < 0)
			return n;
	}
}

void ct_cli_params(const ct_config_t *cfg, const ct_workload_t *wl, uint64_t *param)
{
	ct_cli_param_sets(cfg, wl, (uint64_t(*)[CT_MAX_PARAMS])param, 1);
}

/* A repetition must last at least 1000 clock steps (0.1% quantization). */
static void check_benchtime(const ct_config_t *cfg)
{
	if (!cfg->bt.ns)
		return;
	double res = ct_timer_resolution_ns();
	if ((double)cfg->bt.ns < 1000 * res) {
		char v[32], why[128];
		snprintf(why, sizeof why,
			 "shorter than 1000 steps of this clock (resolution %.0f ns): use %.0fus or more",
			 res, res);
		bad("--benchtime", ct_format_benchtime(&cfg->bt, v, sizeof v), why);
	}
}

/* A --timeout no repetition can meet would fail every one of them: refused
 * before any work. 100 ms is the least that starting a child, its threads
 * and their pinning takes; a timed repetition also runs for --benchtime. */
static void check_timeout(const ct_config_t *cfg)
{
	char v[32]; /* exact, in the largest unit that divides it: 1ns, not 1e-09s */
	ct_format_benchtime(&(ct_benchtime_t){.ns = cfg->timeout_ns}, v, sizeof v);
	if (cfg->timeout_ns < 100000000ull)
		bad("--timeout", v, "below 100ms, in which no repetition can finish");
	if (cfg->bt.ns && cfg->timeout_ns <= cfg->bt.ns)
		bad("--timeout", v, "not above --benchtime: every repetition would time out");
}

static uint64_t mem_available(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[256];
	unsigned long long kib = 0;
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "MemAvailable: %llu kB", &kib) == 1)
			break;
	if (f)
		fclose(f);
	return (uint64_t)kib << 10;
}

/* Peak memory of the plan: the most threads at once, each with its stack
 * and the heap its workload holds; refused when it exceeds what is free. */
static void check_memory(const ct_config_t *cfg)
{
	uint64_t avail = mem_available(), maxt = 0, worst = 0;
	for (size_t t = 0; t < cfg->nthreads; t++)
		maxt = cfg->threads[t] > maxt ? cfg->threads[t] : maxt;
	for (size_t w = 0; w < cfg->nwl; w++) {
		const ct_workload_t *wl = cfg->wl[w];
		uint64_t sets[CT_MAX_SETS][CT_MAX_PARAMS];
		size_t nsets = ct_cli_param_sets(cfg, wl, sets, CT_MAX_SETS);
		uint64_t sizes[CT_MAX_LIST] = {wl->fixed_size};
		size_t nz = 1;
		ct_err_t err;
		if (wl->default_sizes && cfg->nsizes) {
			memcpy(sizes, cfg->sizes, cfg->nsizes * sizeof sizes[0]);
			nz = cfg->nsizes;
		} else if (wl->default_sizes)
			ct_parse_size_list(wl->default_sizes, 1, UINT64_MAX, sizes, CT_MAX_LIST, &nz, &err);
		for (size_t z = 0; z < nz; z++)
			for (size_t k = 0; k < nsets; k++) {
				uint64_t heap = wl->heap_bytes(sizes[z], sets[k]);
				uint64_t stack = ct_stack_size(ct_workload_stack(wl, sizes[z]));
				uint64_t per = heap > UINT64_MAX - stack ? UINT64_MAX : heap + stack;
				worst = ct_mul_sat(per, maxt) > worst ? ct_mul_sat(per, maxt) : worst;
			}
	}
	if (avail && worst > avail / 10 * 9) {
		char v[32], why[200];
		snprintf(v, sizeof v, "%llu", (unsigned long long)maxt);
		snprintf(why, sizeof why,
			 "the plan needs about %llu MiB at its peak (stacks and heap of %llu threads), "
			 "more than the %llu MiB available",
			 (unsigned long long)(worst >> 20), (unsigned long long)maxt,
			 (unsigned long long)(avail >> 20));
		bad("--threads", v, why);
	}
}

static void defaults(ct_config_t *cfg, unsigned cores)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->cores = cores ? cores : 1;
	cfg->wl[0] = &ct_wl_bilbo;
	cfg->wl[1] = &ct_wl_smaug;
	cfg->nwl = 2;
	cfg->place = CT_PLACE_COMPACT;
	cfg->count = 9; /* README, "The default study's budget" */
	cfg->ci_target_pct = 5;
	cfg->bt.ns = 5 * 1000000ull;
	cfg->timeout_ns = 120 * 1000000000ull;
}

/* A list option given again adds its values to the list (new ones only). */
static void add_values(const uint64_t *v, size_t n, uint64_t *list, size_t *len, const char *opt,
		       const char *arg)
{
	for (size_t i = 0; i < n; i++) {
		bool dup = false;
		for (size_t k = 0; k < *len; k++)
			dup |= list[k] == v[i];
		if (dup)
			continue;
		if (*len >= CT_MAX_LIST)
			bad(opt, arg, "too many values in all");
		list[(*len)++] = v[i];
	}
}

static void parse_filter(const char *arg, ct_config_t *cfg)
{
	regex_t re;
	int rc = regcomp(&re, arg, REG_EXTENDED | REG_NOSUB);
	if (rc) {
		char why[160];
		regerror(rc, &re, why, sizeof why);
		bad("--filter", arg, why);
	}
	regfree(&re);
	if (strlen(arg) >= sizeof cfg->filter)
		bad("--filter", arg, "too long");
	snprintf(cfg->filter, sizeof cfg->filter, "%s", arg);
}

static void parse_option(int c, const char *arg, ct_config_t *cfg, given_t *g)
{
	ct_err_t err;
	uint64_t v, list[CT_MAX_LIST];
	size_t n;
	switch (c) {
	case 'w': parse_workloads(arg, cfg, g); break;
	case 'm': parse_modes(arg, cfg); break;
	case 'P': parse_params(arg, cfg); break;
	case 'a':
		parse_allocs(arg, cfg);
		g->allocs = true;
		break;
	case 't':
		if (ct_parse_count_list(arg, 1, CT_MAX_THREADS, list, CT_MAX_LIST, &n, &err))
			bad("--threads", arg, err.msg);
		add_values(list, n, cfg->threads, &cfg->nthreads, "--threads", arg);
		break;
	case 's':
		if (ct_parse_size_list(arg, 1, UINT64_MAX, list, CT_MAX_LIST, &n, &err))
			bad("--size", arg, err.msg);
		add_values(list, n, cfg->sizes, &cfg->nsizes, "--size", arg);
		break;
	case 'p': {
		int p = ct_place_parse(arg);
		if (p < 0)
			bad("--place", arg, "want compact, scatter or none");
		cfg->place = (ct_place_t)p;
		break;
	}
	case 'n':
		if (ct_parse_u64(arg, 1, 10000, &v, &err))
			bad("--count", arg, err.msg);
		cfg->count = (unsigned)v;
		break;
	case 'B':
		if (ct_parse_benchtime(arg, &cfg->bt, &err))
			bad("--benchtime", arg, err.msg);
		break;
	case 'T':
		if (ct_parse_duration(arg, &cfg->timeout_ns, &err))
			bad("--timeout", arg, err.msg);
		break;
	case 'C': {
		char *end;
		double v2 = strtod(arg, &end);
		if (end != arg && *end == '%')
			end++;
		if (end == arg || *end || !(v2 >= 0 && v2 <= 100))
			bad("--ci-target", arg, "want a percentage from 0 to 100");
		cfg->ci_target_pct = v2;
		break;
	}
	case 'M':
		if (ct_parse_u64(arg, 1, 100000, &v, &err))
			bad("--max-count", arg, err.msg);
		cfg->max_count = (unsigned)v;
		break;
	case 'o':
		if (!*arg || strlen(arg) >= sizeof cfg->out)
			bad("--out", arg, "empty or too long");
		snprintf(cfg->out, sizeof cfg->out, "%s", arg);
		break;
	case 'q': cfg->quiet = true; break;
	case 'L': cfg->latency = true; break;
	case 'D': cfg->dry_run = true; break;
	case 'F': parse_filter(arg, cfg); break;
	case 'S':
		if (ct_parse_u64(arg, 0, UINT64_MAX, &v, &err))
			bad("--seed", arg, err.msg);
		cfg->seed = v;
		cfg->has_seed = true;
		break;
	case 'R':
		if (!*arg || strlen(arg) >= sizeof cfg->resume)
			bad("--resume", arg, "empty or too long");
		snprintf(cfg->resume, sizeof cfg->resume, "%s", arg);
		break;
	}
}

static const struct option longopts[] = {
	{"workload", required_argument, NULL, 'w'}, {"mode", required_argument, NULL, 'm'},
	{"alloc", required_argument, NULL, 'a'},    {"threads", required_argument, NULL, 't'},
	{"size", required_argument, NULL, 's'},     {"place", required_argument, NULL, 'p'},
	{"param", required_argument, NULL, 'P'},    {"filter", required_argument, NULL, 'F'},
	{"count", required_argument, NULL, 'n'},    {"benchtime", required_argument, NULL, 'B'},
	{"timeout", required_argument, NULL, 'T'},  {"out", required_argument, NULL, 'o'},
	{"ci-target", required_argument, NULL, 'C'}, {"max-count", required_argument, NULL, 'M'},
	{"quiet", no_argument, NULL, 'q'},          {"help", no_argument, NULL, 'h'},
	{"latency", no_argument, NULL, 'L'},        {"dry-run", no_argument, NULL, 'D'},
	{"seed", required_argument, NULL, 'S'},     {"resume", required_argument, NULL, 'R'},
	{NULL, 0, NULL, 0},
};

/* Go's `go test` flags, written with one dash, and what contend calls them. */
static const struct {
	const char *go, *hint;
} go_flags[] = {
	{"bench", "use --filter REGEX"},   {"benchtime", "use --benchtime T"},
	{"count", "use -n, --count N"},    {"cpu", "use -t, --threads LIST"},
	{"timeout", "use --timeout T"},
	{"benchmem", "not needed: B/op and allocs/op are always measured"},
};

/* "-benchtime" is not -b -e -n…: a word after one dash that is one of our
 * long options or a Go flag is refused with the spelling that works. */
static void single_dash_word(const char *a)
{
	if (a[0] != '-' || a[1] == '-' || strlen(a) < 3)
		return;
	char word[64];
	snprintf(word, sizeof word, "%.*s", (int)strcspn(a + 1, "="), a + 1);
	for (size_t i = 0; i < sizeof go_flags / sizeof go_flags[0]; i++)
		if (strcmp(word, go_flags[i].go) == 0)
			ct_usage_error("run: unknown option '%s' (a flag of go test: %s)", a,
				       go_flags[i].hint);
	for (const struct option *o = longopts; o->name; o++)
		if (strcmp(word, o->name) == 0)
			ct_usage_error("run: unknown option '%s' (did you mean '--%s'?)", a, word);
}

/* The bad option named as it was written: the whole argument, and the
 * letter when it sits in a cluster ("-qz"). */
static _Noreturn void bad_option(int c, const char *elem)
{
	if (c == ':' && optopt && elem[0] == '-' && elem[1] != '-')
		ct_usage_error("run: option '-%c' needs a value", optopt); /* "-qn": -n's */
	if (c == ':')
		ct_usage_error("run: option '%.*s' needs a value", (int)strcspn(elem, "="), elem);
	if (optopt && elem[0] == '-' && elem[1] != '-' && strlen(elem) > 2)
		ct_usage_error("run: unknown option '-%c' in '%s' (see `contend run --help`)", optopt,
			       elem);
	ct_usage_error("run: unknown option '%s' (see `contend run --help`)", elem);
}

/* The options, parsed into cfg; the first one that is part of the plan
 * (anything but -q, --dry-run and --resume) is named in plan_opt, for
 * --resume. */
static void parse_args(int argc, char **argv, ct_config_t *cfg, char *plan_opt, size_t len)
{
	given_t g = {0};
	int c;
	bool mid = false; /* inside a cluster of short options ("-qL") */
	opterr = 0;
	optind = 1;
	for (;;) {
		int at = optind;
		if (!mid && at < argc)
			single_dash_word(argv[at]);
		/* '+': stop at the first operand, so argv[at] is the option parsed */
		c = getopt_long(argc, argv, "+:w:m:a:t:s:p:P:n:o:qh", longopts, NULL);
		if (c == -1)
			break;
		mid = optind == at;
		if (c == 'h') {
			ct_cli_run_usage(stdout);
			exit(0);
		}
		if (c == '?' || c == ':')
			bad_option(c, argv[at < argc ? at : argc - 1]);
		if (c != 'q' && c != 'R' && c != 'D' && !plan_opt[0])
			snprintf(plan_opt, len, "%.*s", (int)strcspn(argv[at], "="), argv[at]);
		parse_option(c, optarg, cfg, &g);
	}
	if (optind < argc)
		ct_usage_error("run: unexpected argument '%s'", argv[optind]);
	if (!g.allocs)
		default_allocs(cfg);
}

/* Defaults for what the options left open, then the checks that involve
 * several options. */
static void complete_config(ct_config_t *cfg)
{
	if (!cfg->nthreads)
		default_threads(cfg);
	if (!cfg->out[0])
		default_out(cfg);
	if (!cfg->max_count)
		cfg->max_count = cfg->count * 3 > 100000 ? 100000 : cfg->count * 3;
	if (cfg->max_count < cfg->count)
		ct_usage_error("--max-count: bad value '%u': below --count %u", cfg->max_count,
			       cfg->count);
	check_modes(cfg);
	check_refusals(cfg);
	check_sizes(cfg);
	check_runtimes(cfg);
	check_params(cfg);
	check_benchtime(cfg);
	check_timeout(cfg);
	check_memory(cfg);
}

void ct_cli_parse_run(int argc, char **argv, ct_config_t *cfg, unsigned cores)
{
	char plan_opt[64] = "";
	defaults(cfg, cores);
	parse_args(argc, argv, cfg, plan_opt, sizeof plan_opt);
	if (cfg->resume[0]) { /* the plan is read from DIR when the study starts (resume.c) */
		if (plan_opt[0])
			ct_usage_error("run: option '%s' cannot be given with --resume: the plan and "
				       "its options come from %s/machine.json (only -q and --dry-run "
				       "may be given)",
				       plan_opt, cfg->resume);
		snprintf(cfg->out, sizeof cfg->out, "%s", cfg->resume); /* where it writes */
		return;
	}
	complete_config(cfg);
	check_out(cfg);
}

void _ct_cli_parse_recorded(int argc, char **argv, ct_config_t *cfg, unsigned cores)
{
	char plan_opt[64] = "";
	defaults(cfg, cores);
	parse_args(argc, argv, cfg, plan_opt, sizeof plan_opt);
	if (cfg->resume[0] || cfg->dry_run)
		ct_usage_error("run: --resume: machine.json records option '%s', which no plan holds",
			       cfg->resume[0] ? "--resume" : "--dry-run");
	complete_config(cfg);
}

/* ---------------------------------------------------------------- recorded options */

typedef struct {
	char **argv;
	size_t n, max;
	char *buf;
	size_t used, len;
	bool full;  /* an argument did not fit: the options would not rebuild the plan */
} opts_t;

/* One more argument; when argv or buf is full, none and o->full. */
static void opt_add(opts_t *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void opt_add(opts_t *o, const char *fmt, ...)
{
	va_list ap;
	if (o->n == o->max || o->used >= o->len) {
		o->full = true;
		return;
	}
	va_start(ap, fmt);
	int k = vsnprintf(o->buf + o->used, o->len - o->used, fmt, ap);
	va_end(ap);
	if (k < 0 || (size_t)k >= o->len - o->used) {
		o->full = true;
		return;
	}
	o->argv[o->n++] = o->buf + o->used;
	o->used += (size_t)k + 1;
}

/* The values of a list option joined by ',' as one argument after opt. */
static void opt_list(opts_t *o, const char *opt, const uint64_t *v, size_t n, bool sizes)
{
	char text[CT_MAX_LIST * 24] = "", one[32];
	size_t used = 0;
	for (size_t i = 0; i < n && used < sizeof text; i++) {
		if (sizes)
			ct_format_size(v[i], one, sizeof one);
		else
			snprintf(one, sizeof one, "%llu", (unsigned long long)v[i]);
		used += (size_t)snprintf(text + used, sizeof text - used, "%s%s", i ? "," : "", one);
	}
	if (n) {
		opt_add(o, "%s", opt);
		opt_add(o, "%s", text);
	}
}

/* Item i of a list option, written into buf. */
typedef void item_fn(const ct_config_t *cfg, size_t i, char *buf, size_t len);

static void mode_at(const ct_config_t *cfg, size_t i, char *buf, size_t len)
{
	snprintf(buf, len, "%s", cfg->modes[i]);
}

static void param_at(const ct_config_t *cfg, size_t i, char *buf, size_t len)
{
	snprintf(buf, len, "%s=%s", cfg->params[i].name, cfg->params[i].text);
}

/* n items joined by ',' as one argument after opt (none when n is 0): a
 * mode or a name=value/value item holds no comma. */
static void opt_joined(opts_t *o, const char *opt, size_t n, item_fn *item, const ct_config_t *cfg)
{
	char text[CT_MAX_LIST * (CT_PARAM_TEXT + 40)], one[CT_PARAM_TEXT + 40];
	size_t used = 0;
	for (size_t i = 0; i < n && used < sizeof text; i++) {
		item(cfg, i, one, sizeof one);
		used += (size_t)snprintf(text + used, sizeof text - used, "%s%s", i ? "," : "", one);
	}
	if (!n)
		return;
	o->full |= used >= sizeof text;
	opt_add(o, "%s", opt);
	opt_add(o, "%s", text);
}

/* -a per allocator, as it was parsed; none when the default list stands
 * (it is rebuilt the same way). Allocators not installed were skipped. */
static void opt_allocs(opts_t *o, const ct_config_t *cfg)
{
	for (size_t a = 0; !cfg->allocs_default && a < cfg->nallocs; a++) {
		const ct_alloc_spec_t *sp = &cfg->allocs[a];
		if (sp->missing)
			continue;
		opt_add(o, "-a");
		if (sp->adapter)
			opt_add(o, "%s", sp->label);
		else
			opt_add(o, "%s=%s", sp->label, sp->path);
	}
}

size_t ct_cli_options(const ct_config_t *cfg, uint64_t seed, char **argv, size_t max, char *buf,
		      size_t len)
{
	opts_t o = {.argv = argv, .max = max, .buf = buf, .len = len};
	char bt[32], wl[512] = "";
	size_t used = 0;
	for (size_t w = 0; w < cfg->nwl && used < sizeof wl; w++)
		used += (size_t)snprintf(wl + used, sizeof wl - used, "%s%s", w ? "," : "", cfg->wl[w]->name);
	opt_add(&o, "-w");
	opt_add(&o, "%s", wl);
	opt_joined(&o, "-m", cfg->nmodes, mode_at, cfg);
	opt_allocs(&o, cfg);
	opt_list(&o, "-t", cfg->threads, cfg->nthreads, false);
	opt_list(&o, "-s", cfg->sizes, cfg->nsizes, true);
	opt_joined(&o, "-P", cfg->nparams, param_at, cfg);
	if (cfg->filter[0]) {
		opt_add(&o, "--filter");
		opt_add(&o, "%s", cfg->filter);
	}
	opt_add(&o, "--place=%s", ct_place_name(cfg->place));
	opt_add(&o, "--count=%u", cfg->count);
	opt_add(&o, "--max-count=%u", cfg->max_count);
	opt_add(&o, "--ci-target=%.17g", cfg->ci_target_pct);
	opt_add(&o, "--benchtime=%s", ct_format_benchtime(&cfg->bt, bt, sizeof bt));
	ct_benchtime_t timeout = {.ns = cfg->timeout_ns};
	opt_add(&o, "--timeout=%s", ct_format_benchtime(&timeout, bt, sizeof bt));
	if (cfg->latency)
		opt_add(&o, "--latency");
	opt_add(&o, "--seed=%llu", (unsigned long long)seed);
	return o.full ? 0 : o.n;
}
