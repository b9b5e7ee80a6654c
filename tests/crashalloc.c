/* crashalloc.c — libctcrashalloc.so, a deliberately broken allocator for the
 * fault tests: glibc's malloc, except that a 3 KiB request crashes
 * (SIGSEGV) and a 5 KiB request hangs (sizes the C library itself never
 * asks for). A study run on it must record those
 * points as failed with the reason and keep every other point. */
#include <signal.h>
#include <stddef.h>
#include <unistd.h>

void *__libc_malloc(size_t n);
void __libc_free(void *p);

__attribute__((visibility("default"))) void *malloc(size_t n)
{
	if (n == 3072)
		raise(SIGSEGV);
	if (n == 5120)
		for (;;)
			pause();
	return __libc_malloc(n);
}

__attribute__((visibility("default"))) void free(void *p)
{
	__libc_free(p);
}
