/* fuzz.h — what the libFuzzer targets in tests/fuzz/ share: the input as a
 * C string of exactly its own length (so ASan sees a read one past the
 * terminator), a property check that prints the input and aborts (libFuzzer
 * keeps the crashing input), and the contract every parser's error obeys.
 *
 * Each target is one LLVMFuzzerTestOneInput; the engine sources it needs are
 * compiled into it with the fuzzer's instrumentation (tests/fuzz/CMakeLists.txt). */
#ifndef CT_FUZZ_H
#define CT_FUZZ_H

#include "units.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* s for a one-line report: the first 160 bytes, those not printable
 * ASCII as \xNN. Not reentrant (one static buffer). */
static inline const char *fuzz_show(const char *s)
{
	static char buf[160 * 4 + 8];
	size_t o = 0, n = strlen(s);
	for (size_t i = 0; i < n && i < 160; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f && c != '\\')
			buf[o++] = (char)c;
		else
			o += (size_t)snprintf(buf + o, sizeof buf - o, "\\x%02x", c);
	}
	snprintf(buf + o, sizeof buf - o, "%s", n > 160 ? "..." : "");
	return buf;
}

/* A property that must hold for every input: print why, then abort so that
 * libFuzzer records the input as a crash. */
#define FUZZ_CHECK(cond, in, ...)                                                                \
	do {                                                                                     \
		if (!(cond)) {                                                                   \
			fprintf(stderr, "%s:%d: property failed: %s\n  input (%zu bytes): '%s'\n  ", \
				__FILE__, __LINE__, #cond, strlen(in), fuzz_show(in));           \
			fprintf(stderr, __VA_ARGS__);                                            \
			fputc('\n', stderr);                                                     \
			abort();                                                                 \
		}                                                                                \
	} while (0)

/* data as a malloc'd C string of size + 1 bytes; bytes past an embedded NUL
 * are simply not seen by the parsers. Free with free(). */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* An error struct filled with junk, so a parser that fails without writing
 * its reason (or without terminating it) is caught by fuzz_check_err. */
static inline void fuzz_err_init(ct_err_t *err)
{
	memset(err->msg, 'Z', sizeof err->msg);
}

/* Every failing parser leaves a non-empty, terminated reason (units.h). */
static inline void fuzz_check_err(const ct_err_t *err, const char *in)
{
	FUZZ_CHECK(memchr(err->msg, '\0', sizeof err->msg) != NULL, in, "reason not terminated");
	FUZZ_CHECK(err->msg[0] != '\0' && err->msg[0] != 'Z', in, "no reason: '%.20s'",
		   err->msg);
}

#endif
