/* files.h — opening and reading files that may be hostile: a FIFO, a
 * device or a symlink to one where a regular file is expected must neither
 * block contend nor feed it without end. Both halves use these for every
 * file a user can name or plant (results, machine.json, libraries). */
#ifndef CT_FILES_H
#define CT_FILES_H

#include <stddef.h>

/* The most any results file may hold (results.csv of a million rows is
 * about 300 MiB). */
#define CT_FILE_CAP ((size_t)1 << 30)

/* open(path, flags | O_CLOEXEC) that never blocks on a FIFO (O_NONBLOCK
 * while opening, cleared after) and refuses anything but a regular file.
 * Returns the descriptor, or -1 with err set ("'path': not a regular
 * file", "'path': No such file or directory"). */
int ct_open_regular(const char *path, int flags, char *err, size_t errlen);

/* The whole of a regular file, NUL-terminated, at most cap bytes (a larger
 * file is refused, not cut). NULL with err set on failure. */
char *ct_read_file(const char *path, size_t cap, size_t *len, char *err, size_t errlen);

#endif
