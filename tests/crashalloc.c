/* crashalloc.c — libctcrashalloc.so, a deliberately broken allocator for the
 * fault tests: glibc's malloc, except that a 3 KiB request crashes
 * (SIGSEGV) and a 5 KiB request hangs (sizes the C library itself never
 * asks for). A study run on it must record those points as failed with
 * the reason and keep every other point.
 *
 * CT_CRASH_MODE in the environment adds one more fault:
 *   hello-hang  hang while loading, before the child can say hello
 *   dtor-hang   hang in a destructor, at process exit
 *   fork-crash  on a 3 KiB request fork first: the copy sleeps holding
 *               every inherited descriptor (its pid goes to the file
 *               named by CT_CRASH_PIDFILE), then crash
 *   stdout      print a line on stdout when loaded and at each 1 KiB request */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void *__libc_malloc(size_t n);
void __libc_free(void *p);

static int mode_is(const char *m)
{
	const char *v = getenv("CT_CRASH_MODE");
	return v && strcmp(v, m) == 0;
}

static void hang(void)
{
	for (;;)
		pause();
}

/* The forked copy: say who it is, then hold the pipes forever. */
static void fork_and_hold(void)
{
	pid_t pid = fork();
	if (pid != 0)
		return;
	const char *f = getenv("CT_CRASH_PIDFILE");
	int fd = f ? open(f, O_WRONLY | O_CREAT | O_APPEND, 0644) : -1;
	if (fd >= 0) {
		char b[32];
		int n = snprintf(b, sizeof b, "%d\n", (int)getpid());
		if (write(fd, b, (size_t)n) != n)
			_exit(1);
		close(fd);
	}
	hang();
}

static void say(const char *what)
{
	static const char tag[] = "CRASHALLOC-STDOUT ";
	if (write(1, tag, sizeof tag - 1) < 0 || write(1, what, strlen(what)) < 0) {
	}
}

__attribute__((constructor)) static void loaded(void)
{
	if (mode_is("hello-hang"))
		hang();
	if (mode_is("stdout"))
		say("loaded\n");
}

__attribute__((destructor)) static void unloading(void)
{
	if (mode_is("dtor-hang"))
		hang();
}

__attribute__((visibility("default"))) void *malloc(size_t n)
{
	if (n == 3072) {
		if (mode_is("fork-crash"))
			fork_and_hold();
		raise(SIGSEGV);
	}
	if (n == 5120)
		hang();
	if (n == 1024 && mode_is("stdout"))
		say("malloc 1KiB\n");
	return __libc_malloc(n);
}

__attribute__((visibility("default"))) void free(void *p)
{
	__libc_free(p);
}
