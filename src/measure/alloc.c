/* alloc.c — the allocator registry and what the engine does with adapters
 * (see alloc.h). To add an allocator, add its descriptor to ct_allocators[]. */
#include "alloc.h"
#include "files.h"
#include "ct_config.h"

#include <ctype.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <gnu/libc-version.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const ct_allocator_t *const ct_allocators[] = {
	&ct_alloc_glibc,
	&ct_alloc_mimalloc,
	&ct_alloc_tcmalloc,
	&ct_alloc_jemalloc,
	&ct_alloc_go,
};
const size_t ct_nallocators = sizeof ct_allocators / sizeof ct_allocators[0];

const ct_allocator_t *ct_allocator_find(const char *name)
{
	for (size_t i = 0; i < ct_nallocators; i++)
		if (strcmp(ct_allocators[i]->name, name) == 0)
			return ct_allocators[i];
	return NULL;
}

static bool exists(const char *p)
{
	return p && *p && access(p, R_OK) == 0;
}

static int search_dir(const char *dir, size_t dlen, const char *soname, char *path, size_t len)
{
	char buf[PATH_MAX];
	snprintf(buf, sizeof buf, "%.*s/%s", (int)dlen, dir, soname);
	if (!exists(buf))
		return -1;
	snprintf(path, len, "%s", buf);
	return 0;
}

int ct_alloc_locate(const ct_allocator_t *a, char *path, size_t len)
{
	if (!a->soname) {
		path[0] = '\0';
		return 0;
	}
	if (exists(a->build_path)) {
		snprintf(path, len, "%s", a->build_path);
		return 0;
	}
	const char *ld = getenv("LD_LIBRARY_PATH");
	for (const char *d = ld; d && *d;) {
		size_t n = strcspn(d, ":");
		if (n && search_dir(d, n, a->soname, path, len) == 0)
			return 0;
		d += n + (d[n] == ':');
	}
	static const char *dirs[] = {CT_MULTIARCH_LIBDIR, "/usr/local/lib", "/usr/lib64",
				     "/usr/lib", "/lib64", "/lib"};
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
		if (search_dir(dirs[i], strlen(dirs[i]), a->soname, path, len) == 0)
			return 0;
	return -1;
}

int ct_alloc_locate_exe(const ct_allocator_t *a, char *path, size_t len)
{
	if (exists(a->child_exe) && access(a->child_exe, X_OK) == 0) {
		snprintf(path, len, "%s", a->child_exe);
		return 0;
	}
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n <= 0)
		return -1;
	self[n] = '\0';
	char *slash = strrchr(self, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	snprintf(path, len, "%s/contend-%s", self, a->name);
	return access(path, X_OK) == 0 ? 0 : -1;
}

static int env_append(ct_alloc_spec_t *s, const char *var, const char *sep, const char *item,
		      ct_err_t *err)
{
	size_t vlen = strlen(var);
	for (unsigned i = 0; i < s->nenv; i++) {
		if (strncmp(s->env[i], var, vlen) == 0 && s->env[i][vlen] == '=') {
			size_t used = strlen(s->env[i]);
			if (used + strlen(sep) + strlen(item) >= sizeof s->env[i])
				goto toolong;
			strcat(strcat(s->env[i], sep), item);
			return 0;
		}
	}
	if (s->nenv >= CT_MAX_ENV)
		goto toolong;
	if ((size_t)snprintf(s->env[s->nenv], sizeof s->env[0], "%s=%s", var, item) >=
	    sizeof s->env[0])
		goto toolong;
	s->nenv++;
	return 0;
toolong:
	snprintf(err->msg, sizeof err->msg, "too many or too long tunables");
	return -1;
}

static bool key_known(const ct_allocator_t *a, const char *key)
{
	for (const char *const *k = a->tune_keys; k && *k; k++)
		if (strcmp(*k, key) == 0)
			return true;
	return false;
}

