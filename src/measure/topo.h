/* topo.h — the machine's shape and thread pinning, behind one small interface.
 * Implemented once, with hwloc (topo.c).
 *
 * Contract:
 * - The topology is restricted to the CPUs this process may run on
 *   (sched_getaffinity / cgroup cpusets): "cores" means allowed cores.
 * - ct_topo_plan() assigns one PU (by OS index) to each of n threads:
 *     compact  thread i on the first PU of allowed core i mod cores
 *              (consecutive cores, SMT siblings last);
 *     scatter  hwloc_distrib over the allowed tree (spread across packages,
 *              caches, cores), one PU per thread;
 *     none     no pinning (-1 for every thread).
 *   More threads than cores wrap around: the caller warns about it.
 * - ct_topo_bind_self() pins the calling thread to one PU; it is called by
 *   each worker after it starts (pinning before exec would change allocator
 *   defaults, see ALLOCATORS.md).
 * - The topology is read-only after ct_topo_open(); calls from many threads
 *   at once are safe. */
#ifndef CT_TOPO_H
#define CT_TOPO_H

#include <stddef.h>
#include <stdint.h>

typedef enum { CT_PLACE_COMPACT, CT_PLACE_SCATTER, CT_PLACE_NONE } ct_place_t;

typedef struct ct_topo ct_topo_t;

typedef struct {
	char cpu_model[128];
	unsigned packages, numa_nodes, cores, pus; /* allowed ones */
	unsigned cores_total;                      /* in the machine */
	uint64_t cache_bytes[4];                   /* L1d, L2, L3 size of one instance (0: none) */
	unsigned cache_count[4];                   /* instances of each level */
	unsigned line_bytes;                       /* L1d line size */
	uint64_t mem_bytes;                        /* total memory */
} ct_machine_t;

/* Returns NULL with a reason in err when hwloc cannot load a topology. */
ct_topo_t *ct_topo_open(char *err, size_t errlen);
void ct_topo_close(ct_topo_t *t);
unsigned ct_topo_cores(const ct_topo_t *t);
void ct_topo_machine(const ct_topo_t *t, ct_machine_t *m);

const char *ct_place_name(ct_place_t p);
/* -1 when name is no placement policy. */
int ct_place_parse(const char *name);

/* Fill cpu[0..n) with PU OS indexes (or -1). Returns 0, or -1 when the
 * policy cannot be planned. */
int ct_topo_plan(const ct_topo_t *t, ct_place_t place, unsigned n, int *cpu);
/* 0 on success, else an errno value. */
int ct_topo_bind_self(const ct_topo_t *t, int cpu);
/* The PU the calling thread runs on now, or -1 when unknown. */
int ct_topo_current_cpu(void);

#endif
