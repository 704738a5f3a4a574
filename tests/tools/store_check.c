/*
 * store_check — verifies a progress database after the crash and
 * concurrency tests.
 *
 *   store_check DB PROFILE < EXPECTED
 *
 * EXPECTED has one "NAME N" line per attempt a store_writer reported as
 * committed. Opens the store as the next backlab would (which must work
 * whatever state a killed writer left), then prints "integrity ok" if
 * SQLite's PRAGMA integrity_check
 * (through the sqlite3 API, not the CLI) says so, "missing crash/NAME/N"
 * for each expected attempt that is not in the store's history, and
 * "present P of E expected, T in all". Exit status 0 when everything is
 * there and the file is intact, 1 otherwise.
 */
#include "engine/store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int integrity(const char *path)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int ok = 0;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *r = (const char *)sqlite3_column_text(st, 0);
			if (strcmp(r, "ok") == 0)
				ok = 1;
			else
				printf("integrity: %s\n", r);
		}
		sqlite3_finalize(st);
	} else {
		printf("integrity: cannot open: %s\n", sqlite3_errmsg(db));
	}
	sqlite3_close(db);
	if (ok)
		printf("integrity ok\n");
	return ok;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: store_check DB PROFILE < EXPECTED\n");
		return 2;
	}
	struct store *s;
	struct store_history h;
	if (store_open(&s, argv[1], argv[2]) != STORE_OK ||
	    store_history(s, NULL, &h) != STORE_OK) {
		printf("store: %s\n", store_errmsg(s));
		store_close(s);
		return 1;
	}
	char **ids = malloc((h.n + 1) * sizeof *ids);
	for (size_t i = 0; i < h.n; i++)
		ids[i] = (char *)h.v[i].exercise;
	qsort(ids, h.n, sizeof *ids, cmp);
	char name[100], ex[160];
	long n, expected = 0, present = 0;
	while (scanf("%99s %ld", name, &n) == 2) {
		char *key = ex;
		snprintf(ex, sizeof ex, "crash/%s/%ld", name, n);
		expected++;
		if (bsearch(&key, ids, h.n, sizeof *ids, cmp))
			present++;
		else
			printf("missing %s\n", ex);
	}
	printf("present %ld of %ld expected, %zu in all\n", present, expected, h.n);
	free(ids);
	store_history_free(&h);
	store_close(s);
	int ok = integrity(argv[1]);
	return ok && present == expected ? 0 : 1;
}
