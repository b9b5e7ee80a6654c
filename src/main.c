/* main.c — contend's entry point: dispatches the subcommands, and nothing else.
 *   contend [run] [options]   run a study, then report on it  (driver.c, report.c)
 *   contend list              what is here                    (driver.c)
 *   contend selftest          check the machine and harness   (selftest.c)
 *   contend report DIR...     verdicts, figures               (report.c)
 *   contend compare OLD NEW   A/B table                       (compare.c)
 *   contend help [SUBCOMMAND] that subcommand's --help text
 *   contend version           version, git revision, where its files are
 *   contend __child ...       internal: one allocator's child process (child.c)
 * The measuring half and the analysing half know nothing of each other: a run
 * ends by handing its results directory to the report here. */
#include "paths.h"
#include "proto.h"
#include "report.h"
#include "study.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ct_config.h"
#include "ct_gitrev.h"

static unsigned allowed_cores(void)
{
	char err[256];
	ct_topo_t *t = ct_topo_open(err, sizeof err);
	if (!t) {
		ct_warn("%s; assuming 1 core", err);
		return 1;
	}
	unsigned n = ct_topo_cores(t);
	ct_topo_close(t);
	return n;
}

static bool is_help(const char *a)
{
	return strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0;
}

static int cmd_run(int argc, char **argv)
{
	static ct_config_t cfg;
	ct_cli_parse_run(argc, argv, &cfg, allowed_cores());
	bool wrote = false;
	int rc = ct_run_study(&cfg, &wrote);
	if (wrote) {
		/* the verdicts, figures and report.html of this study, from its files */
		ct_report_opts_t ro;
		ct_report_opts_init(&ro);
		ro.text = false;
		char *dirs[1] = {(char *)cfg.out};
		if (ct_report(1, dirs, &ro) == 1)
			ct_warn("the report of %s could not be written", cfg.out);
	}
	return rc;
}

static int cmd_list(int argc, char **argv)
{
	if (argc > 1 && is_help(argv[1])) {
		ct_cli_list_usage(stdout);
		return 0;
	}
	if (argc > 1)
		ct_usage_error("list: unexpected argument '%s'", argv[1]);
	return ct_list();
}

/* One line per fact, so that a bug report can paste it whole. */
static int cmd_version(int argc, char **argv)
{
	if (argc > 1)
		ct_usage_error("%s: unexpected argument '%s'", argv[0], argv[1]);
	char census[4096], plots[4096];
	int nc = ct_own_file(CT_FILE_CENSUS, census, sizeof census);
	int np = ct_own_file(CT_FILE_PLOTS, plots, sizeof plots);
	printf("contend %s\n", CT_VERSION);
	printf("git revision %s\n", CT_GIT_REV);
	printf("compiler %s\n", CT_COMPILER);
	printf("census interposer %s%s\n", nc ? "MISSING, looked in " : "", census);
	printf("gnuplot scripts %s%s\n", np ? "MISSING, looked in " : "", plots);
	return nc ? CT_EXIT_FAIL : CT_EXIT_OK;
}

static const struct {
	const char *name;
	void (*usage)(FILE *);
} helps[] = {
	{"run", ct_cli_run_usage},         {"list", ct_cli_list_usage},
	{"report", ct_report_usage},       {"compare", ct_compare_usage},
	{"selftest", ct_selftest_usage},
};

static int cmd_help(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "help") == 0) {
		ct_cli_usage(stdout);
		return 0;
	}
	if (argc > 2)
		ct_usage_error("help: unexpected argument '%s'", argv[2]);
	for (size_t i = 0; i < sizeof helps / sizeof helps[0]; i++)
		if (strcmp(argv[1], helps[i].name) == 0) {
			helps[i].usage(stdout);
			return 0;
		}
	if (strcmp(argv[1], "version") == 0) {
		puts("usage: contend version | contend --version\n\nPrints the version, the git "
		     "revision it was built from, the compiler, and\nwhere the census interposer "
		     "and the gnuplot scripts were found.");
		return 0;
	}
	ct_usage_error("help: bad value '%s': no such subcommand (run, list, report, compare, "
		       "selftest, version)", argv[1]);
}

int main(int argc, char **argv)
{
	ct_std_fds();
	if (argc > 1 && strcmp(argv[1], "__child") == 0)
		return ct_child_main(argc - 1, argv + 1);
	/* Tables go to stdout, progress and outcomes to stderr: line by line, so
	 * that both into one file or pipe keep the order they were written in. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && is_help(argv[1]))
		return cmd_help(1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "--version") == 0)
		return cmd_version(argc - 1, argv + 1);
	if (argc < 2 || argv[1][0] == '-') {
		argv[0] = "run";
		return cmd_run(argc, argv);
	}
	if (strcmp(argv[1], "run") == 0)
		return cmd_run(argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0)
		return cmd_list(argc - 1, argv + 1);
	if (strcmp(argv[1], "report") == 0)
		return ct_cmd_report(argc - 1, argv + 1);
	if (strcmp(argv[1], "compare") == 0)
		return ct_cmd_compare(argc - 1, argv + 1);
	if (strcmp(argv[1], "selftest") == 0)
		return ct_selftest(argc - 1, argv + 1);
	if (strcmp(argv[1], "help") == 0)
		return cmd_help(argc - 1, argv + 1);
	if (strcmp(argv[1], "version") == 0)
		return cmd_version(argc - 1, argv + 1);
	ct_usage_error("unknown subcommand '%s' (run, list, report, compare, selftest, help, "
		       "version)", argv[1]);
}
