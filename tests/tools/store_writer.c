/*
 * store_writer — records attempts in a loop, for the crash and concurrency
 * tests of the progress store.
 *
 *   store_writer DB PROFILE NAME COUNT
 *
 * Records COUNT attempts (0: until killed) at exercises "crash/NAME/N",
 * N = 1, 2, ..., and prints "committed N" once store_record_attempt()
 * returned 0 for attempt N. Every few attempts it also records a hint and
 * adds time spent, so that other kinds of write are killed too.
 *
 * With NAME "resetter" it records nothing of its own: it resets, restores
 * and loads the progress of "crash" COUNT times, printing "cycle N".
 *
 * Errors go to stderr as "NAME: error: MESSAGE"; the exit status is then 1.
 */
#include "engine/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(const char *name, struct store *s)
{
	fprintf(stderr, "%s: error: %s\n", name, store_errmsg(s));
	store_close(s);
	return 1;
}

static int write_one(struct store *s, const char *name, long n)
{
	char ex[128], sub[128], lesson[128];
	snprintf(ex, sizeof ex, "crash/%s/%ld", name, n);
	snprintf(lesson, sizeof lesson, "crash/%s", name);
	snprintf(sub, sizeof sub, "submission %ld of %s", n, name);
	struct store_attempt a = {.exercise = ex,
	                          .passed = n % 2 == 0,
	                          .score = (n % 5) / 4.0,
	                          .submission = sub,
	                          .feedback = "feedback",
	                          .seed = (uint64_t)n,
	                          .duration_ms = n,
	                          .check_hash = "crash-hash"};
	int rc = store_record_attempt(s, &a);
	if (rc == STORE_OK && n % 4 == 0)
		rc = store_record_hint(s, ex, 1);
	if (rc == STORE_OK && n % 7 == 0)
		rc = store_add_time(s, lesson, 1);
	return rc;
}

static int cycle(struct store *s)
{
	struct store_change c;
	struct store_progress p;
	int rc = store_reset(s, "crash", &c);
	if (rc == STORE_OK)
		rc = store_progress_load(s, NULL, &p);
	if (rc == STORE_OK) {
		store_progress_free(&p);
		rc = store_restore(s, "crash", &c);
		store_change_free(&c);
	}
	return rc;
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: store_writer DB PROFILE NAME COUNT\n");
		return 2;
	}
	const char *name = argv[3];
	long count = atol(argv[4]);
	bool resetter = strcmp(name, "resetter") == 0;
	struct store *s;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (store_open(&s, argv[1], argv[2]) != STORE_OK)
		return fail(name, s);
	for (long n = 1; count == 0 || n <= count; n++) {
		if ((resetter ? cycle(s) : write_one(s, name, n)) != STORE_OK)
			return fail(name, s);
		printf("%s %ld\n", resetter ? "cycle" : "committed", n);
	}
	store_close(s);
	return 0;
}
