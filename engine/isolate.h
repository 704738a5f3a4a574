/*
 * isolate.h — run a function in a forked child with limits, and get its
 * result back whatever the child does.
 *
 * isolate_run() forks. The child ignores SIGINT/SIGQUIT (the parent decides
 * about Ctrl-C), gets /dev/null as stdin, closes every other descriptor but
 * its end of the pipe (every one below its RLIMIT_NOFILE: a tool running the
 * process, such as Valgrind, keeps its own above it), and sets rlimits: CPU
 * time (limits.cpu; SIGXCPU counts as a timeout), file size 0 (not when a
 * leak checker watches: see isolate_tidy()), core size 0, and an
 * address-space backstop above its size at fork (not under AddressSanitizer,
 * which reserves terabytes, nor under Valgrind). It then calls FN, which
 * adds records with isolate_put(); the records are written to the pipe
 * followed by an end record, and the child leaves with _exit(0): no atexit
 * handler or stdio buffer of the parent's world runs in it.
 *
 * The parent reads with poll() until the wall deadline, checking *CANCEL (if
 * given) at least every 50 ms and on every EINTR: a SIGINT handler that sets
 * the flag cancels the run promptly. A child that is late, cancelled, or
 * sends more than ISOLATE_MAX_RESULT bytes is killed with SIGKILL. The child
 * is always reaped before isolate_run() returns, and both pipe ends are
 * closed (no zombie, no leaked descriptor).
 *
 * Protocol: a record is a tag byte (1..255), a 4-byte big-endian length and
 * that many bytes; tag 0 with length 0 ends the result. A result without the
 * end record, or with a record running past the data, is ISOLATE_BROKEN.
 *
 * Requirements on the caller: single-threaded at the time of the call (fork),
 * and SIGCHLD not set to SIG_IGN (the child must be reapable).
 */
#ifndef BACKLAB_ISOLATE_H
#define BACKLAB_ISOLATE_H

#include <signal.h>
#include <stddef.h>

#include "engine/base/sbuf.h"

#define ISOLATE_MAX_RESULT ((size_t)8 << 20)

struct isolate_limits {
	double timeout;  /* wall seconds before the child is killed; must be > 0 */
	size_t memory;   /* address-space allowance above the size at fork; 0: none */
	double cpu;      /* CPU seconds before SIGXCPU (rounded up); 0: timeout + 2 */
};

enum isolate_end {
	ISOLATE_DONE,      /* complete result received, child exited with status 0 */
	ISOLATE_TIMEOUT,   /* killed at the wall deadline, or by RLIMIT_CPU (SIGXCPU) */
	ISOLATE_SIGNALED,  /* died of a signal: .signal */
	ISOLATE_EXITED,    /* exited with status .status without a complete result */
	ISOLATE_BROKEN,    /* exited 0 with a malformed or oversized result */
	ISOLATE_CANCELLED, /* *cancel was set; child killed */
	ISOLATE_FAILED,    /* could not start (pipe or fork failed): .error is errno */
};

struct isolate_result {
	enum isolate_end end;
	int signal;
	int status;
	int error;
	long wall_ms;     /* from fork to reaping */
	char *data;       /* ISOLATE_DONE: the records (owned; free with isolate_result_free) */
	size_t len;
};

/* What the child sends: records appended by isolate_put(). */
struct isolate_out {
	struct sbuf buf;
};

/* Runs in the child; ARG is the caller's. Must return (not exit). */
typedef void (*isolate_fn)(struct isolate_out *out, void *arg);

/* Appends a record (TAG 1..255) to OUT. */
void isolate_put(struct isolate_out *out, int tag, const void *data, size_t len);
void isolate_puts(struct isolate_out *out, int tag, const char *s);

/*
 * Runs FN(out, ARG) in a child under LIMITS (see above) and fills RES.
 * CANCEL may be NULL. Returns 0 if res->end is ISOLATE_DONE, -1 otherwise.
 * Free RES with isolate_result_free() in both cases.
 */
int isolate_run(isolate_fn fn, void *arg, const struct isolate_limits *limits,
		volatile sig_atomic_t *cancel, struct isolate_result *res);

/* The first record with TAG in a DONE result, or NULL; *LEN gets its size.
 * The bytes are followed by nothing in particular (not NUL-terminated). */
const char *isolate_get(const struct isolate_result *res, int tag, size_t *len);

void isolate_result_free(struct isolate_result *res);

/* Whether this build runs under AddressSanitizer (so RLIMIT_AS is skipped). */
int isolate_under_asan(void);

/*
 * Whether a child should free what it made before it leaves: when a leak
 * checker watches (the process runs under Valgrind, or BACKLAB_TIDY is set
 * and not empty). Otherwise a child leaves its memory to _exit, which is
 * quicker. isolate_run() frees its own buffer either way.
 */
int isolate_tidy(void);

#endif
