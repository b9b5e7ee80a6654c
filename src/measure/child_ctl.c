/* child_ctl.c — starting, reading and ending the per-allocator children
 * (contract in child_ctl.h). Entry points: _ct_child_start,
 * _ct_child_line, _ct_child_end, _ct_children_quit.
 *
 * A child's end is watched through a pidfd (poll() on it alongside the
 * answer pipe), so a child that dies while a descendant still holds the
 * pipe open is seen at once, not at the timeout. Kernels without pidfds
 * (before 5.3) fall back to checking every 50 ms. */
#include "child_ctl.h"
#include "proto.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t no_stop;
static volatile sig_atomic_t *stop_flag = &no_stop;

void _ct_child_watch(volatile sig_atomic_t *stop)
{
	stop_flag = stop ? stop : &no_stop;
}

/* ---------------------------------------------------------------- in the child */

/* Moves fd to target, clearing close-on-exec even when fd == target. */
static void move_fd(int fd, int target)
{
	if (fd == target) {
		fcntl(fd, F_SETFD, 0);
		return;
	}
	if (dup2(fd, target) < 0)
		_exit(127);
}

/* stdin from /dev/null, stdout to stderr (or /dev/null when quiet),
 * commands on CT_CMD_FD, answers on CT_ANS_FD, nothing else open. The
 * pipes are first moved above every target so no dup2 clobbers another. */
static void child_fds(int cmd, int ans, bool quiet)
{
	int null = open("/dev/null", O_RDWR);
	int hcmd = fcntl(cmd, F_DUPFD_CLOEXEC, 16), hans = fcntl(ans, F_DUPFD_CLOEXEC, 16);
	if (null < 0 || hcmd < 0 || hans < 0)
		_exit(127);
	move_fd(null, 0);
	move_fd(quiet ? null : 2, 1);
	move_fd(hcmd, CT_CMD_FD);
	move_fd(hans, CT_ANS_FD);
	for (int fd = CT_ANS_FD + 1; fd < 1024; fd++)
		close(fd);
}

static void child_signals(pid_t parent)
{
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGINT, SIG_IGN); /* a terminal's ^C is the parent's to handle */
	signal(SIGTERM, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	setpgid(0, 0);
	/* a SIGKILLed parent takes its children with it; the check catches a
	 * parent that died before the request was made */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
		_exit(127);
}

/* ---------------------------------------------------------------- environment
 * Variables that tune or replace an allocator, set by whoever started
 * contend, would reach every child unrecorded: MALLOC_CONF=narenas:1 made
 * the "jemalloc" column a different allocator configuration than its name
 * says. They are cleared for every child, so a column named after an
 * allocator runs its defaults, and tuning goes through variants
 * (NAME:key=value), which are named, verified and recorded. The driver
 * warns about the ones it cleared and machine.json lists them. */
static const char *const tuning_prefixes[] = {
	"MALLOC_",   "MIMALLOC_",  "TCMALLOC_",  "JE_MALLOC_", "_RJEM_MALLOC_",
	"HEAPPROFILE=", "HEAPCHECK=", "GLIBC_TUNABLES=", "LD_PRELOAD=", "LD_AUDIT=",
};

bool _ct_child_env_cleared(const char *entry)
{
	for (size_t i = 0; i < sizeof tuning_prefixes / sizeof tuning_prefixes[0]; i++)
		if (strncmp(entry, tuning_prefixes[i], strlen(tuning_prefixes[i])) == 0)
			return true;
	return false;
}

static void clear_tuning_env(void)
{
	extern char **environ;
	char name[256];
	for (size_t i = 0; environ[i];) {
		size_t n = strcspn(environ[i], "=");
		if (!_ct_child_env_cleared(environ[i]) || n >= sizeof name) {
			i++;
			continue;
		}
		memcpy(name, environ[i], n);
		name[n] = '\0';
		unsetenv(name); /* environ shifts down: look at index i again */
	}
}

