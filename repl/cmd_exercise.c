/*
 * cmd_exercise.c — exercises: answers typed at the prompt, `answer`, `hint`,
 * `solution`, `skip`, `edit`, `check`, `watch`, and `backlab check`.
 *
 * Every graded attempt goes through report(): grade (isolated, Ctrl-C
 * cancels), record in the store, and only then say "passed".
 */
#include "repl/cmds.h"
#include "repl/commands.h"
#include "repl/term.h"
#include "repl/workspace.h"
#include "engine/exercise.h"
#include "engine/base/jsonl.h"
#include "engine/base/sbuf.h"
#include "engine/store.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The seed of a new attempt: BACKLAB_SEED when set (tests, replays), else a
 * fresh one from the engine. */
static uint64_t new_seed(void)
{
	const char *env = getenv("BACKLAB_SEED");
	if (env && *env) {
		char *end;
		unsigned long long v = strtoull(env, &end, 10);
		if (!*end && v)
			return v;
	}
	return grade_new_seed();
}

static struct exercise *current(struct session *s, const char *cmd)
{
	struct exercise *e = session_exercise(s);
	if (!e)
		say_error(s, "`%s` works at an exercise; this step is not one", cmd);
	return e;
}

static char *full_id(struct session *s, const struct exercise *e)
{
	return exercise_full_id(s->lesson, e);
}

static void show_explanations(struct session *s, const struct exercise *e, uint32_t picked)
{
	for (size_t i = 0; i < e->nchoice && i < 32; i++) {
		if (!(picked & (1u << i)) || !e->choices[i].explain)
			continue;
		/* rendered 3 columns narrower, under a hanging "a) " */
		struct render_opts o = s->ro;
		o.width = (s->ro.width > 0 ? s->ro.width : 80) - 3;
		struct sbuf sb = SBUF_INIT;
		for (cmark_node *n = cmark_node_first_child(e->choices[i].explain); n;
		     n = cmark_node_next(n))
			render_node(&sb, n, &o);
		const char *line = sbuf_str(&sb);
		for (int k = 0; *line; k++) {
			const char *nl = strchr(line, '\n');
			size_t len = nl ? (size_t)(nl - line) : strlen(line);
			if (k == 0)
				printf("%c) %.*s\n", CHOICE_LETTER(i), (int)len, line);
			else
				printf("%s%.*s\n", len ? "   " : "", (int)len, line);
			line = nl ? nl + 1 : line + len;
		}
		sbuf_free(&sb);
	}
}

/* Shows what was printed during a run, under LABEL, with every control
 * character made visible (term_escape): it is the learner's or the lesson's
 * text, not ours. */
static void say_printed(struct session *s, const char *label, const char *text)
{
	if (!text || !*text)
		return;
	say_note(s, "%s", label);
	struct sbuf sb = SBUF_INIT;
	term_escape(&sb, text, strlen(text));
	if (sb.buf[sb.len - 1] != '\n')
		sbuf_addc(&sb, '\n');
	fputs(sb.buf, stdout);
	sbuf_free(&sb);
}

static void say_verdict(struct session *s, const struct exercise *e, const struct verdict *v,
			bool seed_line)
{
	if (!v->passed) {
		say_printed(s, "Your code printed:", v->output);
		say_printed(s, "The check printed:", v->check_output);
	}
	switch (v->status) {
	case VERDICT_PASS:
		break;
	case VERDICT_FAIL:
		if (e->kind == EX_CHOICE && !e->nchoice)
			break;
		if (v->feedback && *v->feedback)
			say_markdown(s, v->feedback);
		break;
	case VERDICT_TIMEOUT:
	case VERDICT_MEMORY:
	case VERDICT_CRASH:
		say_markdown(s, v->feedback);
		break;
	case VERDICT_CANCELLED:
		say_note(s, "Check cancelled.");
		return;
	case VERDICT_UNREADABLE:
		say_markdown(s, v->feedback);
		return;
	case VERDICT_CHECK_ERROR:
		say_error(s, "This exercise's check is broken; it is a bug in the lesson, not your "
			     "answer. `backlab lint` shows it to the lesson's author:");
		say_markdown(s, v->feedback);
		return;
	}
	if (e->kind == EX_CHOICE)
		show_explanations(s, e, v->picked);
	if (seed_line && !v->passed && v->seeded && !strstr(v->feedback ? v->feedback : "", "seed"))
		say_note(s, "seed %llu", (unsigned long long)v->seed);
}

