/*
 * store_query.c — what the UI reads: progress of many exercises at once,
 * the status of one, and the history of attempts; see store.h.
 *
 * A progress load is three queries over the whole target, whatever the
 * number of exercises, each read inside one transaction so that the three
 * see the same snapshot.
 */
#include "engine/store_int.h"

#include <stdlib.h>
#include <string.h>

static const char *target_or_all(const char *target)
{
	return target ? target : "all";
}

static char *col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return xstrdup(t ? (const char *)t : "");
}

/* Per exercise: the aggregates of its visible events, in id order. */
static int load_exercises(struct store *s, const char *target, struct store_progress *p)
{
	sqlite3_stmt *st = store_prepare(
	    s, "SELECT exercise, count(*) FILTER (WHERE kind = 'attempt'),"
	       " coalesce(max(score), 0), coalesce(max(hints), 0),"
	       " max(kind = 'solution'), max(kind = 'skip')"
	       " FROM visible_event WHERE profile = " PROFILE_ID
	       " AND " IN_SCOPE("?2", "exercise") " GROUP BY exercise ORDER BY exercise");
	if (!st)
		return s->code;
	store_bind_text(st, 1, s->profile);
	store_bind_text(st, 2, target);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (p->nex == cap) {
			cap = cap ? 2 * cap : 64;
			p->ex = xrealloc(p->ex, cap * sizeof *p->ex);
		}
		struct store_exercise *e = &p->ex[p->nex++];
		memset(e, 0, sizeof *e);
		e->id = col_dup(st, 0);
		e->attempts = sqlite3_column_int(st, 1);
		e->best_score = sqlite3_column_double(st, 2);
		e->hints = sqlite3_column_int(st, 3);
		e->solution = sqlite3_column_int(st, 4) != 0;
		e->skipped = sqlite3_column_int(st, 5) != 0;
		p->total_hints += e->hints;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? STORE_OK : store_sqlfail(s, rc);
}

