/*
 * isolate.c — a forked child with rlimits and a pipe back; the parent
 * enforces the wall deadline and cancellation. See isolate.h.
 */
#include "engine/isolate.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define POLL_SLICE_MS 50 /* longest wait between two looks at *cancel */

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

int isolate_under_asan(void)
{
	return UNDER_ASAN;
}

/* Whether the process runs under Valgrind, whose tools preload their
 * vgpreload_TOOL-PLATFORM.so. */
static int under_valgrind(void)
{
	const char *preload = getenv("LD_PRELOAD");
	return preload && strstr(preload, "vgpreload_");
}

int isolate_tidy(void)
{
	const char *asked = getenv("BACKLAB_TIDY");
	return (asked && *asked) || under_valgrind();
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void isolate_put(struct isolate_out *out, int tag, const void *data, size_t len)
{
	unsigned char head[5];
	uint32_t n = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
	head[0] = (unsigned char)tag;
	head[1] = (unsigned char)(n >> 24);
	head[2] = (unsigned char)(n >> 16);
	head[3] = (unsigned char)(n >> 8);
	head[4] = (unsigned char)n;
	sbuf_add(&out->buf, head, sizeof head);
	sbuf_add(&out->buf, data, n);
}

void isolate_puts(struct isolate_out *out, int tag, const char *s)
{
	isolate_put(out, tag, s, strlen(s));
}

/* Walks the record at *POS of DATA; returns 1 and advances, 0 at the end
 * record, -1 if malformed. */
static int next_record(const char *data, size_t len, size_t *pos, int *tag,
		       const char **body, size_t *blen)
{
	if (len - *pos < 5)
		return -1;
	const unsigned char *h = (const unsigned char *)data + *pos;
	uint32_t n = (uint32_t)h[1] << 24 | (uint32_t)h[2] << 16 | (uint32_t)h[3] << 8 | h[4];
	if (len - *pos - 5 < n)
		return -1;
	*tag = h[0];
	*body = data + *pos + 5;
	*blen = n;
	*pos += 5 + (size_t)n;
	if (*tag == 0)
		return n == 0 && *pos == len ? 0 : -1;
	return 1;
}

static int well_formed(const char *data, size_t len)
{
	size_t pos = 0, blen;
	int tag, r;
	const char *body;
	while ((r = next_record(data, len, &pos, &tag, &body, &blen)) == 1)
		;
	return r == 0;
}

const char *isolate_get(const struct isolate_result *res, int tag, size_t *len)
{
	size_t pos = 0, blen;
	int t;
	const char *body;
	if (res->end != ISOLATE_DONE || !res->data)
		return NULL;
	while (next_record(res->data, res->len, &pos, &t, &body, &blen) == 1) {
		if (t == tag) {
			*len = blen;
			return body;
		}
	}
	return NULL;
}

void isolate_result_free(struct isolate_result *res)
{
	free(res->data);
	res->data = NULL;
	res->len = 0;
}

/* ---- the child ---- */

static void set_limit(int resource, rlim_t soft, rlim_t hard)
{
	struct rlimit rl = {soft, hard};
	setrlimit(resource, &rl);
}

/* The child's size now, in bytes (VmSize), or 0 if unknown. */
static size_t address_space_size(void)
{
	unsigned long pages = 0;
	FILE *f = fopen("/proc/self/statm", "r");
	if (!f)
		return 0;
	if (fscanf(f, "%lu", &pages) != 1)
		pages = 0;
	fclose(f);
	return (size_t)pages * (size_t)sysconf(_SC_PAGESIZE);
}

static void child_limits(const struct isolate_limits *lim)
{
	rlim_t cpu = lim->cpu > 0 ? (rlim_t)lim->cpu + (lim->cpu > (double)(rlim_t)lim->cpu)
				  : (rlim_t)lim->timeout + 2;
	set_limit(RLIMIT_CPU, cpu, cpu + 1);
	if (!isolate_tidy())
		set_limit(RLIMIT_FSIZE, 0, 0); /* (a leak checker writes its log to a file) */
	set_limit(RLIMIT_CORE, 0, 0);
	if (lim->memory && !UNDER_ASAN && !under_valgrind()) { /* both map shadow memory */
		size_t now = address_space_size();
		if (now) {
			rlim_t as = (rlim_t)(now + lim->memory + ((size_t)64 << 20));
			set_limit(RLIMIT_AS, as, as);
		}
	}
}

static void child_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			sigaction(sig, &sa, NULL);     /* fails harmlessly for reserved ones */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

static void child_descriptors(int keep)
{
	int null = open("/dev/null", O_RDONLY);
	if (null >= 0 && null != 0) {
		dup2(null, 0);
		if (null != keep)
			close(null);
	}
	/* every descriptor the process may have opened: those below its limit
	 * (Valgrind keeps its log above it, out of the program's reach) */
	struct rlimit rl;
	unsigned last = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
				rl.rlim_cur > 0 && rl.rlim_cur <= ~0U
			    ? (unsigned)(rl.rlim_cur - 1)
			    : ~0U;
	if (keep > 3)
		close_range(3, (unsigned)keep - 1, 0);
	if ((unsigned)keep < last)
		close_range((unsigned)keep + 1, last, 0);
}

static void write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			_exit(3);
		p += w;
		n -= (size_t)w;
	}
}