/* How an attempt came: typed at the prompt, with `answer TEXT` (the learner
 * insists it is an answer), or a file. */
enum attempt_from { FROM_PROMPT, FROM_ANSWER_CMD, FROM_FILE };

/* The commands whose names begin with the first word of TEXT, as Markdown
 * ("`next`", "`help`, `hint` and `history`") into OUT; how many. */
static int command_beginning(const char *text, struct sbuf *out)
{
	char word[32];
	size_t n = 0;
	while (*text == ' ')
		text++;
	while (text[n] && text[n] != ' ' && n + 1 < sizeof word) {
		word[n] = (char)(text[n] >= 'A' && text[n] <= 'Z' ? text[n] + 32 : text[n]);
		n++;
	}
	word[n] = '\0';
	if (!n || (text[n] && text[n] != ' '))
		return 0;
	int count = 0;
	const struct command *hit[32];
	for (const struct command *c = commands; c->name; c++)
		if ((c->flags & CMD_REPL) && strncmp(c->name, word, n) == 0 && count < 32)
			hit[count++] = c;
	for (int i = 0; i < count; i++)
		sbuf_addf(out, "%s`%s`", i == 0 ? "" : i == count - 1 ? " and " : ", ", hit[i]->name);
	return count;
}

/* Whether TEXT is one word and nothing more. */
static bool one_word(const char *text)
{
	while (*text == ' ')
		text++;
	const char *sp = strchr(text, ' ');
	if (!sp)
		return *text != '\0';
	while (*sp == ' ')
		sp++;
	return *sp == '\0';
}

/*
 * An answer that is not an attempt: V is unreadable (it lacks the form the
 * question asks for), or, typed at the prompt, it begins with a word that
 * begins a command (alone, or of two letters or more: "ne", "ope second")
 * and the check did not read it as an answer (a wrong "ne" at a yes/no
 * question is most likely `next` cut short). Says so, with the form
 * expected and the commands it may mean; returns whether it did.
 */
static bool not_an_attempt(struct session *s, const char *text, const struct verdict *v,
			   enum attempt_from from)
{
	struct sbuf cmds = SBUF_INIT;
	int ncmd = from == FROM_PROMPT ? command_beginning(text, &cmds) : 0;
	bool unread = v->status == VERDICT_UNREADABLE;
	size_t first = strcspn(text, " ");
	bool looks_like_command = ncmd && (one_word(text) || first >= 2);
	if (!unread && !(v->status == VERDICT_FAIL && !v->answer_read && looks_like_command)) {
		sbuf_free(&cmds);
		return false;
	}
	if (unread)
		say_markdown(s, v->feedback);
	char *word = xstrndup(text, first);
	if (ncmd == 1)
		say_note(s, "`%s` is how %s begins: type %s to run it.", word, cmds.buf, cmds.buf);
	else if (ncmd > 1)
		say_note(s, "`%s` begins %s: type the one you mean.", word, cmds.buf);
	if (!unread)
		say_note(s, "If `%s` is your answer, type `answer %s`.", text, text);
	say_note(s, "Nothing was recorded.");
	free(word);
	sbuf_free(&cmds);
	return true;
}

/*
 * Grades TEXT against the current exercise (or E of L), records it, reports.
 * Returns EXIT_OK when passed, EXIT_FAILED when not, EXIT_USAGE on trouble
 * (and for an answer that is not an attempt, which is not recorded).
 */
