/*
 * catalog.h — a course on disk: lessons/NN-module/module.md + NN-lesson.md.
 *
 * Loading reads every lesson's front matter and exercise headings (the cheap
 * scan of lesson.h) so that listing stays fast; a lesson's full parse happens
 * the first time it is needed (catalog_parse) and is kept. Ids drop the
 * number prefixes: lessons/05-caching/02-lru.md is `caching/lru`, its
 * exercise {#predict} is `caching/lru/predict`. Prefixes only set the order.
 *
 * A broken file never stops the course from loading: its problems are in the
 * lesson's diagnostics, and naming or linking problems in catalog->diags.
 */
#ifndef BACKLAB_CATALOG_H
#define BACKLAB_CATALOG_H

#include "engine/base/diag.h"
#include "engine/lesson.h"

struct module {
	char *id;    /* "caching" */
	char *dir;   /* path of the folder */
	char *title; /* from module.md, else the id */
	char *summary;
	struct lesson *page; /* module.md (its body is the introduction), or NULL */
	size_t first, n;     /* its lessons: catalog->lessons[first .. first + n) */
};

struct catalog {
	char *root;
	struct module *mods;
	size_t nmod;
	struct lesson **lessons; /* course order */
	size_t nles;
	struct diags diags;
};

/*
 * Loads the course at ROOT into C (zeroed first). Returns 0, or -1 if ROOT
 * cannot be read as a directory; then *ERR (free it) says why.
 */
int catalog_load(struct catalog *c, const char *root, char **err);
void catalog_free(struct catalog *c);

struct module *catalog_module(const struct catalog *c, const char *id);
struct lesson *catalog_lesson(const struct catalog *c, const char *id);
/* Index of L in c->lessons, or -1. */
long catalog_index(const struct catalog *c, const struct lesson *l);
/* The module L belongs to. */
struct module *catalog_module_of(const struct catalog *c, const struct lesson *l);

/* Parses L fully if not yet done (see lesson_parse); returns L. */
struct lesson *catalog_parse(struct catalog *c, struct lesson *l);

/*
 * The exercise with full id "module/lesson/exercise" (parsing its lesson),
 * and its lesson in *LP; NULL if there is none.
 */
struct exercise *catalog_exercise(struct catalog *c, const char *id, struct lesson **lp);

/*
 * Finds what a learner means by QUERY: a lesson id, a module id (its first
 * lesson), or a unique lesson name without its module ("lru"). Returns the
 * lesson, or NULL with *ERR set (free it): unknown, with the closest ids, or
 * ambiguous, with the candidates.
 */
struct lesson *catalog_resolve(const struct catalog *c, const char *query, char **err);

/*
 * Every diagnostic of the course, sorted: the catalog's own and every
 * lesson's. With FULL, lessons are parsed first so body problems show too.
 * OUT receives copies.
 */
void catalog_all_diags(struct catalog *c, int full, struct diags *out);

/* Edit distance between two short strings (for "did you mean"). */
int catalog_distance(const char *a, const char *b);

#endif
