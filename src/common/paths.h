/* paths.h — where contend finds its own files at run time: the census
 * interposer (libctcensus.so) and the gnuplot scripts (plots/).
 *
 * Contract: relative to the running executable first, so an installed or
 * moved tree works (PREFIX/bin/contend finds PREFIX/lib/contend/ and
 * PREFIX/share/contend/plots/), then the build tree (the library beside the
 * binary; plots/ beside it or its parent), then, for plots/ only, the
 * source tree this binary was built from.
 * $CONTEND_PLOTS, when set, is the only place plots are looked for. */
#ifndef CT_PATHS_H
#define CT_PATHS_H

#include <stddef.h>

typedef enum {
	CT_FILE_CENSUS, /* the counting interposer, a file */
	CT_FILE_PLOTS,  /* the gnuplot scripts, a directory (returned with a trailing '/') */
} ct_file_t;

/* 0 and the path in out; -1 when none of the places holds it, and then out
 * lists the places looked in ("a, b, c") for the error message. */
int ct_own_file(ct_file_t what, char *out, size_t len);

#endif
