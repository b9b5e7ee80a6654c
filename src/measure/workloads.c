/* workloads.c — the workload registry. To add a workload, add its
 * descriptor here (the table is counted with sizeof). */
#include "workload.h"

#include <string.h>

const ct_workload_t *const ct_workloads[] = {
	&ct_wl_bilbo,
	&ct_wl_smaug,
	&ct_wl_churn,
	&ct_wl_xfree,
	&ct_wl_falseshare,
	&ct_wl_large,
	&ct_wl_bandwidth,
};
const size_t ct_nworkloads = sizeof ct_workloads / sizeof ct_workloads[0];

const ct_workload_t *ct_workload_find(const char *name)
{
	for (size_t i = 0; i < ct_nworkloads; i++)
		if (strcmp(ct_workloads[i]->name, name) == 0)
			return ct_workloads[i];
	return NULL;
}

int ct_workload_mode(const ct_workload_t *w, const char *mode)
{
	for (int i = 0; w->modes[i]; i++)
		if (strcmp(w->modes[i], mode) == 0)
			return i;
	return -1;
}

int ct_workload_param(const ct_workload_t *w, const char *name)
{
	for (int i = 0; w->params && w->params[i].name; i++)
		if (strcmp(w->params[i].name, name) == 0)
			return i;
	return -1;
}

int ct_workload_nparams(const ct_workload_t *w)
{
	int n = 0;
	while (w->params && w->params[n].name)
		n++;
	return n;
}

uint64_t ct_workload_stack(const ct_workload_t *w, uint64_t size)
{
	return w->stack_bytes ? w->stack_bytes(size) : 0;
}
