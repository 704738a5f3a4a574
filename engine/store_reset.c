/*
 * store_reset.c — soft resets and restores; the rules are at the top of
 * store.h.
 *
 * A reset is a row in reset plus one reset_item row per event it hid (the
 * events visible in its target when it was made). A restore is a row in
 * restore naming the reset and the target it is undone for. Nothing is
 * ever deleted, so history keeps every attempt and a restore can always
 * bring back exactly what a reset hid.
 */
#include "engine/store_int.h"
#include "engine/base/sbuf.h"

#include <stdlib.h>
#include <string.h>

/* The events a reset of target ?2 would hide, for profile ?1. */
#define RESET_SET                                                                                  \
	"SELECT id FROM visible_event WHERE profile = " PROFILE_ID                                 \
	" AND " IN_SCOPE("?2", "exercise")

/* The events that a restore of reset ?3 over target ?2 would un-hide: those
 * the reset hid in ?2 and that no restore of it covers yet. (?1 unused.) */
#define RESTORE_SET                                                                                \
	"SELECT e.id FROM reset_item i JOIN event e ON e.id = i.event"                             \
	" WHERE i.reset = ?3 AND " IN_SCOPE(                                                       \
	    "?2", "e.exercise") " AND NOT EXISTS (SELECT 1 FROM restore x WHERE x.reset = ?3"      \
	                        " AND " IN_SCOPE("x.target", "e.exercise") ")"

/* Counts, per exercise then summed, what a set of events holds. */
#define SUMMARY(set)                                                                               \
	"SELECT count(*), coalesce(sum(att), 0), coalesce(sum(pass), 0),"                          \
	" coalesce(sum(h), 0), coalesce(sum(sol), 0), coalesce(sum(sk), 0),"                       \
	" coalesce(sum(n), 0) FROM (SELECT exercise,"                                              \
	" count(*) FILTER (WHERE kind = 'attempt') AS att,"                                        \
	" max(kind = 'attempt' AND passed = 1) AS pass,"                                           \
	" coalesce(max(hints), 0) AS h, max(kind = 'solution') AS sol,"                            \
	" max(kind = 'skip') AS sk, count(*) AS n"                                                 \
	" FROM event WHERE id IN (" set ") GROUP BY exercise)"

/* Binds the profile, the target and (if not 0) a reset id. */
static void bind3(struct store *s, sqlite3_stmt *st, const char *target, sqlite3_int64 reset)
{
	store_bind_text(st, 1, s->profile);
	store_bind_text(st, 2, target);
	if (reset)
		sqlite3_bind_int64(st, 3, reset);
}

static int summarize(struct store *s, const char *sql, const char *target, sqlite3_int64 reset,
                     struct store_change *c)
{
	sqlite3_stmt *st = store_prepare(s, sql);
	if (!st)
		return s->code;
	bind3(s, st, target, reset);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		c->exercises = sqlite3_column_int(st, 0);
		c->attempts = sqlite3_column_int(st, 1);
		c->completions = sqlite3_column_int(st, 2);
		c->hints = sqlite3_column_int(st, 3);
		c->solutions = sqlite3_column_int(st, 4);
		c->skips = sqlite3_column_int(st, 5);
		c->events = sqlite3_column_int(st, 6);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? STORE_OK : store_sqlfail(s, rc);
}

static int check_target(struct store *s, const char *target, struct store_change *c)
{
	memset(c, 0, sizeof *c);
	if (!store_valid_target(target))
		return store_fail(s, STORE_EINVAL, "bad target \"%s\"", target ? target : "(null)");
	return STORE_OK;
}

/* Inserts the reset row and its items; in a write transaction. Sets
 * C->reset_at to the reset's time. */
static int insert_reset(struct store *s, const char *target, struct store_change *c)
{
	char uid[STORE_UID_LEN + 1];
	sqlite3_int64 pid;
	int rc = store_new_uid(s, uid);
	if (rc == STORE_OK)
		rc = store_profile_id(s, &pid);
	if (rc != STORE_OK)
		return rc;
	sqlite3_stmt *st = store_prepare(
	    s, "INSERT INTO reset (profile, uid, target, at) VALUES (?1, ?2, ?3, ?4)");
	if (st) {
		c->reset_at = store_now_ms();
		sqlite3_bind_int64(st, 1, pid);
		store_bind_text(st, 2, uid);
		store_bind_text(st, 3, target);
		sqlite3_bind_int64(st, 4, c->reset_at);
	}
	if ((rc = store_exec_stmt(s, st)) != STORE_OK)
		return rc;
	sqlite3_int64 reset = sqlite3_last_insert_rowid(s->db);
	st = store_prepare(s, "INSERT INTO reset_item (event, reset) SELECT id, ?3 FROM (" RESET_SET
	                      ")");
	if (st)
		bind3(s, st, target, reset);
	return store_exec_stmt(s, st);
}

