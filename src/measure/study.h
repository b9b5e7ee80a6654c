/* study.h — a study in the parent: the plan (points), the per-allocator
 * state, every repetition's record, and the writers that turn them into the
 * results directory and the terminal tables (output.c). driver.c runs it. */
#ifndef CT_STUDY_H
#define CT_STUDY_H

#include "cli.h"
#include "readback.h"
#include "runner.h"
#include "stats.h"

#include <stdio.h>
#include <sys/types.h>

typedef struct {
	const ct_workload_t *wl;
	int mode;
	uint64_t size;
	unsigned threads;
	uint64_t param[CT_MAX_PARAMS]; /* the workload's parameters */
	/* census figures per allocator; NAN when the census failed */
	double allocs_per_op[CT_MAX_ALLOCS], bytes_per_op[CT_MAX_ALLOCS];
	uint64_t hint[CT_MAX_ALLOCS]; /* iters of the first repetition */
} ct_plan_point_t;

typedef struct {
	bool done, ok;
	bool rejected;       /* ok but not concurrent (window.h): out of medians, r.err says why */
	unsigned attempts;   /* runs it took: more than 1 when one was not concurrent */
	ct_result_t r;       /* r.err holds the reason when !ok */
} ct_record_t;

typedef struct {
	bool usable;          /* installed and proved live */
	bool skipped;         /* default allocator not installed: not a failure */
	char version[128];
	char live[4096];      /* library malloc resolved to in the timing child */
	char tunables[512];   /* k=v:verified|unchecked,... or "-" */
	char why[512];        /* why it is unusable */
} ct_alloc_state_t;

typedef struct {
	const ct_config_t *cfg;
	const ct_topo_t *topo;
	ct_machine_t machine;
	char exe[4096];
	char census_lib[4096];      /* the census interposer; "" when missing */
	char census_where[4096];    /* where it was looked for, when missing */
	ct_plan_point_t *pts;
	size_t npts;
	ct_alloc_state_t st[CT_MAX_ALLOCS];
	ct_record_t *recs;    /* [point][alloc][rep] */
	FILE *txt, *csv;
	uint64_t t_start_ns;
	time_t started;
	char counters[256];   /* "ok" or why hardware counters are unsupported */
	unsigned failed;      /* failed repetitions */
	unsigned extra;       /* repetitions added to narrow wide CIs */
	unsigned unstable;    /* points whose CI stayed wider than the target */
	unsigned pin_misses;  /* repetitions with a worker off its assigned PU */
	unsigned redone;      /* runs discarded as not concurrent, then redone */
	uint64_t seed;        /* of the per-round shuffles (schedule.h) */
	size_t planned;       /* repetitions of the base rounds */
	size_t extra_scheduled; /* extra repetitions planned so far */
	unsigned extra_rounds;
	unsigned rejected;    /* repetitions still not concurrent after CT_WINDOW_TRIES */
	double load_at_start; /* 1-minute load average when the study began */
	bool complete;        /* every planned repetition ran (no interruption) */
	int stopped_by;       /* the signal that interrupted the study, or 0 */
	bool oversubscribed;
	unsigned census_failed; /* allocators whose census could not run */
	char write_err[4200]; /* the first results write that failed: the study stops */
	/* --resume (resume.c); kept is NULL otherwise */
	ct_record_t *kept;    /* [point][alloc][rep]: read back from results.csv, each put
			       * in recs when the order reaches it, as if just measured */
	unsigned *visits;     /* [point][alloc]: repetitions the order has reached */
	size_t kept_rows;     /* rows of results.csv kept */
	size_t dropped_rows;  /* a last row cut by the interruption, dropped */
	off_t csv_keep, txt_keep; /* bytes of results.csv, results.txt kept */
	ct_kvs_t prev;        /* the interrupted study's machine.json, flattened */
} ct_study_t;

static inline ct_record_t *ct_rec(const ct_study_t *s, size_t pt, size_t a, unsigned rep)
{
	return &s->recs[(pt * s->cfg->nallocs + a) * s->cfg->max_count + rep];
}

