/*
 * timecmd.c — run a command N times and report its wall time, or its CPU
 * time per unit of work.
 *
 *   timecmd [-n RUNS] [-i INPUT-FILE] [-w WARMUPS] [-c UNITS] LABEL -- PROGRAM [ARGS...]
 *
 * Prints "  LABEL  median X ms  (min Y, max Z, N runs)". Output of the
 * program goes to /dev/null; stdin comes from INPUT-FILE or /dev/null.
 * WARMUPS runs (1 by default) warm caches and are not counted. With -c, the
 * figure is the CPU time (user + system) of the program and every process
 * it waited for, divided by UNITS, with its minor page faults per unit: a
 * cost per unit of work that a busy machine disturbs less than wall time.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
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

static double once(char **argv, const char *input, struct rusage *ru)
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
	wait4(pid, &st, 0, ru); /* the child's usage and its waited-for children's */
	return now_ms() - t0;
}

int main(int argc, char **argv)
{
	int runs = 21, warm = 1, i = 1;
	double units = 0;
	const char *input = NULL;
	for (; i + 1 < argc && argv[i][0] == '-' && strcmp(argv[i], "--"); i += 2) {
		if (strcmp(argv[i], "-n") == 0)
			runs = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "-i") == 0)
			input = argv[i + 1];
		else if (strcmp(argv[i], "-w") == 0)
			warm = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "-c") == 0)
			units = atof(argv[i + 1]);
	}
	if (i + 2 >= argc || strcmp(argv[i + 1], "--") != 0 || runs < 1 || units < 0) {
		fprintf(stderr, "usage: timecmd [-n RUNS] [-i INPUT] [-w WARMUPS] [-c UNITS] "
				"LABEL -- PROGRAM [ARGS...]\n");
		return 2;
	}
	const char *label = argv[i];
	char **cmd = argv + i + 2;
	double *t = malloc((size_t)runs * sizeof *t);
	double *faults = malloc((size_t)runs * sizeof *faults);
	struct rusage ru;
	for (int k = 0; k < warm; k++)
		once(cmd, input, &ru);
	for (int k = 0; k < runs; k++) {
		memset(&ru, 0, sizeof ru);
		t[k] = once(cmd, input, &ru);
		if (units > 0) {
			t[k] = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
			       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
			t[k] /= units;
			faults[k] = (double)ru.ru_minflt / units;
		}
	}
	qsort(t, (size_t)runs, sizeof *t, cmp);
	qsort(faults, (size_t)runs, sizeof *faults, cmp);
	if (units > 0)
		printf("  %-44s CPU per unit median %7.2f ms  (min %.2f, max %.2f, %d runs), "
		       "%.0f minor faults per unit\n",
		       label, t[runs / 2], t[0], t[runs - 1], runs, faults[runs / 2]);
	else
		printf("  %-44s median %7.2f ms  (min %.2f, max %.2f, %d runs)\n", label, t[runs / 2],
		       t[0], t[runs - 1], runs);
	free(t);
	free(faults);
	return 0;
}
