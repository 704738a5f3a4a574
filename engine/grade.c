/*
 * grade.c — the grading entry points: validation, the isolated child and
 * the verdict's wire format between child and parent. The run itself is
 * grade_check.c, choices grade_choice.c.
 */
#include "engine/grade_int.h"
#include "engine/isolate.h"
#include "engine/sandbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Records of the child's result (isolate.h protocol). */
enum {
	REC_STATUS = 'S',
	REC_RAISED = 'R',
	REC_READ = 'A',
	REC_SEEDED = 'D',
	REC_CASES = 'K',
	REC_FEEDBACK = 'F',
	REC_OUTPUT = 'O',
	REC_CHECK_OUTPUT = 'P',
};

#define MAX_CHOICES 26

struct grade_limits grade_limits_of(const struct grade_request *req)
{
	struct grade_limits lim = req->limits;
	if (!(lim.timeout > 0))
		lim.timeout = SANDBOX_DEFAULT_TIMEOUT;
	if (!lim.memory)
		lim.memory = SANDBOX_DEFAULT_MEMORY;
	if (!lim.output)
		lim.output = SANDBOX_DEFAULT_OUTPUT;
	return lim;
}

const char *verdict_status_name(enum verdict_status s)
{
	static const char *const names[] = {
		[VERDICT_PASS] = "pass",         [VERDICT_FAIL] = "fail",
		[VERDICT_TIMEOUT] = "timeout",   [VERDICT_MEMORY] = "memory",
		[VERDICT_CRASH] = "crash",       [VERDICT_CANCELLED] = "cancelled",
		[VERDICT_CHECK_ERROR] = "check error", [VERDICT_UNREADABLE] = "unreadable",
	};
	return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "?";
}

void verdict_free(struct verdict *v)
{
	free(v->feedback);
	free(v->output);
	free(v->check_output);
	v->feedback = v->output = v->check_output = NULL;
}

uint64_t grade_new_seed(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	uint64_t z = (uint64_t)ts.tv_nsec * 2654435761u ^ (uint64_t)ts.tv_sec ^ (uint64_t)getpid() << 20;
	return 1 + z % 999999999u;
}

