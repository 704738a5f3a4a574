/*
 * Tests of what lessons declare they use (issue 9): lint's check of
 * `uses:` (engine/lint.c), the namespace versions in the check hash
 * (engine/lesson.c) and a module's `requires:` (engine/catalog.c), on small
 * courses written to a temporary folder.
 */
#include "unit.h"
#include "engine/catalog.h"
#include "engine/lint.h"

#include <sys/stat.h>
#include <unistd.h>

static char root[64];

static void put(const char *rel, const char *text)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", root, rel);
	char *slash = strrchr(path, '/');
	*slash = '\0';
	mkdir(path, 0755);
	*slash = '/';
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

static void fresh(void)
{
	char cmd[128];
	if (*root) {
		snprintf(cmd, sizeof cmd, "rm -rf %s", root);
		if (system(cmd) != 0)
			return;
	}
	snprintf(root, sizeof root, "%s/uses-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(root))
		*root = '\0';
}

/* Whether D has a problem at LINE (of any file) holding WORDS. */
static int has(const struct diags *d, int line, const char *words)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].line == line && strstr(d->v[i].msg, words))
			return 1;
	return 0;
}

static const char lesson_text[] =
	"---\n"                                      /* 1 */
	"title: L\n"                                 /* 2 */
	"uses: cache, nonesuch\n"                    /* 3 */
	"---\n"                                      /* 4 */
	"\n"                                         /* 5 */
	"# L\n"                                      /* 6 */
	"\n"                                         /* 7 */
	"```lua\n"                                   /* 8 */
	"local c = lab.cache.new{capacity = 2}\n"    /* 9 */
	"print(lab.help(), mylab.rand)\n"            /* 10 */
	"local r = lab.rand.new(1)\n"                /* 11 */
	"```\n"                                      /* 12 */
	"\n"                                         /* 13 */
	"## Exercise: E {#e}\n"                      /* 14 */
	"\n"                                         /* 15 */
	"Say 1.\n"                                   /* 16 */
	"\n"                                         /* 17 */
	"```lua check\n"                             /* 18 */
	"local x = lab.plot.config()\n"              /* 19 */
	"expect(answer):trim():equals(\"1\")\n"      /* 20 */
	"```\n"                                      /* 21 */
	"```solution\n"                              /* 22 */
	"1\n"                                        /* 23 */
	"```\n"                                      /* 24 */
	"```wrong\n"                                 /* 25 */
	"lab.nope\n"                                 /* 26 */
	"```\n";                                     /* 27 */

static void t_lint_uses(void)
{
	fresh();
	CHECK(*root);
	put("01-m/module.md", "---\ntitle: M\n---\n\nIntro.\n");
	put("01-m/01-l.md", lesson_text);
	struct catalog c;
	char *err = NULL;
	CHECK(catalog_load(&c, root, &err) == 0);
	struct lesson *l = catalog_parse(&c, c.lessons[0]);
	struct diags d = {0};
	lint_uses(l, &d);
	CHECK(has(&d, 3, "uses: 'nonesuch' is not a lab namespace"));
	CHECK(has(&d, 11, "the code uses lab.rand, but the front matter's uses: does not list rand"));
	CHECK(has(&d, 19, "the code uses lab.plot"));                /* in a check */
	CHECK(has(&d, 26, "lab.nope is not a lab namespace"));      /* in a wrong answer */
	CHECK_INT(d.n, 4); /* lab.cache is listed; lab.help and mylab.rand are not namespaces */
	diags_free(&d);
	catalog_free(&c);
}

static const char *version_now; /* of cache, for the next hash */

static const char *versions(const char *ns)
{
	if (strcmp(ns, "cache") == 0)
		return version_now;
	return strcmp(ns, "nonesuch") == 0 ? NULL : "1.0.0";
}

