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
#include "engine/exercise.h"
#include "engine/sbuf.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct lint {
	size_t lessons, exercises, runs;
	uint64_t seed; /* 0: a fixed seed per exercise */
	const struct exercise *broken; /* its check error was reported */
	struct diags d;
};

/* ---- running the exercises ---- */

/* Lowercase, without Markdown's ` * _ marks: so that an expectation written
 * as plain text matches feedback that formats it. */
static char *plain(const char *s)
{
	struct sbuf sb = SBUF_INIT;
	for (; *s; s++)
		if (*s != '`' && *s != '*' && *s != '_')
			sbuf_addc(&sb, (char)(*s >= 'A' && *s <= 'Z' ? *s + 32 : *s));
	return sbuf_detach(&sb);
}

static char *first_line(const char *s)
{
	const char *nl = strchr(s, '\n');
	size_t n = nl ? (size_t)(nl - s) : strlen(s);
	if (n > 160)
		n = 160;
	return xstrndup(s, n);
}

static uint64_t seed_for(const struct lint *lt, const char *id)
{
	if (lt->seed)
		return lt->seed;
	uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a: the same seed every lint */
	for (; *id; id++)
		h = (h ^ (unsigned char)*id) * 0x100000001b3ull;
	return h % 1000000000ull + 1;
}

/* An answer block's text without its final newline. */
static char *answer_text(const struct exercise *e, const char *text)
{
	size_t n = strlen(text);
	if (e->kind != EX_CODE && n && text[n - 1] == '\n')
		n--;
	return xstrndup(text, n);
}

/* Grades TEXT; adds a problem at LINE unless it passes (MUST_PASS) or fails
 * the way it should. WHAT names the block in messages. */
static void lint_run(struct lint *lt, const struct lesson *l, const struct exercise *e,
		     const char *text, bool must_pass, const char *expect, int line,
		     const char *what)
{
	struct verdict v;
	char *t = answer_text(e, text);
	char *id = exercise_full_id(l, e);
	uint64_t seed = seed_for(lt, id);
	lt->runs++;
	exercise_grade(l, e, t, e->kind == EX_CODE ? "submission.lua" : NULL, seed, NULL, &v);
	char *fb = first_line(v.feedback ? v.feedback : "");
	const char *p = l->path;
	if (v.status == VERDICT_CHECK_ERROR && lt->broken == e) {
		/* already reported for this exercise */
	} else if (v.status == VERDICT_CHECK_ERROR) {
		lt->broken = e;
		diags_add(&lt->d, p, e->check.line - 1,
			  "exercise '%s': the check is broken on %s: %s (seed %llu)", e->id, what, fb,
			  (unsigned long long)seed);
	} else if (must_pass && !v.passed) {
		diags_add(&lt->d, p, line, "exercise '%s': %s does not pass: %s: %s (seed %llu)",
			  e->id, what, verdict_status_name(v.status), fb, (unsigned long long)seed);
	} else if (!must_pass && v.passed) {
		diags_add(&lt->d, p, line,
			  "exercise '%s': %s passes, but must be rejected (seed %llu)", e->id, what,
			  (unsigned long long)seed);
	} else if (!must_pass && v.check_raised) {
		diags_add(&lt->d, p, line,
			  "exercise '%s': the check rejects %s only by raising a Lua error (%s); "
			  "reject it with expect() so the learner reads why",
			  e->id, what, fb);
	} else if (!must_pass && expect) {
		char *want = plain(expect), *got = plain(v.feedback ? v.feedback : "");
		if (!strstr(got, want))
			diags_add(&lt->d, p, line,
				  "exercise '%s': %s is rejected, but the feedback does not say "
				  "\"%s\": %s",
				  e->id, what, expect, fb);
		free(want);
		free(got);
	}
	free(fb);
	free(id);
	free(t);
	verdict_free(&v);
}

static void lint_choice(struct lint *lt, const struct lesson *l, const struct exercise *e)
{
	struct sbuf right = SBUF_INIT;
	for (size_t i = 0; i < e->nchoice; i++)
		if (e->choices[i].correct)
			sbuf_addf(&right, "%s%c", right.len ? " " : "", CHOICE_LETTER(i));
	lint_run(lt, l, e, right.buf ? right.buf : "", true, NULL, e->line, "the [x] choices");
	for (size_t i = 0; i < e->nchoice; i++) {
		if (e->choices[i].correct)
			continue;
		char letter[2] = {CHOICE_LETTER(i), 0};
		char *what = xasprintf("choice %c)", letter[0]);
		lint_run(lt, l, e, letter, false, NULL, e->choices[i].line, what);
		free(what);
	}
	sbuf_free(&right);
}

static void lint_exercise(struct lint *lt, const struct lesson *l, const struct exercise *e)
{
	if (e->kind == EX_CHOICE) {
		if (e->nchoice)
			lint_choice(lt, l, e);
		return;
	}
	if (!e->check.text)
		return;
	if (e->solution.text)
		lint_run(lt, l, e, e->solution.text, true, NULL, e->solution.line - 1,
			 "the solution");
	if (e->kind == EX_CODE && e->starter.text)
		lint_run(lt, l, e, e->starter.text, false, NULL, e->starter.line - 1, "the starter");
	for (size_t i = 0; i < e->nwrong; i++) {
		char *what = xasprintf("wrong answer %zu", i + 1);
		lint_run(lt, l, e, e->wrongs[i].text, false, e->wrongs[i].expect,
			 e->wrongs[i].line - 1, what);
		free(what);
	}
}

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
		for (size_t k = 0; k < l->nex; k++)
			lint_exercise(lt, l, &l->ex[k]);
	}
	catalog_free(&c);
}

int cmd_lint(struct session *s, int argc, char **argv)
{
	struct lint lt = {0};
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
			lt.seed = strtoull(argv[i + 1], NULL, 10);
			memmove(argv + i, argv + i + 2, (size_t)(argc - i - 1) * sizeof *argv);
			argc -= 2;
			i--;
		}
	}
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
	printf("lint: %zu lesson%s, %zu exercise%s, %zu graded run%s, %zu problem%s\n",
	       lt.lessons, lt.lessons == 1 ? "" : "s", lt.exercises, lt.exercises == 1 ? "" : "s",
	       lt.runs, lt.runs == 1 ? "" : "s", lt.d.n, lt.d.n == 1 ? "" : "s");
	int rc = lt.d.n ? EXIT_FAILED : EXIT_OK;
	diags_free(&lt.d);
	return rc;
}