static int tunable_to_env(ct_alloc_spec_t *s, const char *kv, ct_err_t *err)
{
	const ct_allocator_t *a = s->adapter;
	const char *eq = strchr(kv, '=');
	char key[64], item[256];
	if (!eq || eq == kv || !eq[1] || (size_t)(eq - kv) >= sizeof key) {
		snprintf(err->msg, sizeof err->msg, "tunable '%s' is not key=value", kv);
		return -1;
	}
	snprintf(key, sizeof key, "%.*s", (int)(eq - kv), kv);
	if (!key_known(a, key)) {
		snprintf(err->msg, sizeof err->msg, "%s has no tunable '%s'", a->name, key);
		return -1;
	}
	/* A ':' in a value would start another GLIBC_TUNABLES entry (or break a
	 * MALLOC_CONF pair), one that key_known() never saw. */
	if (a->tune_style != CT_TUNE_PREFIX && strchr(eq + 1, ':')) {
		snprintf(err->msg, sizeof err->msg, "tunable '%s': ':' in a value", key);
		return -1;
	}
	int len = 0;
	switch (a->tune_style) {
	case CT_TUNE_GLIBC:
		len = snprintf(item, sizeof item, "glibc.malloc.%s=%s", key, eq + 1);
		if (len < 0 || (size_t)len >= sizeof item)
			break;
		return env_append(s, "GLIBC_TUNABLES", ":", item, err);
	case CT_TUNE_MALLOC_CONF:
		len = snprintf(item, sizeof item, "%s:%s", key, eq + 1);
		if (len < 0 || (size_t)len >= sizeof item)
			break;
		return env_append(s, "MALLOC_CONF", ",", item, err);
	case CT_TUNE_VARS:
		for (size_t i = 0; a->tune_keys[i]; i++)
			if (strcmp(a->tune_keys[i], key) == 0)
				return env_append(s, a->tune_vars[i], "", eq + 1, err);
		break;
	case CT_TUNE_PREFIX: {
		char var[96];
		size_t n = (size_t)snprintf(var, sizeof var, "%s%s", a->tune_prefix, key);
		for (size_t i = 0; i < n && i < sizeof var; i++)
			var[i] = (char)toupper((unsigned char)var[i]);
		return env_append(s, var, "", eq + 1, err);
	}
	}
	snprintf(err->msg, sizeof err->msg, "tunable '%s': value too long", key);
	return -1;
}

static int parse_tunables(ct_alloc_spec_t *s, const char *list, ct_err_t *err)
{
	char buf[512];
	if (!*list || strlen(list) >= sizeof buf) {
		snprintf(err->msg, sizeof err->msg, "empty or overlong tunable list");
		return -1;
	}
	strcpy(buf, list);
	char *save = NULL;
	const char *seen[sizeof buf / 2]; /* every item takes 2 bytes or more */
	size_t nseen = 0;
	for (char *kv = strtok_r(buf, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
		size_t klen = strcspn(kv, "=");
		/* the same key twice: refused (a prefix-style variable would
		 * get both values glued together, "1" and "0" becoming "10") */
		for (size_t i = 0; i < nseen; i++)
			if (strncmp(seen[i], kv, klen) == 0 && seen[i][klen] == '=') {
				snprintf(err->msg, sizeof err->msg, "tunable '%.*s' given twice",
					 (int)klen, kv);
				return -1;
			}
		seen[nseen++] = kv;
		if (tunable_to_env(s, kv, err))
			return -1;
	}
	return 0;
}

static int valid_label(const char *name, size_t n)
{
	if (n == 0 || n > 40)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '_' && name[i] != '-' &&
		    name[i] != '.')
			return 0;
	return 1;
}