static int report(struct session *s, struct lesson *l, struct exercise *e, const char *text,
		  const char *source_name, uint64_t seed, enum attempt_from from)
{
	struct verdict v;
	interrupted = 0;
	exercise_grade(l, e, text, source_name, seed ? seed : new_seed(), &interrupted, &v);
	interrupted = 0;
	if (not_an_attempt(s, text, &v, from)) {
		verdict_free(&v);
		return EXIT_USAGE;
	}
	struct store *db = session_store(s, false);
	bool saved = db && exercise_record(db, l, e, text, &v) == STORE_OK;
	if (db && !saved)
		say_error(s, "%s", store_errmsg(db));
	int rc = v.passed ? EXIT_OK : v.status == VERDICT_CHECK_ERROR ? EXIT_USAGE : EXIT_FAILED;
	if (v.passed) {
		const char *note = saved ? "" : " (not saved: your progress database is not open)";
		if (v.cases_total)
			say(s, "%s Passed (%d of %d cases)%s.", s->ro.utf8 ? "✓" : "+",
			    v.cases_passed, v.cases_total, note);
		else
			say(s, "%s Passed%s.", s->ro.utf8 ? "✓" : "+", note);
	} else if (v.status == VERDICT_FAIL) {
		char tag[48] = "";
		if (v.seeded)
			snprintf(tag, sizeof tag, " (seed %llu)", (unsigned long long)v.seed);
		if (v.cases_total)
			say(s, "%s Not yet: %d of %d cases pass%s.", s->ro.utf8 ? "✗" : "x",
			    v.cases_passed, v.cases_total, tag);
		else
			say(s, "%s Not yet%s.", s->ro.utf8 ? "✗" : "x", tag);
	}
	say_verdict(s, e, &v, v.status != VERDICT_FAIL);
	verdict_free(&v);
	return rc;
}

/* After a pass in the REPL: on to the next step. */
static void move_on(struct session *s)
{
	s->retry_ex = NULL;
	char *argv[] = {"next", NULL};
	cmd_next(s, 1, argv);
}

/* Grades TEXT typed for the current exercise. */
static int answer_from(struct session *s, const char *text, enum attempt_from from)
{
	struct exercise *e = session_exercise(s);
	if (!e)
		return EXIT_USAGE;
	if (e->kind == EX_CODE) {
		say_error(s, "This is a code exercise: `edit` writes your file, `check` grades it.");
		return EXIT_USAGE;
	}
	struct store_status st;
	if (s->retry_ex != e && session_status(s, s->lesson, e, &st) && st.passed) {
		say_note(s, "You passed this one already. `retry` answers it again; `next` moves on.");
		return EXIT_OK;
	}
	int rc = report(s, s->lesson, e, text, NULL, 0, from);
	if (rc == EXIT_OK)
		move_on(s);
	return rc;
}

int exercise_answer(struct session *s, const char *text)
{
	return answer_from(s, text, FROM_PROMPT);
}

int cmd_answer(struct session *s, int argc, char **argv)
{
	if (!current(s, argv[0]))
		return EXIT_USAGE;
	if (argc < 2)
		return command_usage(s, argv[0]);
	struct sbuf sb = SBUF_INIT;
	for (int i = 1; i < argc; i++)
		sbuf_addf(&sb, "%s%s", i > 1 ? " " : "", argv[i]);
	int rc = answer_from(s, sb.buf, FROM_ANSWER_CMD);
	sbuf_free(&sb);
	return rc;
}

int cmd_hint(struct session *s, int argc, char **argv)
{
	struct exercise *e = current(s, argv[0]);
	if (!e)
		return EXIT_USAGE;
	(void)argc;
	if (!e->nhint) {
		say_note(s, "This exercise has no hints. Read the step again with `show`.");
		return EXIT_OK;
	}
	struct store_status st;
	session_status(s, s->lesson, e, &st);
	int seen = st.hints;
	if (s->hints_ex == e && s->hints_seen_here > seen) /* no store: this session's count */
		seen = s->hints_seen_here;
	int n = seen < (int)e->nhint ? seen + 1 : (int)e->nhint;
	s->hints_ex = e;
	s->hints_seen_here = n;
	struct store *db = session_store(s, false);
	char *id = full_id(s, e);
	if (db && store_record_hint(db, id, n) != STORE_OK)
		say_error(s, "%s", store_errmsg(db));
	free(id);
	struct sbuf sb = SBUF_INIT;
	sbuf_addf(&sb, "**Hint %d of %zu.** %s", n, e->nhint, e->hints[n - 1].text);
	say_markdown(s, sb.buf);
	sbuf_free(&sb);
	if ((size_t)n < e->nhint)
		say_note(s, "%zu more hint%s: `hint` again.", e->nhint - (size_t)n,
			 e->nhint - (size_t)n == 1 ? "" : "s");
	else
		say_note(s, "That is the last hint.");
	return EXIT_OK;
}

