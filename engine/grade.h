/*
 * grade.h — grading one attempt at an exercise.
 *
 * Independent of the lesson parser: the caller fills a struct grade_request
 * from the parsed exercise (lesson.h) and gets a struct verdict back.
 *
 *   choice   graded here, from the choices' correct flags and the letters the
 *            learner typed ("b", "B", "a, c", "a c", "ac", or a choice's text);
 *   answer   the check sees `answer`, the typed text;
 *   code     the learner's file is loaded in a sandbox environment of its own
 *            and run; the check sees `submission`, its first return value.
 *
 * A check passes by returning and fails by raising an error; the message is
 * the learner's feedback (Markdown). The check API it can use (expect,
 * differential, rng...) is engine/lua/check.lua, documented for authors in
 * docs/authoring.md.
 *
 * grade_run() runs answer and code exercises in a child process
 * (isolate.h), with a fresh sandbox state for every attempt: an infinite
 * loop, even inside one C function, a memory bomb or a crash ends the attempt
 * with a verdict, never a hung REPL and never a pass. Ctrl-C: have the SIGINT
 * handler set *req->cancel; grade_run() then kills the child and returns the
 * "cancelled" verdict within about 50 ms.
 *
 * Determinism: the verdict depends only on the request (its seed included),
 * except for timeouts, durations and what os.time/os.clock return.
 */
#ifndef BACKLAB_GRADE_H
#define BACKLAB_GRADE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum grade_kind {
	GRADE_CHOICE,
	GRADE_ANSWER,
	GRADE_CODE,
};

struct grade_limits {
	double timeout; /* seconds (front matter `timeout:`); 0: 5 s */
	size_t memory;  /* bytes of Lua memory; 0: 256 MiB */
	size_t output;  /* bytes of captured output kept; 0: 64 KiB */
};

struct grade_choice {
	bool correct;     /* [x] */
	const char *text; /* plain text of the item, for answers typed as text; may be NULL */
};

struct grade_request {
	enum grade_kind kind;

	/* ANSWER and CODE: the `lua check` block and where it is, so that its
	 * errors read "lessons/02-caching/03-lru.md:41: ..." */
	const char *check;
	const char *check_file; /* e.g. the lesson's path; NULL: "check" */
	int check_line;         /* line of the block's first line; 0 or 1: none */

	/* ANSWER and CHOICE: what the learner typed. */
	const char *answer;

	/* CODE: the learner's file and the name its errors use ("cache.lua"). */
	const char *source;
	const char *source_name;
	/* CODE: the lab namespaces the learner's file may use (NULL-terminated;
	 * see exercise_lab_allowed()); NULL: all of them. The check always gets
	 * the whole lab. */
	const char *const *lab_allow;

	/* CHOICE */
	const struct grade_choice *choices;
	size_t nchoice;

	uint64_t seed;
	struct grade_limits limits;
	volatile sig_atomic_t *cancel; /* may be NULL; see above */
};

enum verdict_status {
	VERDICT_PASS,
	VERDICT_FAIL,        /* the answer is wrong (includes learner code that raised or
	                        does not compile) */
	VERDICT_TIMEOUT,
	VERDICT_MEMORY,
	VERDICT_CRASH,       /* the run died (a signal, a bug in C code) or could not start */
	VERDICT_CANCELLED,
	VERDICT_CHECK_ERROR, /* the check itself is broken: a bug in the lesson */
	VERDICT_UNREADABLE,  /* the typed answer does not have the form the question asks
	                        for (no number, a letter outside the choices): not an
	                        attempt; the feedback says what form is expected */
};

struct verdict {
	bool passed;
	double score;        /* 0..1: 1 when passed, partial credit otherwise */
	int cases_passed;    /* partial credit "k of n cases"; both 0 when not used */
	int cases_total;
	enum verdict_status status;
	char *feedback;      /* Markdown for the learner; never NULL */
	char *output;        /* what the learner's code printed (print() in their file, and
	                        in their functions the check called), maybe with a
	                        truncation note; never NULL */
	char *check_output;  /* what the check's own code printed; never NULL */
	uint64_t seed;
	long duration_ms;    /* wall time of the attempt */
	int signal;          /* VERDICT_CRASH: the signal, if one */
	bool check_raised;   /* VERDICT_FAIL because the check's own code raised a Lua error
	                        (e.g. indexing a nil the submission returned) rather than
	                        failing through the check API: lint flags such checks */
	uint32_t picked;     /* CHOICE: bit i set if choice i was picked (the caller may show
	                        those choices' explanations) */
	bool seeded;         /* the run drew randomness from the seed (rng, math.random,
	                        differential/property): replaying needs the seed */
	bool answer_read;    /* ANSWER and CHOICE: the answer was read in the form asked for
	                        (letters of choices; expect(answer):number(), :numbers(),
	                        :word()), so even a wrong one is a real attempt */
};

/*
 * Grades REQ into *OUT (which the caller frees with verdict_free). Answer and
 * code exercises run isolated in a child process; choices are graded in
 * process. Returns 0, or -1 if the request is unusable (no check, no source,
 * no choices) or the child could not be started: *OUT is filled either way
 * (VERDICT_CHECK_ERROR or VERDICT_CRASH with a message).
 */
int grade_run(const struct grade_request *req, struct verdict *out);

/*
 * The same as grade_run() without the child process: no protection against
 * a loop inside a C function, a crash or a finalizer, and the deadline is the
 * in-process hook only. For trusted callers (fuzzing, the engine's tests).
 */
int grade_run_here(const struct grade_request *req, struct verdict *out);

void verdict_free(struct verdict *v);

/* "pass", "fail", "timeout", "memory", "crash", "cancelled", "check error",
 * "unreadable". */
const char *verdict_status_name(enum verdict_status s);

/* A seed for a new attempt (from the clock and pid): the one nondeterministic
 * input, recorded in the verdict so that `check --seed N` replays it. */
uint64_t grade_new_seed(void);

#endif
