/* Unit tests of engine/catalog.c, on the fixture courses in tests/fixtures/. */
#include "unit.h"
#include "engine/catalog.h"
#include "engine/base/sbuf.h"

static void t_load_order_ids(void)
{
	struct catalog c;
	char *err = NULL;
	CHECK(catalog_load(&c, "tests/fixtures/course", &err) == 0);
	CHECK_INT(c.nmod, 2);
	CHECK_STR(c.mods[0].id, "intro");
	CHECK_STR(c.mods[0].title, "Introduction");
	CHECK_STR(c.mods[0].summary, "A small course for the tests.");
	CHECK_INT(c.mods[0].n, 2);
	CHECK_INT(c.mods[1].first, 2);
	CHECK_INT(c.nles, 3);
	CHECK_STR(c.lessons[0]->id, "intro/first");
	CHECK_STR(c.lessons[1]->id, "intro/second");
	CHECK_STR(c.lessons[2]->id, "more/third");
	CHECK_STR(c.lessons[1]->module, "intro");
	CHECK_INT(c.lessons[0]->nscan_ids, 1);
	CHECK_STR(c.lessons[0]->scan_ids[0], "answer");
	CHECK(!c.lessons[0]->parsed); /* listing does not parse bodies */
	CHECK_INT(c.diags.n, 0);
	struct diags all = {0};
	catalog_all_diags(&c, 1, &all);
	CHECK_INT(all.n, 0);
	diags_free(&all);
	catalog_free(&c);
}

static void t_lookup(void)
{
	struct catalog c;
	char *err = NULL;
	CHECK(catalog_load(&c, "tests/fixtures/course", &err) == 0);
	struct lesson *l = NULL;
	struct exercise *e = catalog_exercise(&c, "intro/first/answer", &l);
	CHECK(e && l == c.lessons[0] && l->parsed);
	CHECK(catalog_exercise(&c, "intro/first/none", NULL) == NULL);
	CHECK(catalog_exercise(&c, "nothing", NULL) == NULL);
	CHECK(catalog_resolve(&c, "intro/second", &err) == c.lessons[1]);
	CHECK(catalog_resolve(&c, "more", &err) == c.lessons[2]);
	CHECK(catalog_resolve(&c, "third", &err) == c.lessons[2]);
	CHECK(catalog_resolve(&c, "thrid", &err) == NULL);
	CHECK_STR(err, "no lesson 'thrid'; did you mean more/third?");
	free(err);
	CHECK(catalog_resolve(&c, "zzzzzzzzzz", &err) == NULL);
	CHECK_STR(err, "no lesson 'zzzzzzzzzz' (`lessons` lists them)");
	free(err);
	CHECK(catalog_module_of(&c, c.lessons[2]) == &c.mods[1]);
	CHECK_INT(catalog_index(&c, c.lessons[1]), 1);
	catalog_free(&c);
}

static int has(const struct diags *d, const char *file, int line, const char *words)
{
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->v[i].file, file) == 0 && d->v[i].line == line &&
		    strstr(d->v[i].msg, words))
			return 1;
	printf("    missing %s:%d: ...%s...; have:\n", file, line, words);
	for (size_t i = 0; i < d->n; i++) {
		char *s = diag_format(&d->v[i]);
		printf("      %s\n", s);
		free(s);
	}
	return 0;
}

static void t_broken_course_still_loads(void)
{
	struct catalog c;
	char *err = NULL;
	const char *B = "tests/fixtures/broken";
	CHECK(catalog_load(&c, B, &err) == 0);
	CHECK_INT(c.nmod, 2);
	CHECK_INT(c.nles, 6);
	CHECK(catalog_lesson(&c, "mod/good") != NULL);
	CHECK(catalog_lesson(&c, "nomodule/x") != NULL);
	CHECK_STR(catalog_module(&c, "nomodule")->title, "nomodule");
	struct diags d = {0};
	catalog_all_diags(&c, 1, &d);
	CHECK(has(&d, "tests/fixtures/broken/01-mod/module.md", 3, "unknown front matter key 'color' (known: title, summary, requires)"));
	CHECK(has(&d, "tests/fixtures/broken/01-mod/02-nofront.md", 1, "missing front matter"));
	CHECK(has(&d, "tests/fixtures/broken/01-mod/03-latin1.md", 2, "not UTF-8"));
	CHECK(has(&d, "tests/fixtures/broken/01-mod/04-gone.md", 0, "cannot read the file"));
	CHECK(has(&d, "tests/fixtures/broken/01-mod/05-badreq.md", 3, "requires 'mod/nothing', but there is no such lesson"));
	CHECK(has(&d, "tests/fixtures/broken/01-mod/05-badreq.md", 3, "requires 'mod' is a module"));
	CHECK(has(&d, "tests/fixtures/broken/01-mod/Notes.md", 0, "not a lesson file name"));
	CHECK(has(&d, "tests/fixtures/broken/02-nomodule", 0, "no module.md"));
	CHECK(has(&d, "tests/fixtures/broken/Misnamed", 0, "not a module folder name"));
	CHECK_INT(d.n, 9);
	diags_free(&d);
	catalog_free(&c);
}

static void t_missing_root(void)
{
	struct catalog c;
	char *err = NULL;
	CHECK(catalog_load(&c, "tests/fixtures/none", &err) == -1);
	CHECK(err && strstr(err, "tests/fixtures/none"));
	free(err);
	catalog_free(&c);
}

static const struct test tests[] = {
	{"catalog/load_order_ids", t_load_order_ids},
	{"catalog/lookup", t_lookup},
	{"catalog/broken_course_still_loads", t_broken_course_still_loads},
	{"catalog/missing_root", t_missing_root},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