int cmd_solution(struct session *s, int argc, char **argv)
{
	struct exercise *e = current(s, argv[0]);
	if (!e)
		return EXIT_USAGE;
	bool yes = argc == 2 && strcmp(argv[1], "--yes") == 0;
	struct store_status st;
	session_status(s, s->lesson, e, &st);
	if (!yes && !st.solution && !st.passed &&
	    !session_confirm(s, "See the solution? Trying a little longer, or a `hint`, teaches more.")) {
		say_note(s, "Keep going!");
		return EXIT_OK;
	}
	struct store *db = session_store(s, false);
	char *id = full_id(s, e);
	if (db && store_record_solution(db, id) != STORE_OK)
		say_error(s, "%s", store_errmsg(db));
	free(id);
	struct sbuf sb = SBUF_INIT;
	if (e->kind == EX_CHOICE) {
		sbuf_adds(&sb, "The right choice");
		int right = 0;
		for (size_t i = 0; i < e->nchoice; i++)
			right += e->choices[i].correct;
		sbuf_adds(&sb, right > 1 ? "s are " : " is ");
		int k = 0;
		for (size_t i = 0; i < e->nchoice; i++)
			if (e->choices[i].correct)
				sbuf_addf(&sb, "%s**%c)** %s", k++ ? ", " : "", CHOICE_LETTER(i),
					  e->choices[i].text);
		sbuf_adds(&sb, ".");
	} else if (e->solution.text) {
		sbuf_addf(&sb, "```%s\n%s```\n", e->kind == EX_CODE ? "lua solution" : "text",
			  e->solution.text);
	} else {
		sbuf_adds(&sb, "This exercise ships no solution.");
	}
	say_markdown(s, sb.buf);
	sbuf_free(&sb);
	if (e->kind == EX_CODE)
		say_note(s, "Type it in yourself: copying teaches less than rewriting it.");
	return EXIT_OK;
}

int cmd_skip(struct session *s, int argc, char **argv)
{
	struct exercise *e = current(s, argv[0]);
	if (!e)
		return EXIT_USAGE;
	(void)argc;
	struct store *db = session_store(s, false);
	char *id = full_id(s, e);
	if (db && store_record_skip(db, id) != STORE_OK)
		say_error(s, "%s", store_errmsg(db));
	free(id);
	say_note(s, "Skipped; `continue` brings you back to it later.");
	move_on(s);
	return EXIT_OK;
}

/* ---- code exercises ---- */

static struct exercise *code_exercise(struct session *s, const char *cmd)
{
	struct exercise *e = current(s, cmd);
	if (e && e->kind != EX_CODE) {
		say_error(s, "This exercise wants %s typed at the prompt, not a file.",
			  e->kind == EX_CHOICE ? "a letter" : "an answer");
		return NULL;
	}
	return e;
}

static int check_file(struct session *s, struct exercise *e, const char *path, uint64_t seed);

int cmd_edit(struct session *s, int argc, char **argv)
{
	struct exercise *e = code_exercise(s, argv[0]);
	if (!e)
		return EXIT_USAGE;
	(void)argc;
	char *err = NULL;
	bool created = false;
	char *path = workspace_prepare(s->lesson, e, &created, &err);
	if (!path) {
		say_error(s, "%s", err);
		free(err);
		return EXIT_USAGE;
	}
	say(s, "%s %s", created ? "Wrote the starter to" : "Your file:", path);
	if (s->interactive) {
		char *why = NULL;
		char *before = workspace_read(path, &why);
		free(why);
		int rc = workspace_open_editor(path, &err);
		if (rc < 0) {
			say_note(s, "%s: open the file in your editor, save it, then type `check` "
				    "(or `watch`).", err);
			free(err);
			free(before);
			free(path);
			return EXIT_OK;
		}
		/* the editor has closed: grade what it saved */
		char *after = workspace_read(path, &why);
		free(why);
		bool changed = after && (!before || strcmp(before, after) != 0);
		free(before);
		free(after);
		if (changed) {
			say_note(s, "The editor closed: checking your file.");
			struct store_status st;
			bool was_passed = s->retry_ex != e && session_status(s, s->lesson, e, &st) &&
					  st.passed;
			int r = check_file(s, e, path, 0);
			free(path);
			if (r == EXIT_OK && !was_passed)
				move_on(s);
			return r;
		}
		say_note(s, "The file did not change. Type `check` to grade it, or `watch` to grade "
			    "it on every save.");
	} else {
		say_note(s, "Open it in your editor, then type `check` (or `watch`).");
	}
	free(path);
	return EXIT_OK;
}

