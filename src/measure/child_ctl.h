/* child_ctl.h — the parent's side of a per-allocator child: start it, read
 * its answers, end it. Every wait has a deadline and ends early when the
 * study is being stopped, so no child — hung, crashed, forked or stuck in
 * an allocator's exit handler — can hold the parent.
 *
 * Each child leads its own process group, so the group is what gets
 * killed: descendants an allocator forked go with it, and a signal sent to
 * the parent's group (^C, kill -TERM -PGID) never reaches a child and never
 * becomes a spurious allocator failure. Each child dies with the parent
 * (PR_SET_PDEATHSIG). Its stdout goes to the parent's stderr (to /dev/null
 * with -q), never to a results file or the tables. */
#ifndef CT_CHILD_CTL_H
#define CT_CHILD_CTL_H

#include "study.h"

#include <signal.h>
#include <sys/types.h>

/* Whether an environment entry ("NAME=value") tunes or replaces an
 * allocator (MALLOC_CONF, GLIBC_TUNABLES, MIMALLOC_*, TCMALLOC_*,
 * LD_PRELOAD, ...): such entries are cleared for every child. */
bool _ct_child_env_cleared(const char *entry);

typedef struct {
	pid_t pid;      /* also the child's process group; 0 when none */
	int pidfd;      /* readable when the child has exited; -1 if unsupported */
	int cmd, ans;   /* our ends of the command and answer pipes */
	char buf[8192]; /* answer bytes read but not yet consumed */
	size_t have;
} _ct_child_t;

/* The flag the parent's signal handler sets: every wait below ends as soon
 * as it is non-zero. */
void _ct_child_watch(volatile sig_atomic_t *stop);

/* Starts a child for allocator a (with the census interposer when census)
 * and reads its hello within timeout_ns. 0 when it proved its allocator;
 * else -1 with why set (the child is gone). */
int _ct_child_start(const ct_study_t *s, size_t a, bool census, uint64_t timeout_ns,
		    _ct_child_t *c, char *hello, size_t hlen, char *why, size_t wlen);

/* Reads one answer line (no newline) within timeout_ns. 0 read; -1 the
 * child ended or wrote garbage; -2 timed out; -3 the study is stopping. */
int _ct_child_line(_ct_child_t *c, char *line, size_t len, uint64_t timeout_ns);

/* Sends one line; 0 when all of it went. */
int _ct_child_send(_ct_child_t *c, const char *line);

/* How long a child that closed its answer pipe gets to finish exiting by
 * itself, so that its own exit status (a crash's signal) is the one
 * recorded rather than our SIGKILL. */
#define CT_CHILD_EXIT_GRACE_NS 1000000000ull

/* Ends the child: waits up to grace_ns for it to exit by itself (0: not at
 * all), then kills its process group; reaps it. how (if not NULL) says how
 * it ended. */
void _ct_child_end(_ct_child_t *c, uint64_t grace_ns, char *how, size_t len);

/* Asks n children to quit, then waits for all of them together for at most
 * grace_ns (less when the study is stopping); the ones still there are
 * killed with their groups. Returns how many had to be killed; the first
 * one's index goes to *first_killed. */
unsigned _ct_children_quit(_ct_child_t *kids, size_t n, uint64_t grace_ns, size_t *first_killed);

#endif
