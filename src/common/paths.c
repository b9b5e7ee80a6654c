/* paths.c — contend's own files, found relative to the executable first
 * (paths.h). The relative directories come from the install layout the build
 * was configured with (ct_paths_config.h), so a Debian multiarch libdir and a
 * plain PREFIX/lib both work. The interposer is never taken from the tree
 * the binary was configured in: a copied binary would then depend, unseen,
 * on a build directory; the scripts may come from the source tree. */
#include "paths.h"
#include "ct_paths_config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_CAND 6

/* The directory of the running executable, or "" when /proc cannot say. */
static void exe_dir(char *buf, size_t len)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	exe[n > 0 ? n : 0] = '\0';
	char *slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	snprintf(buf, len, "%s", exe);
}

/* Fills cand[] with where `what` may be, in the order of the contract. */
static int candidates(ct_file_t what, char cand[MAX_CAND][PATH_MAX])
{
	char dir[PATH_MAX];
	int n = 0;
	exe_dir(dir, sizeof dir);
	if (what == CT_FILE_CENSUS) {
		if (dir[0]) {
			snprintf(cand[n++], PATH_MAX, "%.3000s/%s/%s", dir, CT_REL_PKGLIBDIR, CT_CENSUS_FILE);
			if (strcmp(CT_REL_PKGLIBDIR, "../lib/contend") != 0) /* multiarch, then plain */
				snprintf(cand[n++], PATH_MAX, "%.3000s/../lib/contend/%s", dir,
					 CT_CENSUS_FILE);
			snprintf(cand[n++], PATH_MAX, "%.3000s/%s", dir, CT_CENSUS_FILE);
		}
		return n;
	}
	if (dir[0]) {
		snprintf(cand[n++], PATH_MAX, "%.3000s/%s", dir, CT_REL_PKGDATADIR "/plots");
		snprintf(cand[n++], PATH_MAX, "%.3000s/../plots", dir);
		snprintf(cand[n++], PATH_MAX, "%.3000s/plots", dir);
	}
	snprintf(cand[n++], PATH_MAX, "%s/plots", CT_SOURCE_DIR);
	return n;
}

static int found(const char *path, char *out, size_t len, const char *suffix)
{
	char p[PATH_MAX + 16];
	snprintf(p, sizeof p, "%.*s%s", PATH_MAX - 1, path, suffix);
	if (access(p, R_OK) != 0)
		return 0;
	char real[PATH_MAX];
	snprintf(out, len, "%s%s", realpath(path, real) ? real : path, suffix[0] ? "/" : "");
	return 1;
}

int ct_own_file(ct_file_t what, char *out, size_t len)
{
	char cand[MAX_CAND][PATH_MAX];
	const char *probe = what == CT_FILE_PLOTS ? "/common.gp" : "";
	const char *env = what == CT_FILE_PLOTS ? getenv("CONTEND_PLOTS") : NULL;
	int n = 0;
	if (env && *env)
		snprintf(cand[n++], PATH_MAX, "%s", env);
	else
		n = candidates(what, cand);
	for (int i = 0; i < n; i++)
		if (found(cand[i], out, len, probe))
			return 0;
	size_t used = 0;
	out[0] = '\0';
	for (int i = 0; i < n && used < len; i++) {
		int w = snprintf(out + used, len - used, "%s%s", i ? ", " : "", cand[i]);
		used += w > 0 ? (size_t)w : 0;
	}
	return -1;
}
