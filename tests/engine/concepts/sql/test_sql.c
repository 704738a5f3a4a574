/*
 * Unit tests of engine/concepts/sql: memory charged to the current budget
 * account and given back at close, stops honoured, no file ever opened,
 * deterministic random functions, refused statements.
 */
#include "unit.h"
#include "engine/base/budget.h"
#include "engine/concepts/sql/sql.h"

#include <unistd.h>

/* A budget account for tests: a limit, and a stop after N polls. */
struct account {
	struct budget b;
	size_t used, limit, peak;
	int refused;
	long polls, stop_after; /* stop_after 0: never */
};

static int acc_charge(struct budget *b, size_t n)
{
	struct account *a = (struct account *)b;
	if (a->limit && a->used + n > a->limit) {
		a->refused = 1;
		return -1;
	}
	a->used += n;
	if (a->used > a->peak)
		a->peak = a->used;
	return 0;
}

static void acc_credit(struct budget *b, size_t n)
{
	((struct account *)b)->used -= n;
}

static const char *acc_stop(struct budget *b)
{
	struct account *a = (struct account *)b;
	if (a->refused)
		return "not enough memory";
	if (a->stop_after && ++a->polls >= a->stop_after)
		return "timed out after 1 s";
	return NULL;
}

static void account_init(struct account *a, size_t limit, long stop_after)
{
	memset(a, 0, sizeof *a);
	a->b.charge = acc_charge;
	a->b.credit = acc_credit;
	a->b.stop = acc_stop;
	a->limit = limit;
	a->stop_after = stop_after;
}

static int run(struct sql_db *d, const char *sql, struct sbuf *err)
{
	sbuf_truncate(err, 0);
	return sql_script(d, sql, strlen(sql), NULL, err);
}

/* Everything a connection allocates is charged to the account current at
 * the time, and all of it is credited back when it closes. */
static void t_memory_charged_and_returned(void)
{
	struct account a;
	account_init(&a, 0, 0);
	struct budget *prev = budget_enter(&a.b);
	struct sbuf err = SBUF_INIT;
	struct sql_db *d = sql_open(1, &err);
	CHECK(d);
	size_t opened = a.used;
	CHECK(opened > 0); /* sqlite3_config(SQLITE_CONFIG_MALLOC) took effect */
	CHECK(run(d, "CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT);"
		     "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)"
		     "INSERT INTO t(b) SELECT hex(randomblob(16)) FROM n;",
		  &err) == 0);
	CHECK(a.used > opened + 500000); /* 20000 rows of 32 bytes and more */
	sql_close(d);
	CHECK_INT(a.used, 0);
	budget_leave(prev);
	sbuf_free(&err);
}

/* A connection opened outside any account is charged to none, and using it
 * inside an account charges what is allocated then, credited when freed. */
static void t_memory_outside_account(void)
{
	struct sbuf err = SBUF_INIT;
	struct sql_db *d = sql_open(1, &err);
	CHECK(d);
	struct account a;
	account_init(&a, 0, 0);
	struct budget *prev = budget_enter(&a.b);
	CHECK(run(d, "CREATE TABLE t(x); INSERT INTO t VALUES (zeroblob(100000) || 'x');", &err) ==
	      0);
	CHECK(a.peak > 100000);
	budget_leave(prev);
	sql_close(d); /* credits the account it charged */
	CHECK_INT(a.used, 0);
	sbuf_free(&err);
}

/* Past the limit SQLite gets NULL, the statement fails and the account
 * says to stop: the sandbox would end the run with its memory verdict. */
static void t_memory_refused(void)
{
	struct account a;
	account_init(&a, 4 << 20, 0);
	struct budget *prev = budget_enter(&a.b);
	struct sbuf err = SBUF_INIT;
	struct sql_db *d = sql_open(1, &err);
	CHECK(d);
	CHECK(run(d, "SELECT length(randomblob(50000000))", &err) != 0);
	CHECK(a.refused);
	CHECK(budget_stop() != NULL);
	CHECK(run(d, "SELECT hex(zeroblob(10000000))", &err) != 0);
	sql_close(d);
	CHECK_INT(a.used, 0);
	budget_leave(prev);
	sbuf_free(&err);
}