/* study.c */
/* Median and CI of ns/op over the point's good repetitions (n == 0: none);
 * failed counts the failed ones. Rejected ones (not concurrent) are in
 * neither. */
void ct_point_summary(const ct_study_t *s, size_t pt, size_t a, ct_summary_t *out,
		      unsigned *failed);
/* ns/op of the point's kept repetitions (ok, not rejected) into v; count. */
size_t ct_point_values(const ct_study_t *s, size_t pt, size_t a, double *v, size_t cap);
/* Benchmark name without the -N suffix: "Smaug/mode=heap/size=1KiB/alloc=glibc/place=compact". */
void ct_out_bench_name(const ct_study_t *s, size_t pt, size_t a, char *buf, size_t len);
/* "name=value" for each parameter of the point's workload, joined by sep. */
void ct_point_params(const ct_plan_point_t *p, const char *sep, char *buf, size_t len);

/* output.c */
extern const char ct_csv_header[]; /* the first line of results.csv */
/* Creates the results directory and its files, writing nothing yet; on
 * failure leaves nothing behind and says why in err. */
int ct_out_open(ct_study_t *s, char *err, size_t len);
/* The config lines of results.txt and the header of results.csv. */
void ct_out_header(ct_study_t *s);
/* Every writer below records the first failed write in s->write_err. */
/* Config lines naming each allocator: after the allocators are proved. */
void ct_out_allocs(ct_study_t *s);
void ct_out_record(ct_study_t *s, size_t pt, size_t a, unsigned rep);
void ct_out_machine(ct_study_t *s, double duration_s);
void ct_out_close(ct_study_t *s);
/* A "# unstable" comment for a point whose CI stayed wider than the target. */
void ct_out_unstable(ct_study_t *s, size_t pt, size_t a);
/* A "# resumed" comment in results.txt, where the new repetitions begin. */
void ct_out_resumed(ct_study_t *s);
/* tables.c */
void ct_out_tables(const ct_study_t *s, FILE *f);

/* preview.c */
/* Applies --filter to the planned points: keeps those whose full name matches
 * for some allocator; returns cfg, or out filled with cfg less the allocators
 * that match no point. A filter matching nothing is bad input (exit 2). */
const ct_config_t *ct_plan_filter(ct_study_t *s, ct_config_t *out);
/* What the study will do: allocators, plan, estimated duration, where it
 * writes; every point too for --dry-run. */
void ct_plan_preview(const ct_study_t *s, FILE *f);

/* resume.c */
/* Fills cfg from DIR/machine.json: the options recorded there, through the
 * same parser as the command line; refuses what cannot be resumed (exit 2). */
void ct_resume_config(const char *dir, ct_config_t *cfg, unsigned cores);
/* In place of ct_out_open for --resume: reads results.csv back into
 * s->kept (a last row cut by the interruption dropped, with a warning),
 * brings results.txt to the same repetitions, and opens both to append.
 * Refuses rows that do not belong to the plan. 0, or -1 with err set. */
int ct_resume_open(ct_study_t *s, char *err, size_t len);
/* After the allocators are proved: the ones that ran in the interrupted
 * study must run now, the same versions; one that did not stays out (it
 * has no place in the recorded order). 0, or -1 with err set. */
int ct_resume_allocs(ct_study_t *s, char *err, size_t len);

/* driver.c */
/* Runs the study cfg describes. *wrote: its results directory was created
 * (so there is something to report on, complete or not). Returns the exit
 * status. */
int ct_run_study(const ct_config_t *cfg, bool *wrote);
int ct_list(void);
/* Starts a child for one allocator (with the census interposer when census)
 * and reads what it proved. 0 when malloc is the allocator's. */
int ct_probe_alloc(const ct_alloc_spec_t *sp, bool census, char *version, size_t vlen, char *live,
		   size_t llen, char *why, size_t wlen);
/* selftest.c */
int ct_selftest(int argc, char **argv);
void ct_selftest_usage(FILE *f);

#endif
