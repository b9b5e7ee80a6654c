/* files.c — files opened without blocking, regular files only, reads
 * capped (files.h). Entry points: ct_open_regular, ct_read_file. */
#include "files.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int ct_open_regular(const char *path, int flags, char *err, size_t errlen)
{
	int fd = open(path, flags | O_NONBLOCK | O_CLOEXEC, 0644);
	if (fd < 0) {
		int e = errno;
		snprintf(err, errlen, "'%s': %s", path,
			 e == ENXIO ? "not a regular file (a FIFO?)" : strerror(e));
		errno = e;
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "'%s': not a regular file", path);
		close(fd);
		errno = EINVAL;
		return -1;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}

/* Reads fd to its end into a buffer grown as needed, up to cap bytes. */
static char *read_all(int fd, size_t cap, size_t *len)
{
	size_t have = 0, room = 1 << 16;
	char *buf = malloc(room);
	for (ssize_t got = 1; buf && got > 0;) {
		if (have + 1 == room) {
			char *nb = room >= cap ? NULL : realloc(buf, room * 2);
			if (!nb) {
				free(buf);
				errno = room >= cap ? EFBIG : ENOMEM;
				return NULL;
			}
			buf = nb;
			room *= 2;
		}
		got = read(fd, buf + have, room - 1 - have);
		if (got < 0 && errno == EINTR)
			got = 1;
		else if (got < 0) {
			free(buf);
			return NULL;
		} else
			have += (size_t)got;
	}
	if (buf && have > cap) {
		free(buf);
		errno = EFBIG;
		return NULL;
	}
	if (buf)
		buf[have] = '\0';
	*len = have;
	return buf;
}

char *ct_read_file(const char *path, size_t cap, size_t *len, char *err, size_t errlen)
{
	int fd = ct_open_regular(path, O_RDONLY, err, errlen);
	if (fd < 0)
		return NULL;
	size_t n = 0;
	char *buf = read_all(fd, cap, &n);
	int e = errno;
	close(fd);
	if (!buf) {
		if (e == EFBIG)
			snprintf(err, errlen, "'%s': larger than the %zu MiB contend reads", path,
				 cap >> 20);
		else
			snprintf(err, errlen, "'%s': %s", path, strerror(e));
		errno = e;
		return NULL;
	}
	if (len)
		*len = n;
	return buf;
}
