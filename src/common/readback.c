/* readback.c — reading back what contend wrote (readback.h): results.csv
 * lines split into fields, machine.json flattened to path = value pairs.
 * Entry points: ct_csv_split, ct_json_flatten, ct_kvs_get. */
#include "readback.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- results.csv */

/* Split line (modified in place) at commas; double-quoted fields may hold
 * commas and "" for a quote. Returns the field count (at most max). */
size_t ct_csv_split(char *line, char **f, size_t max)
{
	size_t n = 0;
	char *p = line;
	for (;;) {
		char *out = p, *start = p;
		if (*p == '"') {
			for (p++; *p && !(*p == '"' && p[1] != '"'); p++)
				*out++ = *p == '"' ? *++p : *p;
			p += *p == '"';
		}
		while (*p && *p != ',')
			*out++ = *p++;
		char sep = *p;
		*out = '\0';
		if (n < max)
			f[n++] = start;
		if (sep != ',')
			return n;
		p++;
	}
}

/* ---------------------------------------------------------------- machine.json */

/* A small JSON reader that flattens scalars to path = value pairs:
 * {"cpu": {"model": "X"}, "a": [{"n": 1}]} gives cpu.model = X, a[0].n = 1.
 * On malformed input it stops, keeping what it read. */
typedef struct {
	const char *p;
	ct_kvs_t *d;
	int depth;
} json_t;

static void jws(json_t *j)
{
	while (*j->p == ' ' || *j->p == '\n' || *j->p == '\r' || *j->p == '\t')
		j->p++;
}

/* A string at j->p (after the quote) into out (truncated, \u escapes
 * beyond ASCII as '?'); returns false on an unterminated string. */
static bool jstring(json_t *j, char *out, size_t len)
{
	size_t n = 0;
	for (; *j->p && *j->p != '"'; j->p++) {
		char c = *j->p;
		if (c == '\\' && j->p[1]) {
			c = *++j->p;
			c = c == 'n' ? '\n' : c == 't' ? '\t' : c;
			if (c == 'u') {
				unsigned v = 0;
				sscanf(j->p + 1, "%4x", &v);
				c = v < 0x80 ? (char)v : '?';
				for (int k = 0; k < 4 && j->p[1]; k++)
					j->p++;
			}
		}
		if (n + 1 < len)
			out[n++] = c;
	}
	out[n] = '\0';
	if (*j->p != '"')
		return false;
	j->p++;
	return true;
}

static void jput(json_t *j, const char *key, const char *val)
{
	ct_kvs_t *d = j->d;
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 64;
		ct_kv_t *nk = realloc(d->kv, cap * sizeof *nk);
		if (!nk)
			return;
		d->kv = nk;
		d->cap = cap;
	}
	ct_kv_t *e = &d->kv[d->n];
	e->key = strdup(key);
	e->val = strdup(val);
	if (!e->key || !e->val) {
		free(e->key);
		free(e->val);
		return;
	}
	d->n++;
}

static bool jvalue(json_t *j, char *path, size_t plen);

static bool jobject(json_t *j, char *path, size_t plen)
{
	size_t base = strlen(path);
	char key[256];
	for (j->p++;;) {
		jws(j);
		if (*j->p == '}')
			return j->p++, true;
		if (*j->p != '"')
			return false;
		j->p++;
		if (!jstring(j, key, sizeof key))
			return false;
		jws(j);
		if (*j->p != ':')
			return false;
		j->p++;
		snprintf(path + base, plen - base, "%s%s", base ? "." : "", key);
		bool ok = jvalue(j, path, plen);
		path[base] = '\0';
		if (!ok)
			return false;
		jws(j);
		if (*j->p == ',')
			j->p++;
	}
}

static bool jarray(json_t *j, char *path, size_t plen)
{
	size_t base = strlen(path);
	for (unsigned i = 0, go = 1; go; i++) {
		j->p++; /* '[' or ',' */
		jws(j);
		if (*j->p == ']')
			break;
		snprintf(path + base, plen - base, "[%u]", i);
		bool ok = jvalue(j, path, plen);
		path[base] = '\0';
		if (!ok) /* j->p may be past the end: read nothing more */
			return false;
		jws(j);
		if (*j->p != ',' && *j->p != ']')
			return false;
		go = *j->p == ',';
	}
	j->p++;
	return true;
}

/* A scalar (number, true, false, null) up to the next delimiter. */
static bool jscalar(json_t *j, char *path)
{
	char val[128];
	size_t n = 0;
	while (*j->p && !strchr(",}] \t\r\n", *j->p)) {
		if (n + 1 < sizeof val)
			val[n++] = *j->p;
		j->p++;
	}
	val[n] = '\0';
	if (!n)
		return false;
	jput(j, path, val);
	return true;
}

static bool jvalue(json_t *j, char *path, size_t plen)
{
	jws(j);
	if (++j->depth > 64)
		return false;
	bool ok;
	if (*j->p == '{') {
		ok = jobject(j, path, plen);
	} else if (*j->p == '[') {
		ok = jarray(j, path, plen);
	} else if (*j->p == '"') {
		char val[4096];
		j->p++;
		ok = jstring(j, val, sizeof val);
		if (ok)
			jput(j, path, val);
	} else {
		ok = jscalar(j, path);
	}
	j->depth--;
	return ok;
}

bool ct_json_flatten(const char *text, ct_kvs_t *out)
{
	json_t j = {.p = text, .d = out};
	char path[1024] = "";
	if (!jvalue(&j, path, sizeof path))
		return false;
	jws(&j);
	return *j.p == '\0';
}

const char *ct_kvs_get(const ct_kvs_t *k, const char *key)
{
	for (size_t i = 0; k && i < k->n; i++)
		if (strcmp(k->kv[i].key, key) == 0)
			return k->kv[i].val;
	return NULL;
}

void ct_kvs_free(ct_kvs_t *k)
{
	for (size_t i = 0; i < k->n; i++) {
		free(k->kv[i].key);
		free(k->kv[i].val);
	}
	free(k->kv);
	memset(k, 0, sizeof *k);
}