/* Preview (apply false) or perform a reset. */
static int reset(struct store *s, const char *target, struct store_change *c, bool apply)
{
	int rc = check_target(s, target, c);
	if (rc != STORE_OK)
		return rc;
	rc = apply ? store_begin_write(s) : store_begin_read(s);
	if (rc != STORE_OK)
		return rc;
	rc = summarize(s, SUMMARY(RESET_SET), target, 0, c);
	if (rc != STORE_OK || !apply || c->events == 0)
		return store_rollback(s, rc);
	rc = insert_reset(s, target, c);
	if (rc == STORE_OK)
		rc = store_commit(s);
	return rc == STORE_OK ? rc : store_rollback(s, rc);
}

int store_reset_preview(struct store *s, const char *target, struct store_change *c)
{
	return reset(s, target, c, false);
}

int store_reset(struct store *s, const char *target, struct store_change *c)
{
	return reset(s, target, c, true);
}

/*
 * The most recent reset that still hides something in target (an item in
 * target that no restore of that reset covers): *id is 0 if there is none.
 */
static int find_reset(struct store *s, const char *target, sqlite3_int64 *id,
                      struct store_change *c)
{
	sqlite3_stmt *st = store_prepare(
	    s,
	    "SELECT r.id, r.target, r.at FROM reset r"
	    " JOIN reset_item i ON i.reset = r.id JOIN event e ON e.id = i.event"
	    " WHERE r.profile = " PROFILE_ID " AND " IN_SCOPE(
	        "?2", "e.exercise") " AND NOT EXISTS (SELECT 1 FROM restore x WHERE x.reset = r.id"
	                            " AND " IN_SCOPE(
	                                "x.target",
	                                "e.exercise") ")"
	                                              " ORDER BY r.at DESC, r.id DESC LIMIT 1");
	if (!st)
		return s->code;
	bind3(s, st, target, 0);
	int rc = sqlite3_step(st);
	*id = 0;
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		c->reset_target = xstrdup((const char *)sqlite3_column_text(st, 1));
		c->reset_at = sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : store_sqlfail(s, rc);
}

static int insert_restore(struct store *s, const char *target, sqlite3_int64 reset_id)
{
	char uid[STORE_UID_LEN + 1];
	sqlite3_int64 pid;
	int rc = store_new_uid(s, uid);
	if (rc == STORE_OK)
		rc = store_profile_id(s, &pid);
	if (rc != STORE_OK)
		return rc;
	sqlite3_stmt *st = store_prepare(
	    s, "INSERT INTO restore (profile, uid, reset, target, at) VALUES (?1, ?2, ?3, ?4, ?5)");
	if (st) {
		sqlite3_bind_int64(st, 1, pid);
		store_bind_text(st, 2, uid);
		sqlite3_bind_int64(st, 3, reset_id);
		store_bind_text(st, 4, target);
		sqlite3_bind_int64(st, 5, store_now_ms());
	}
	return store_exec_stmt(s, st);
}

/*
 * The resets of parts of target ?2 that a restore undoing reset ?3 (made at
 * ?4) undoes with it: made after the newest reset or restore of target (or
 * of what holds it) before ?3, and still hiding something in ?2. In time
 * order, oldest first.
 */
#define ALSO_UNDONE                                                                                \
	"SELECT r.id, r.target, r.at FROM reset r WHERE r.profile = " PROFILE_ID                     \
	" AND r.id <> ?3 AND r.at <= ?4 AND " IN_SCOPE("?2", "r.target")                            \
	" AND r.at > coalesce((SELECT max(at) FROM (SELECT b.at FROM reset b WHERE b.profile ="      \
	" r.profile AND b.id <> ?3 AND b.at <= ?4 AND " IN_SCOPE("b.target", "?2")                   \
	" UNION ALL SELECT x.at FROM restore x WHERE x.profile = r.profile AND x.at <= ?4 AND "      \
	IN_SCOPE("x.target", "?2") ")), -1)"                                                         \
	" AND EXISTS (SELECT 1 FROM reset_item i JOIN event e ON e.id = i.event WHERE i.reset = r.id" \
	" AND " IN_SCOPE("?2", "e.exercise") " AND NOT EXISTS (SELECT 1 FROM restore x"              \
	" WHERE x.reset = r.id AND " IN_SCOPE("x.target", "e.exercise") "))"                         \
	" ORDER BY r.at, r.id"

