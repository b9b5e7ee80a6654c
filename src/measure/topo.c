/* topo.c — topology and pinning with hwloc (see topo.h for the contract). */
#include "topo.h"

#include <errno.h>
#include <limits.h>
#include <hwloc.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct ct_topo {
	hwloc_topology_t h;
	unsigned ncores;
	int *core_pu; /* first allowed PU (OS index) of each allowed core, logical order */
};

static const char *place_names[] = {"compact", "scatter", "none"};

const char *ct_place_name(ct_place_t p)
{
	return place_names[p];
}

int ct_place_parse(const char *name)
{
	for (int i = 0; i < 3; i++)
		if (strcmp(name, place_names[i]) == 0)
			return i;
	return -1;
}

/* Cores are the unit of placement; a machine without core objects (some
 * VMs and arm boards report PUs only) is treated as one core per PU. */
static int collect_cores(ct_topo_t *t)
{
	hwloc_obj_type_t type = HWLOC_OBJ_CORE;
	int n = hwloc_get_nbobjs_by_type(t->h, type);
	if (n <= 0) {
		type = HWLOC_OBJ_PU;
		n = hwloc_get_nbobjs_by_type(t->h, type);
	}
	if (n <= 0)
		return -1;
	t->core_pu = calloc((size_t)n, sizeof *t->core_pu);
	if (!t->core_pu)
		return -1;
	for (int i = 0; i < n; i++) {
		hwloc_obj_t o = hwloc_get_obj_by_type(t->h, type, (unsigned)i);
		int pu = hwloc_bitmap_first(o->cpuset);
		if (pu >= 0)
			t->core_pu[t->ncores++] = pu;
	}
	return t->ncores ? 0 : -1;
}

ct_topo_t *ct_topo_open(char *err, size_t errlen)
{
	ct_topo_t *t = calloc(1, sizeof *t);
	if (!t || hwloc_topology_init(&t->h) != 0) {
		snprintf(err, errlen, "hwloc_topology_init failed");
		free(t);
		return NULL;
	}
	/* Only the CPUs this process may use (taskset, cgroup cpusets,
	 * numactl): hwloc refuses the restrict flag without IS_THISSYSTEM,
	 * and a refused flag would silently describe the whole machine. */
	if (hwloc_topology_set_flags(t->h, HWLOC_TOPOLOGY_FLAG_IS_THISSYSTEM |
						   HWLOC_TOPOLOGY_FLAG_RESTRICT_TO_CPUBINDING) != 0) {
		snprintf(err, errlen, "hwloc cannot restrict the topology to the allowed CPUs: %s",
			 strerror(errno));
		ct_topo_close(t);
		return NULL;
	}
	if (hwloc_topology_load(t->h) != 0 || collect_cores(t) != 0) {
		snprintf(err, errlen, "hwloc could not load this machine's topology: %s",
			 strerror(errno));
		ct_topo_close(t);
		return NULL;
	}
	return t;
}

void ct_topo_close(ct_topo_t *t)
{
	if (!t)
		return;
	hwloc_topology_destroy(t->h);
	free(t->core_pu);
	free(t);
}

unsigned ct_topo_cores(const ct_topo_t *t)
{
	return t->ncores;
}

static void cache_info(const ct_topo_t *t, ct_machine_t *m)
{
	static const hwloc_obj_type_t types[4] = {HWLOC_OBJ_L1CACHE, HWLOC_OBJ_L1CACHE,
						  HWLOC_OBJ_L2CACHE, HWLOC_OBJ_L3CACHE};
	for (int lvl = 1; lvl <= 3; lvl++) {
		int n = hwloc_get_nbobjs_by_type(t->h, types[lvl]);
		hwloc_obj_t o = n > 0 ? hwloc_get_obj_by_type(t->h, types[lvl], 0) : NULL;
		m->cache_count[lvl] = n > 0 ? (unsigned)n : 0;
		m->cache_bytes[lvl] = o ? o->attr->cache.size : 0;
		if (lvl == 1 && o)
			m->line_bytes = o->attr->cache.linesize;
	}
	/* No cache objects (arm boards whose kernel exports no cacheinfo):
	 * the C library's answer (cpuid on x86-64, CTR_EL0 on arm64). */
	long line = sysconf(_SC_LEVEL1_DCACHE_LINESIZE);
	if (m->line_bytes == 0 && line > 0)
		m->line_bytes = (unsigned)line;
}

/* arm64 kernels print no "model name" in /proc/cpuinfo, so hwloc has no
 * CPUModel there: name the core from its implementer and part numbers
 * (util-linux's lscpu table, the common ones) and add the board's name
 * from the device tree, e.g. "Raspberry Pi 4 Model B Rev 1.4 (Cortex-A72)". */
static const struct {
	unsigned impl, part;
	const char *name;
} arm_cores[] = {
	{0x41, 0xd03, "Cortex-A53"},  {0x41, 0xd05, "Cortex-A55"},  {0x41, 0xd07, "Cortex-A57"},
	{0x41, 0xd08, "Cortex-A72"},  {0x41, 0xd0b, "Cortex-A76"},  {0x41, 0xd0c, "Neoverse-N1"},
	{0x41, 0xd40, "Neoverse-V1"}, {0x41, 0xd49, "Neoverse-N2"}, {0x41, 0xd4f, "Neoverse-V2"},
};

