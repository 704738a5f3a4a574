/*
 * cmd_author.c — tools for lesson authors: lint and new.
 *
 * `backlab new MODULE/LESSON` writes a lesson skeleton that lint accepts.
 * `backlab lint [PATH...]` prints what engine/lint.h finds in a course:
 * "file:line: message" lines, then a summary, and which of the learner's
 * passes are stale; the exit status is 1 on any problem.
 */
#include "repl/cmds.h"
#include "repl/commands.h"
#include "repl/term.h"
#include "engine/exercise.h"
#include "engine/lint.h"
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

/* What the stale-pass note needs: the learner's progress, if there is one. */
struct stale {
	struct session *s;
	struct store *db;
	struct sbuf ids; /* exercise ids passed under an older check */
	int n;
};

static void note_stale(void *ud, const struct lesson *l)
{
	struct stale *st = ud;
	for (size_t k = 0; st->db && k < l->nex; k++) {
		struct store_status ss;
		if (session_status(st->s, l, &l->ex[k], &ss) && ss.stale) {
			sbuf_addf(&st->ids, "%s%s/%s", st->n ? ", " : "", l->id, l->ex[k].id);
			st->n++;
		}
	}
}

/* At a question, a line whose first word is a command runs it. */
static int is_command(const char *word)
{
	char *err = NULL;
	int is = command_find(word, CMD_REPL, false, &err) != NULL;
	free(err);
	return is;
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

int cmd_lint(struct session *s, int argc, char **argv)
{
	struct stale st = {.s = s};
	struct lint_opts o = {.is_command = is_command, .command_names = repl_command_names(),
			      .each_lesson = note_stale, .ud = &st};
	struct lint_result r = {0};
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
			o.seed = strtoull(argv[i + 1], NULL, 10);
			memmove(argv + i, argv + i + 2, (size_t)(argc - i - 1) * sizeof *argv);
			argc -= 2;
			i--;
		}
	}
	/* an existing progress database tells which passes are stale; lint never
	 * creates one */
	char *dbp = s->db_path ? xstrdup(s->db_path) : store_default_path();
	if (dbp && access(dbp, F_OK) == 0)
		st.db = session_store(s, false);
	free(dbp);
	if (argc == 1) {
		lint_course(s->lessons_dir, NULL, 0, &o, &r);
	} else {
		for (int i = 1; i < argc; i++) {
			struct stat sb;
			if (stat(argv[i], &sb) != 0) {
				diags_add(&r.d, argv[i], 0, "no such file or folder");
				continue;
			}
			char *root = lint_course_root(argv[i]);
			lint_course(root, argv + i, 1, &o, &r);
			free(root);
		}
	}
	diags_sort(&r.d);
	for (size_t i = 0; i < r.d.n; i++) {
		char *m = diag_format(&r.d.v[i]);
		struct sbuf safe = SBUF_INIT;
		term_escape(&safe, m, strlen(m));       /* feedback quoted from checks */
		puts(sbuf_str(&safe));
		sbuf_free(&safe);
		free(m);
	}
	printf("lint: %zu lesson%s, %zu exercise%s, %zu graded run%s, %zu problem%s\n",
	       r.lessons, r.lessons == 1 ? "" : "s", r.exercises, r.exercises == 1 ? "" : "s",
	       r.runs, r.runs == 1 ? "" : "s", r.d.n, r.d.n == 1 ? "" : "s");
	if (st.n)
		printf("note: %s has passed %d exercise%s under an older version of its check "
		       "(stale; answer again to update): %s\n",
		       store_profile(st.db), st.n, st.n == 1 ? "" : "s", st.ids.buf);
	sbuf_free(&st.ids);
	int rc = r.d.n ? EXIT_FAILED : EXIT_OK;
	lint_result_free(&r);
	return rc;
}

/* ---- new ---- */

static const char skeleton[] =
	"---\n"
	"title: %s\n"
	"summary: One line on what the learner will be able to do.\n"
	"minutes: 15\n"
	"uses: rand\n"
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