/* The progress handler polls the account: a query without end stops. */
static void t_runaway_stops(void)
{
	static const char *const runaway[] = {
		"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
		"SELECT count(*) FROM c",
		"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000) "
		"SELECT count(*) FROM c a, c b, c d, c e",
	};
	for (size_t i = 0; i < sizeof runaway / sizeof runaway[0]; i++) {
		struct account a;
		account_init(&a, 0, 200);
		struct budget *prev = budget_enter(&a.b);
		struct sbuf err = SBUF_INIT;
		struct sql_db *d = sql_open(1, &err);
		CHECK(d);
		CHECK(run(d, runaway[i], &err) != 0);
		CHECK_STR(sbuf_str(&err), "interrupted");
		CHECK(a.polls >= 200 && a.polls < 400);
		sql_close(d);
		budget_leave(prev);
		sbuf_free(&err);
	}
}

/* Even without the authorizer, the VFS opens no file: ATTACH and VACUUM
 * INTO fail and create nothing. */
static void t_vfs_opens_nothing(void)
{
	char path[64];
	snprintf(path, sizeof path, "/tmp/backlab-sqltest-%d.db", (int)getpid());
	unlink(path);
	sqlite3 *db = NULL;
	CHECK(sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
			      "backlab") == SQLITE_OK);
	char sql[160];
	snprintf(sql, sizeof sql, "ATTACH '%s' AS x; CREATE TABLE x.t(a);", path);
	CHECK(sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK);
	CHECK(access(path, F_OK) != 0);
	snprintf(sql, sizeof sql, "VACUUM INTO '%s'", path);
	CHECK(sqlite3_exec(db, "CREATE TABLE t(a); INSERT INTO t VALUES (1)", NULL, NULL, NULL) ==
	      SQLITE_OK);
	CHECK(sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK);
	CHECK(access(path, F_OK) != 0);
	CHECK(sqlite3_enable_load_extension(db, 1) == SQLITE_OK);
	CHECK(sqlite3_load_extension(db, "/lib/x86_64-linux-gnu/libm.so.6", NULL, NULL) !=
	      SQLITE_OK);
	sqlite3_close(db);
}

/* Refused statements say why. */
static void t_refused_statements(void)
{
	static const struct {
		const char *sql, *says;
	} cases[] = {
		{"ATTACH '/tmp/x.db' AS x", "ATTACH and DETACH are not allowed"},
		{"VACUUM INTO '/tmp/x.db'", "VACUUM is not allowed"},
		{"/* hi */ vacuum", "VACUUM is not allowed"},
		{"SELECT load_extension('libm')", "load_extension() is not allowed"},
		{"PRAGMA temp_store = FILE", "PRAGMA temp_store with a value is not allowed"},
		{"PRAGMA journal_mode = WAL", "PRAGMA journal_mode with a value"},
		{"PRAGMA hard_heap_limit = 1", "PRAGMA hard_heap_limit"},
		{"SELECT * FROM pragma_journal_mode", "PRAGMA journal_mode is not allowed"},
		{"PRAGMA page_size = 1024", "PRAGMA page_size with a value"},
		{"SELECT \"no\"", "no such column: no"},
	};
	struct sbuf err = SBUF_INIT;
	struct sql_db *d = sql_open(1, &err);
	CHECK(d);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (run(d, cases[i].sql, &err) == 0 || !strstr(sbuf_str(&err), cases[i].says)) {
			printf("    %s -> %s\n", cases[i].sql, sbuf_str(&err));
			CHECK(0);
		}
	}
	CHECK(run(d, "PRAGMA foreign_keys = ON; PRAGMA automatic_index = OFF; "
		     "PRAGMA page_size; CREATE TABLE v(a); PRAGMA table_info(v);",
		  &err) == 0);
	sql_close(d);
	sbuf_free(&err);
}