/* Grades the workspace file of the current exercise. */
static int check_file(struct session *s, struct exercise *e, const char *path, uint64_t seed)
{
	char *err = NULL;
	char *src = workspace_read(path, &err);
	if (!src) {
		say_error(s, "%s", err);
		free(err);
		return EXIT_USAGE;
	}
	const char *base = strrchr(path, '/');
	int rc = report(s, s->lesson, e, src, base ? base + 1 : path, seed, FROM_FILE);
	free(src);
	return rc;
}

static int check_here(struct session *s, int argc, char **argv)
{
	struct exercise *e = current(s, argv[0]);
	if (!e)
		return EXIT_USAGE;
	if (e->kind != EX_CODE) {
		say_error(s, "Type your answer at the prompt (or `answer TEXT`); `check` grades files.");
		return EXIT_USAGE;
	}
	uint64_t seed = 0;
	if (argc == 3 && strcmp(argv[1], "--seed") == 0)
		seed = strtoull(argv[2], NULL, 10);
	char *path = workspace_path(s->lesson, e);
	if (access(path, R_OK) != 0) {
		say_error(s, "No file yet at %s: `edit` writes the starter there.", path);
		free(path);
		return EXIT_USAGE;
	}
	struct store_status st;
	bool was_passed = s->retry_ex != e && session_status(s, s->lesson, e, &st) && st.passed;
	int rc = check_file(s, e, path, seed);
	free(path);
	if (rc == EXIT_OK && !was_passed)
		move_on(s);
	return rc;
}

int cmd_watch(struct session *s, int argc, char **argv)
{
	struct exercise *e = code_exercise(s, argv[0]);
	if (!e)
		return EXIT_USAGE;
	(void)argc;
	char *path = workspace_path(s->lesson, e);
	if (access(path, R_OK) != 0) {
		say_error(s, "No file yet at %s: `edit` writes the starter there.", path);
		free(path);
		return EXIT_USAGE;
	}
	say_note(s, "Watching %s: every save is checked. Ctrl-C stops.", path);
	int rc = check_file(s, e, path, 0);
	while (rc != EXIT_OK) {
		char *err = NULL;
		int w = workspace_wait_change(path, &interrupted, &err);
		if (w < 0) {
			say_error(s, "%s", err);
			free(err);
			break;
		}
		if (w == 0) { /* Ctrl-C */
			interrupted = 0;
			say_note(s, "Stopped watching.");
			break;
		}
		say_note(s, "— saved; checking —");
		rc = check_file(s, e, path, 0);
	}
	free(path);
	if (rc == EXIT_OK)
		move_on(s);
	return rc;
}

/* ---- backlab check EXERCISE [--answer TEXT | --file PATH] [--seed N] [--json] ---- */

static void json_verdict(const char *id, const struct verdict *v)
{
	struct sbuf sb = SBUF_INIT;
	jsonl_begin(&sb);
	jsonl_str(&sb, "exercise", id);
	jsonl_bool(&sb, "passed", v->passed);
	jsonl_num(&sb, "score", v->score);
	jsonl_str(&sb, "status", verdict_status_name(v->status));
	jsonl_str(&sb, "feedback", v->feedback);
	jsonl_str(&sb, "output", v->output);
	jsonl_str(&sb, "check_output", v->check_output);
	jsonl_int(&sb, "seed", (int64_t)v->seed);
	jsonl_int(&sb, "duration_ms", v->duration_ms);
	if (v->cases_total) {
		jsonl_int(&sb, "cases_passed", v->cases_passed);
		jsonl_int(&sb, "cases_total", v->cases_total);
	}
	jsonl_end(&sb);
	fputs(sb.buf, stdout);
	sbuf_free(&sb);
}

