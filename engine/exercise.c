/* exercise.c — grading an exercise and recording the attempt; see exercise.h. */
#include "engine/exercise.h"
#include "engine/base/sbuf.h"
#include "engine/lab/lab.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

char *exercise_full_id(const struct lesson *l, const struct exercise *e)
{
	return xasprintf("%s/%s", l->id, e->id);
}

static int word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

static int listed(char *const *names, const char *name)
{
	for (; names && *names; names++)
		if (strcmp(*names, name) == 0)
			return 1;
	return 0;
}

/* Appends NAME to the NULL-terminated *NAMES (of *N) unless it is there. */
static void add_name(char ***names, size_t *n, const char *name, size_t len)
{
	char *s = xstrndup(name, len), *ns = xstrndup(name, strcspn(s, "."));
	int known = lab_find(ns) != NULL;
	free(ns);
	if (listed(*names, s) || !known) {
		free(s);
		return;
	}
	*names = xrealloc(*names, (*n + 2) * sizeof **names);
	(*names)[(*n)++] = s;
	(*names)[*n] = NULL;
}

char **exercise_lab_mentions(const char *check)
{
	char **names = xcalloc(1, sizeof *names);
	size_t n = 0;
	for (const char *p = check ? strstr(check, "lab") : NULL; p; p = strstr(p + 1, "lab")) {
		if ((p > check && (word_char(p[-1]) || p[-1] == '.')) || word_char(p[3]))
			continue;                      /* part of another name, or a field */
		const char *q = p + 3;
		while (*q == ' ' || *q == '\t')
			q++;
		if (*q == '.') {
			q++;
			while (*q == ' ' || *q == '\t')
				q++;
			size_t len = 0;
			while (word_char(q[len]))
				len++;
			add_name(&names, &n, q, len);
		} else if (*q == '[') {
			q++;
			while (*q == ' ' || *q == '\t')
				q++;
			if (*q != '"' && *q != '\'')
				continue;
			const char *end = strchr(q + 1, *q);
			if (end)
				add_name(&names, &n, q + 1, (size_t)(end - q - 1));
		}
	}
	return names;
}

int exercise_check_counts_cost(const char *check)
{
	for (const char *p = check ? strstr(check, "instructions") : NULL; p;
	     p = strstr(p + 1, "instructions")) {
		if ((p > check && (word_char(p[-1]) || p[-1] == '.' || p[-1] == ':')) ||
		    word_char(p[12]))
			continue;                      /* part of another name, or a field */
		const char *q = p + 12;
		while (*q == ' ' || *q == '\t')
			q++;
		if (*q == '(')
			return 1;
	}
	return 0;
}

char **exercise_lab_allowed(const struct exercise *e)
{
	if (e->kind != EX_CODE)
		return NULL;
	static const char *const utility[] = EXERCISE_LAB_UTILITY;
	char **mentioned = exercise_lab_mentions(e->check.text);
	char **names = xcalloc(1, sizeof *names);
	size_t n = 0;
	int cost = exercise_check_counts_cost(e->check.text);
	for (const char *const *u = utility; *u && !cost; u++)
		if (!listed(mentioned, *u))
			add_name(&names, &n, *u, strlen(*u));
	for (char **a = e->allow; a && *a; a++)
		add_name(&names, &n, *a, strlen(*a));
	exercise_lab_free(mentioned);
	return names;
}

void exercise_lab_free(char **names)
{
	for (char **p = names; p && *p; p++)
		free(*p);
	free(names);
}

int exercise_grade(const struct lesson *l, const struct exercise *e, const char *text,
		   const char *source_name, uint64_t seed, volatile sig_atomic_t *cancel,
		   struct verdict *v)
{
	size_t len = strlen(text);
	if (len > STORE_MAX_SUBMISSION) {
		memset(v, 0, sizeof *v);
		v->status = VERDICT_UNREADABLE;
		v->feedback = xasprintf("This %s is %.1f MiB long; one may be at most %d MiB.",
					e->kind == EX_CODE ? "file" : "answer",
					(double)len / (1 << 20), STORE_MAX_SUBMISSION >> 20);
		v->output = xstrdup("");
		v->check_output = xstrdup("");
		v->seed = seed;
		return 0;
	}
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
	char **allowed = exercise_lab_allowed(e);
	req.lab_allow = (const char *const *)allowed;
	int rc = grade_run(&req, v);
	exercise_lab_free(allowed);
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
	char *hash = lesson_check_hash(l, e);
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

/* Exercise ids and check hashes whose stale pass failed a re-grade in this
 * process ("id hash"). */
static char **failed_regrades;
static size_t nfailed;

static bool regrade_failed(const char *key)
{
	for (size_t i = 0; i < nfailed; i++)
		if (strcmp(failed_regrades[i], key) == 0)
			return true;
	return false;
}

bool exercise_regrade(struct store *db, const struct lesson *l, const struct exercise *e,
		      struct store_status *st)
{
	if (!db || !st->stale)
		return false;
	char *id = exercise_full_id(l, e);
	char *hash = exercise_check_hash(e);
	char *key = xasprintf("%s %s", id, hash);
	struct store_history h = {0};
	bool kept = false;
	if (!regrade_failed(key) && store_history(db, id, &h) == STORE_OK) {
		const struct store_attempt *a = NULL;
		for (size_t i = 0; i < h.n && !a; i++) /* newest first */
			if (h.v[i].passed && !h.v[i].reset && strcmp(h.v[i].exercise, id) == 0)
				a = &h.v[i];
		struct verdict v;
		if (a) {
			char *name = xasprintf("%s.lua", e->id);
			exercise_grade(l, e, a->submission ? a->submission : "", name, a->seed, NULL,
				       &v);
			free(name);
			if (v.passed) {
				free(v.feedback);
				v.feedback = xstrdup("Re-graded after the exercise's check changed: "
						     "this answer still passes.");
				kept = exercise_record(db, l, e, a->submission, &v) == STORE_OK;
			}
			verdict_free(&v);
		}
		if (!kept) {
			failed_regrades = xrealloc(failed_regrades, (nfailed + 1) * sizeof *failed_regrades);
			failed_regrades[nfailed++] = xstrdup(key);
		}
	}
	store_history_free(&h);
	if (kept) {
		st->passed = true;
		st->stale = false;
	}
	free(key);
	free(hash);
	free(id);
	return kept;
}