/* Seeded functions and a fixed clock: the same seed, the same values. */
static void t_deterministic(void)
{
	const char *q = "SELECT random(), hex(randomblob(8)), rand_int(1, 1000000), rand_real(), "
			"rand_pick('a', 'b', 'c', 'd'), rand_normal(0, 1), datetime('now')";
	char got[3][256];
	uint64_t seeds[3] = {5, 5, 6};
	for (int k = 0; k < 3; k++) {
		struct sbuf err = SBUF_INIT;
		struct sql_db *d = sql_open(seeds[k], &err);
		CHECK(d);
		sqlite3_stmt *st;
		CHECK(sql_prepare(d, q, strlen(q), &st, NULL, &err) == 0);
		CHECK(sql_step(d, st, 1, &err) == SQLITE_ROW);
		got[k][0] = '\0';
		for (int c = 0; c < 7; c++) {
			strncat(got[k], (const char *)sqlite3_column_text(st, c),
				sizeof got[k] - strlen(got[k]) - 2);
			strcat(got[k], "|");
		}
		sql_finish(d, st);
		CHECK(strstr(got[k], "2025-01-01 00:00:00"));
		sql_close(d);
		sbuf_free(&err);
	}
	CHECK_STR(got[0], got[1]);
	CHECK(strcmp(got[0], got[2]) != 0);
}

/* Counters: statements, rows, changes, steps; a plan counts nothing. */
static void t_stats(void)
{
	struct sbuf err = SBUF_INIT, plan = SBUF_INIT;
	struct sql_db *d = sql_open(1, &err);
	CHECK(d);
	long long changes = 0;
	const char *s = "CREATE TABLE t(a INTEGER PRIMARY KEY, b);"
			"INSERT INTO t(b) VALUES (1), (2), (3);"
			"UPDATE t SET b = b + 1 WHERE a > 1;";
	CHECK(sql_script(d, s, strlen(s), &changes, &err) == 0);
	CHECK_INT(changes, 5);
	const struct sql_stats *st = sql_stats(d);
	CHECK_INT(st->queries, 3);
	CHECK_INT(st->changes, 5);
	CHECK(st->steps > 0);
	long long steps = st->steps;
	CHECK(sql_plan(d, "SELECT * FROM t WHERE a = 2", 27, &plan, &err) == 0);
	CHECK_STR(sbuf_str(&plan), "SEARCH t USING INTEGER PRIMARY KEY (rowid=?)");
	CHECK_INT(st->queries, 3);
	CHECK_INT(st->steps, steps);
	CHECK(run(d, "SELECT * FROM t WHERE b > 0", &err) == 0);
	CHECK(st->fullscan_steps >= 2);
	sql_reset_stats(d);
	CHECK_INT(st->queries, 0);
	sql_close(d);
	sbuf_free(&err);
	sbuf_free(&plan);
}

static void t_dataset_names(void)
{
	CHECK(sql_dataset_name_ok("shop"));
	CHECK(sql_dataset_name_ok("shop_2-b"));
	CHECK(!sql_dataset_name_ok(""));
	CHECK(!sql_dataset_name_ok("../x"));
	CHECK(!sql_dataset_name_ok("a/b"));
	CHECK(!sql_dataset_name_ok("Shop"));
	CHECK(!sql_dataset_name_ok("-x"));
	CHECK(!sql_dataset_name_ok("x.sql"));
	struct sbuf err = SBUF_INIT;
	struct sql_db *d = sql_open(1, &err);
	CHECK(d);
	CHECK(sql_load(d, "lessons/03-databases/data", "nope", &err) != 0);
	CHECK(strstr(sbuf_str(&err), "no dataset 'nope' (there are: bookings, events, shop"));
	sbuf_truncate(&err, 0);
	CHECK(sql_load(d, "lessons/03-databases/data", "../data/shop", &err) != 0);
	sql_close(d);
	sbuf_free(&err);
}

static const struct test tests[] = {
	{"sql/memory_charged_and_returned", t_memory_charged_and_returned},
	{"sql/memory_outside_account", t_memory_outside_account},
	{"sql/memory_refused", t_memory_refused},
	{"sql/runaway_stops", t_runaway_stops},
	{"sql/vfs_opens_nothing", t_vfs_opens_nothing},
	{"sql/refused_statements", t_refused_statements},
	{"sql/deterministic", t_deterministic},
	{"sql/stats", t_stats},
	{"sql/dataset_names", t_dataset_names},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
