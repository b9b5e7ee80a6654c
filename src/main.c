/* main.c — contend's entry point: dispatches the subcommands, and nothing else.
 *   contend [run] [options]   run a study, then report on it  (driver.c, report.c)
 *   contend list              what is here                    (driver.c)
 *   contend selftest          check the machine and harness   (selftest.c)
 *   contend report DIR...     verdicts, figures               (report.c)
 *   contend compare OLD NEW   A/B table                       (compare.c)
 *   contend __child ...       internal: one allocator's child process (child.c)
 * The measuring half and the analysing half know nothing of each other: a run
 * ends by handing its results directory to the report here. */
#include "proto.h"
#include "report.h"
#include "study.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	if (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		ct_cli_list_usage(stdout);
		return 0;
	}
	if (argc > 1)
		ct_usage_error("list: unexpected argument '%s'", argv[1]);
	return ct_list();
}

int main(int argc, char **argv)
{
	ct_std_fds();
	if (argc > 1 && strcmp(argv[1], "__child") == 0)
		return ct_child_main(argc - 1, argv + 1);
	if (argc < 2 || argv[1][0] == '-') {
		if (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
			ct_cli_usage(stdout);
			return 0;
		}
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
	if (strcmp(argv[1], "help") == 0) {
		ct_cli_usage(stdout);
		return 0;
	}
	ct_usage_error("unknown subcommand '%s' (run, list, report, compare, selftest, help)", argv[1]);
}
