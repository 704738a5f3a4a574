/*
 * test_isolate.c — the forked child: results, crashes, C-level hangs,
 * rlimits, oversized results, cancellation; never a zombie or a leaked fd.
 *
 * No time is asserted: the limits of children that end by themselves are
 * generous bounds for a hang (they return as soon as the child is done, on
 * any load), and a run ended by the parent is told by how it ended (the
 * wall deadline's SIGKILL, not the CPU rlimit; cancelled, not timed out).
 */
#define HANG 60 /* seconds: for children that end by themselves */
#include "unit.h"

#include "engine/isolate.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int open_fds(void)
{
	int n = 0;
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static int no_children(void)
{
	errno = 0;
	return waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD;
}

static void send_two(struct isolate_out *out, void *arg)
{
	(void)arg;
	isolate_puts(out, 'a', "first");
	isolate_put(out, 'b', "x\0y", 3);
	isolate_puts(out, 'c', "");
}

static void crash(struct isolate_out *out, void *arg)
{
	(void)out;
	(void)arg;
	abort();
}

static void spin(struct isolate_out *out, void *arg)
{
	(void)out;
	(void)arg;
	for (volatile unsigned long i = 0;; i++)
		;
}

static void spin_ignoring_sigint(struct isolate_out *out, void *arg)
{
	(void)arg;
	raise(SIGINT); /* ignored in the child: Ctrl-C is the parent's business */
	raise(SIGQUIT);
	isolate_puts(out, 'a', "survived");
}

static void leave(struct isolate_out *out, void *arg)
{
	(void)out;
	(void)arg;
	_exit(3);
}

static void flood(struct isolate_out *out, void *arg)
{
	(void)arg;
	static char block[1 << 20];
	for (int i = 0; i < 12; i++)
		isolate_put(out, 'f', block, sizeof block);
}

static void write_file(struct isolate_out *out, void *arg)
{
	FILE *f = fopen(arg, "w");
	if (f) {
		fputs("escaped", f);
		fflush(f); /* RLIMIT_FSIZE 0: SIGXFSZ */
		fclose(f);
	}
	isolate_puts(out, 'a', "wrote");
}

static void big_malloc(struct isolate_out *out, void *arg)
{
	(void)arg;
	void *p = malloc((size_t)1 << 30);
	isolate_puts(out, 'a', p ? "got it" : "refused");
	free(p);
}

static void t_roundtrip(void)
{
	int fds = open_fds();
	struct isolate_limits lim = {HANG, 0, 0};
	struct isolate_result res;
	CHECK_INT(isolate_run(send_two, NULL, &lim, NULL, &res), 0);
	CHECK_INT(res.end, ISOLATE_DONE);
	size_t len;
	const char *p = isolate_get(&res, 'a', &len);
	CHECK(p && len == 5 && memcmp(p, "first", 5) == 0);
	p = isolate_get(&res, 'b', &len);
	CHECK(p && len == 3 && memcmp(p, "x\0y", 3) == 0);
	p = isolate_get(&res, 'c', &len);
	CHECK(p && len == 0);
	CHECK(isolate_get(&res, 'z', &len) == NULL);
	isolate_result_free(&res);
	CHECK_INT(open_fds(), fds);
	CHECK(no_children());
}

static void t_crash(void)
{
	struct isolate_limits lim = {HANG, 0, 0};
	struct isolate_result res;
	CHECK_INT(isolate_run(crash, NULL, &lim, NULL, &res), -1);
	CHECK_INT(res.end, ISOLATE_SIGNALED);
	CHECK_INT(res.signal, SIGABRT);
	isolate_result_free(&res);
	CHECK_INT(isolate_run(leave, NULL, &lim, NULL, &res), -1);
	CHECK_INT(res.end, ISOLATE_EXITED);
	CHECK_INT(res.status, 3);
	isolate_result_free(&res);
	CHECK(no_children());
}

static void t_timeout(void)
{
	struct isolate_limits lim = {0.3, 0, 0};
	struct isolate_result res;
	CHECK_INT(isolate_run(spin, NULL, &lim, NULL, &res), -1);
	CHECK_INT(res.end, ISOLATE_TIMEOUT);
	CHECK(res.wall_ms >= 290);
	CHECK_INT(res.signal, 0); /* the parent's kill at the deadline, not SIGXCPU */
	isolate_result_free(&res);
	CHECK(no_children());
}

static volatile sig_atomic_t cancel;

static void on_alarm(int sig)
{
	(void)sig;
	cancel = 1;
}

static void t_cancel(void)
{
	struct sigaction sa = {0}, old;
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, &old);
	cancel = 0;
	alarm(1);
	struct isolate_limits lim = {HANG, 0, 0};
	struct isolate_result res;
	CHECK_INT(isolate_run(spin, NULL, &lim, &cancel, &res), -1);
	sigaction(SIGALRM, &old, NULL);
	CHECK_INT(res.end, ISOLATE_CANCELLED); /* not TIMEOUT: the flag stopped it */
	isolate_result_free(&res);
	CHECK(no_children());
}