static struct store_exercise *find(const struct store_progress *p, const char *id)
{
	size_t lo = 0, hi = p->nex;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(p->ex[mid].id, id);
		if (c == 0)
			return &p->ex[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Per exercise and check hash: the first visible pass. */
static int load_passes(struct store *s, const char *target, struct store_progress *p)
{
	sqlite3_stmt *st = store_prepare(
	    s, "SELECT exercise, check_hash, at, uid FROM completion"
	       " WHERE profile = " PROFILE_ID
	       " AND " IN_SCOPE("?2", "exercise") " ORDER BY exercise, at, check_hash");
	if (!st)
		return s->code;
	store_bind_text(st, 1, s->profile);
	store_bind_text(st, 2, target);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_exercise *e = find(p, (const char *)sqlite3_column_text(st, 0));
		if (!e)
			continue; /* cannot happen: the same snapshot */
		e->passes = xrealloc(e->passes, (e->npass + 1) * sizeof *e->passes);
		struct store_pass *ps = &e->passes[e->npass++];
		ps->check_hash = col_dup(st, 1);
		ps->at = sqlite3_column_int64(st, 2);
		ps->uid = col_dup(st, 3);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? STORE_OK : store_sqlfail(s, rc);
}

#define STORE_SQL_MAX_SECONDS "3155760000" /* STORE_MAX_SECONDS, for the SQL */
_Static_assert(STORE_MAX_SECONDS == INT64_C(3155760000), "STORE_SQL_MAX_SECONDS");

/* Per lesson: the time spent, over every origin. Each count is taken
 * within 0..STORE_MAX_SECONDS (a file written before the range was checked
 * may hold more) and added up in floating point (total(): it cannot
 * overflow, and is exact far beyond any real sum). */
static int load_time(struct store *s, const char *target, struct store_progress *p)
{
	sqlite3_stmt *st =
	    store_prepare(s, "SELECT lesson, total(min(max(seconds, 0), " STORE_SQL_MAX_SECONDS
	                     ")) FROM time_spent"
	                     " WHERE profile = " PROFILE_ID
	                     " AND " IN_SCOPE("?2", "lesson") " GROUP BY lesson ORDER BY lesson");
	if (!st)
		return s->code;
	store_bind_text(st, 1, s->profile);
	store_bind_text(st, 2, target);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (p->ntime == cap) {
			cap = cap ? 2 * cap : 32;
			p->time = xrealloc(p->time, cap * sizeof *p->time);
		}
		struct store_lesson_time *t = &p->time[p->ntime++];
		t->lesson = col_dup(st, 0);
		double sec = sqlite3_column_double(st, 1);
		t->seconds = sec < (double)STORE_MAX_SECONDS * 1000 ? (int64_t)sec
		                                                   : STORE_MAX_SECONDS * 1000;
		p->total_seconds += t->seconds < INT64_MAX - p->total_seconds
		                        ? t->seconds
		                        : INT64_MAX - p->total_seconds; /* saturates */
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? STORE_OK : store_sqlfail(s, rc);
}

int store_progress_load(struct store *s, const char *target, struct store_progress *p)
{
	memset(p, 0, sizeof *p);
	target = target_or_all(target);
	if (!store_valid_target(target))
		return store_fail(s, STORE_EINVAL, "bad target \"%s\"", target);
	int rc = store_begin_read(s);
	if (rc != STORE_OK)
		return rc;
	rc = load_exercises(s, target, p);
	if (rc == STORE_OK)
		rc = load_passes(s, target, p);
	if (rc == STORE_OK)
		rc = load_time(s, target, p);
	store_rollback(s, rc); /* ends the read transaction */
	if (rc != STORE_OK)
		store_progress_free(p);
	return rc;
}

void store_progress_free(struct store_progress *p)
{
	for (size_t i = 0; i < p->nex; i++) {
		struct store_exercise *e = &p->ex[i];
		for (size_t j = 0; j < e->npass; j++) {
			free((char *)e->passes[j].check_hash);
			free((char *)e->passes[j].uid);
		}
		free(e->passes);
		free((char *)e->id);
	}
	for (size_t i = 0; i < p->ntime; i++)
		free((char *)p->time[i].lesson);
	free(p->ex);
	free(p->time);
	memset(p, 0, sizeof *p);
}

void store_progress_status(const struct store_progress *p, const char *id, const char *check_hash,
                           struct store_status *st)
{
	memset(st, 0, sizeof *st);
	const struct store_exercise *e = find(p, id);
	if (!e)
		return;
	st->attempts = e->attempts;
	st->best_score = e->best_score;
	st->hints = e->hints;
	st->solution = e->solution;
	st->skipped = e->skipped;
	/* passes are in time order: the first match is the first pass */
	for (size_t i = 0; i < e->npass; i++) {
		if (!check_hash || strcmp(e->passes[i].check_hash, check_hash) == 0) {
			st->passed = true;
			st->passed_at = e->passes[i].at;
			return;
		}
	}
	if (e->npass > 0) {
		st->stale = true;
		st->passed_at = e->passes[0].at;
	}
}

int store_status(struct store *s, const char *id, const char *check_hash, struct store_status *st)
{
	struct store_progress p;
	memset(st, 0, sizeof *st);
	if (!store_valid_id(id))
		return store_fail(s, STORE_EINVAL, "bad exercise id \"%s\"", id ? id : "(null)");
	int rc = store_progress_load(s, id, &p);
	if (rc != STORE_OK)
		return rc;
	store_progress_status(&p, id, check_hash, st);
	store_progress_free(&p);
	return STORE_OK;
}

/* ---- history ---- */

static void read_attempt(sqlite3_stmt *st, struct store_attempt *a)
{
	memset(a, 0, sizeof *a);
	snprintf(a->uid, sizeof a->uid, "%s", (const char *)sqlite3_column_text(st, 0));
	a->exercise = col_dup(st, 1);
	a->at = sqlite3_column_int64(st, 2);
	a->passed = sqlite3_column_int(st, 3) != 0;
	a->score = sqlite3_column_double(st, 4);
	a->submission = col_dup(st, 5);
	a->feedback = col_dup(st, 6);
	a->seed = (uint64_t)sqlite3_column_int64(st, 7);
	a->duration_ms = sqlite3_column_int64(st, 8);
	a->check_hash = col_dup(st, 9);
	a->reset = sqlite3_column_int(st, 10) != 0;
}

int store_history(struct store *s, const char *target, struct store_history *h)
{
	memset(h, 0, sizeof *h);
	target = target_or_all(target);
	if (!store_valid_target(target))
		return store_fail(s, STORE_EINVAL, "bad target \"%s\"", target);
	sqlite3_stmt *st = store_prepare(
	    s, "SELECT uid, exercise, at, passed, score, t.submission, t.feedback, seed,"
	       " duration_ms, check_hash,"
	       " NOT EXISTS (SELECT 1 FROM visible_event v WHERE v.id = e.id)"
	       " FROM event e LEFT JOIN attempt_text t ON t.event = e.id"
	       " WHERE profile = " PROFILE_ID " AND kind = 'attempt'"
	       " AND " IN_SCOPE("?2", "exercise") " ORDER BY at DESC, id DESC");
	if (!st)
		return s->code;
	store_bind_text(st, 1, s->profile);
	store_bind_text(st, 2, target);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (h->n == cap) {
			cap = cap ? 2 * cap : 32;
			h->v = xrealloc(h->v, cap * sizeof *h->v);
		}
		read_attempt(st, &h->v[h->n++]);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		store_history_free(h);
		return store_sqlfail(s, rc);
	}
	return STORE_OK;
}

void store_history_free(struct store_history *h)
{
	for (size_t i = 0; i < h->n; i++) {
		free((char *)h->v[i].exercise);
		free((char *)h->v[i].submission);
		free((char *)h->v[i].feedback);
		free((char *)h->v[i].check_hash);
	}
	free(h->v);
	memset(h, 0, sizeof *h);
}
