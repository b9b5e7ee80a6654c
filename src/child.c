/* child.c — the per-allocator child: prove which malloc is live, then run
 * the points the parent sends, one at a time (protocol in proto.h). */
#include "alloc.h"
#include "proto.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int parse_point(const char *line, ct_point_t *p, ct_census_fn census, char *err,
		       size_t errlen)
{
	char wl[64], mode[64], place[32];
	unsigned long long size, bt_ns, bt_iters, hint;
	unsigned threads, want_census;
	int used = 0;
	if (sscanf(line, "P %63s %63s %llu %u %31s %llu %llu %llu %u%n", wl, mode, &size, &threads,
		   place, &bt_ns, &bt_iters, &hint, &want_census, &used) != 9) {
		snprintf(err, errlen, "malformed command");
		return -1;
	}
	memset(p, 0, sizeof *p);
	const char *rest = line + used;
	for (int i = 0; i < CT_MAX_PARAMS; i++) {
		char *end;
		p->param[i] = strtoull(rest, &end, 10);
		if (end == rest) {
			snprintf(err, errlen, "malformed parameters");
			return -1;
		}
		rest = end;
	}
	p->wl = ct_workload_find(wl);
	p->mode = p->wl ? ct_workload_mode(p->wl, mode) : -1;
	int pl = ct_place_parse(place);
	if (!p->wl || p->mode < 0 || pl < 0) {
		snprintf(err, errlen, "unknown workload, mode or placement");
		return -1;
	}
	if (want_census && !census) {
		snprintf(err, errlen, "census interposer not loaded");
		return -1;
	}
	p->size = size;
	p->threads = threads;
	p->place = (ct_place_t)pl;
	p->bt.ns = bt_ns;
	p->bt.iters = bt_iters;
	p->hint_iters = hint;
	p->census = want_census ? census : NULL;
	return 0;
}

static void serve(FILE *in, FILE *out, const ct_topo_t *topo, ct_census_fn census)
{
	char line[512], ans[2048];
	while (fgets(line, sizeof line, in) && line[0] != 'Q') {
		ct_point_t p;
		ct_result_t r;
		memset(&r, 0, sizeof r);
		bool ok = parse_point(line, &p, census, r.err, sizeof r.err) == 0 &&
			  ct_run_point(topo, &p, &r) == 0;
		ct_proto_format_result(&r, ok, ans, sizeof ans);
		fputs(ans, out);
		fflush(out);
	}
}

int ct_child_main(int argc, char **argv)
{
	/* argv: __child LABEL ADAPTER|- LIBRARY|- */
	if (argc < 4)
		return 2;
	const ct_allocator_t *adapter = ct_allocator_find(argv[2]);
	char expect[PATH_MAX], live[PATH_MAX], version[128], why[8400] = "";
	if (strcmp(argv[3], "-") == 0)
		ct_alloc_libc_path(expect, sizeof expect);
	else if (!realpath(argv[3], expect))
		snprintf(expect, sizeof expect, "%s", argv[3]);
	ct_alloc_live_malloc(live, sizeof live);
	ct_alloc_version(adapter, version, sizeof version);
	ct_census_fn census = (ct_census_fn)dlsym(RTLD_DEFAULT, "ct_census_counts");

	bool ok = strcmp(live, expect) == 0;
#ifdef CT_SANITIZED
	/* A sanitizer runtime owns malloc in a sanitized build (made for the
	 * tests, never for measurements); the C library's column accepts it. */
	if (strcmp(argv[3], "-") == 0 && (strstr(live, "libasan") || strstr(live, "libtsan")))
		ok = true;
#endif
	if (!ok)
		snprintf(why, sizeof why, "malloc resolves to %s, not %s", live, expect);
	ct_topo_t *topo = ok ? ct_topo_open(why, sizeof why) : NULL;
	ok = ok && topo;
	FILE *out = fdopen(CT_ANS_FD, "w");
	FILE *in = fdopen(CT_CMD_FD, "r");
	if (!out || !in)
		return 2;
	fprintf(out, "H ok=%d live=%s version=%s census=%d why=%s\n", ok, live, version,
		census != NULL, why);
	fflush(out);
	if (!ok)
		return CT_CHILD_IDENTITY_EXIT;
	serve(in, out, topo, census);
	ct_topo_close(topo);
	return 0;
}
