/* gocmp.h — Go beside C in a report: where the go column's heap/stack
 * ratio and a C allocator's disagree, the measured cause (gocmp.c). */
#ifndef CT_GOCMP_H
#define CT_GOCMP_H

#include "resultsdb.h"
#include "verdict.h"

#include <stdio.h>

/* One line per point and C allocator whose heap/stack ratio is more than
 * 25% from go's, naming copy, zeroing or allocator; prefix before each.
 * Returns how many lines (0 without a go column). */
size_t ct_go_beside_c(const ct_rdir_t *d, FILE *f, const char *prefix);

#endif
