/* workloads.c — the workload registry. To add a workload, add its
 * descriptor here (the table is counted with sizeof). */
#include "workload.h"

#include <stdio.h>
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

int ct_param_parse(const ct_param_t *pd, const char *text, uint64_t *v, ct_err_t *err)
{
	if (pd->choices) {
		for (uint64_t i = 0; pd->choices[i]; i++)
			if (strcmp(pd->choices[i], text) == 0) {
				*v = i;
				return 0;
			}
		size_t used = (size_t)snprintf(err->msg, sizeof err->msg, "%s is one of", pd->name);
		for (int i = 0; pd->choices[i] && used < sizeof err->msg; i++)
			used += (size_t)snprintf(err->msg + used, sizeof err->msg - used, "%s%s",
						 i ? ", " : " ", pd->choices[i]);
		return -1;
	}
	if (ct_parse_size(text, v, err))
		return -1;
	if (*v < pd->min || *v > pd->max) {
		snprintf(err->msg, sizeof err->msg, "%s takes %llu to %llu", pd->name,
			 (unsigned long long)pd->min, (unsigned long long)pd->max);
		return -1;
	}
	return 0;
}

const char *ct_param_format(const ct_param_t *pd, uint64_t v, char *buf, size_t len)
{
	if (pd->choices)
		snprintf(buf, len, "%s", pd->choices[v]);
	else
		snprintf(buf, len, "%llu", (unsigned long long)v);
	return buf;
}
