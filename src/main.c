/* main.c — contend's entry point: dispatches the subcommands.
 *   contend [run] [options]   run a study            (driver.c)
 *   contend list              what is here           (list.c)
 *   contend report DIR...     verdicts, figures      (report.c)
 *   contend compare OLD NEW   A/B table              (compare.c)
 *   contend __child ...       internal: one allocator's child process (child.c) */
#include "proto.h"
#include "report.h"
#include "study.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Noreturn void ct_usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("contend: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(CT_EXIT_USAGE);
}

static void say(const char *prefix, const char *fmt, va_list ap)
{
	fputs(prefix, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void ct_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say("contend: warning: ", fmt, ap);
	va_end(ap);
}

void ct_note(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say("contend: ", fmt, ap);
	va_end(ap);
}

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
	return ct_run_study(&cfg);
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