static int check_cli(struct session *s, int argc, char **argv)
{
	const char *id = NULL, *answer = NULL, *file = NULL;
	uint64_t seed = 0;
	bool json = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--json") == 0) {
			json = true;
		} else if (i + 1 < argc && strcmp(a, "--answer") == 0) {
			answer = argv[++i];
		} else if (i + 1 < argc && strcmp(a, "--file") == 0) {
			file = argv[++i];
		} else if (i + 1 < argc && strcmp(a, "--seed") == 0) {
			char *end;
			errno = 0;
			seed = strtoull(argv[++i], &end, 10);
			if (*end || errno || !*argv[i]) {
				say_error(s, "--seed takes a number, not '%s'", argv[i]);
				return EXIT_USAGE;
			}
		} else if (a[0] != '-' && !id) {
			id = a;
		} else {
			say_error(s, "usage: backlab check EXERCISE [--answer TEXT | --file PATH] "
				     "[--seed N] [--json]");
			return EXIT_USAGE;
		}
	}
	if (!id || (answer && file)) {
		say_error(s, "usage: backlab check EXERCISE [--answer TEXT | --file PATH] [--seed N] "
			     "[--json]");
		return EXIT_USAGE;
	}
	struct lesson *l = NULL;
	struct exercise *e = catalog_exercise(&s->cat, id, &l);
	if (!e) {
		say_no_exercise(s, id);
		return EXIT_USAGE;
	}
	if (l->diags.n) {
		for (size_t i = 0; i < l->diags.n; i++) {
			char *m = diag_format(&l->diags.v[i]);
			say_error(s, "%s", m);
			free(m);
		}
		return EXIT_USAGE;
	}
	char *text = NULL, *path = NULL, *err = NULL;
	if (e->kind == EX_CODE) {
		if (answer) {
			say_error(s, "%s is a code exercise: give --file PATH", id);
			return EXIT_USAGE;
		}
		path = file ? xstrdup(file) : workspace_path(l, e);
		text = workspace_read(path, &err);
	} else if (file && e->kind == EX_CHOICE) {
		say_error(s, "%s is a multiple-choice question: give the letters with --answer "
			     "(e.g. --answer b), not a file", id);
		return EXIT_USAGE;
	} else if (file) {
		text = workspace_read(file, &err);
	} else if (answer) {
		text = xstrdup(answer);
	} else {
		say_error(s, "%s wants an answer: --answer TEXT", id);
		return EXIT_USAGE;
	}
	if (!text) {
		say_error(s, "%s", err);
		free(err);
		free(path);
		return EXIT_USAGE;
	}
	/* the attempt is recorded before anything says "passed": no store, no check */
	struct store *db = session_store(s, true);
	if (!db) {
		free(text);
		free(path);
		return EXIT_USAGE;
	}
	struct verdict v;
	interrupted = 0;
	const char *base = path ? strrchr(path, '/') : NULL;
	exercise_grade(l, e, text, base ? base + 1 : path, seed ? seed : new_seed(),
		       &interrupted, &v);
	bool saved = exercise_record(db, l, e, text, &v) == STORE_OK;
	char *fid = exercise_full_id(l, e);
	if (v.status == VERDICT_UNREADABLE) {
		if (json) {
			json_verdict(fid, &v);
		} else {
			say_error(s, "%s: not an answer to this question (nothing was recorded)", fid);
			say_markdown(s, v.feedback);
		}
		saved = false;
	} else if (!saved) {
		say_error(s, "%s", store_errmsg(db));
		say_error(s, "%s: %s, but the attempt could not be saved", fid,
			  v.passed ? "right" : verdict_status_name(v.status));
	} else if (json) {
		json_verdict(fid, &v);
	} else {
		say(s, "%s: %s", fid, v.passed ? "passed" : verdict_status_name(v.status));
		if (!v.passed)
			say_verdict(s, e, &v, true);
	}
	int rc = !saved || v.status == VERDICT_UNREADABLE ? EXIT_USAGE
		 : v.passed ? EXIT_OK
		 : v.status == VERDICT_CHECK_ERROR || v.status == VERDICT_CANCELLED ? EXIT_USAGE
										  : EXIT_FAILED;
	free(fid);
	verdict_free(&v);
	free(text);
	free(path);
	return rc;
}

int cmd_check(struct session *s, int argc, char **argv)
{
	if (s->in_repl && (argc == 1 || (argc == 3 && strcmp(argv[1], "--seed") == 0)))
		return check_here(s, argc, argv);
	return check_cli(s, argc, argv);
}