static void child_exec(const ct_study_t *s, const ct_alloc_spec_t *sp, bool census, int cmd,
		       int ans, pid_t parent)
{
	child_signals(parent);
	child_fds(cmd, ans, s->cfg->quiet);
	clear_tuning_env();
	char preload[2 * 4096 + 2] = "";
	if (sp->exe[0]) /* a runtime that is its own program: nothing to preload */
		census = false;
	if (census)
		snprintf(preload, sizeof preload, "%s%s%s", s->census_lib, sp->path[0] ? ":" : "",
			 sp->path);
	else
		snprintf(preload, sizeof preload, "%s", sp->path);
	if (preload[0])
		setenv("LD_PRELOAD", preload, 1);
	else
		unsetenv("LD_PRELOAD");
	for (unsigned i = 0; i < sp->nenv; i++)
		putenv((char *)sp->env[i]);
	const char *exe = sp->exe[0] ? sp->exe : s->exe;
	char *argv[] = {(char *)exe, "__child", (char *)sp->label,
			(char *)(sp->adapter ? sp->adapter->name : "-"),
			(char *)(sp->path[0] ? sp->path : "-"), NULL};
	execv(exe, argv);
	_exit(127);
}

/* ---------------------------------------------------------------- waiting */

static bool child_exited(const _ct_child_t *c)
{
	siginfo_t si;
	memset(&si, 0, sizeof si);
	if (waitid(P_PID, (id_t)c->pid, &si, WEXITED | WNOHANG | WNOWAIT) != 0)
		return errno != EINTR; /* ECHILD: nothing left to wait for */
	return si.si_pid == c->pid;
}

/* Waits until the child has exited (not reaped) or the deadline passes;
 * a stop request ends the wait early when stoppable. */
static bool wait_exit(const _ct_child_t *c, uint64_t deadline, bool stoppable)
{
	for (;;) {
		if (child_exited(c))
			return true;
		uint64_t now = ct_now_ns();
		if (now >= deadline || (stoppable && *stop_flag))
			return false;
		uint64_t ms = (deadline - now) / 1000000u + 1;
		uint64_t cap = c->pidfd >= 0 ? 3600000 : 50; /* without a pidfd: look again soon */
		struct pollfd p = {.fd = c->pidfd, .events = POLLIN};
		poll(&p, c->pidfd >= 0, (int)(ms < cap ? ms : cap));
	}
}

static void describe_status(int status, char *why, size_t len)
{
	if (WIFSIGNALED(status))
		snprintf(why, len, "child killed by signal %d (%s)", WTERMSIG(status),
			 strsignal(WTERMSIG(status)));
	else if (WIFEXITED(status))
		snprintf(why, len, "child exited with status %d", WEXITSTATUS(status));
	else
		snprintf(why, len, "child ended (status 0x%x)", status);
}

/* The child has exited or was killed: end what it left behind in its
 * group, reap it within a few seconds (a process in uninterruptible sleep
 * may take longer: it is then left to init), close our ends. */
static void reap(_ct_child_t *c, char *how, size_t len)
{
	kill(-c->pid, SIGKILL);
	int status = 0;
	if (wait_exit(c, ct_now_ns() + 5000000000ull, false)) {
		while (waitpid(c->pid, &status, 0) < 0 && errno == EINTR) {
		}
		if (how)
			describe_status(status, how, len);
	} else if (how)
		snprintf(how, len, "child did not die within 5s of SIGKILL");
	close(c->cmd);
	close(c->ans);
	if (c->pidfd >= 0)
		close(c->pidfd);
	c->pid = 0;
}

void _ct_child_end(_ct_child_t *c, uint64_t grace_ns, char *how, size_t len)
{
	if (c->pid <= 0)
		return;
	if (!grace_ns || !wait_exit(c, ct_now_ns() + grace_ns, false)) {
		kill(-c->pid, SIGKILL);
		kill(c->pid, SIGKILL); /* in case it had not yet made its own group */
	}
	reap(c, how, len);
}

unsigned _ct_children_quit(_ct_child_t *kids, size_t n, uint64_t grace_ns, size_t *first_killed)
{
	unsigned killed = 0;
	for (size_t i = 0; i < n; i++)
		if (kids[i].pid > 0) {
			_ct_child_send(&kids[i], "Q\n");
			close(kids[i].cmd); /* EOF says the same */
			kids[i].cmd = -1;
		}
	uint64_t deadline = ct_now_ns() + grace_ns;
	for (size_t i = 0; i < n; i++) {
		if (kids[i].pid <= 0)
			continue;
		if (wait_exit(&kids[i], deadline, true)) {
			reap(&kids[i], NULL, 0);
			continue;
		}
		if (killed++ == 0 && first_killed)
			*first_killed = i;
		_ct_child_end(&kids[i], 0, NULL, 0);
	}
	return killed;
}

/* ---------------------------------------------------------------- talking */

