/*
 * cmd_author.c — tools for lesson authors: lint.
 *
 * `backlab lint [PATH...]` checks a course: every file parses, names and
 * links are right, and (once grading is wired in, see lint_exercise) every
 * exercise's solution passes and every wrong answer fails. Output is
 * "file:line: message", then a summary; the exit status is 1 on any problem.
 */
#include "repl/cmds.h"
#include "repl/commands.h"
#include "engine/sbuf.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct lint {
	size_t lessons, exercises;
	struct diags d;
};

static int is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static char *parent(const char *path)
{
	char *p = xstrdup(path);
	size_t n = strlen(p);
	while (n > 1 && p[n - 1] == '/')
		p[--n] = '\0';
	char *slash = strrchr(p, '/');
	if (!slash) {
		free(p);
		return xstrdup(".");
	}
	if (slash == p)
		slash[1] = '\0';
	else
		*slash = '\0';
	return p;
}

/* The course folder that PATH (a course, a module folder or a lesson file)
 * belongs to; a new string. */
static char *course_root(const char *path)
{
	if (!is_dir(path)) {
		char *m = parent(path);
		char *r = parent(m);
		free(m);
		return r;
	}
	char *page = xasprintf("%s/module.md", path);
	struct stat st;
	int module = stat(page, &st) == 0;
	free(page);
	return module ? parent(path) : xstrdup(path);
}

/* Whether lesson file FILE is PATH or under it (compared as real paths). */
static int covers(const char *path, const char *file)
{
	char a[PATH_MAX], b[PATH_MAX];
	if (!realpath(path, a))
		return 0;
	if (!realpath(file, b)) { /* a dangling link: its folder is real */
		char *dir = parent(file);
		char d[PATH_MAX];
		int ok = realpath(dir, d) != NULL;
		free(dir);
		const char *base = strrchr(file, '/');
		char *joined = ok ? xasprintf("%s/%s", d, base ? base + 1 : file) : NULL;
		ok = joined && strlen(joined) < sizeof b;
		if (ok)
			strcpy(b, joined);
		free(joined);
		if (!ok)
			return 0;
	}
	size_t n = strlen(a);
	return strncmp(a, b, n) == 0 && (b[n] == '\0' || b[n] == '/');
}

static void lint_course(struct session *s, struct lint *lt, const char *root, char **paths,
			int npaths)
{
	struct catalog c;
	char *err = NULL;
	if (catalog_load(&c, root, &err) != 0) {
		diags_add(&lt->d, root, 0, "%s", err);
		free(err);
		catalog_free(&c);
		return;
	}
	(void)s;
	struct diags all = {0};
	catalog_all_diags(&c, 0, &all);
	for (size_t i = 0; i < all.n; i++) {
		int take = npaths == 0;
		for (int k = 0; k < npaths && !take; k++)
			take = covers(paths[k], all.v[i].file) || strcmp(paths[k], root) == 0;
		if (take)
			diags_add(&lt->d, all.v[i].file, all.v[i].line, "%s", all.v[i].msg);
	}
	diags_free(&all);
	for (size_t i = 0; i < c.nles; i++) {
		struct lesson *l = c.lessons[i];
		int take = npaths == 0;
		for (int k = 0; k < npaths && !take; k++)
			take = covers(paths[k], l->path);
		if (!take)
			continue;
		lt->lessons++;
		size_t before = l->diags.n;
		catalog_parse(&c, l);
		for (size_t k = before; k < l->diags.n; k++)
			diags_add(&lt->d, l->diags.v[k].file, l->diags.v[k].line, "%s",
				  l->diags.v[k].msg);
		lt->exercises += l->nex;
	}
	catalog_free(&c);
}

int cmd_lint(struct session *s, int argc, char **argv)
{
	struct lint lt = {0};
	if (argc == 1) {
		lint_course(s, &lt, s->lessons_dir, NULL, 0);
	} else {
		for (int i = 1; i < argc; i++) {
			struct stat st;
			if (stat(argv[i], &st) != 0) {
				diags_add(&lt.d, argv[i], 0, "no such file or folder");
				continue;
			}
			char *root = course_root(argv[i]);
			lint_course(s, &lt, root, argv + i, 1);
			free(root);
		}
	}
	diags_sort(&lt.d);
	for (size_t i = 0; i < lt.d.n; i++) {
		char *m = diag_format(&lt.d.v[i]);
		puts(m);
		free(m);
	}
	printf("lint: %zu lesson%s, %zu exercise%s, %zu problem%s\n", lt.lessons,
	       lt.lessons == 1 ? "" : "s", lt.exercises, lt.exercises == 1 ? "" : "s", lt.d.n,
	       lt.d.n == 1 ? "" : "s");
	int rc = lt.d.n ? EXIT_FAILED : EXIT_OK;
	diags_free(&lt.d);
	return rc;
}
