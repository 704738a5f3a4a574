/*
 * timecmd.c — run a command N times and report its wall time.
 *
 *   timecmd [-n RUNS] [-i INPUT-FILE] LABEL -- PROGRAM [ARGS...]
 *
 * Prints "  LABEL  median X ms  (min Y, max Z, N runs)". Output of the
 * program goes to /dev/null; stdin comes from INPUT-FILE or /dev/null.
 * The first run warms caches and is not counted.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double once(char **argv, const char *input)
{
	double t0 = now_ms();
	pid_t pid = fork();
	if (pid == 0) {
		int in = open(input ? input : "/dev/null", O_RDONLY);
		int out = open("/dev/null", O_WRONLY);
		dup2(in, 0);
		dup2(out, 1);
		dup2(out, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	int st;
	waitpid(pid, &st, 0);
	return now_ms() - t0;
}

int main(int argc, char **argv)
{
	int runs = 21, i = 1;
	const char *input = NULL;
	for (; i < argc && argv[i][0] == '-' && strcmp(argv[i], "--"); i += 2) {
		if (strcmp(argv[i], "-n") == 0)
			runs = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "-i") == 0)
			input = argv[i + 1];
	}
	if (i + 2 >= argc || strcmp(argv[i + 1], "--") != 0) {
		fprintf(stderr, "usage: timecmd [-n RUNS] [-i INPUT] LABEL -- PROGRAM [ARGS...]\n");
		return 2;
	}
	const char *label = argv[i];
	char **cmd = argv + i + 2;
	double *t = malloc((size_t)runs * sizeof *t);
	once(cmd, input);
	for (int k = 0; k < runs; k++)
		t[k] = once(cmd, input);
	qsort(t, (size_t)runs, sizeof *t, cmp);
	printf("  %-44s median %7.2f ms  (min %.2f, max %.2f, %d runs)\n", label, t[runs / 2], t[0],
	       t[runs - 1], runs);
	free(t);
	return 0;
}
