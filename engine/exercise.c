/* exercise.c — grading an exercise and recording the attempt; see exercise.h. */
#include "engine/exercise.h"
#include "engine/base/sbuf.h"

#include <stdlib.h>

char *exercise_full_id(const struct lesson *l, const struct exercise *e)
{
	return xasprintf("%s/%s", l->id, e->id);
}

int exercise_grade(const struct lesson *l, const struct exercise *e, const char *text,
		   const char *source_name, uint64_t seed, volatile sig_atomic_t *cancel,
		   struct verdict *v)
{
	struct grade_request req = {0};
	struct grade_choice *choices = NULL;
	req.seed = seed;
	req.cancel = cancel;
	req.limits.timeout = l->front.timeout;
	req.check = e->check.text;
	req.check_file = l->path;
	req.check_line = e->check.line;
	switch (e->kind) {
	case EX_CHOICE:
		req.kind = GRADE_CHOICE;
		req.answer = text;
		choices = xcalloc(e->nchoice, sizeof *choices);
		for (size_t i = 0; i < e->nchoice; i++) {
			choices[i].correct = e->choices[i].correct;
			choices[i].text = e->choices[i].text;
		}
		req.choices = choices;
		req.nchoice = e->nchoice;
		break;
	case EX_ANSWER:
		req.kind = GRADE_ANSWER;
		req.answer = text;
		break;
	case EX_CODE:
		req.kind = GRADE_CODE;
		req.source = text;
		req.source_name = source_name ? source_name : "submission.lua";
		break;
	}
	int rc = grade_run(&req, v);
	free(choices);
	return rc;
}

int exercise_record(struct store *st, const struct lesson *l, const struct exercise *e,
		    const char *text, const struct verdict *v)
{
	if (v->status == VERDICT_CANCELLED || v->status == VERDICT_CHECK_ERROR ||
	    v->status == VERDICT_UNREADABLE)
		return STORE_OK;
	char *id = exercise_full_id(l, e);
	char *hash = exercise_check_hash(e);
	struct store_attempt a = {0};
	a.exercise = id;
	a.passed = v->passed;
	a.score = v->score < 0 ? 0 : v->score > 1 ? 1 : v->score;
	a.submission = text;
	a.feedback = v->feedback;
	a.seed = v->seed;
	a.duration_ms = v->duration_ms < 0 ? 0 : v->duration_ms;
	a.check_hash = hash;
	int rc = store_record_attempt(st, &a);
	free(hash);
	free(id);
	return rc;
}
