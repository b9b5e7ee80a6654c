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
		char text[32];       /* the value as given; each workload reads it */
	} params[CT_MAX_PARAMS];     /* --param name=value */
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
} ct_config_t;

/* argv[0] is the subcommand name ("run"). */
void ct_cli_parse_run(int argc, char **argv, ct_config_t *cfg, unsigned cores);
/* The workload's parameter values: its defaults, overridden by --param. */
void ct_cli_params(const ct_config_t *cfg, const ct_workload_t *wl, uint64_t *param);
void ct_cli_usage(FILE *f);
void ct_cli_run_usage(FILE *f);
void ct_cli_list_usage(FILE *f);

#endif