static void t_signals(void)
{
	struct isolate_limits lim = {HANG, 0, 0};
	struct isolate_result res;
	CHECK_INT(isolate_run(spin_ignoring_sigint, NULL, &lim, NULL, &res), 0);
	size_t len;
	CHECK(isolate_get(&res, 'a', &len) != NULL);
	isolate_result_free(&res);
}

static void t_oversized(void)
{
	struct isolate_limits lim = {HANG, 0, 0};
	struct isolate_result res;
	CHECK_INT(isolate_run(flood, NULL, &lim, NULL, &res), -1);
	CHECK_INT(res.end, ISOLATE_BROKEN);
	isolate_result_free(&res);
	CHECK(no_children());
}

/* Whether Valgrind runs this test (its tools preload vgpreload_TOOL.so): the
 * child then keeps no file size limit (Valgrind writes its log to a file)
 * and no address-space limit (Valgrind maps its own memory), as isolate.c
 * says; the two tests of those limits cannot run. */
static int under_valgrind(void)
{
	const char *preload = getenv("LD_PRELOAD");
	return preload && strstr(preload, "vgpreload_");
}

static void t_rlimit_fsize(void)
{
	if (under_valgrind())
		SKIP("RLIMIT_FSIZE is not set under Valgrind");
	char path[] = "/tmp/backlab-isolate.XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	close(fd);
	struct isolate_limits lim = {HANG, 64 << 20, 0};
	struct isolate_result res;
	isolate_run(write_file, path, &lim, NULL, &res);
	struct stat st;
	int size = stat(path, &st) == 0 ? (int)st.st_size : -1;
	unlink(path);
	CHECK_INT(res.end, ISOLATE_SIGNALED);
	CHECK_INT(res.signal, SIGXFSZ);
	CHECK_INT(size, 0);
	isolate_result_free(&res);
	CHECK(no_children());
}

static void t_rlimit_as(void)
{
	if (isolate_under_asan())
		SKIP("RLIMIT_AS is not set under AddressSanitizer");
	if (under_valgrind())
		SKIP("RLIMIT_AS is not set under Valgrind");
	struct isolate_limits lim = {HANG, 64 << 20, 0};
	struct isolate_result res;
	CHECK_INT(isolate_run(big_malloc, NULL, &lim, NULL, &res), 0);
	size_t len;
	const char *p = isolate_get(&res, 'a', &len);
	CHECK(p && len == 7 && memcmp(p, "refused", 7) == 0);
	isolate_result_free(&res);
	CHECK(no_children());
}

static const struct test tests[] = {
	{"isolate/roundtrip", t_roundtrip},
	{"isolate/crash", t_crash},
	{"isolate/timeout", t_timeout},
	{"isolate/cancel", t_cancel},
	{"isolate/signals", t_signals},
	{"isolate/oversized", t_oversized},
	{"isolate/rlimit_fsize", t_rlimit_fsize},
	{"isolate/rlimit_as", t_rlimit_as},
	{NULL, NULL},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
