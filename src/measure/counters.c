/* counters.c — perf_event_open counters per thread (see counters.h). */
#include "counters.h"

#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static const uint64_t events[CT_HW_N] = {
	PERF_COUNT_HW_CPU_CYCLES,
	PERF_COUNT_HW_INSTRUCTIONS,
	PERF_COUNT_HW_CACHE_MISSES,
};

static int open_event(uint64_t config)
{
	struct perf_event_attr attr;
	memset(&attr, 0, sizeof attr);
	attr.size = sizeof attr;
	attr.type = PERF_TYPE_HARDWARE;
	attr.config = config;
	attr.disabled = 1;
	attr.exclude_hv = 1;
	int fd = (int)syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
	if (fd < 0 && (errno == EACCES || errno == EPERM)) {
		attr.exclude_kernel = 1; /* perf_event_paranoid >= 2: user space only */
		fd = (int)syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
	}
	return fd;
}

bool ct_counters_probe(char *why, size_t len)
{
	int fd = open_event(PERF_COUNT_HW_CPU_CYCLES);
	if (fd < 0) {
		int e = errno;
		snprintf(why, len, "unsupported: perf_event_open(cycles): %s%s", strerror(e),
			 e == ENOENT || e == EOPNOTSUPP ? " (no hardware counters, e.g. in a VM)"
			 : e == EACCES || e == EPERM ? " (not permitted: see kernel.perf_event_paranoid)"
						      : "");
		return false;
	}
	close(fd);
	snprintf(why, len, "ok");
	return true;
}

void ct_counters_open(ct_counters_t *c)
{
	for (int i = 0; i < CT_HW_N; i++)
		c->fd[i] = open_event(events[i]);
}

void ct_counters_start(ct_counters_t *c)
{
	for (int i = 0; i < CT_HW_N; i++)
		if (c->fd[i] >= 0) {
			ioctl(c->fd[i], PERF_EVENT_IOC_RESET, 0);
			ioctl(c->fd[i], PERF_EVENT_IOC_ENABLE, 0);
		}
}

void ct_counters_stop(ct_counters_t *c)
{
	for (int i = 0; i < CT_HW_N; i++) {
		c->val[i] = 0;
		if (c->fd[i] < 0)
			continue;
		ioctl(c->fd[i], PERF_EVENT_IOC_DISABLE, 0);
		if (read(c->fd[i], &c->val[i], sizeof c->val[i]) != sizeof c->val[i])
			c->val[i] = 0;
	}
}

void ct_counters_close(ct_counters_t *c)
{
	for (int i = 0; i < CT_HW_N; i++)
		if (c->fd[i] >= 0)
			close(c->fd[i]);
}
