/* msg.c — how contend speaks on stderr: one "contend: " line per message,
 * warnings marked, bad input ending the process with status 2. Every part
 * of contend, measuring and analysing alike, uses these (contend.h). */
#include "contend.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void ct_std_fds(void)
{
	for (int fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) < 0) {
			int null = open("/dev/null", fd ? O_WRONLY : O_RDONLY);
			if (null >= 0 && null != fd) /* open takes the lowest free: fd */
				close(null);
		}
}

/* One message, one line: control characters in it (a newline in a value
 * the user gave, an escape sequence from a child) are shown as \xNN. */
static void say(const char *prefix, const char *fmt, va_list ap)
{
	char buf[8192];
	vsnprintf(buf, sizeof buf, fmt, ap);
	fputs(prefix, stderr);
	for (const char *c = buf; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			fprintf(stderr, "\\x%02x", (unsigned char)*c);
		else
			fputc(*c, stderr);
	fputc('\n', stderr);
}

_Noreturn void ct_usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say("contend: ", fmt, ap);
	va_end(ap);
	exit(CT_EXIT_USAGE);
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

/* getopt's '?' or ':' as one line naming the option at fault. In a cluster
 * (`-xq`) argv[optind - 1] is the previous word, not the option: a short
 * option is named from optopt, a long one from its word. */
_Noreturn void ct_option_error(const char *cmd, int c, char *const *argv)
{
	const char *word = optind > 0 ? argv[optind - 1] : "";
	char name[256];
	if (strncmp(word, "--", 2) == 0 || !optopt)
		snprintf(name, sizeof name, "%.*s", (int)strcspn(word, "="), word);
	else
		snprintf(name, sizeof name, "-%c", optopt);
	if (c == ':')
		ct_usage_error("%s: option '%s' needs a value", cmd, name);
	ct_usage_error("%s: unknown option '%s' (see `contend %s --help`)", cmd, name, cmd);
}
