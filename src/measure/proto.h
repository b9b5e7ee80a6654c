/* proto.h — the line protocol between `contend run` (parent) and its
 * per-allocator children.
 *
 * The parent starts `contend __child LABEL ADAPTER EXPECTED_LIB` with
 * LD_PRELOAD set in that child's environment only, fd 3 reading commands
 * and fd 4 writing answers, one line each:
 *   child  -> "H ok=1 live=/usr/lib/.../libmimalloc.so.2 version=2.0.9"
 *             (ok=0 and why=... when malloc is not the expected library;
 *             the child then exits 3)
 *   parent -> "P smaug heap 1024 2 compact 50000000 0 0 0 1 0 0 0 0 0 0 0 0"
 *             (workload mode size threads place bt_ns bt_iters hint census
 *             latency, then the CT_MAX_PARAMS workload parameters)
 *   child  -> "R ok=1 iters=... ns_per_op=... ..." or "R ok=0 err=..."
 *   parent -> "Q" (or EOF): the child exits 0. */
#ifndef CT_PROTO_H
#define CT_PROTO_H

#include "runner.h"

#include <stdio.h>

#define CT_CMD_FD 3
#define CT_ANS_FD 4
#define CT_CHILD_IDENTITY_EXIT 3

/* Format r (ok) or r->err (failed) as an "R ..." line, newline included. */
void ct_proto_format_result(const ct_result_t *r, bool ok, char *buf, size_t len);
/* Parse an "R ..." line. Returns 1 ok, 0 failed (r->err set), -1 malformed. */
int ct_proto_parse_result(const char *line, ct_result_t *r);

/* Value of key in a "X k=v k=v" line into out (up to the next space, or to
 * the end of line for the last key "err"/"why"); 0 if found. */
int ct_proto_get(const char *line, const char *key, char *out, size_t len);

/* Child entry point: argv after "__child". */
int ct_child_main(int argc, char **argv);

#endif
