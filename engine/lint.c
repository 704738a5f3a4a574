/*
 * lint.c — checking a course; see lint.h. Moved out of the REPL (which
 * keeps the printing, repl/cmd_author.c).
 */
#include "engine/lint.h"
#include "engine/base/files.h"
#include "engine/base/sbuf.h"
#include "engine/catalog.h"
#include "engine/exercise.h"
#include "engine/lab/lab.h"
#include "engine/lint_delegate.h"
#include "engine/lint_rules.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* What one process finds. */
struct lint {
	struct lint_result r;
	const struct lint_opts *o;
	const struct exercise *broken; /* its check error was reported */
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

static uint64_t seed_for(const struct lint *lt, const char *id)
{
	if (lt->o->seed)
		return lt->o->seed;
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

/* " (seed N)" when the seed decided the run, else "" (static buffer). */
static const char *seed_note(const struct verdict *v)
{
	static char buf[48];
	if (!v->seeded)
		return "";
	snprintf(buf, sizeof buf, " (seed %llu)", (unsigned long long)v->seed);
	return buf;
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
	lt->r.runs++;
	exercise_grade(l, e, t, e->kind == EX_CODE ? "submission.lua" : NULL, seed, NULL, &v);
	char *fb = lint_feedback_line(v.feedback, 300,
				      v.status == VERDICT_CHECK_ERROR || v.check_raised);
	const char *p = l->path;
	char *as_command = e->kind == EX_ANSWER && v.status != VERDICT_CHECK_ERROR &&
				   lt->o->command_names
				   ? lint_answer_as_command(t, &v, lt->o->command_names)
				   : NULL;
	if (v.status == VERDICT_CHECK_ERROR && lt->broken == e) {
		/* already reported for this exercise */
	} else if (v.status == VERDICT_CHECK_ERROR) {
		lt->broken = e;
		int at = lint_feedback_file_line(v.feedback, p);
		diags_add(&lt->r.d, p, at ? at : e->check.line - 1,
			  "exercise '%s': the check is broken (on %s): %s%s", e->id, what, fb,
			  seed_note(&v));
	} else if (as_command) {
		diags_add(&lt->r.d, p, line, "exercise '%s': %s: %s", e->id, what, as_command);
	} else if (must_pass && !v.passed) {
		diags_add(&lt->r.d, p, line, "exercise '%s': %s does not pass: %s: %s%s", e->id, what,
			  verdict_status_name(v.status), fb, seed_note(&v));
	} else if (!must_pass && v.status == VERDICT_UNREADABLE) {
		diags_add(&lt->r.d, p, line,
			  "exercise '%s': %s is not read as an answer, so a learner typing it is told "
			  "\"%s\" and nothing is recorded; a wrong answer must be one the check reads "
			  "and rejects",
			  e->id, what, fb);
	} else if (!must_pass && v.passed) {
		diags_add(&lt->r.d, p, line, "exercise '%s': %s passes, but must be rejected%s", e->id,
			  what, seed_note(&v));
	} else if (!must_pass && v.check_raised) {
		diags_add(&lt->r.d, p, line,
			  "exercise '%s': the check rejects %s only by raising a Lua error (%s); "
			  "reject it with expect() so the learner reads why",
			  e->id, what, fb);
	} else if (!must_pass && expect) {
		char *want = plain(expect), *got = plain(v.feedback ? v.feedback : "");
		if (!strstr(got, want))
			diags_add(&lt->r.d, p, line,
				  "exercise '%s': %s is rejected, but the feedback does not say "
				  "\"%s\": %s",
				  e->id, what, expect, fb);
		free(want);
		free(got);
	}
	free(as_command);
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
	if (e->kind == EX_ANSWER && e->solution.text) {
		/* at a question, a line whose first word is a command runs it */
		char word[32] = "";
		sscanf(e->solution.text, "%31s", word);
		if (*word && lt->o->is_command && lt->o->is_command(word))
			diags_add(&lt->r.d, l->path, e->solution.line - 1,
				  "exercise '%s': the answer starts with the command '%s', so a "
				  "learner typing it runs the command; ask differently (a choice "
				  "question), or tell them to type `answer %s`",
				  e->id, word, word);
	}
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
	if (e->kind == EX_CODE) { /* handing back lab's reference must fail */
		char *id = exercise_full_id(l, e);
		lt->r.runs += lint_delegates_check(l, e, seed_for(lt, id), &lt->r.d);
		free(id);
	}
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
char *lint_course_root(const char *path)
{
	if (!files_is_dir(path)) {
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

/* ---- uses: ---- */

/* Adds to D a problem for each lab.X in CODE (its block starts at LINE)
 * whose X is not in USES. */
static void check_code(const struct lesson *l, const char *code, int line, struct diags *d)
{
	if (!code)
		return;
	for (const char *p = strstr(code, "lab."); p; p = strstr(p + 4, "lab.")) {
		if (p > code && (isalnum((unsigned char)p[-1]) || p[-1] == '_' || p[-1] == '.'))
			continue;
		const char *x = p + 4, *y = x;
		while (isalnum((unsigned char)*y) || *y == '_')
			y++;
		size_t n = (size_t)(y - x);
		if (n == 0 || (n == 4 && memcmp(x, "help", 4) == 0))
			continue;
		int listed = 0;
		for (char **u = l->front.uses; *u && !listed; u++)
			listed = strlen(*u) == n && memcmp(*u, x, n) == 0;
		if (listed)
			continue;
		int at = line;
		for (const char *q = code; q < p; q++)
			at += *q == '\n';
		char *name = xstrndup(x, n);
		if (lab_find(name))
			diags_add(d, l->path, at, "the code uses lab.%s, but the front matter's uses: "
				  "does not list %s", name, name);
		else
			diags_add(d, l->path, at, "lab.%s is not a lab namespace (`help lab` lists them)",
				  name);
		free(name);
	}
}

void lint_uses(const struct lesson *l, struct diags *d)
{
	for (char **u = l->front.uses; *u; u++)
		if (!lab_find(*u))
			diags_add(d, l->path, l->front.uses_line,
				  "uses: '%s' is not a lab namespace (`help lab` lists them)", *u);
	for (size_t i = 0; i < l->nexample; i++)
		check_code(l, l->examples[i].code, l->examples[i].line, d);
	for (size_t k = 0; k < l->nex; k++) {
		const struct exercise *e = &l->ex[k];
		check_code(l, e->check.text, e->check.line, d);
		check_code(l, e->starter.text, e->starter.line, d);
		check_code(l, e->solution.text, e->solution.line, d);
		for (size_t w = 0; w < e->nwrong; w++)
			check_code(l, e->wrongs[w].text, e->wrongs[w].line, d);
	}
}

/* ---- the workers ---- */

struct parse_job {
	struct catalog *c;
	struct lesson *l;
};

static void *parse_lesson(void *arg)
{
	struct parse_job *j = arg;
	catalog_parse(j->c, j->l);
	return NULL;
}

/*
 * Parses lesson L on a thread of its own. Why: every graded run forks this
 * process, and the child's allocations come from the heap it inherits,
 * copied page by page on first write. Parsing leaves its free chunks spread
 * over that heap, so on the main thread's heap a lesson of N exercises made
 * each child copy O(N) pages: O(N^2) for the lesson (250, 500, 1000, 2000
 * exercises: 2.8, 6.7, 15.6, 59 s). A new thread gets a malloc arena of its
 * own, and the parse stays there, away from the heap the children use.
 */
static void parse_apart(struct catalog *c, struct lesson *l)
{
	struct parse_job j = {c, l};
	pthread_t t;
	if (pthread_create(&t, NULL, parse_lesson, &j) == 0)
		pthread_join(t, NULL);
	else
		catalog_parse(c, l);
}

/* Lints lessons c->lessons[todo[i]] into LT: parse problems, uses:, then
 * every exercise graded. */
static void lint_some(struct lint *lt, struct catalog *c, const size_t *todo, size_t n)
{
	for (size_t t = 0; t < n; t++) {
		struct lesson *l = c->lessons[todo[t]];
		lt->r.lessons++;
		size_t before = l->diags.n;
		parse_apart(c, l);
		for (size_t k = before; k < l->diags.n; k++)
			diags_add(&lt->r.d, l->diags.v[k].file, l->diags.v[k].line, "%s",
				  l->diags.v[k].msg);
		if (!l->parsed)
			continue;
		lint_uses(l, &lt->r.d);
		lt->r.exercises += l->nex;
		for (size_t k = 0; k < l->nex; k++)
			lint_exercise(lt, l, &l->ex[k]);
	}
}

/* A worker's findings travel as records: counts, then one record per problem,
 * fields separated by \x1f and records ended by \x1e. */
static void send_results(int fd, const struct lint_result *r)
{
	struct sbuf sb = SBUF_INIT;
	sbuf_addf(&sb, "%zu\x1f%zu\x1f%zu\x1e", r->lessons, r->exercises, r->runs);
	for (size_t i = 0; i < r->d.n; i++)
		sbuf_addf(&sb, "%d\x1f%s\x1f%s\x1e", r->d.v[i].line, r->d.v[i].file, r->d.v[i].msg);
	for (size_t off = 0; off < sb.len;) {
		ssize_t w = write(fd, sb.buf + off, sb.len - off);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	sbuf_free(&sb);
}

static void take_results(struct lint_result *r, char *buf)
{
	char *rec = buf, *end;
	size_t a = 0, b = 0, n = 0;
	if (!(end = strchr(rec, '\x1e')) || sscanf(rec, "%zu\x1f%zu\x1f%zu", &a, &b, &n) != 3) {
		diags_add(&r->d, "lint", 0, "a lint worker died; run with one worker to see why");
		return;
	}
	r->lessons += a, r->exercises += b, r->runs += n;
	for (rec = end + 1; (end = strchr(rec, '\x1e')); rec = end + 1) {
		*end = '\0';
		char *f1 = strchr(rec, '\x1f'), *f2 = f1 ? strchr(f1 + 1, '\x1f') : NULL;
		if (!f2)
			continue;
		*f1 = *f2 = '\0';
		diags_add(&r->d, f1 + 1, atoi(rec), "%s", f2 + 1);
	}
}

static size_t jobs_for(const struct lint_opts *o, size_t n)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	const char *env = getenv("BACKLAB_LINT_JOBS");
	size_t jobs = o->jobs > 0 ? (size_t)o->jobs
		: env && atoi(env) > 0 ? (size_t)atoi(env) : cores > 0 ? (size_t)cores : 1;
	jobs = jobs > 8 ? 8 : jobs;
	return jobs > n ? n : jobs;
}

/* Reads a worker's pipe to its end and waits for it. */
static void collect(struct lint_result *r, int fd, pid_t pid)
{
	struct sbuf sb = SBUF_INIT;
	char chunk[4096];
	ssize_t got;
	while ((got = read(fd, chunk, sizeof chunk)) > 0 || (got < 0 && errno == EINTR))
		if (got > 0)
			sbuf_add(&sb, chunk, (size_t)got);
	close(fd);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	char none[1] = "";
	take_results(r, sb.buf ? sb.buf : none);
	sbuf_free(&sb);
}

/*
 * Lints the lessons on every core: lessons are dealt out to worker
 * processes, whose findings come back through pipes; lessons are
 * independent, so the result is the same as one process would find, in the
 * same order once sorted.
 */
static void lint_lessons(struct lint *lt, struct catalog *c, const size_t *todo, size_t n)
{
	size_t jobs = jobs_for(lt->o, n);
	if (jobs <= 1) {
		lint_some(lt, c, todo, n);
		return;
	}
	fflush(stdout);
	pid_t pids[8];
	int fds[8];
	size_t *mine = xmalloc(n * sizeof *mine);
	for (size_t j = 0; j < jobs; j++) {
		int p[2];
		if (pipe(p) != 0 || (pids[j] = fork()) < 0) {
			diags_add(&lt->r.d, "lint", 0, "cannot start a lint worker: %s", strerror(errno));
			fds[j] = -1;
			continue;
		}
		if (pids[j] == 0) {
			close(p[0]);
			struct lint w = {.o = lt->o};
			size_t k = 0;
			for (size_t t = j; t < n; t += jobs) /* dealt round: lessons differ in cost */
				mine[k++] = todo[t];
			lint_some(&w, c, mine, k);
			send_results(p[1], &w.r);
			_exit(0);
		}
		close(p[1]);
		fds[j] = p[0];
	}
	free(mine);
	for (size_t j = 0; j < jobs; j++)
		if (fds[j] >= 0)
			collect(&lt->r, fds[j], pids[j]);
}

void lint_course(const char *root, char *const *paths, int npaths, const struct lint_opts *o,
		 struct lint_result *r)
{
	struct catalog c;
	char *err = NULL;
	if (catalog_load(&c, root, &err) != 0) {
		diags_add(&r->d, root, 0, "%s", err);
		free(err);
		catalog_free(&c);
		return;
	}
	struct diags all = {0};
	catalog_all_diags(&c, 0, &all);
	for (size_t i = 0; i < all.n; i++) {
		int take = npaths == 0;
		for (int k = 0; k < npaths && !take; k++)
			take = covers(paths[k], all.v[i].file) || strcmp(paths[k], root) == 0;
		if (take)
			diags_add(&r->d, all.v[i].file, all.v[i].line, "%s", all.v[i].msg);
	}
	diags_free(&all);
	struct diags course = {0};
	lint_course_rules(&c, &course);
	for (size_t i = 0; i < course.n; i++) {
		int take = npaths == 0 || strcmp(course.v[i].file, root) == 0;
		for (int k = 0; k < npaths && !take; k++)
			take = covers(paths[k], course.v[i].file);
		if (take)
			diags_add(&r->d, course.v[i].file, course.v[i].line, "%s", course.v[i].msg);
	}
	diags_free(&course);
	size_t *todo = xmalloc((c.nles ? c.nles : 1) * sizeof *todo), ntodo = 0;
	for (size_t i = 0; i < c.nles; i++) {
		int take = npaths == 0;
		for (int k = 0; k < npaths && !take; k++)
			take = covers(paths[k], c.lessons[i]->path);
		if (take)
			todo[ntodo++] = i;
	}
	struct lint lt = {.r = *r, .o = o};
	lint_lessons(&lt, &c, todo, ntodo);
	*r = lt.r;
	for (size_t t = 0; t < ntodo && o->each_lesson; t++) {
		struct lesson *l = catalog_parse(&c, c.lessons[todo[t]]);
		if (l->parsed)
			o->each_lesson(o->ud, l);
	}
	free(todo);
	catalog_free(&c);
}

void lint_result_free(struct lint_result *r)
{
	diags_free(&r->d);
	memset(r, 0, sizeof *r);
}
