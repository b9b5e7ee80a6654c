/* report_fmt.c — how the report writes numbers and HTML text, shared by
 * every writer (text, HTML, the glance matrix, the trust panel, compare)
 * so that a ratio reads the same everywhere. */
#include "report_fmt.h"

#include <math.h>

void _ct_fmt_num(double v, char *buf, size_t len)
{
	if (isnan(v))
		snprintf(buf, len, "?");
	else if (fabs(v) >= 1e10)
		snprintf(buf, len, "%.3gG", v / 1e9);
	else if (fabs(v) >= 1e7)
		snprintf(buf, len, "%.3gM", v / 1e6);
	else if (fabs(v) >= 100)
		snprintf(buf, len, "%.0f", v);
	else if (fabs(v) >= 10)
		snprintf(buf, len, "%.1f", v);
	else
		snprintf(buf, len, "%.2f", v);
}

void _ct_html_esc(FILE *f, const char *s)
{
	for (; *s; s++)
		if (*s == '<')
			fputs("&lt;", f);
		else if (*s == '>')
			fputs("&gt;", f);
		else if (*s == '&')
			fputs("&amp;", f);
		else if (*s == '"')
			fputs("&quot;", f);
		else
			fputc(*s, f);
}