static int arm_model(char *buf, size_t len)
{
	unsigned impl = 0, part = 0;
	char line[256], core[48] = "", board[80] = "";
	FILE *f = fopen("/proc/cpuinfo", "r");
	while (f && fgets(line, sizeof line, f) && !(impl && part)) {
		sscanf(line, "CPU implementer : %x", &impl);
		sscanf(line, "CPU part : %x", &part);
	}
	if (f)
		fclose(f);
	if (!impl || !part)
		return -1;
	snprintf(core, sizeof core, "arm 0x%x part 0x%x", impl, part);
	for (size_t i = 0; i < sizeof arm_cores / sizeof arm_cores[0]; i++)
		if (arm_cores[i].impl == impl && arm_cores[i].part == part)
			snprintf(core, sizeof core, "%s", arm_cores[i].name);
	f = fopen("/sys/firmware/devicetree/base/model", "r"); /* NUL-terminated */
	if (f) {
		size_t n = fread(board, 1, sizeof board - 1, f);
		board[n] = '\0';
		fclose(f);
	}
	if (board[0])
		snprintf(buf, len, "%s (%s)", board, core);
	else
		snprintf(buf, len, "%s", core);
	return 0;
}

void ct_topo_machine(const ct_topo_t *t, ct_machine_t *m)
{
	memset(m, 0, sizeof *m);
	hwloc_obj_t root = hwloc_get_root_obj(t->h);
	hwloc_obj_t pkg = hwloc_get_obj_by_type(t->h, HWLOC_OBJ_PACKAGE, 0);
	const char *model = pkg ? hwloc_obj_get_info_by_name(pkg, "CPUModel") : NULL;
	if (!model)
		model = hwloc_obj_get_info_by_name(root, "CPUModel");
	if (model || arm_model(m->cpu_model, sizeof m->cpu_model) != 0)
		snprintf(m->cpu_model, sizeof m->cpu_model, "%s", model ? model : "unknown");
	int v = hwloc_get_nbobjs_by_type(t->h, HWLOC_OBJ_PACKAGE);
	m->packages = v > 0 ? (unsigned)v : 1;
	v = hwloc_get_nbobjs_by_type(t->h, HWLOC_OBJ_NUMANODE);
	m->numa_nodes = v > 0 ? (unsigned)v : 1;
	m->cores = t->ncores;
	v = hwloc_get_nbobjs_by_type(t->h, HWLOC_OBJ_PU);
	m->pus = v > 0 ? (unsigned)v : t->ncores;
	m->cores_total = m->cores;
	hwloc_const_cpuset_t all = hwloc_topology_get_complete_cpuset(t->h);
	if (all) {
		int w = hwloc_bitmap_weight(all);
		if (w > 0 && (unsigned)w > m->cores_total)
			m->cores_total = (unsigned)w;
	}
	m->mem_bytes = root->total_memory;
	cache_info(t, m);
}

static int plan_scatter(const ct_topo_t *t, unsigned n, int *cpu)
{
	/* hwloc_distrib allocates the n sets itself (hwloc_bitmap_dup) */
	hwloc_bitmap_t *sets = calloc(n, sizeof(hwloc_bitmap_t));
	if (!sets)
		return -1;
	hwloc_obj_t root = hwloc_get_root_obj(t->h);
	int rc = hwloc_distrib(t->h, &root, 1, sets, n, INT_MAX, 0);
	for (unsigned i = 0; i < n; i++) {
		if (rc == 0 && sets[i]) {
			hwloc_bitmap_singlify(sets[i]);
			cpu[i] = hwloc_bitmap_first(sets[i]);
		}
		hwloc_bitmap_free(sets[i]); /* NULL is fine */
	}
	free(sets);
	return rc;
}

int ct_topo_plan(const ct_topo_t *t, ct_place_t place, unsigned n, int *cpu)
{
	switch (place) {
	case CT_PLACE_NONE:
		for (unsigned i = 0; i < n; i++)
			cpu[i] = -1;
		return 0;
	case CT_PLACE_COMPACT:
		for (unsigned i = 0; i < n; i++)
			cpu[i] = t->core_pu[i % t->ncores];
		return 0;
	case CT_PLACE_SCATTER:
		return plan_scatter(t, n, cpu);
	}
	return -1;
}

int ct_topo_bind_self(const ct_topo_t *t, int cpu)
{
	if (cpu < 0)
		return 0;
	hwloc_bitmap_t set = hwloc_bitmap_alloc();
	if (!set)
		return ENOMEM;
	hwloc_bitmap_only(set, (unsigned)cpu);
	int rc = hwloc_set_cpubind(t->h, set, HWLOC_CPUBIND_THREAD | HWLOC_CPUBIND_STRICT);
	int e = rc ? (errno ? errno : EINVAL) : 0;
	hwloc_bitmap_free(set);
	return e;
}

int ct_topo_current_cpu(void)
{
	return sched_getcpu();
}
