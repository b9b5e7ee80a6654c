/* fuzz_alloc_spec.c — libFuzzer target for ct_alloc_spec_parse, one -a item:
 * NAME, NAME=/path/lib.so or NAME:key=value[,key=value].
 *
 * Properties, on success: a non-empty label, a path and every environment
 * entry terminated within their arrays, at most CT_MAX_ENV entries each of
 * the form VAR=VALUE with a non-empty VAR; a custom library (no adapter or
 * NAME=) has a path; a variant's environment is exactly the variable of its
 * adapter's tuning style and holds one setting per key=value of the item,
 * its value whole (check_values). On failure: a reason.
 *
 * NAME=/path items touch the file system (access, realpath, fopen and a
 * 4-byte read). Inputs whose path names something other than a regular file
 * or directory (a tty, a FIFO, a watchdog) or anything under /dev, /proc or
 * /sys (/proc/kmsg blocks a reader) are skipped: reading those can block or
 * have effects. Run from a scratch directory. */
#include "fuzz.h"
#include "alloc.h"

#include <sys/stat.h>

/* A NAME=PATH item whose PATH exists and is not a plain file or directory,
 * or lies in a kernel file system. */
static int risky_path(const char *s)
{
	static const char *const kernel[] = {"/dev/", "/proc/", "/sys/"};
	size_t nlen = strcspn(s, "=:");
	char real[PATH_MAX];
	struct stat st;
	if (s[nlen] != '=' || stat(s + nlen + 1, &st) != 0)
		return 0;
	if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
		return 1;
	if (!realpath(s + nlen + 1, real))
		return 1;
	for (size_t i = 0; i < sizeof kernel / sizeof kernel[0]; i++)
		if (strncmp(real, kernel[i], strlen(kernel[i])) == 0)
			return 1;
	return 0;
}

static int terminated(const char *a, size_t len)
{
	return memchr(a, '\0', len) != NULL;
}

static void check_env(const char *s, const ct_alloc_spec_t *sp)
{
	FUZZ_CHECK(sp->nenv <= CT_MAX_ENV, s, "%u environment entries", sp->nenv);
	for (unsigned i = 0; i < sp->nenv; i++) {
		FUZZ_CHECK(terminated(sp->env[i], sizeof sp->env[i]), s, "env[%u] unterminated", i);
		const char *eq = strchr(sp->env[i], '=');
		FUZZ_CHECK(eq && eq != sp->env[i], s, "env[%u] '%s' is not VAR=VALUE", i,
			   sp->env[i]);
	}
	if (!sp->adapter || sp->nenv == 0)
		return;
	const char *want = sp->adapter->tune_style == CT_TUNE_GLIBC	  ? "GLIBC_TUNABLES="
			   : sp->adapter->tune_style == CT_TUNE_MALLOC_CONF ? "MALLOC_CONF="
									    : sp->adapter->tune_prefix;
	for (unsigned i = 0; i < sp->nenv; i++)
		FUZZ_CHECK(strncmp(sp->env[i], want, strlen(want)) == 0, s,
			   "env[%u] '%s' for %s", i, sp->env[i], sp->adapter->name);
}

/* How many settings the allocator will read from the environment: the
 * entries of GLIBC_TUNABLES (':'-separated) or MALLOC_CONF (','), or one
 * variable each. */
static unsigned env_settings(const ct_alloc_spec_t *sp)
{
	if (sp->adapter->tune_style == CT_TUNE_PREFIX)
		return sp->nenv;
	char sep = sp->adapter->tune_style == CT_TUNE_GLIBC ? ':' : ',';
	unsigned n = 0;
	for (unsigned i = 0; i < sp->nenv; i++) {
		n++;
		for (const char *p = strchr(sp->env[i], '='); *p; p++)
			n += *p == sep;
	}
	return n;
}

/* A NAME:k=v,k=v item becomes exactly one setting per k=v, each with its
 * value whole: not cut by a buffer on the way, not split into more settings
 * (a separator inside a value), not merged with another (a repeated key). */
static void check_values(const char *s, const ct_alloc_spec_t *sp)
{
	const char *colon = strchr(s, ':');
	if (!colon || colon != s + strcspn(s, "=:"))
		return;
	char *list = strdup(colon + 1), *save = NULL;
	unsigned pieces = 0;
	if (!list)
		abort();
	for (char *kv = strtok_r(list, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
		const char *v = strchr(kv, '=') + 1; /* parsed: every piece has one */
		int found = 0;
		for (unsigned i = 0; i < sp->nenv && !found; i++)
			found = strstr(sp->env[i], v) != NULL;
		FUZZ_CHECK(found, s, "value '%.40s...' (%zu bytes) is not in the environment", v,
			   strlen(v));
		pieces++;
	}
	free(list);
	unsigned got = env_settings(sp);
	FUZZ_CHECK(got == pieces, s, "%u key=value item(s) became %u setting(s): %s%s%s", pieces,
		   got, sp->env[0], sp->nenv > 1 ? " " : "", sp->nenv > 1 ? sp->env[1] : "");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static ct_alloc_spec_t sp; /* about 8 KiB of env plus PATH_MAX */
	char *s = fuzz_cstr(data, size);
	ct_err_t err;
	if (risky_path(s))
		goto out;
	fuzz_err_init(&err);
	if (ct_alloc_spec_parse(s, &sp, &err) != 0) {
		fuzz_check_err(&err, s);
		goto out;
	}
	FUZZ_CHECK(terminated(sp.label, sizeof sp.label) && sp.label[0], s, "bad label");
	FUZZ_CHECK(terminated(sp.path, sizeof sp.path), s, "path unterminated");
	FUZZ_CHECK(terminated(sp.why, sizeof sp.why), s, "reason unterminated");
	if (s[strcspn(s, "=:")] == '=')
		FUZZ_CHECK(sp.path[0] == '/' && sp.nenv == 0, s, "custom library path '%s'",
			   sp.path);
	check_env(s, &sp);
	check_values(s, &sp);
out:
	free(s);
	return 0;
}