static int parse_custom(const char *item, size_t nlen, ct_alloc_spec_t *s, ct_err_t *err)
{
	const char *path = item + nlen + 1;
	snprintf(s->label, sizeof s->label, "%.*s", (int)nlen, item);
	s->adapter = ct_allocator_find(s->label); /* mimalloc=/p/libmimalloc.so.2 */
	if (s->adapter && s->adapter->child_exe) {
		snprintf(err->msg, sizeof err->msg, "%s is a runtime, not a library to preload",
			 s->adapter->name);
		return -1;
	}
	/* LD_PRELOAD splits on spaces and colons, and the path travels in the
	 * child's hello line: neither can carry such a path */
	for (const char *c = path; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f || *c == ' ' || *c == ':') {
			snprintf(err->msg, sizeof err->msg,
				 "library path holds a %s, which LD_PRELOAD cannot carry",
				 *c == ' ' ? "space" : *c == ':' ? "':'" : "control character");
			return -1;
		}
	if (!*path || access(path, R_OK) != 0) {
		snprintf(err->msg, sizeof err->msg, "library '%s' does not exist or is unreadable",
			 path);
		return -1;
	}
	if (!realpath(path, s->path)) {
		snprintf(err->msg, sizeof err->msg, "cannot resolve '%s'", path);
		return -1;
	}
	/* ld.so would block on a FIFO named in LD_PRELOAD: regular files only */
	char why[sizeof err->msg];
	int fd = ct_open_regular(s->path, O_RDONLY, why, sizeof why);
	if (fd < 0) {
		snprintf(err->msg, sizeof err->msg, "library %.150s", why);
		return -1;
	}
	unsigned char magic[4] = {0};
	ssize_t got = read(fd, magic, 4);
	close(fd);
	if (got != 4 || memcmp(magic, "\177ELF", 4) != 0) {
		snprintf(err->msg, sizeof err->msg, "'%s' is not a shared library (no ELF header)",
			 path);
		return -1;
	}
	return 0;
}

int ct_alloc_spec_parse(const char *item, ct_alloc_spec_t *s, ct_err_t *err)
{
	memset(s, 0, sizeof *s);
	size_t nlen = strcspn(item, "=:");
	if (!valid_label(item, nlen)) {
		snprintf(err->msg, sizeof err->msg, "bad allocator name '%.*s'", (int)nlen, item);
		return -1;
	}
	if (item[nlen] == '=')
		return parse_custom(item, nlen, s, err);
	char name[64];
	snprintf(name, sizeof name, "%.*s", (int)nlen, item);
	s->adapter = ct_allocator_find(name);
	if (!s->adapter) {
		snprintf(err->msg, sizeof err->msg,
			 "unknown allocator '%s' (glibc, mimalloc, tcmalloc, jemalloc, go, or NAME=/path/lib.so)",
			 name);
		return -1;
	}
	snprintf(s->label, sizeof s->label, "%s", item);
	if (s->adapter->child_exe) {
		if (ct_alloc_locate_exe(s->adapter, s->exe, sizeof s->exe) != 0) {
			s->missing = true;
			snprintf(s->why, sizeof s->why, "contend-%.40s not built (no %.40s toolchain found "
				 "at build time; see README)", name, name);
		}
	} else if (ct_alloc_locate(s->adapter, s->path, sizeof s->path) != 0) {
		s->missing = true;
		snprintf(s->why, sizeof s->why, "%s not found (install its package or give %s=/path)",
			 s->adapter->soname, name);
	}
	if (item[nlen] == ':')
		return parse_tunables(s, item + nlen + 1, err);
	return 0;
}

static void real_or_copy(const char *in, char *out, size_t len)
{
	char buf[PATH_MAX];
	snprintf(out, len, "%s", in && realpath(in, buf) ? buf : (in ? in : "?"));
}

void ct_alloc_live_malloc(char *live, size_t len)
{
	void *m = dlsym(RTLD_DEFAULT, "malloc");
	void *(*next)(void) = (void *(*)(void))dlsym(RTLD_DEFAULT, "ct_census_next_malloc");
	if (next)
		m = next();
	Dl_info info;
	if (m && dladdr(m, &info) && info.dli_fname)
		real_or_copy(info.dli_fname, live, len);
	else
		snprintf(live, len, "?");
}

void ct_alloc_libc_path(char *out, size_t len)
{
	Dl_info info;
	if (dladdr((void *)gnu_get_libc_version, &info) && info.dli_fname)
		real_or_copy(info.dli_fname, out, len);
	else
		snprintf(out, len, "?");
}

void ct_alloc_version(const ct_allocator_t *a, char *buf, size_t len)
{
	snprintf(buf, len, "unknown");
	if (a) {
		a->version(buf, len);
		return;
	}
	for (size_t i = 1; i < ct_nallocators; i++) /* glibc last: it always answers */
		if (ct_allocators[i]->version(buf, len))
			return;
	snprintf(buf, len, "unknown");
}
