/*
 * cmd_author.c — tools for lesson authors: lint and new.
 *
 * `backlab new MODULE/LESSON` writes a lesson skeleton that lint accepts.
 * `backlab lint [PATH...]` checks a course: every file parses, names and
 * links are right, and (once grading is wired in, see lint_exercise) every
 * exercise's solution passes and every wrong answer fails. Output is
 * "file:line: message", then a summary; the exit status is 1 on any problem.
 */
#include "repl/cmds.h"
#include "repl/commands.h"
#include "repl/term.h"
#include "engine/exercise.h"
#include "engine/lint_delegate.h"
#include "engine/lint_rules.h"
#include "engine/base/files.h"
#include "engine/base/sbuf.h"
#include "engine/store.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

struct lint {
	size_t lessons, exercises, runs;
	uint64_t seed; /* 0: a fixed seed per exercise */
	const struct exercise *broken; /* its check error was reported */
	struct store *db;              /* the learner's progress, if there is one */
	struct sbuf stale;             /* exercise ids passed under an older check */
	int nstale;
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

/* " (seed N)" when the seed decided the run, else "" (static buffer). */
static const char *seed_note(const struct verdict *v)
{
	static char buf[48];
	if (!v->seeded)
		return "";
	snprintf(buf, sizeof buf, " (seed %llu)", (unsigned long long)v->seed);
	return buf;
}

/* The names of the REPL's commands, NULL-ended (static). */
static const char *const *repl_command_names(void)
{
	static const char *names[64];
	if (!names[0]) {
		size_t n = 0;
		for (const struct command *c = commands; c->name && n + 1 < 64; c++)
			if (c->flags & CMD_REPL)
				names[n++] = c->name;
	}
	return names;
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
	char *fb = lint_feedback_line(v.feedback, 300,
				      v.status == VERDICT_CHECK_ERROR || v.check_raised);
	const char *p = l->path;
	char *as_command = e->kind == EX_ANSWER && v.status != VERDICT_CHECK_ERROR
				   ? lint_answer_as_command(t, &v, repl_command_names())
				   : NULL;
	if (v.status == VERDICT_CHECK_ERROR && lt->broken == e) {
		/* already reported for this exercise */
	} else if (v.status == VERDICT_CHECK_ERROR) {
		lt->broken = e;
		int at = lint_feedback_file_line(v.feedback, p);
		diags_add(&lt->d, p, at ? at : e->check.line - 1,
			  "exercise '%s': the check is broken (on %s): %s%s", e->id, what, fb,
			  seed_note(&v));
	} else if (as_command) {
		diags_add(&lt->d, p, line, "exercise '%s': %s: %s", e->id, what, as_command);
	} else if (must_pass && !v.passed) {
		diags_add(&lt->d, p, line, "exercise '%s': %s does not pass: %s: %s%s", e->id, what,
			  verdict_status_name(v.status), fb, seed_note(&v));
	} else if (!must_pass && v.status == VERDICT_UNREADABLE) {
		diags_add(&lt->d, p, line,
			  "exercise '%s': %s is not read as an answer, so a learner typing it is told "
			  "\"%s\" and nothing is recorded; a wrong answer must be one the check reads "
			  "and rejects",
			  e->id, what, fb);
	} else if (!must_pass && v.passed) {
		diags_add(&lt->d, p, line, "exercise '%s': %s passes, but must be rejected%s", e->id,
			  what, seed_note(&v));
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
		char *err = NULL;
		if (*word && command_find(word, CMD_REPL, false, &err))
			diags_add(&lt->d, l->path, e->solution.line - 1,
				  "exercise '%s': the answer starts with the command '%s', so a "
				  "learner typing it runs the command; ask differently (a choice "
				  "question), or tell them to type `answer %s`",
				  e->id, word, word);
		free(err);
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
		lt->runs += lint_delegates_check(l, e, seed_for(lt, id), &lt->d);
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
static char *course_root(const char *path)
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

/* Lints lessons c->lessons[todo[i]] into LT: parse problems, then every
 * exercise graded. */
static void lint_some(struct lint *lt, struct catalog *c, const size_t *todo, size_t n)
{
	for (size_t t = 0; t < n; t++) {
		struct lesson *l = c->lessons[todo[t]];
		lt->lessons++;
		size_t before = l->diags.n;
		catalog_parse(c, l);
		for (size_t k = before; k < l->diags.n; k++)
			diags_add(&lt->d, l->diags.v[k].file, l->diags.v[k].line, "%s",
				  l->diags.v[k].msg);
		lt->exercises += l->nex;
		for (size_t k = 0; k < l->nex; k++)
			lint_exercise(lt, l, &l->ex[k]);
	}
}

/* A worker's findings travel as records: counts, then one record per problem,
 * fields separated by \x1f and records ended by \x1e. */
static void send_results(int fd, const struct lint *lt)
{
	struct sbuf sb = SBUF_INIT;
	sbuf_addf(&sb, "%zu\x1f%zu\x1f%zu\x1e", lt->lessons, lt->exercises, lt->runs);
	for (size_t i = 0; i < lt->d.n; i++)
		sbuf_addf(&sb, "%d\x1f%s\x1f%s\x1e", lt->d.v[i].line, lt->d.v[i].file,
			  lt->d.v[i].msg);
	for (size_t off = 0; off < sb.len;) {
		ssize_t w = write(fd, sb.buf + off, sb.len - off);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	sbuf_free(&sb);
}

static void take_results(struct lint *lt, char *buf)
{
	char *rec = buf, *end;
	size_t a = 0, b = 0, r = 0;
	if (!(end = strchr(rec, '\x1e')) || sscanf(rec, "%zu\x1f%zu\x1f%zu", &a, &b, &r) != 3) {
		diags_add(&lt->d, "lint", 0, "a lint worker died; run with one worker to see why");
		return;
	}
	lt->lessons += a, lt->exercises += b, lt->runs += r;
	for (rec = end + 1; (end = strchr(rec, '\x1e')); rec = end + 1) {
		*end = '\0';
		char *f1 = strchr(rec, '\x1f'), *f2 = f1 ? strchr(f1 + 1, '\x1f') : NULL;
		if (!f2)
			continue;
		*f1 = *f2 = '\0';
		diags_add(&lt->d, f1 + 1, atoi(rec), "%s", f2 + 1);
	}
}

/*
 * Lints the lessons on every core: lessons are dealt out to worker
 * processes (each grading in its own children, as always), whose findings
 * come back through pipes; lessons are independent, so the result is the
 * same as one process would find, in the same order once sorted.
 */
static void lint_lessons(struct lint *lt, struct catalog *c, const size_t *todo, size_t n)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	const char *env = getenv("BACKLAB_LINT_JOBS");
	size_t jobs = env && atoi(env) > 0 ? (size_t)atoi(env) : cores > 0 ? (size_t)cores : 1;
	if (jobs > 8)
		jobs = 8;
	if (jobs > n)
		jobs = n;
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
			diags_add(&lt->d, "lint", 0, "cannot start a lint worker: %s", strerror(errno));
			fds[j] = -1;
			pids[j] = -1;
			continue;
		}
		if (pids[j] == 0) {
			close(p[0]);
			struct lint w = {.seed = lt->seed};
			size_t k = 0;
			for (size_t t = j; t < n; t += jobs) /* dealt round: lessons differ in cost */
				mine[k++] = todo[t];
			lint_some(&w, c, mine, k);
			send_results(p[1], &w);
			_exit(0);
		}
		close(p[1]);
		fds[j] = p[0];
	}
	free(mine);
	for (size_t j = 0; j < jobs; j++) {
		if (fds[j] < 0)
			continue;
		struct sbuf sb = SBUF_INIT;
		char chunk[4096];
		ssize_t r;
		while ((r = read(fds[j], chunk, sizeof chunk)) > 0 || (r < 0 && errno == EINTR))
			if (r > 0)
				sbuf_add(&sb, chunk, (size_t)r);
		close(fds[j]);
		while (waitpid(pids[j], NULL, 0) < 0 && errno == EINTR)
			;
		char none[1] = "";
		take_results(lt, sb.buf ? sb.buf : none);
		sbuf_free(&sb);
	}
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
	struct diags course = {0};
	lint_course_rules(&c, &course);
	for (size_t i = 0; i < course.n; i++) {
		int take = npaths == 0 || strcmp(course.v[i].file, root) == 0;
		for (int k = 0; k < npaths && !take; k++)
			take = covers(paths[k], course.v[i].file);
		if (take)
			diags_add(&lt->d, course.v[i].file, course.v[i].line, "%s", course.v[i].msg);
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
	lint_lessons(lt, &c, todo, ntodo);
	/* stale passes, in this process: the store's connection is not the workers' */
	for (size_t t = 0; t < ntodo && lt->db; t++) {
		struct lesson *l = catalog_parse(&c, c.lessons[todo[t]]);
		for (size_t k = 0; k < l->nex; k++) {
			struct store_status ss;
			if (session_status(s, l, &l->ex[k], &ss) && ss.stale) {
				sbuf_addf(&lt->stale, "%s%s/%s", lt->nstale ? ", " : "", l->id,
					  l->ex[k].id);
				lt->nstale++;
			}
		}
	}
	free(todo);
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
	/* an existing progress database tells which passes are stale; lint never
	 * creates one */
	char *dbp = s->db_path ? xstrdup(s->db_path) : store_default_path();
	if (dbp && access(dbp, F_OK) == 0)
		lt.db = session_store(s, false);
	free(dbp);
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
		struct sbuf safe = SBUF_INIT;
		term_escape(&safe, m, strlen(m));       /* feedback quoted from checks */
		puts(sbuf_str(&safe));
		sbuf_free(&safe);
		free(m);
	}
	printf("lint: %zu lesson%s, %zu exercise%s, %zu graded run%s, %zu problem%s\n",
	       lt.lessons, lt.lessons == 1 ? "" : "s", lt.exercises, lt.exercises == 1 ? "" : "s",
	       lt.runs, lt.runs == 1 ? "" : "s", lt.d.n, lt.d.n == 1 ? "" : "s");
	if (lt.nstale)
		printf("note: %s has passed %d exercise%s under an older version of its check "
		       "(stale; answer again to update): %s\n",
		       store_profile(lt.db), lt.nstale, lt.nstale == 1 ? "" : "s", lt.stale.buf);
	sbuf_free(&lt.stale);
	int rc = lt.d.n ? EXIT_FAILED : EXIT_OK;
	diags_free(&lt.d);
	return rc;
}

/* ---- new ---- */

static const char skeleton[] =
	"---\n"
	"title: %s\n"
	"summary: One line on what the learner will be able to do.\n"
	"minutes: 15\n"
	"---\n"
	"\n"
	"# %s\n"
	"\n"
	"Say what this lesson is about and why it matters, in a few sentences.\n"
	"Each `##` section is one step: keep it to a screenful.\n"
	"\n"
	"```lua\n"
	"-- a runnable example: the learner types `run 1`\n"
	"local r = lab.rand.new(42)\n"
	"print(r:int(1, 6), r:int(1, 6))\n"
	"```\n"
	"\n"
	"## Exercise: Predict {#predict}\n"
	"\n"
	"Ask for a prediction the learner can then check by running an example.\n"
	"What does `7 // 2` evaluate to in Lua?\n"
	"\n"
	"```lua check\n"
	"expect(answer):number():equals(3, \"`//` is floor division: 7 // 2 is 3.\")\n"
	"```\n"
	"```hint\n"
	"`//` rounds down.\n"
	"```\n"
	"```solution\n"
	"3\n"
	"```\n"
	"```wrong floor division\n"
	"3.5\n"
	"```\n"
	"\n"
	"## Exercise: Choose {#choose}\n"
	"\n"
	"Which of these is a Lua table?\n"
	"\n"
	"- [ ] `\"{}\"`\n"
	"  > That is a string that happens to contain braces.\n"
	"- [x] `{}`\n"
	"  > Yes: an empty table constructor.\n"
	"\n"
	"## Exercise: Build {#build}\n"
	"\n"
	"Write `double(x)`, returning twice `x`. Your file returns the function.\n"
	"\n"
	"```lua starter\n"
	"local function double(x)\n"
	"  return x\n"
	"end\n"
	"\n"
	"return double\n"
	"```\n"
	"```lua check\n"
	"expect(submission, \"your file's return value\"):is_type(\"function\")\n"
	"property{\n"
	"  cases = 100,\n"
	"  args = function(rng) return rng:int(-1000, 1000) end,\n"
	"  check = function(x)\n"
	"    local got = submission(x)\n"
	"    if got ~= 2 * x then\n"
	"      return (\"returned %%s; it should be %%d\"):format(show(got), 2 * x)\n"
	"    end\n"
	"  end,\n"
	"}\n"
	"```\n"
	"```hint\n"
	"Multiply by two.\n"
	"```\n"
	"```lua solution\n"
	"local function double(x)\n"
	"  return 2 * x\n"
	"end\n"
	"\n"
	"return double\n"
	"```\n"
	"```lua wrong it should be\n"
	"local function double(x)\n"
	"  return x + 2\n"
	"end\n"
	"\n"
	"return double\n"
	"```\n";

static bool id_word(const char *s, size_t n)
{
	if (!n || !((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
		      s[i] == '_'))
			return false;
	return true;
}

/* The highest NN- prefix among the entries of DIR (0 if none). */
static long last_number(const char *dir)
{
	long best = 0;
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		char *end;
		long n = strtol(de->d_name, &end, 10);
		if (end != de->d_name && *end == '-' && n > best)
			best = n;
	}
	closedir(d);
	return best;
}

static char *titled(const char *id)
{
	char *t = xstrdup(id);
	for (char *p = t; *p; p++)
		if (*p == '-' || *p == '_')
			*p = ' ';
	if (*t >= 'a' && *t <= 'z')
		*t = (char)(*t - 32);
	return t;
}

int cmd_new(struct session *s, int argc, char **argv)
{
	const char *slash = argc == 2 ? strchr(argv[1], '/') : NULL;
	if (!slash || !id_word(argv[1], (size_t)(slash - argv[1])) ||
	    !id_word(slash + 1, strlen(slash + 1))) {
		say_error(s, "usage: backlab new MODULE/LESSON   (lowercase letters, digits, - and _;"
			     " e.g. caching/my-topic)");
		return EXIT_USAGE;
	}
	/* a new course starts in a folder that may not exist yet */
	char *failed = NULL;
	if (!files_is_dir(s->lessons_dir)) {
		int err = files_mkdirs(s->lessons_dir, 0755, &failed);
		if (err) {
			say_error(s, "cannot create %s: %s", failed ? failed : s->lessons_dir,
				  strerror(err));
			free(failed);
			return EXIT_USAGE;
		}
		say(s, "Created the course folder %s.", s->lessons_dir);
	}
	if (session_course(s) != 0)
		return EXIT_USAGE;
	char *module = xstrndup(argv[1], (size_t)(slash - argv[1]));
	const char *lesson = slash + 1;
	if (catalog_lesson(&s->cat, argv[1])) {
		say_error(s, "%s already exists: %s", argv[1], catalog_lesson(&s->cat, argv[1])->path);
		free(module);
		return EXIT_USAGE;
	}
	struct module *m = catalog_module(&s->cat, module);
	char *dir;
	if (m) {
		dir = xstrdup(m->dir);
	} else {
		dir = xasprintf("%s/%02ld-%s", s->lessons_dir, last_number(s->lessons_dir) + 1, module);
		char *page = xasprintf("%s/module.md", dir);
		char *title = titled(module);
		FILE *f = mkdir(dir, 0755) == 0 ? fopen(page, "wx") : NULL;
		if (!f) {
			say_error(s, "cannot create %s: %s", page, strerror(errno));
			free(page), free(title), free(dir), free(module);
			return EXIT_USAGE;
		}
		fprintf(f, "---\ntitle: %s\nsummary: One line about the module.\n---\n\n"
			   "What the learner will be able to do after this module.\n", title);
		fclose(f);
		say(s, "Created the module %s.", page);
		free(page);
		free(title);
	}
	char *path = xasprintf("%s/%02ld-%s.md", dir, last_number(dir) + 1, lesson);
	char *title = titled(lesson);
	FILE *f = fopen(path, "wx");
	if (!f) {
		say_error(s, "cannot create %s: %s", path, strerror(errno));
		free(path), free(title), free(dir), free(module);
		return EXIT_USAGE;
	}
	fprintf(f, skeleton, title, title);
	fclose(f);
	say(s, "Created %s with one exercise of each kind.", path);
	say(s, "Next: edit it, then `backlab lint %s` and `backlab --lessons %s show %s`.", path,
	    s->lessons_dir, argv[1]);
	free(path), free(title), free(dir), free(module);
	return EXIT_OK;
}
