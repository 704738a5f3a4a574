/* sqldb.c — the lessons' SQLite database; see sqldb.h. */
#include "engine/concepts/web/sqldb.h"
#include "engine/concepts/crypto/sha256.h"
#include "engine/concepts/rand/rand.h"
#include "engine/base/budget.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

struct sqldb {
	sqlite3 *db;
};

static const char schema[] =
	"CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL,"
	" password_sha256 TEXT NOT NULL, role TEXT NOT NULL, email TEXT);"
	"CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id),"
	" item TEXT, cents INTEGER);"
	"CREATE TABLE secrets (id INTEGER PRIMARY KEY, label TEXT, value TEXT);";

static int progress(void *unused)
{
	(void)unused;
	return budget_stop() != NULL;    /* non-zero interrupts the statement */
}

static int exec_plain(sqlite3 *db, const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

static int seed_rows(sqlite3 *db, uint64_t seed)
{
	static const struct { const char *name, *role, *email; } users[] = {
		{"alice", "admin", "alice@example.com"}, {"bob", "user", "bob@example.com"},
		{"carol", "user", "carol@example.com"},  {"dave", "user", NULL},
	};
	struct rng r;
	rng_seed(&r, seed);
	char sql[512];
	for (size_t i = 0; i < 4; i++) {
		char pw[17], hex[65];
		unsigned char d[32];
		for (int k = 0; k < 16; k++)
			pw[k] = "abcdefghijkmnpqrstuvwxyz23456789"[rng_below(&r, 32)];
		pw[16] = '\0';
		sha256_digest(pw, 16, d);
		for (int k = 0; k < 32; k++)
			snprintf(hex + 2 * k, 3, "%02x", d[k]);
		snprintf(sql, sizeof sql,
			 "INSERT INTO users (id, name, password_sha256, role, email) VALUES "
			 "(%zu, '%s', '%s', '%s', %s%s%s)", i + 1, users[i].name, hex, users[i].role,
			 users[i].email ? "'" : "", users[i].email ? users[i].email : "NULL",
			 users[i].email ? "'" : "");
		if (exec_plain(db, sql))
			return -1;
	}
	static const char orders[] =
		"INSERT INTO orders (user_id, item, cents) VALUES (1, 'laptop', 129900),"
		" (2, 'book', 2450), (2, 'lamp', 3999), (3, 'chair', 8900), (4, 'pen', 199);"
		"INSERT INTO secrets (label, value) VALUES ('stripe_key', 'sk_live_EXAMPLE_51Hx'),"
		" ('jwt_secret', 'correct-horse-battery-staple');";
	return exec_plain(db, orders);
}

struct sqldb *sqldb_open(uint64_t seed)
{
	struct sqldb *d = budget_malloc(sizeof *d);
	if (!d)
		return NULL;
	if (sqlite3_open_v2(":memory:", &d->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
	    exec_plain(d->db, schema) || seed_rows(d->db, seed)) {
		sqlite3_close(d->db);
		budget_free(d);
		return NULL;
	}
	sqlite3_progress_handler(d->db, 1000, progress, NULL);
	sqlite3_limit(d->db, SQLITE_LIMIT_LENGTH, 1 << 20);      /* strings and blobs: 1 MiB */
	sqlite3_limit(d->db, SQLITE_LIMIT_ATTACHED, 0);          /* no ATTACH of files */
	return d;
}

void sqldb_close(struct sqldb *db)
{
	if (!db)
		return;
	sqlite3_close(db->db);
	budget_free(db);
}

static int bind(sqlite3_stmt *st, const struct sqlv *p, int n, char *err)
{
	if (sqlite3_bind_parameter_count(st) != n) {
		snprintf(err, 256, "the statement has %d placeholders, %d values were given",
			 sqlite3_bind_parameter_count(st), n);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		int rc = p[i].type == SQLV_INT ? sqlite3_bind_int64(st, i + 1, p[i].i)
			 : p[i].type == SQLV_REAL ? sqlite3_bind_double(st, i + 1, p[i].r)
			 : p[i].type == SQLV_TEXT ? sqlite3_bind_text(st, i + 1, p[i].s, (int)p[i].len,
								      SQLITE_TRANSIENT)
			 : sqlite3_bind_null(st, i + 1);
		if (rc != SQLITE_OK) {
			snprintf(err, 256, "cannot bind value %d", i + 1);
			return -1;
		}
	}
	return 0;
}

/* Steps ST to the end, reporting rows to ROW (if REPORT). */
static int step_all(sqlite3 *db, sqlite3_stmt *st, int report, sqldb_row_fn row, void *ctx,
		    char *err)
{
	int rows = 0, rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!report)
			continue;
		if (++rows > SQLDB_MAX_ROWS) {
			snprintf(err, 256, "more than %d rows", SQLDB_MAX_ROWS);
			return -1;
		}
		int nc = sqlite3_column_count(st);
		if (nc > SQLDB_MAX_COLS) {
			snprintf(err, 256, "more than %d columns", SQLDB_MAX_COLS);
			return -1;
		}
		const char *names[SQLDB_MAX_COLS];
		struct sqlv v[SQLDB_MAX_COLS];
		for (int i = 0; i < nc; i++) {
			names[i] = sqlite3_column_name(st, i);
			memset(&v[i], 0, sizeof v[i]);
			switch (sqlite3_column_type(st, i)) {
			case SQLITE_INTEGER:
				v[i].type = SQLV_INT, v[i].i = sqlite3_column_int64(st, i);
				break;
			case SQLITE_FLOAT:
				v[i].type = SQLV_REAL, v[i].r = sqlite3_column_double(st, i);
				break;
			case SQLITE_NULL:
				v[i].type = SQLV_NULL;
				break;
			default:
				v[i].type = SQLV_TEXT;
				v[i].s = (const char *)sqlite3_column_text(st, i);
				v[i].len = (size_t)sqlite3_column_bytes(st, i);
			}
		}
		if (row(ctx, nc, names, v) != 0) {
			snprintf(err, 256, "stopped");
			return -1;
		}
	}
	if (rc != SQLITE_DONE) {
		snprintf(err, 256, "%s", rc == SQLITE_INTERRUPT ? "stopped" : sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

int sqldb_run(struct sqldb *d, const char *sql, const struct sqlv *params, int nparams,
	      int multi, sqldb_row_fn row, void *ctx, char *err)
{
	err[0] = '\0';
	const char *tail = sql;
	int first = 1;
	while (*tail) {
		sqlite3_stmt *st = NULL;
		const char *next;
		if (sqlite3_prepare_v2(d->db, tail, -1, &st, &next) != SQLITE_OK) {
			snprintf(err, 256, "%s", sqlite3_errmsg(d->db));
			return -1;
		}
		if (!st) {                                   /* only whitespace or comments left */
			tail = next;
			break;
		}
		const char *rest = next;
		while (*rest == ' ' || *rest == '\n' || *rest == '\t' || *rest == ';')
			rest++;
		int last = !*rest;
		if (!multi && !last) {
			sqlite3_finalize(st);
			snprintf(err, 256, "one statement at a time (text follows the first)");
			return -1;
		}
		int rc = (first && bind(st, params, nparams, err)) ? -1
			 : step_all(d->db, st, last, row, ctx, err);
		sqlite3_finalize(st);
		if (rc)
			return -1;
		first = 0;
		tail = next;
	}
	return 0;
}

int sqldb_quote(const struct sqlv *v, char *out, size_t size)
{
	switch (v->type) {
	case SQLV_NULL:
		snprintf(out, size, "NULL");
		return 0;
	case SQLV_INT:
		snprintf(out, size, "%lld", (long long)v->i);
		return 0;
	case SQLV_REAL:
		snprintf(out, size, "%.17g", v->r);
		return 0;
	case SQLV_TEXT:
		break;
	}
	if (memchr(v->s, '\0', v->len) || size < 2 * v->len + 3)
		return -1;
	size_t o = 0;
	out[o++] = '\'';
	for (size_t i = 0; i < v->len; i++) {
		if (v->s[i] == '\'')
			out[o++] = '\'';
		out[o++] = v->s[i];
	}
	out[o++] = '\'';
	out[o] = '\0';
	return 0;
}
