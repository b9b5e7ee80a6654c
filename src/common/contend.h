/* contend.h — definitions every part of contend shares: version, clock,
 * compiler barriers, error exits.
 *
 * The clock is CLOCK_MONOTONIC through clock_gettime (vDSO on x86-64 and
 * arm64): portable, ~20 ns per read, read only at the edges of timed loops. */
#ifndef CT_CONTEND_H
#define CT_CONTEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define CT_VERSION "0.1.0"

/* A function the optimizer may neither inline, clone nor analyse across:
 * the frame boundary the seed's //go:noinline provides. */
#define CT_NOIPA __attribute__((noipa, noinline))

/* Tell the compiler the memory at p is read and may be written: the bytes
 * before this point must really exist, and values after it cannot be
 * forwarded from before it. */
#define CT_ESCAPE(p) __asm__ volatile("" : : "r"(p) : "memory")
/* Make a register value opaque so a loop cannot be folded. */
#define CT_OPAQUE(v) __asm__ volatile("" : "+r"(v))

#define CT_MAX_THREADS 1024
#define CT_CACHELINE_MAX 256 /* padding for per-thread slots; real size read at run time */

/* Exit statuses: FAIL some repetition or allocator failed; USAGE bad
 * input; WRITE results could not be written (full disk, read-only
 * target): the study stopped there. A signal gives 128 + its number. */
enum { CT_EXIT_OK = 0, CT_EXIT_FAIL = 1, CT_EXIT_USAGE = 2, CT_EXIT_WRITE = 3 };

static inline uint64_t ct_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Opens /dev/null on any of stdin, stdout, stderr that is closed
 * (`contend >&-`), so that no file contend opens later — results.txt, a
 * pipe to a child — lands on descriptor 1 or 2 and takes what others
 * print there. */
void ct_std_fds(void);
/* Print "contend: <message>" to stderr and exit with status 2 (bad input). */
_Noreturn void ct_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* getopt_long returned '?' or ':' (c) for subcommand cmd: one line naming
 * the option at fault, exit status 2. */
_Noreturn void ct_option_error(const char *cmd, int c, char *const *argv);
/* Print "contend: warning: <message>" to stderr once per call. */
void ct_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print "contend: <message>" to stderr: progress and outcomes. */
void ct_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