int _ct_child_send(_ct_child_t *c, const char *line)
{
	size_t n = strlen(line);
	return write(c->cmd, line, n) == (ssize_t)n ? 0 : -1;
}

/* Moves one complete line out of the buffer; false when there is none. */
static bool take_line(_ct_child_t *c, char *line, size_t len)
{
	char *nl = memchr(c->buf, '\n', c->have);
	if (!nl)
		return false;
	size_t n = (size_t)(nl - c->buf);
	snprintf(line, len, "%.*s", (int)n, c->buf);
	memmove(c->buf, nl + 1, c->have - n - 1);
	c->have -= n + 1;
	return true;
}

int _ct_child_line(_ct_child_t *c, char *line, size_t len, uint64_t timeout_ns)
{
	uint64_t deadline = ct_now_ns() + timeout_ns;
	for (;;) {
		if (take_line(c, line, len))
			return 0;
		uint64_t now = ct_now_ns();
		if (*stop_flag)
			return -3;
		if (now >= deadline)
			return -2;
		struct pollfd p[2] = {{.fd = c->ans, .events = POLLIN},
				      {.fd = c->pidfd, .events = POLLIN}};
		uint64_t ms = (deadline - now) / 1000000u + 1;
		if (c->pidfd < 0 && ms > 50)
			ms = 50;
		int rc = poll(p, c->pidfd >= 0 ? 2 : 1, ms > 3600000 ? 3600000 : (int)ms);
		if (rc < 0 && errno == EINTR)
			continue;
		if (!(p[0].revents & (POLLIN | POLLHUP | POLLERR))) {
			/* nothing to read: a child that is gone answers no more, even
			 * if something it started still holds the pipe open */
			if ((p[1].revents & POLLIN) || (c->pidfd < 0 && child_exited(c)))
				return -1;
			continue;
		}
		if (c->have == sizeof c->buf - 1)
			return -1;
		ssize_t got = read(c->ans, c->buf + c->have, sizeof c->buf - 1 - c->have);
		if (got <= 0)
			return -1;
		c->have += (size_t)got;
	}
}

/* ---------------------------------------------------------------- start */

static int spawn(const ct_study_t *s, size_t a, bool census, _ct_child_t *c, char *why,
		 size_t wlen)
{
	int cmdp[2], ansp[2];
	if (pipe2(cmdp, O_CLOEXEC)) {
		snprintf(why, wlen, "pipe: %s", strerror(errno));
		return -1;
	}
	if (pipe2(ansp, O_CLOEXEC)) {
		snprintf(why, wlen, "pipe: %s", strerror(errno));
		close(cmdp[0]);
		close(cmdp[1]);
		return -1;
	}
	pid_t parent = getpid();
	fflush(NULL);
	c->pid = fork();
	if (c->pid == 0)
		child_exec(s, &s->cfg->allocs[a], census, cmdp[0], ansp[1], parent);
	close(cmdp[0]);
	close(ansp[1]);
	c->cmd = cmdp[1];
	c->ans = ansp[0];
	if (c->pid < 0) {
		snprintf(why, wlen, "fork: %s", strerror(errno));
		close(c->cmd);
		close(c->ans);
		c->pid = 0;
		return -1;
	}
	setpgid(c->pid, c->pid); /* as the child does: whichever runs first */
	c->pidfd = (int)syscall(SYS_pidfd_open, c->pid, 0);
	return 0;
}

int _ct_child_start(const ct_study_t *s, size_t a, bool census, uint64_t timeout_ns,
		    _ct_child_t *c, char *hello, size_t hlen, char *why, size_t wlen)
{
	memset(c, 0, sizeof *c);
	c->pidfd = -1;
	if (spawn(s, a, census, c, why, wlen))
		return -1;
	int rc = _ct_child_line(c, hello, hlen, timeout_ns);
	char ok[8] = "";
	if (rc == 0 && ct_proto_get(hello, "ok", ok, sizeof ok) == 0 && strcmp(ok, "1") == 0)
		return 0;
	char how[256];
	_ct_child_end(c, rc == -1 ? CT_CHILD_EXIT_GRACE_NS : 0, how, sizeof how);
	if (rc == -3) {
		snprintf(why, wlen, "interrupted");
		return -1;
	}
	if (rc == 0 && ct_proto_get(hello, "why", why, wlen) == 0 && why[0])
		return -1;
	snprintf(why, wlen, "%s before proving its allocator (%s)",
		 rc == -2 ? "child hung" : "child failed", how);
	return -1;
}
