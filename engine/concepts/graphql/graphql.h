/*
 * graphql.h — a tiny GraphQL-style query executor over a built-in blog
 * dataset (users, posts, comments), to count the queries its resolvers
 * send to the database: one per parent object (the N+1 problem), or one
 * per field and level when a dataloader batches them.
 *
 * The query language is a small subset of GraphQL (October 2021 edition,
 * section 2): an optional "query" keyword, then nested selection sets of
 * fields, each with optional arguments whose values are integers, strings
 * or booleans. Not: aliases, fragments, variables, directives, mutations,
 * introspection. Commas are whitespace, '#' starts a comment.
 */
#ifndef BACKLAB_GRAPHQL_H
#define BACKLAB_GRAPHQL_H

#include <stddef.h>
#include <stdint.h>

#include "engine/concepts/rand/rand.h"

/* ---- the dataset ---- */

enum gq_table { GQ_USERS, GQ_POSTS, GQ_COMMENTS };

struct gq_row {
	int64_t id;
	int64_t ref[2];     /* posts: author_id; comments: post_id, author_id */
	char *text;         /* users: name; posts: title; comments: body */
};

struct gq_db {
	struct gq_row *rows[3];
	size_t n[3];
	/* what was asked of it */
	uint64_t queries, fetched;
	char **log;         /* one line per query, "SELECT ... WHERE ..." */
	size_t nlog, caplog;
};

/* A dataset of USERS users with 0 to 4 posts each and 0 to 3 comments
 * per post, drawn with SEED. 0, or -1 when memory is refused. */
int gq_db_init(struct gq_db *db, size_t users, uint64_t seed);

void gq_db_free(struct gq_db *db);

/* Empties the query counters and the log. */
void gq_db_reset(struct gq_db *db);

/* The column names of table T: index 0 is "id", then the ref columns. */
const char *gq_table_name(enum gq_table t);
int gq_column(enum gq_table t, const char *name);  /* -1: none; 0 id, 1, 2 refs */

#define GQ_NO_LIMIT ((size_t)-1)

/* One query: the rows of T whose column COL holds one of the N KEYS
 * (KEYS NULL: every row), in id order, at most LIMIT (GQ_NO_LIMIT: no
 * limit). Writes row indexes to *OUT (allocated; freed by the caller) and
 * their count to *NOUT; counts the query and logs it. 0 or -1 (memory). */
int gq_fetch(struct gq_db *db, enum gq_table t, int col, const int64_t *keys, size_t n,
	     size_t limit, size_t **out, size_t *nout);

/* ---- queries ---- */

enum gq_argkind { GQ_ARG_INT, GQ_ARG_STR, GQ_ARG_BOOL };

struct gq_arg {
	char *name;
	enum gq_argkind kind;
	int64_t i;
	char *s;
};

struct gq_field {
	char *name;
	size_t off;                 /* byte offset in the query text */
	struct gq_arg *args;
	size_t nargs;
	struct gq_field *sel;       /* the selection set, NULL if none */
	size_t nsel;
};

struct gq_query {
	struct gq_field root;       /* the operation's selection set */
};

/* Parses TEXT (LEN bytes) into Q. 0; -1 with *WHY and *OFF for a syntax
 * error; -2 when memory is refused. Q is freed with gq_query_free. */
int gq_parse(const char *text, size_t len, struct gq_query *q, const char **why, size_t *off);

void gq_query_free(struct gq_query *q);

/* ---- results ---- */

enum gq_vkind { GQ_V_NULL, GQ_V_INT, GQ_V_STR, GQ_V_LIST, GQ_V_OBJ };

struct gq_val {
	enum gq_vkind k;
	int64_t i;
	const char *s;              /* into the dataset */
	size_t n;
	struct gq_val *items;       /* LIST: n values; OBJ: n values ... */
	const char **keys;          /* ... named by the query's fields */
};

void gq_val_free(struct gq_val *v);

/* Executes Q over DB into *OUT (an object), batching each field's fetches
 * over all parents of a level when BATCH is set, else fetching once per
 * parent. 0; -1 with the message in WHY (WSIZE bytes) and *OFF for a field
 * or argument the schema does not have; -2 when memory is refused; -3
 * when budget_stop() says to stop. */
int gq_execute(struct gq_db *db, const struct gq_query *q, int batch, struct gq_val *out,
	       char *why, size_t wsize, size_t *off);

/* The schema, in GraphQL's schema language. */
extern const char gq_schema_text[];

#endif
