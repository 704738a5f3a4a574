/*
 * store_export.c — the profile's records as JSON lines; see store.h.
 *
 * One line per record, every line with "type" and "learner":
 *
 *   attempt    id exercise at passed score seed duration_ms check submission feedback
 *   hint       id exercise at hints
 *   solution   id exercise at
 *   skip       id exercise at
 *   reset      id target at covers      (covers: the ids it hid, space-separated)
 *   restore    id target at reset       (reset: the id of the reset undone)
 *   time       lesson origin seconds
 *   position   lesson step at
 *   completion exercise check at attempt (derived; ignored by import)
 *
 * "at" is in ms since the epoch. The seed is a string of decimal digits:
 * a 64-bit integer does not survive the readers that turn numbers into
 * doubles. Sections come in the order above (a reset after the events it
 * covers, a restore after its reset), each sorted by time then insertion.
 * store_import.c reads them back.
 */
#include "engine/store_int.h"

#include "engine/base/jsonl.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* ---- export ---- */

/* What an export writes to, and the first error. */
struct exporter {
	struct store *s;
	FILE *out;
	struct sbuf line;
	int rc;
};

static const char *col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? (const char *)t : "";
}

/* Starts a line of the given type. */
static void begin_line(struct exporter *x, const char *type)
{
	sbuf_truncate(&x->line, 0);
	jsonl_begin(&x->line);
	jsonl_str(&x->line, "type", type);
	jsonl_str(&x->line, "learner", x->s->profile);
}

static void end_line(struct exporter *x)
{
	jsonl_end(&x->line);
	if (x->rc == STORE_OK && fwrite(x->line.buf, 1, x->line.len, x->out) != x->line.len)
		x->rc = store_fail(x->s, STORE_EIO, "cannot write the export: %s", strerror(errno));
}

