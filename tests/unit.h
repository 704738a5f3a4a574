/*
 * unit.h — the C unit-test harness: a table of {name, fn}, one line per test.
 *
 *   static void t_adds(void) { ...; CHECK(x == 1); CHECK_STR(s, "a"); }
 *   static const struct test tests[] = { {"sbuf/adds", t_adds}, {0} };
 *   int main(int argc, char **argv) { return run_tests(tests, argc, argv); }
 *
 * Prints "ok NAME" or "not ok NAME" followed by indented details, or "skip
 * NAME: why" for a test that cannot run here (SKIP("no pseudo-terminal"));
 * tests/run.sh counts those lines, and a skip is never counted as a pass. A
 * failed CHECK returns from the test function at once.
 * `prog NAME...` runs only the tests whose name contains one of the words.
 */
#ifndef BACKLAB_UNIT_H
#define BACKLAB_UNIT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct test {
	const char *name;
	void (*fn)(void);
};

static int unit_failed_;
static const char *unit_skipped_; /* why the running test was skipped, or NULL */

/* Ends the running test as skipped (it could not run here), saying WHY. */
#define SKIP(why)                        \
	do {                             \
		unit_skipped_ = (why);   \
		return;                  \
	} while (0)

static void unit_fail_(const char *file, int line, const char *what)
{
	if (!unit_failed_)
		fputs("\n", stdout);
	unit_failed_ = 1;
	printf("    %s:%d: %s\n", file, line, what);
}

#define CHECK(cond)                                                   \
	do {                                                          \
		if (!(cond)) {                                        \
			unit_fail_(__FILE__, __LINE__, "CHECK(" #cond ")"); \
			return;                                       \
		}                                                     \
	} while (0)

#define CHECK_STR(got, want)                                                      \
	do {                                                                      \
		const char *g_ = (got), *w_ = (want);                             \
		if (!g_ || !w_ || strcmp(g_, w_) != 0) {                          \
			unit_fail_(__FILE__, __LINE__, #got " == " #want);        \
			printf("      got:  [%s]\n      want: [%s]\n", g_ ? g_ : "(null)", \
			       w_ ? w_ : "(null)");                               \
			return;                                                   \
		}                                                                 \
	} while (0)

#define CHECK_INT(got, want)                                                    \
	do {                                                                    \
		long long g_ = (long long)(got), w_ = (long long)(want);        \
		if (g_ != w_) {                                                 \
			unit_fail_(__FILE__, __LINE__, #got " == " #want);      \
			printf("      got:  %lld\n      want: %lld\n", g_, w_); \
			return;                                                 \
		}                                                               \
	} while (0)

static int unit_selected_(const char *name, int argc, char **argv)
{
	if (argc < 2)
		return 1;
	for (int i = 1; i < argc; i++)
		if (strstr(name, argv[i]))
			return 1;
	return 0;
}

static int run_tests(const struct test *tests, int argc, char **argv)
{
	int failed = 0;
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (const struct test *t = tests; t->name; t++) {
		if (!unit_selected_(t->name, argc, argv))
			continue;
		unit_failed_ = 0;
		unit_skipped_ = NULL;
		fflush(stdout);
		t->fn();
		if (unit_skipped_ && !unit_failed_) {
			printf("skip %s: %s\n", t->name, unit_skipped_);
		} else if (unit_failed_) {
			printf("not ok %s\n", t->name);
			failed++;
		} else {
			printf("ok %s\n", t->name);
		}
	}
	return failed ? 1 : 0;
}

#endif
