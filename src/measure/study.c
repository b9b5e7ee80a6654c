/* study.c — what the writers and tables of a study share about its points:
 * a point's name, its parameters and the summary of its repetitions. Both
 * output.c (files) and tables.c (terminal) read them; neither owns them. */
#include "stats.h"
#include "study.h"

#include <stdio.h>

/* "name=value" for each parameter of the point's workload, joined by sep;
 * a quiet parameter only when it is not at its default. */
void ct_point_params(const ct_plan_point_t *p, const char *sep, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (int i = 0; i < ct_workload_nparams(p->wl) && used < len; i++) {
		const ct_param_t *pd = &p->wl->params[i];
		char v[32];
		if (pd->quiet && p->param[i] == pd->def)
			continue;
		used += (size_t)snprintf(buf + used, len - used, "%s%s=%s", used ? sep : "", pd->name,
					 ct_param_format(pd, p->param[i], v, sizeof v));
	}
}

void ct_out_bench_name(const ct_study_t *s, size_t pt, size_t a, char *buf, size_t len)
{
	const ct_plan_point_t *p = &s->pts[pt];
	char size[32], params[256];
	ct_point_params(p, "/", params, sizeof params);
	snprintf(buf, len, "%s/mode=%s/size=%s%s%s/alloc=%s/place=%s", p->wl->bench,
		 p->wl->modes[p->mode], ct_format_size(p->size, size, sizeof size),
		 params[0] ? "/" : "", params, s->cfg->allocs[a].label,
		 ct_place_name(s->cfg->place));
}

size_t ct_point_values(const ct_study_t *s, size_t pt, size_t a, double *v, size_t cap)
{
	size_t n = 0;
	for (unsigned r = 0; r < s->cfg->max_count && n < cap; r++) {
		const ct_record_t *rec = ct_rec(s, pt, a, r);
		if (rec->ok && !rec->rejected)
			v[n++] = rec->r.ns_per_op;
	}
	return n;
}

void ct_point_summary(const ct_study_t *s, size_t pt, size_t a, ct_summary_t *out,
		      unsigned *failed)
{
	double v[1024];
	size_t n = ct_point_values(s, pt, a, v, 1024);
	*failed = 0;
	for (unsigned r = 0; r < s->cfg->max_count; r++) {
		const ct_record_t *rec = ct_rec(s, pt, a, r);
		*failed += rec->done && !rec->ok;
	}
	ct_summarize(v, n, out);
}