void grade_add_code_block(struct sbuf *sb, const char *text)
{
	size_t longest = 0, run = 0;
	for (const char *p = text; *p; p++) {
		run = *p == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	size_t fence = longest < 3 ? 3 : longest + 1;
	sbuf_repeat(sb, "`", fence);
	sbuf_addc(sb, '\n');
	sbuf_adds(sb, text);
	if (!*text || text[strlen(text) - 1] != '\n')
		sbuf_addc(sb, '\n');
	sbuf_repeat(sb, "`", fence);
	sbuf_addc(sb, '\n');
}

static void add_size(struct sbuf *sb, size_t bytes)
{
	if (bytes % ((size_t)1 << 20) == 0)
		sbuf_addf(sb, "%zu MiB", bytes >> 20);
	else if (bytes % 1024 == 0)
		sbuf_addf(sb, "%zu KiB", bytes >> 10);
	else
		sbuf_addf(sb, "%zu bytes", bytes);
}

char *grade_stop_text(enum verdict_status s, const struct grade_limits *lim, int signal,
		      int exit_status)
{
	struct sbuf sb = SBUF_INIT;
	switch (s) {
	case VERDICT_TIMEOUT:
		sbuf_addf(&sb, "The run timed out after %g s: the code was still running when "
			       "the time limit passed. Look for a loop that never ends.", lim->timeout);
		break;
	case VERDICT_MEMORY:
		sbuf_adds(&sb, "The run ran out of memory (");
		add_size(&sb, lim->memory);
		sbuf_adds(&sb, "). Look for a table or a string that keeps growing.");
		break;
	case VERDICT_CANCELLED:
		sbuf_adds(&sb, "The check was cancelled.");
		break;
	case VERDICT_CRASH:
		if (signal)
			sbuf_addf(&sb, "The run crashed (signal %d).", signal);
		else if (exit_status)
			sbuf_addf(&sb, "The run crashed (exit status %d).", exit_status);
		else
			sbuf_adds(&sb, "The run ended without reporting a result.");
		sbuf_adds(&sb, " This is a bug in backlab or in the lesson, not in your answer.");
		break;
	default:
		break;
	}
	return sbuf_detach(&sb);
}

/* NULL if REQ can be graded, else why not. */
static const char *request_problem(const struct grade_request *req)
{
	switch (req->kind) {
	case GRADE_CHOICE:
		if (req->nchoice == 0 || req->nchoice > MAX_CHOICES || !req->choices)
			return "This exercise has no choices to pick from (or more than 26).";
		return NULL;
	case GRADE_CODE:
		if (!req->source)
			return "There is no file to check.";
		/* fall through */
	case GRADE_ANSWER:
		if (!req->check)
			return "This exercise has no check (a bug in the lesson).";
		return NULL;
	}
	return "Unknown kind of exercise.";
}

/* Fills V for a request that cannot be graded. */
static int refuse(const struct grade_request *req, struct verdict *v, const char *why)
{
	memset(v, 0, sizeof *v);
	v->status = VERDICT_CHECK_ERROR;
	v->feedback = xstrdup(why);
	v->output = xstrdup("");
	v->check_output = xstrdup("");
	v->seed = req->seed;
	return -1;
}

static long elapsed_ms(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

int grade_run_here(const struct grade_request *req, struct verdict *v)
{
	const char *problem = request_problem(req);
	if (problem)
		return refuse(req, v, problem);
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(v, 0, sizeof *v);
	if (req->kind == GRADE_CHOICE)
		grade_choices(req, v);
	else
		grade_check(req, v, 1);
	v->seed = req->seed;
	v->duration_ms = elapsed_ms(&t0);
	return 0;
}

/* ---- the child and the wire format ---- */

static void child_main(struct isolate_out *out, void *arg)
{
	struct verdict v;
	memset(&v, 0, sizeof v);
	grade_check(arg, &v, isolate_tidy()); /* the state dies with the child, unless a
	                                         leak checker watches */
	char num[64];
	snprintf(num, sizeof num, "%d", (int)v.status);
	isolate_puts(out, REC_STATUS, num);
	isolate_puts(out, REC_RAISED, v.check_raised ? "1" : "0");
	isolate_puts(out, REC_READ, v.answer_read ? "1" : "0");
	isolate_puts(out, REC_SEEDED, v.seeded ? "1" : "0");
	snprintf(num, sizeof num, "%d %d", v.cases_passed, v.cases_total);
	isolate_puts(out, REC_CASES, num);
	isolate_puts(out, REC_FEEDBACK, v.feedback);
	isolate_puts(out, REC_OUTPUT, v.output);
	isolate_puts(out, REC_CHECK_OUTPUT, v.check_output);
	verdict_free(&v);
}

static char *record(const struct isolate_result *res, int tag)
{
	size_t len;
	const char *p = isolate_get(res, tag, &len);
	return p ? xstrndup(p, len) : NULL;
}

/* Rebuilds the verdict the child sent; 0, or -1 if it is incomplete. */
static int decode(const struct isolate_result *res, struct verdict *v)
{
	char *status = record(res, REC_STATUS), *raised = record(res, REC_RAISED);
	char *cases = record(res, REC_CASES), *read = record(res, REC_READ);
	char *seeded = record(res, REC_SEEDED);
	int ok = status && raised && cases && read && seeded;
	int s = ok ? atoi(status) : -1;
	if (ok && s >= VERDICT_PASS && s <= VERDICT_UNREADABLE &&
	    sscanf(cases, "%d %d", &v->cases_passed, &v->cases_total) == 2) {
		v->status = (enum verdict_status)s;
		v->check_raised = raised[0] == '1';
		v->answer_read = read[0] == '1';
		v->seeded = seeded[0] == '1';
		v->feedback = record(res, REC_FEEDBACK);
		v->output = record(res, REC_OUTPUT);
		v->check_output = record(res, REC_CHECK_OUTPUT);
	}
	free(status);
	free(raised);
	free(cases);
	free(read);
	free(seeded);
	if (!v->feedback || !v->output || !v->check_output) {
		verdict_free(v);
		return -1;
	}
	v->passed = v->status == VERDICT_PASS;
	v->score = v->passed ? 1.0
		   : v->cases_total > 0 ? (double)v->cases_passed / v->cases_total
					: 0.0;
	return 0;
}

/* Fills V for a run that ended without a result. */
static void stopped(struct verdict *v, enum verdict_status s, const struct grade_limits *lim,
		    int signal, int exit_status)
{
	v->status = s;
	v->signal = signal;
	v->feedback = grade_stop_text(s, lim, signal, exit_status);
	v->output = xstrdup("");
	v->check_output = xstrdup("");
}

/*
 * The limits of the child of a graded run. Its own deadline is in CPU
 * seconds (sandbox.h), so RLIMIT_CPU a second later backs it up for code
 * stuck in one C function; the parent's wall deadline is far off, for a
 * child that gets no CPU (a machine busy three times over still gives it
 * the time).
 */
static struct isolate_limits child_limits(const struct grade_limits *lim)
{
	struct isolate_limits il = {3 * lim->timeout + 1, lim->memory, lim->timeout + 1};
	return il;
}

int grade_run(const struct grade_request *req, struct verdict *v)
{
	const char *problem = request_problem(req);
	if (problem)
		return refuse(req, v, problem);
	if (req->kind == GRADE_CHOICE)
		return grade_run_here(req, v);

	struct grade_limits lim = grade_limits_of(req);
	struct isolate_limits il = child_limits(&lim);
	struct isolate_result res;
	memset(v, 0, sizeof *v);
	grade_warm();                                 /* once per process, before the fork */
	isolate_run(child_main, (void *)req, &il, req->cancel, &res);
	int rc = 0;
	switch (res.end) {
	case ISOLATE_DONE:
		if (decode(&res, v) == 0)
			break;
		/* fall through */
	case ISOLATE_BROKEN:
		stopped(v, VERDICT_CRASH, &lim, 0, 0);
		break;
	case ISOLATE_TIMEOUT: stopped(v, VERDICT_TIMEOUT, &lim, 0, 0); break;
	case ISOLATE_SIGNALED: stopped(v, VERDICT_CRASH, &lim, res.signal, 0); break;
	case ISOLATE_EXITED: stopped(v, VERDICT_CRASH, &lim, 0, res.status); break;
	case ISOLATE_CANCELLED: stopped(v, VERDICT_CANCELLED, &lim, 0, 0); break;
	case ISOLATE_FAILED:
		stopped(v, VERDICT_CRASH, &lim, 0, 0);
		free(v->feedback);
		v->feedback = xasprintf("The check could not be started (%s).", strerror(res.error));
		rc = -1;
		break;
	}
	isolate_result_free(&res);
	v->seed = req->seed;
	v->duration_ms = res.wall_ms;
	return rc;
}
