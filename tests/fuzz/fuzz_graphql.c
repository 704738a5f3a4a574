/*
 * fuzz_graphql.c — libFuzzer target for lab.graphql (engine/concepts/graphql).
 *
 * The input is a query. It parses or gets an error with an offset inside
 * the text; a parsed query executes or gets an error with an offset, and
 * plain and batched execution agree on success or failure and on the
 * number of fields of the result.
 *
 *   make fuzz && build/fuzz/fuzz_graphql -max_total_time=60 tests/fuzz/corpus/fuzz_graphql
 */
#include "engine/concepts/graphql/graphql.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define check(cond)                                                                                \
	((cond)                                                                                    \
	     ? (void)0                                                                             \
	     : (fprintf(stderr, "%s:%d: check(%s) failed\n", __FILE__, __LINE__, #cond), abort()))

static struct gq_db db;
static int ready;

/* Counts the values in V, all levels. */
static size_t count(const struct gq_val *v)
{
	size_t n = 1;
	for (size_t i = 0; v->items && i < v->n; i++)
		n += count(&v->items[i]);
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!ready) {
		check(gq_db_init(&db, 6, 1) == 0);
		ready = 1;
	}
	struct gq_query q;
	const char *why = NULL;
	size_t off = 0;
	int rc = gq_parse((const char *)data, size, &q, &why, &off);
	if (rc == -1) {
		check(why && off <= size);
		return 0;
	}
	check(rc == 0);
	struct gq_val a, b;
	char wa[200], wb[200];
	size_t oa = 0, ob = 0;
	int ra = gq_execute(&db, &q, 0, &a, wa, sizeof wa, &oa);
	int rb = gq_execute(&db, &q, 1, &b, wb, sizeof wb, &ob);
	check(ra == rb);
	if (ra == -1)
		check(oa == ob && oa <= size && strcmp(wa, wb) == 0);
	if (ra == 0) {
		check(count(&a) == count(&b));
		gq_val_free(&a);
		gq_val_free(&b);
	}
	gq_db_reset(&db);
	gq_query_free(&q);
	return 0;
}