static void __attribute__((noreturn)) run_child(int fd, isolate_fn fn, void *arg,
						 const struct isolate_limits *lim)
{
	child_signals();
	child_descriptors(fd);
	child_limits(lim);
	struct isolate_out out = {SBUF_INIT};
	fn(&out, arg);
	isolate_put(&out, 0, "", 0);                   /* end record */
	write_all(fd, out.buf.buf, out.buf.len);
	sbuf_free(&out.buf);
	_exit(0);
}

/* ---- the parent ---- */

static void reap(pid_t pid, int *status)
{
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
}

static void kill_and_reap(pid_t pid, int *status)
{
	kill(pid, SIGKILL);
	reap(pid, status);
}

/*
 * Reads the child's output into IN until EOF, the deadline, cancellation or
 * overflow. Returns ISOLATE_DONE on EOF (the child is exiting), else why it
 * stopped reading.
 */
static enum isolate_end read_child(int fd, int64_t deadline, volatile sig_atomic_t *cancel,
				   struct sbuf *in)
{
	char chunk[16384];
	for (;;) {
		if (cancel && *cancel)
			return ISOLATE_CANCELLED;
		int64_t left = deadline - now_ms();
		if (left <= 0)
			return ISOLATE_TIMEOUT;
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		int n = poll(&pfd, 1, left < POLL_SLICE_MS ? (int)left : POLL_SLICE_MS);
		if (n <= 0)
			continue;                      /* timeout slice, or EINTR: look at cancel again */
		ssize_t r = read(fd, chunk, sizeof chunk);
		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r <= 0)
			return ISOLATE_DONE;
		if (in->len + (size_t)r > ISOLATE_MAX_RESULT)
			return ISOLATE_BROKEN;
		sbuf_add(in, chunk, (size_t)r);
	}
}

/* After EOF the child is exiting: reap it, but never wait past the
 * deadline or a cancellation. Returns ISOLATE_DONE once reaped. */
static enum isolate_end reap_exiting(pid_t pid, int64_t deadline, volatile sig_atomic_t *cancel,
				     int *status)
{
	for (;;) {
		pid_t r = waitpid(pid, status, WNOHANG);
		if (r == pid || (r < 0 && errno != EINTR))
			return ISOLATE_DONE;
		if (cancel && *cancel)
			return ISOLATE_CANCELLED;
		if (now_ms() >= deadline)
			return ISOLATE_TIMEOUT;
		struct timespec ts = {0, 200000};      /* 0.2 ms */
		nanosleep(&ts, NULL);
	}
}

static void classify(struct isolate_result *res, int status, struct sbuf *in)
{
	if (WIFSIGNALED(status)) {
		res->signal = WTERMSIG(status);
		res->end = res->signal == SIGXCPU ? ISOLATE_TIMEOUT : ISOLATE_SIGNALED;
	} else if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
		res->status = WEXITSTATUS(status);
		res->end = ISOLATE_EXITED;
	} else if (!well_formed(sbuf_str(in), in->len)) {
		res->end = ISOLATE_BROKEN;
	} else {
		res->end = ISOLATE_DONE;
		res->len = in->len;
		res->data = sbuf_detach(in);
	}
}

int isolate_run(isolate_fn fn, void *arg, const struct isolate_limits *limits,
		volatile sig_atomic_t *cancel, struct isolate_result *res)
{
	memset(res, 0, sizeof *res);
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0) {
		res->end = ISOLATE_FAILED;
		res->error = errno;
		return -1;
	}
	int64_t start = now_ms();
	int64_t deadline = start + (int64_t)(limits->timeout * 1000);
	pid_t pid = fork();
	if (pid < 0) {
		res->end = ISOLATE_FAILED;
		res->error = errno;
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		close(p[0]);
		run_child(p[1], fn, arg, limits);
	}
	close(p[1]);
	struct sbuf in = SBUF_INIT;
	int status = 0;
	enum isolate_end why = read_child(p[0], deadline, cancel, &in);
	close(p[0]);
	if (why == ISOLATE_DONE)
		why = reap_exiting(pid, deadline, cancel, &status);
	if (why == ISOLATE_DONE) {
		classify(res, status, &in);
	} else {
		kill_and_reap(pid, &status);
		res->end = why;
	}
	sbuf_free(&in);
	res->wall_ms = (long)(now_ms() - start);
	return res->end == ISOLATE_DONE ? 0 : -1;
}
