/* catalog.c — a course folder: modules, lessons, ids; see catalog.h. */
#include "engine/catalog.h"
#include "engine/base/files.h"
#include "engine/base/sbuf.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* "NN-name" (with ".md" when MD): stores the number and the name (new
 * string without prefix and extension); returns 0 if the name does not fit. */
static int split_name(const char *entry, int md, long *num, char **name)
{
	const char *p = entry;
	if (!isdigit((unsigned char)*p))
		return 0;
	*num = strtol(p, (char **)&p, 10);
	if (*p++ != '-')
		return 0;
	size_t n = strlen(p);
	if (md) {
		if (n < 4 || strcmp(p + n - 3, ".md") != 0)
			return 0;
		n -= 3;
	}
	if (!n || !isalnum((unsigned char)*p))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!islower((unsigned char)p[i]) && !isdigit((unsigned char)p[i]) && p[i] != '-' &&
		    p[i] != '_')
			return 0;
	*name = xstrndup(p, n);
	return 1;
}

struct entry {
	long num;
	char *name; /* id part */
	char *path;
};

static int by_order(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	if (x->num != y->num)
		return x->num < y->num ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Lists the numbered entries of DIR (folders, or .md files when MD). Names
 * that look meant as entries but do not fit are reported. */
static struct entry *list_dir(const char *dir, int md, size_t *n, struct diags *d)
{
	DIR *dp = opendir(dir);
	*n = 0;
	if (!dp)
		return NULL;
	size_t cap = 16;
	struct entry *v = xmalloc(cap * sizeof *v);
	struct dirent *de;
	while ((de = readdir(dp))) {
		const char *nm = de->d_name;
		if (nm[0] == '.')
			continue;
		char *path = xasprintf("%s/%s", dir, nm);
		int want = md ? !files_is_dir(path) && strlen(nm) > 3 && strcmp(nm + strlen(nm) - 3, ".md") == 0
			      : files_is_dir(path);
		long num;
		char *name;
		if (!want || (md && strcmp(nm, "module.md") == 0)) {
			free(path);
			continue;
		}
		if (!split_name(nm, md, &num, &name)) {
			diags_add(d, path, 0,
				  md ? "not a lesson file name: use NN-name.md (digits, '-', then "
				       "lowercase letters, digits, '-' or '_')"
				     : "not a module folder name: use NN-name (digits, '-', then "
				       "lowercase letters, digits, '-' or '_')");
			free(path);
			continue;
		}
		if (*n == cap)
			v = xrealloc(v, (cap *= 2) * sizeof *v);
		v[(*n)++] = (struct entry){num, name, path};
	}
	closedir(dp);
	qsort(v, *n, sizeof *v, by_order);
	return v;
}

static void add_lesson(struct catalog *c, struct lesson *l, size_t *cap)
{
	if (c->nles == *cap)
		c->lessons = xrealloc(c->lessons, (*cap = *cap ? *cap * 2 : 32) * sizeof *c->lessons);
	c->lessons[c->nles++] = l;
}

static void load_module(struct catalog *c, struct module *m, size_t *cap)
{
	char *page = xasprintf("%s/module.md", m->dir);
	struct stat st;
	if (stat(page, &st) == 0) {
		m->page = lesson_scan_module(page);
		if (m->page->front.title)
			m->title = xstrdup(m->page->front.title);
		if (m->page->front.summary)
			m->summary = xstrdup(m->page->front.summary);
	} else {
		diags_add(&c->diags, m->dir, 0,
			  "the module folder has no module.md (with 'title:' and an introduction)");
	}
	free(page);
	if (!m->title)
		m->title = xstrdup(m->id);
	size_t n;
	struct entry *v = list_dir(m->dir, 1, &n, &c->diags);
	m->first = c->nles;
	for (size_t i = 0; i < n; i++) {
		struct lesson *l = lesson_scan(v[i].path);
		l->module = xstrdup(m->id);
		l->id = xasprintf("%s/%s", m->id, v[i].name);
		if (catalog_lesson(c, l->id))
			diags_add(&c->diags, v[i].path, 0, "a second lesson with the id '%s'", l->id);
		add_lesson(c, l, cap);
		free(v[i].name);
		free(v[i].path);
	}
	free(v);
	m->n = c->nles - m->first;
}

static void check_requires(struct catalog *c)
{
	for (size_t i = 0; i < c->nles; i++) {
		struct lesson *l = c->lessons[i];
		for (char **r = l->front.requires; *r; r++) {
			if (catalog_lesson(c, *r))
				continue;
			if (catalog_module(c, *r))
				diags_add(&c->diags, l->path, l->front.requires_line,
					  "requires '%s' is a module; name a lesson (module/lesson)", *r);
			else
				diags_add(&c->diags, l->path, l->front.requires_line,
					  "requires '%s', but there is no such lesson", *r);
		}
	}
}

int catalog_load(struct catalog *c, const char *root, char **err)
{
	memset(c, 0, sizeof *c);
	c->root = xstrdup(root);
	if (!files_is_dir(root)) {
		struct stat st;
		if (stat(root, &st) == 0)
			*err = xasprintf("%s is not a folder (a course is a folder of NN-module folders)",
					 root);
		else
			*err = xasprintf("%s: %s", root, strerror(errno));
		return -1;
	}
	size_t n, cap = 0;
	struct entry *v = list_dir(root, 0, &n, &c->diags);
	c->mods = xcalloc(n ? n : 1, sizeof *c->mods);
	for (size_t i = 0; i < n; i++) {
		struct module *m = &c->mods[c->nmod++];
		m->id = v[i].name;
		m->dir = v[i].path;
		for (size_t k = 0; k + 1 < c->nmod; k++)
			if (strcmp(c->mods[k].id, m->id) == 0)
				diags_add(&c->diags, m->dir, 0, "a second module with the id '%s'", m->id);
		load_module(c, m, &cap);
	}
	free(v);
	check_requires(c);
	return 0;
}

void catalog_free(struct catalog *c)
{
	for (size_t i = 0; i < c->nles; i++)
		lesson_free(c->lessons[i]);
	free(c->lessons);
	for (size_t i = 0; i < c->nmod; i++) {
		free(c->mods[i].id);
		free(c->mods[i].dir);
		free(c->mods[i].title);
		free(c->mods[i].summary);
		lesson_free(c->mods[i].page);
	}
	free(c->mods);
	diags_free(&c->diags);
	free(c->root);
	memset(c, 0, sizeof *c);
}

struct module *catalog_module(const struct catalog *c, const char *id)
{
	for (size_t i = 0; i < c->nmod; i++)
		if (strcmp(c->mods[i].id, id) == 0)
			return &c->mods[i];
	return NULL;
}

struct lesson *catalog_lesson(const struct catalog *c, const char *id)
{
	for (size_t i = 0; i < c->nles; i++)
		if (strcmp(c->lessons[i]->id, id) == 0)
			return c->lessons[i];
	return NULL;
}

long catalog_index(const struct catalog *c, const struct lesson *l)
{
	for (size_t i = 0; i < c->nles; i++)
		if (c->lessons[i] == l)
			return (long)i;
	return -1;
}

struct module *catalog_module_of(const struct catalog *c, const struct lesson *l)
{
	return catalog_module(c, l->module);
}

struct lesson *catalog_parse(struct catalog *c, struct lesson *l)
{
	(void)c;
	lesson_parse(l);
	return l;
}

struct exercise *catalog_exercise(struct catalog *c, const char *id, struct lesson **lp)
{
	const char *slash = strrchr(id, '/');
	if (!slash)
		return NULL;
	char *lid = xstrndup(id, (size_t)(slash - id));
	struct lesson *l = catalog_lesson(c, lid);
	free(lid);
	if (!l)
		return NULL;
	catalog_parse(c, l);
	struct exercise *e = lesson_exercise(l, slash + 1);
	if (e && lp)
		*lp = l;
	return e;
}

int catalog_distance(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b);
	if (n > 64 || m > 64)
		return 99;
	int row[65];
	for (size_t j = 0; j <= m; j++)
		row[j] = (int)j;
	for (size_t i = 1; i <= n; i++) {
		int diag = row[0];
		row[0] = (int)i;
		for (size_t j = 1; j <= m; j++) {
			int up = row[j];
			int best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[m];
}

static const char *name_part(const char *id)
{
	const char *s = strrchr(id, '/');
	return s ? s + 1 : id;
}

struct lesson *catalog_resolve(const struct catalog *c, const char *query, char **err)
{
	struct lesson *l = catalog_lesson(c, query);
	if (l)
		return l;
	struct module *m = catalog_module(c, query);
	if (m && m->n)
		return c->lessons[m->first];
	if (m) {
		*err = xasprintf("module '%s' has no lessons yet", query);
		return NULL;
	}
	struct lesson *found = NULL;
	struct sbuf alts = SBUF_INIT;
	int count = 0;
	for (size_t i = 0; i < c->nles; i++) {
		if (strcmp(name_part(c->lessons[i]->id), query) == 0) {
			found = c->lessons[i];
			sbuf_addf(&alts, "%s%s", count++ ? ", " : "", found->id);
		}
	}
	if (count == 1) {
		sbuf_free(&alts);
		return found;
	}
	if (count > 1) {
		*err = xasprintf("'%s' could be %s", query, sbuf_str(&alts));
		sbuf_free(&alts);
		return NULL;
	}
	/* the closest ids, by edit distance on the whole id or its last part */
	int best = 99;
	for (size_t i = 0; i < c->nles; i++) {
		int d = catalog_distance(query, c->lessons[i]->id);
		int d2 = catalog_distance(query, name_part(c->lessons[i]->id));
		if (d2 < d)
			d = d2;
		if (d < best) {
			best = d;
			sbuf_truncate(&alts, 0);
		}
		if (d == best)
			sbuf_addf(&alts, "%s%s", alts.len ? ", " : "", c->lessons[i]->id);
	}
	if (best <= 2 || (best <= 3 && strlen(query) > 6))
		*err = xasprintf("no lesson '%s'; did you mean %s?", query, sbuf_str(&alts));
	else
		*err = xasprintf("no lesson '%s' (`lessons` lists them)", query);
	sbuf_free(&alts);
	return NULL;
}

static void copy_diags(struct diags *out, const struct diags *in)
{
	for (size_t i = 0; i < in->n; i++)
		diags_add(out, in->v[i].file, in->v[i].line, "%s", in->v[i].msg);
}

void catalog_all_diags(struct catalog *c, int full, struct diags *out)
{
	copy_diags(out, &c->diags);
	for (size_t i = 0; i < c->nmod; i++)
		if (c->mods[i].page)
			copy_diags(out, &c->mods[i].page->diags);
	for (size_t i = 0; i < c->nles; i++) {
		if (full)
			catalog_parse(c, c->lessons[i]);
		copy_diags(out, &c->lessons[i]->diags);
	}
	diags_sort(out);
}