static void t_versions_in_the_hash(void)
{
	fresh();
	CHECK(*root);
	put("01-m/module.md", "---\ntitle: M\n---\n\nIntro.\n");
	put("01-m/01-uses.md", lesson_text);
	put("01-m/02-other.md",
	    "---\ntitle: O\nuses: plot, rand\n---\n\n## Exercise: E {#e}\n\nSay 1.\n\n"
	    "```lua check\nexpect(answer):trim():equals(\"1\")\n```\n```solution\n1\n```\n");
	struct catalog c;
	char *err = NULL;
	CHECK(catalog_load(&c, root, &err) == 0);
	struct lesson *a = catalog_parse(&c, c.lessons[0]), *b = catalog_parse(&c, c.lessons[1]);
	const struct exercise *ea = &a->ex[0], *eb = &b->ex[0];
	char *old_a = exercise_check_hash(ea), *old_b = exercise_check_hash(eb);
	version_now = "1.0.0";
	char *a1 = lesson_check_hash_with(a, ea, versions), *b1 = lesson_check_hash_with(b, eb, versions);
	version_now = "1.4.2"; /* additions and fixes: no result changed */
	char *a2 = lesson_check_hash_with(a, ea, versions);
	version_now = "2.0.0";
	char *a3 = lesson_check_hash_with(a, ea, versions), *b3 = lesson_check_hash_with(b, eb, versions);
	version_now = "2.1.0";
	char *a4 = lesson_check_hash_with(a, ea, versions);
	version_now = "3.0.0";
	char *a5 = lesson_check_hash_with(a, ea, versions);
	CHECK_STR(a1, old_a); /* at major 1 nothing changes: old passes stay fresh */
	CHECK_STR(b1, old_b);
	CHECK_STR(a2, a1);
	CHECK(strcmp(a3, a1) != 0); /* cache's results changed: its lesson goes stale */
	CHECK_STR(b3, b1);          /* ...and only it */
	CHECK_STR(a4, a3);
	CHECK(strcmp(a5, a3) != 0);
	char *real = lesson_check_hash(b, eb); /* plot and rand are at major 1 today */
	CHECK_STR(real, old_b);
	free(real);
	free(old_a), free(old_b), free(a1), free(b1), free(a2), free(a3), free(b3), free(a4),
		free(a5);
	catalog_free(&c);
}

static void t_module_requires(void)
{
	fresh();
	CHECK(*root);
	put("01-a/module.md", "---\ntitle: A\nrequires: b\n---\n\nIntro.\n");
	put("01-a/01-l.md", "---\ntitle: L\n---\n\n# L\n");
	put("02-b/module.md", "---\ntitle: B\nrequires: a, nonesuch, a/l\n---\n\nIntro.\n");
	put("02-b/01-l.md", "---\ntitle: L\n---\n\n# L\n");
	put("03-c/module.md", "---\ntitle: C\nrequires: a\n---\n\nIntro.\n");
	struct catalog c;
	char *err = NULL;
	CHECK(catalog_load(&c, root, &err) == 0);
	struct diags all = {0};
	catalog_all_diags(&c, 0, &all);
	CHECK(has(&all, 3, "requires 'b', which requires this module: a cycle"));
	CHECK(has(&all, 3, "requires 'a', which requires this module: a cycle"));
	CHECK(has(&all, 3, "requires 'nonesuch', but there is no such module"));
	CHECK(has(&all, 3, "requires 'a/l' is a lesson; a module requires modules"));
	CHECK_INT(all.n, 4); /* c requires a: fine */
	diags_free(&all);
	catalog_free(&c);
	fresh();
}

static const struct test tests[] = {
	{"uses/lint", t_lint_uses},
	{"uses/versions_in_the_hash", t_versions_in_the_hash},
	{"uses/module_requires", t_module_requires},
	{0},
};

int main(int argc, char **argv)
{
	int rc = run_tests(tests, argc, argv);
	if (*root) {
		char cmd[128];
		snprintf(cmd, sizeof cmd, "rm -rf %s", root);
		rc |= system(cmd) != 0;
	}
	return rc;
}