/* Runs a query bound to the profile and calls row() on each row. */
static void each_row(struct exporter *x, const char *sql,
                     void (*row)(struct exporter *, sqlite3_stmt *))
{
	if (x->rc != STORE_OK)
		return;
	sqlite3_stmt *st = store_prepare(x->s, sql);
	if (!st) {
		x->rc = x->s->code;
		return;
	}
	store_bind_text(st, 1, x->s->profile);
	int rc = SQLITE_DONE;
	while (x->rc == STORE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
		row(x, st);
	sqlite3_finalize(st);
	if (x->rc == STORE_OK && rc != SQLITE_DONE)
		x->rc = store_sqlfail(x->s, rc);
}

static void event_row(struct exporter *x, sqlite3_stmt *st)
{
	const char *kind = col(st, 0);
	begin_line(x, kind);
	jsonl_str(&x->line, "id", col(st, 1));
	jsonl_str(&x->line, "exercise", col(st, 2));
	jsonl_int(&x->line, "at", sqlite3_column_int64(st, 3));
	if (strcmp(kind, "attempt") == 0) {
		char seed[24];
		snprintf(seed, sizeof seed, "%" PRIu64, (uint64_t)sqlite3_column_int64(st, 6));
		jsonl_bool(&x->line, "passed", sqlite3_column_int(st, 4) != 0);
		jsonl_num(&x->line, "score", sqlite3_column_double(st, 5));
		jsonl_str(&x->line, "seed", seed);
		jsonl_int(&x->line, "duration_ms", sqlite3_column_int64(st, 7));
		jsonl_str(&x->line, "check", col(st, 8));
		jsonl_str(&x->line, "submission", col(st, 9));
		jsonl_str(&x->line, "feedback", col(st, 10));
	} else if (strcmp(kind, "hint") == 0) {
		jsonl_int(&x->line, "hints", sqlite3_column_int64(st, 11));
	}
	end_line(x);
}

/* The ids of the events a reset hid, sorted, space-separated. */
static void covers(struct exporter *x, sqlite3_int64 reset, struct sbuf *out)
{
	sqlite3_stmt *st =
	    store_prepare(x->s, "SELECT e.uid FROM reset_item i JOIN event e ON e.id = i.event"
	                        " WHERE i.reset = ?1 ORDER BY e.uid");
	if (!st) {
		x->rc = x->s->code;
		return;
	}
	sqlite3_bind_int64(st, 1, reset);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (out->len)
			sbuf_addc(out, ' ');
		sbuf_adds(out, col(st, 0));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		x->rc = store_sqlfail(x->s, rc);
}

static void reset_row(struct exporter *x, sqlite3_stmt *st)
{
	struct sbuf ids = SBUF_INIT;
	covers(x, sqlite3_column_int64(st, 0), &ids);
	begin_line(x, "reset");
	jsonl_str(&x->line, "id", col(st, 1));
	jsonl_str(&x->line, "target", col(st, 2));
	jsonl_int(&x->line, "at", sqlite3_column_int64(st, 3));
	jsonl_str(&x->line, "covers", sbuf_str(&ids));
	end_line(x);
	sbuf_free(&ids);
}

static void restore_row(struct exporter *x, sqlite3_stmt *st)
{
	begin_line(x, "restore");
	jsonl_str(&x->line, "id", col(st, 0));
	jsonl_str(&x->line, "target", col(st, 1));
	jsonl_int(&x->line, "at", sqlite3_column_int64(st, 2));
	jsonl_str(&x->line, "reset", col(st, 3));
	end_line(x);
}

static void time_row(struct exporter *x, sqlite3_stmt *st)
{
	begin_line(x, "time");
	jsonl_str(&x->line, "lesson", col(st, 0));
	jsonl_str(&x->line, "origin", col(st, 1));
	jsonl_int(&x->line, "seconds", sqlite3_column_int64(st, 2));
	end_line(x);
}

static void position_row(struct exporter *x, sqlite3_stmt *st)
{
	begin_line(x, "position");
	jsonl_str(&x->line, "lesson", col(st, 0));
	jsonl_int(&x->line, "step", sqlite3_column_int64(st, 1));
	jsonl_int(&x->line, "at", sqlite3_column_int64(st, 2));
	end_line(x);
}

static void completion_row(struct exporter *x, sqlite3_stmt *st)
{
	begin_line(x, "completion");
	jsonl_str(&x->line, "exercise", col(st, 0));
	jsonl_str(&x->line, "check", col(st, 1));
	jsonl_int(&x->line, "at", sqlite3_column_int64(st, 2));
	jsonl_str(&x->line, "attempt", col(st, 3));
	end_line(x);
}

int store_export(struct store *s, FILE *out)
{
	struct exporter x = {s, out, SBUF_INIT, STORE_OK};
	if ((x.rc = store_begin_read(s)) != STORE_OK)
		return x.rc;
	each_row(&x,
	         "SELECT kind, uid, exercise, at, passed, score, seed, duration_ms,"
	         " check_hash, t.submission, t.feedback, hints"
	         " FROM event e LEFT JOIN attempt_text t ON t.event = e.id"
	         " WHERE profile = " PROFILE_ID " ORDER BY at, id",
	         event_row);
	each_row(&x,
	         "SELECT id, uid, target, at FROM reset WHERE profile = " PROFILE_ID
	         " ORDER BY at, id",
	         reset_row);
	each_row(&x,
	         "SELECT x.uid, x.target, x.at, r.uid FROM restore x"
	         " JOIN reset r ON r.id = x.reset WHERE x.profile = " PROFILE_ID
	         " ORDER BY x.at, x.id",
	         restore_row);
	each_row(&x,
	         "SELECT lesson, origin, seconds FROM time_spent"
	         " WHERE profile = " PROFILE_ID " ORDER BY lesson, origin",
	         time_row);
	each_row(&x, "SELECT lesson, step, at FROM position WHERE profile = " PROFILE_ID,
	         position_row);
	each_row(&x,
	         "SELECT exercise, check_hash, at, uid FROM completion"
	         " WHERE profile = " PROFILE_ID " ORDER BY exercise, at, check_hash",
	         completion_row);
	store_rollback(s, x.rc);
	if (x.rc == STORE_OK && fflush(out) != 0)
		x.rc = store_fail(s, STORE_EIO, "cannot write the export: %s", strerror(errno));
	sbuf_free(&x.line);
	return x.rc;
}
