/* cli.h — contend's configuration: one struct, filled by one parser per
 * subcommand (cli.c). Defaults first, then the options, then the checks
 * that involve several options. Bad input never returns: it prints one line
 * naming the option and the value and exits with status 2. */
#ifndef CT_CLI_H
#define CT_CLI_H

#include "alloc.h"
#include "topo.h"
#include "units.h"
#include "workload.h"

#include <stdio.h>

#define CT_MAX_WORKLOADS 16
#define CT_MAX_LIST 64
#define CT_PARAM_TEXT 128  /* a --param item's values, with their '/' */
#define CT_MAX_VALUES 16   /* values of one parameter in a sweep */

typedef struct {
	const ct_workload_t *wl[CT_MAX_WORKLOADS];
	size_t nwl;
	char modes[CT_MAX_LIST][32]; /* -m; empty: each workload's defaults */
	size_t nmodes;
	ct_alloc_spec_t allocs[CT_MAX_ALLOCS];
	size_t nallocs;
	bool allocs_default;         /* -a not given: every allocator found */
	uint64_t threads[CT_MAX_LIST];
	size_t nthreads;
	uint64_t sizes[CT_MAX_LIST]; /* -s; empty: each workload's defaults */
	size_t nsizes;
	struct {
		char name[32];
		char text[CT_PARAM_TEXT]; /* the values as given, a/b/c; each workload reads them */
	} params[CT_MAX_PARAMS];     /* --param name=value[/value...], each name once */
	size_t nparams;
	ct_place_t place;
	unsigned count;              /* repetitions per point */
	unsigned max_count;          /* cap when extending points with a wide CI */
	double ci_target_pct;        /* extend a point while its CI half-width exceeds this; 0: never */
	ct_benchtime_t bt;
	uint64_t timeout_ns;         /* per point and repetition */
	char out[4096];              /* results directory */
	unsigned cores;              /* allowed cores, for defaults and warnings */
	bool quiet;                  /* no tables on stdout */
	bool latency;                /* a latency round after each measured round */
	bool dry_run;                /* print the plan and its estimated duration; run nothing */
	char filter[512];            /* --filter: POSIX extended regex on full benchmark names */
	bool has_seed;               /* --seed given (or recorded, when resuming) */
	uint64_t seed;               /* of the per-round shuffles (schedule.h) */
	char resume[4096];           /* --resume DIR: the interrupted study to continue; "" */
} ct_config_t;

/* argv[0] is the subcommand name ("run"). With --resume DIR only -q and
 * --dry-run may be given: the plan comes from DIR/machine.json when the
 * study starts (ct_resume_config); cfg holds resume, out, quiet, dry_run
 * and cores. */
void ct_cli_parse_run(int argc, char **argv, ct_config_t *cfg, unsigned cores);
/* The plan options that rebuild cfg's study, shuffled from seed, through
 * the same parser; recorded in machine.json for --resume: argv (pointers
 * into buf), at most max of them. Returns their count; 0 when they did not
 * fit (no options recorded: better no resume than another plan). */
#define CT_MAX_OPTIONS 128
size_t ct_cli_options(const ct_config_t *cfg, uint64_t seed, char **argv, size_t max, char *buf,
		      size_t len);
/* cli.c: parses recorded options for --resume (DIR may hold a study). */
void _ct_cli_parse_recorded(int argc, char **argv, ct_config_t *cfg, unsigned cores);
/* The workload's parameter values: its defaults, overridden by --param (the
 * first combination of ct_cli_param_sets). */
void ct_cli_params(const ct_config_t *cfg, const ct_workload_t *wl, uint64_t *param);
/* Every combination of the workload's parameter values (a parameter given
 * --param name=a/b is swept), at most max, the last parameter fastest;
 * returns the count. */
#define CT_MAX_SETS 256
size_t ct_cli_param_sets(const ct_config_t *cfg, const ct_workload_t *wl,
			 uint64_t (*sets)[CT_MAX_PARAMS], size_t max);
void ct_cli_usage(FILE *f);
void ct_cli_run_usage(FILE *f);
void ct_cli_list_usage(FILE *f);

#endif