/* Adds to C the resets undone with reset ID (see ALSO_UNDONE); their ids
 * into *IDS (new array, *N entries). */
static int also_undone(struct store *s, const char *target, sqlite3_int64 id, int64_t at,
		       struct store_change *c, sqlite3_int64 **ids, size_t *n)
{
	sqlite3_stmt *st = store_prepare(s, ALSO_UNDONE);
	if (!st)
		return s->code;
	bind3(s, st, target, id);
	sqlite3_bind_int64(st, 4, at);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*ids = xrealloc(*ids, (*n + 1) * sizeof **ids);
		(*ids)[(*n)++] = sqlite3_column_int64(st, 0);
		c->undone = xrealloc(c->undone, (c->nundone + 1) * sizeof *c->undone);
		c->undone[c->nundone].target = xstrdup((const char *)sqlite3_column_text(st, 1));
		c->undone[c->nundone].at = sqlite3_column_int64(st, 2);
		c->nundone++;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? STORE_OK : store_sqlfail(s, rc);
}

/* The summary of what undoing resets IDS[0..N) over TARGET brings back. */
static int summarize_many(struct store *s, const char *target, const sqlite3_int64 *ids,
			  size_t n, struct store_change *c)
{
	struct sbuf list = SBUF_INIT, sql = SBUF_INIT;
	for (size_t i = 0; i < n; i++)
		sbuf_addf(&list, "%s%lld", i ? "," : "", (long long)ids[i]);
	sbuf_addf(&sql,
		  SUMMARY("SELECT e.id FROM reset_item i JOIN event e ON e.id = i.event"
			  " WHERE i.reset IN (%s) AND " IN_SCOPE("?2", "e.exercise")
			  " AND NOT EXISTS (SELECT 1 FROM restore x WHERE x.reset = i.reset AND "
			  IN_SCOPE("x.target", "e.exercise") ")"),
		  list.buf);
	int rc = summarize(s, sql.buf, target, 0, c);
	sbuf_free(&list);
	sbuf_free(&sql);
	return rc;
}

/* Preview (apply false) or perform a restore. */
static int restore(struct store *s, const char *target, struct store_change *c, bool apply)
{
	sqlite3_int64 id, *ids = NULL;
	size_t n = 0;
	int rc = check_target(s, target, c);
	if (rc != STORE_OK)
		return rc;
	rc = apply ? store_begin_write(s) : store_begin_read(s);
	if (rc != STORE_OK)
		return rc;
	rc = find_reset(s, target, &id, c);
	if (rc == STORE_OK && id)
		rc = also_undone(s, target, id, c->reset_at, c, &ids, &n);
	if (rc == STORE_OK && id) {
		ids = xrealloc(ids, (n + 1) * sizeof *ids);
		ids[n++] = id;
		rc = summarize_many(s, target, ids, n, c);
	}
	if (rc != STORE_OK || !apply || !id) {
		free(ids);
		if (rc != STORE_OK)
			store_change_free(c);
		return store_rollback(s, rc);
	}
	for (size_t i = 0; i < n && rc == STORE_OK; i++)
		rc = insert_restore(s, target, ids[i]);
	free(ids);
	if (rc == STORE_OK)
		rc = store_commit(s);
	if (rc != STORE_OK)
		store_change_free(c);
	return rc == STORE_OK ? rc : store_rollback(s, rc);
}

int store_restore_preview(struct store *s, const char *target, struct store_change *c)
{
	return restore(s, target, c, false);
}

int store_restore(struct store *s, const char *target, struct store_change *c)
{
	return restore(s, target, c, true);
}

void store_change_free(struct store_change *c)
{
	for (size_t i = 0; i < c->nundone; i++)
		free(c->undone[i].target);
	free(c->undone);
	free(c->reset_target);
	memset(c, 0, sizeof *c);
}
