/* child.c — the per-allocator child: prove which malloc is live, then run
 * the points the parent sends, one at a time (protocol in proto.h). */
#include "alloc.h"
#include "proto.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool counters_ok; /* hardware counters can be opened here */

static int parse_point(const char *line, ct_point_t *p, ct_census_fn census, char *err,
		       size_t errlen)
{
	char wl[64], mode[64], place[32];
	unsigned long long size, bt_ns, bt_iters, hint;
	unsigned threads, want_census, latency;
	int used = 0;
	if (sscanf(line, "P %63s %63s %llu %u %31s %llu %llu %llu %u %u%n", wl, mode, &size,
		   &threads, place, &bt_ns, &bt_iters, &hint, &want_census, &latency, &used) != 10) {
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
	p->latency = latency != 0;
	p->counters = counters_ok;
	return 0;
}

static void serve(FILE *in, FILE *out, const ct_topo_t *topo, ct_census_fn census,
		  const ct_allocator_t *adapter)
{
	char line[512], ans[2048];
	while (fgets(line, sizeof line, in) && line[0] != 'Q') {
		ct_point_t p;
		ct_result_t r;
		memset(&r, 0, sizeof r);
		bool ok = parse_point(line, &p, census, r.err, sizeof r.err) == 0 &&
			  ct_run_point(topo, &p, &r) == 0;
		if (ok && adapter && adapter->stats) /* outside any timed region: it may lock */
			adapter->stats(r.astats, sizeof r.astats);
		ct_proto_format_result(&r, ok, ans, sizeof ans);
		fputs(ans, out);
		fflush(out);
	}
}

/* Checks each tunable of a variant label (NAME:k=v,k=v) with the adapter.
 * Fills report with "k=v:verified,k=v:unchecked"; false on a mismatch. */
static bool check_tunables(const ct_allocator_t *a, const char *label, char *report, size_t rlen,
			   char *why, size_t wlen)
{
	const char *colon = strchr(label, ':');
	char buf[512], got[128];
	size_t used = 0;
	snprintf(report, rlen, "-");
	if (!a || !colon)
		return true;
	snprintf(buf, sizeof buf, "%s", colon + 1);
	char *save = NULL;
	for (char *kv = strtok_r(buf, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(kv, '=');
		if (!eq)
			continue;
		*eq = '\0';
		int rc = a->check_tunable ? a->check_tunable(kv, eq + 1, got, sizeof got) : -1;
		if (rc == 0) {
			snprintf(why, wlen, "tunable %s=%s did not take effect (%s reports %s)", kv,
				 eq + 1, a->name, got);
			return false;
		}
		if (used < rlen)
			used += (size_t)snprintf(report + used, rlen - used, "%s%s=%s:%s",
						 used ? "," : "", kv, eq + 1,
						 rc == 1 ? "verified" : "unchecked");
	}
	return true;
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
	char tunables[512] = "-";
	ok = ok && check_tunables(adapter, argv[1], tunables, sizeof tunables, why, sizeof why);
	ct_topo_t *topo = ok ? ct_topo_open(why, sizeof why) : NULL;
	ok = ok && topo;
	FILE *out = fdopen(CT_ANS_FD, "w");
	FILE *in = fdopen(CT_CMD_FD, "r");
	if (!out || !in)
		return 2;
	fprintf(out, "H ok=%d live=%s version=%s census=%d tunables=%s why=%s\n", ok, live, version,
		census != NULL, tunables, why);
	fflush(out);
	if (!ok)
		return CT_CHILD_IDENTITY_EXIT;
	char why_hw[256];
	counters_ok = ct_counters_probe(why_hw, sizeof why_hw);
	serve(in, out, topo, census, adapter);
	ct_topo_close(topo);
	return 0;
}
