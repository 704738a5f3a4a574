/*
 * cmd_progress.c — the learner's progress: progress, continue, reset,
 * restore, retry, history, export, import.
 */
#include "repl/cmds.h"
#include "repl/commands.h"
#include "repl/progress.h"
#include "repl/workspace.h"
#include "engine/exercise.h"
#include "engine/base/files.h"
#include "engine/base/jsonl.h"
#include "engine/base/sbuf.h"
#include "engine/base/utf8.h"
#include "engine/store.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Takes FLAG out of ARGV; returns whether it was there. */
static bool take_flag(int *argc, char **argv, const char *flag)
{
	for (int i = 1; i < *argc; i++) {
		if (strcmp(argv[i], flag) == 0) {
			memmove(argv + i, argv + i + 1, (size_t)(*argc - i) * sizeof *argv);
			(*argc)--;
			return true;
		}
	}
	return false;
}

static bool is_target(struct session *s, const char *t)
{
	if (strcmp(t, "all") == 0 || catalog_module(&s->cat, t) || catalog_lesson(&s->cat, t))
		return true;
	return catalog_exercise(&s->cat, t, NULL) != NULL;
}

/* A target the learner named: a module, lesson or exercise id, or "all". An
 * id no longer in the course is accepted when the store knows it. */
static int check_target(struct session *s, struct store *st, const char *t)
{
	if (is_target(s, t))
		return 0;
	struct store_progress p = {0};
	bool known = store_progress_load(st, t, &p) == STORE_OK && p.nex > 0;
	store_progress_free(&p);
	if (known)
		return 0;
	const char *slash = strchr(t, '/');
	if (slash && strchr(slash + 1, '/')) { /* module/lesson/exercise */
		say_no_exercise(s, t);
		return -1;
	}
	char *err = NULL;
	struct lesson *l = catalog_resolve(&s->cat, t, &err);
	if (l)
		say_error(s, "'%s' is a lesson's name; its id is %s", t, l->id);
	else if (slash)
		say_error(s, "%s", err);
	else
		say_error(s, "no module, lesson or exercise '%s' (`lessons all` lists them)", t);
	free(err);
	return -1;
}

/* ---- progress ---- */

static void tally_add(struct tally *a, const struct tally *b)
{
	a->exercises += b->exercises;
	a->passed += b->passed;
	a->stale += b->stale;
	a->skipped += b->skipped;
	a->hints += b->hints;
	a->seconds += b->seconds;
}

static void tally_line(struct session *s, const char *id, const struct tally *t, int pad)
{
	struct sbuf sb = SBUF_INIT;
	int width = s->ro.width > 0 ? s->ro.width : 80;
	if (2 + pad + 1 + 10 + 6 <= width) /* the bar beside the id, else under it */
		sbuf_addf(&sb, "  %-*s ", pad, id);
	else
		sbuf_addf(&sb, "  %s\n      ", id);
	progress_bar(&sb, t->passed, t->exercises, 10, s->ro.utf8);
	sbuf_addf(&sb, " %d/%d", t->passed, t->exercises);
	if (t->stale)
		sbuf_addf(&sb, ", %d stale", t->stale);
	if (t->skipped)
		sbuf_addf(&sb, ", %d skipped", t->skipped);
	if (t->hints)
		sbuf_addf(&sb, ", %d hint%s", t->hints, t->hints == 1 ? "" : "s");
	if (t->seconds) {
		sbuf_adds(&sb, ", ");
		progress_duration(&sb, t->seconds);
	}
	say(s, "%s", sb.buf);
	sbuf_free(&sb);
}

static const char *status_word(const struct store_status *st)
{
	if (st->passed)
		return "passed";
	if (st->stale)
		return "stale";
	if (st->skipped)
		return "skipped";
	if (st->attempts)
		return "tried";
	return "new";
}

static void exercise_lines(struct session *s, const struct store_progress *p, struct lesson *l)
{
	for (size_t i = 0; i < l->nex; i++) {
		struct store_status st;
		progress_status(p, l, &l->ex[i], &st);
		const char *mark = st.passed ? (s->ro.utf8 ? "✓" : "+") : st.stale ? "~" : st.attempts ? (s->ro.utf8 ? "✗" : "x") : " ";
		struct sbuf sb = SBUF_INIT;
		sbuf_addf(&sb, "      %s %-16s %s", mark, l->ex[i].id, status_word(&st));
		if (st.attempts)
			sbuf_addf(&sb, ", %d attempt%s", st.attempts, st.attempts == 1 ? "" : "s");
		if (st.hints)
			sbuf_addf(&sb, ", %d hint%s", st.hints, st.hints == 1 ? "" : "s");
		if (st.solution)
			sbuf_adds(&sb, ", solution seen");
		say(s, "%s", sb.buf);
		sbuf_free(&sb);
	}
}

static void json_tally(struct sbuf *j, const struct tally *t)
{
	sbuf_addf(j, "\"exercises\":%d,\"passed\":%d,\"stale\":%d,\"skipped\":%d,\"hints\":%d,"
		     "\"seconds\":%lld",
		  t->exercises, t->passed, t->stale, t->skipped, t->hints, (long long)t->seconds);
}

static void json_lesson(struct sbuf *j, const struct store_progress *p, struct lesson *l,
			const struct tally *t)
{
	sbuf_adds(j, "{\"id\":");
	jsonl_quote(j, l->id, strlen(l->id));
	sbuf_addc(j, ',');
	json_tally(j, t);
	sbuf_adds(j, ",\"items\":[");
	for (size_t i = 0; i < l->nex; i++) {
		struct store_status st;
		progress_status(p, l, &l->ex[i], &st);
		char *id = xasprintf("%s/%s", l->id, l->ex[i].id);
		sbuf_adds(j, i ? ",{\"id\":" : "{\"id\":");
		jsonl_quote(j, id, strlen(id));
		free(id);
		sbuf_addf(j, ",\"status\":\"%s\",\"attempts\":%d,\"best_score\":", status_word(&st),
			  st.attempts);
		struct sbuf num = SBUF_INIT;
		jsonl_num(&num, "x", st.best_score); /* the shortest exact form */
		sbuf_adds(j, strchr(num.buf, ':') + 1);
		sbuf_free(&num);
		sbuf_addf(j, ",\"hints\":%d,\"solution\":%s,\"passed_at\":%lld}", st.hints,
			  st.solution ? "true" : "false", (long long)st.passed_at);
	}
	sbuf_adds(j, "]}");
}

int cmd_progress(struct session *s, int argc, char **argv)
{
	bool json = take_flag(&argc, argv, "--json");
	if (argc > 2)
		return command_usage(s, argv[0]);
	struct store *st = session_store(s, true);
	if (!st)
		return EXIT_USAGE;
	const char *focus = argc == 2 ? argv[1] : NULL;
	if (focus && !catalog_module(&s->cat, focus) && !catalog_lesson(&s->cat, focus)) {
		char *err = NULL;
		struct lesson *l = catalog_resolve(&s->cat, focus, &err);
		if (!l) {
			say_error(s, "%s", err);
			free(err);
			return EXIT_USAGE;
		}
		focus = l->id;
	}
	struct store_progress p = {0};
	if (store_progress_load(st, NULL, &p) != STORE_OK) {
		say_error(s, "%s", store_errmsg(st));
		return EXIT_USAGE;
	}
	if (progress_regrade(s, &p) > 0) { /* stale passes that still hold were recorded again */
		store_progress_free(&p);
		if (store_progress_load(st, NULL, &p) != STORE_OK) {
			say_error(s, "%s", store_errmsg(st));
			return EXIT_USAGE;
		}
	}
	struct tally all = {0};
	struct sbuf j = SBUF_INIT, mods = SBUF_INIT;
	for (size_t m = 0; m < s->cat.nmod; m++) {
		struct module *mod = &s->cat.mods[m];
		struct tally tm = {0};
		struct sbuf les = SBUF_INIT;
		for (size_t i = 0; i < mod->n; i++) {
			struct lesson *l = s->cat.lessons[mod->first + i];
			struct tally tl = {0};
			progress_lesson(s, &p, l, true, &tl);
			tally_add(&tm, &tl);
			if (json) {
				if (i)
					sbuf_addc(&les, ',');
				json_lesson(&les, &p, l, &tl);
			}
		}
		tally_add(&all, &tm);
		if (json) {
			sbuf_adds(&mods, m ? ",{\"id\":" : "{\"id\":");
			jsonl_quote(&mods, mod->id, strlen(mod->id));
			sbuf_addc(&mods, ',');
			json_tally(&mods, &tm);
			sbuf_addf(&mods, ",\"lessons\":[%s]}", sbuf_str(&les));
		}
		sbuf_free(&les);
	}
	if (json) {
		sbuf_adds(&j, "{\"profile\":");
		jsonl_quote(&j, store_profile(st), strlen(store_profile(st)));
		sbuf_addc(&j, ',');
		json_tally(&j, &all);
		sbuf_addf(&j, ",\"modules\":[%s]}\n", sbuf_str(&mods));
		fputs(j.buf, stdout);
		sbuf_free(&j);
		sbuf_free(&mods);
		store_progress_free(&p);
		return EXIT_OK;
	}
	struct sbuf head = SBUF_INIT;
	sbuf_addf(&head, "%s: %d of %d exercises passed", store_profile(st), all.passed,
		  all.exercises);
	if (all.hints)
		sbuf_addf(&head, ", %d hint%s used", all.hints, all.hints == 1 ? "" : "s");
	if (all.seconds) {
		sbuf_adds(&head, ", ");
		progress_duration(&head, all.seconds);
		sbuf_adds(&head, " spent");
	}
	say(s, "%s", head.buf);
	sbuf_free(&head);
	for (size_t m = 0; m < s->cat.nmod; m++) {
		struct module *mod = &s->cat.mods[m];
		bool open = focus && (strcmp(focus, mod->id) == 0 ||
				      strncmp(focus, mod->id, strlen(mod->id)) == 0);
		struct tally tm = {0};
		for (size_t i = 0; i < mod->n; i++)
			progress_lesson(s, &p, s->cat.lessons[mod->first + i], true, &tm);
		tally_line(s, mod->id, &tm, 14);
		if (!open)
			continue;
		for (size_t i = 0; i < mod->n; i++) {
			struct lesson *l = s->cat.lessons[mod->first + i];
			struct tally tl = {0};
			progress_lesson(s, &p, l, true, &tl);
			tally_line(s, l->id, &tl, 26);
			if (strcmp(focus, l->id) == 0 || strcmp(focus, mod->id) == 0)
				exercise_lines(s, &p, l);
		}
	}
	if (all.stale)
		say_note(s, "Stale: passed under an older version of the exercise's check; answer "
			    "again to bring it up to date.");
	if (!focus)
		say_note(s, "`progress MODULE` or `progress LESSON` shows the detail.");
	store_progress_free(&p);
	return EXIT_OK;
}

/* ---- continue ---- */

int cmd_continue(struct session *s, int argc, char **argv)
{
	if (argc != 1)
		return command_usage(s, argv[0]);
	struct store *st = session_store(s, false);
	struct store_progress p = {0};
	if (st && store_progress_load(st, NULL, &p) != STORE_OK)
		st = NULL;
	for (size_t i = 0; i < s->cat.nles; i++) {
		struct lesson *l = catalog_parse(&s->cat, s->cat.lessons[i]);
		for (size_t k = 0; k < l->nex; k++) {
			struct store_status ss = {0};
			if (st)
				progress_status(&p, l, &l->ex[k], &ss);
			if (!ss.passed) {
				store_progress_free(&p);
				session_open(s, l, l->ex[k].step);
				return EXIT_OK;
			}
		}
	}
	store_progress_free(&p);
	say_note(s, "You have passed every exercise of the course.");
	return EXIT_OK;
}

/* ---- reset and restore ---- */

static void describe_change(struct sbuf *sb, const struct store_change *c)
{
	const char *sep = "";
#define PART(n, word)                                                                  \
	if (n) {                                                                       \
		sbuf_addf(sb, "%s%d " word "%s", sep, n, n == 1 ? "" : "s");           \
		sep = ", ";                                                            \
	}
	PART(c->completions, "completion")
	PART(c->attempts, "attempt")
	PART(c->hints, "hint")
	PART(c->solutions, "revealed solution")
	PART(c->skips, "skip")
#undef PART
	if (!*sep)
		sbuf_adds(sb, "nothing");
}

/* Whether exercise id ID is TARGET or under it ("all" holds everything). */
static bool in_target(const char *target, const char *id)
{
	size_t n = strlen(target);
	return strcmp(target, "all") == 0 || strcmp(target, id) == 0 ||
	       (strncmp(id, target, n) == 0 && id[n] == '/');
}

/* The code exercises of the course in TARGET: lessons and exercises into
 * *LS and *ES (new arrays), their number. */
static size_t code_exercises(struct session *s, const char *target, struct lesson ***ls,
			     struct exercise ***es)
{
	size_t n = 0;
	*ls = NULL;
	*es = NULL;
	for (size_t i = 0; i < s->cat.nles; i++) {
		struct lesson *l = s->cat.lessons[i];
		size_t k = strlen(l->id);
		bool maybe = strcmp(target, "all") == 0 || strncmp(l->id, target, strlen(target)) == 0 ||
			     (strncmp(target, l->id, k) == 0 && target[k] == '/');
		if (!maybe)
			continue;
		catalog_parse(&s->cat, l);
		for (size_t j = 0; j < l->nex; j++) {
			char *id = exercise_full_id(l, &l->ex[j]);
			if (l->ex[j].kind == EX_CODE && in_target(target, id)) {
				*ls = xrealloc(*ls, (n + 1) * sizeof **ls);
				*es = xrealloc(*es, (n + 1) * sizeof **es);
				(*ls)[n] = l;
				(*es)[n++] = &l->ex[j];
			}
			free(id);
		}
	}
	return n;
}

/* After a reset made at STAMP: the files of TARGET's code exercises back to
 * their starters, the learner's kept aside. */
static void reset_files(struct session *s, const char *target, int64_t stamp)
{
	struct lesson **ls;
	struct exercise **es;
	size_t n = code_exercises(s, target, &ls, &es);
	for (size_t i = 0; i < n; i++) {
		char *err = NULL;
		int rc = workspace_set_aside(ls[i], es[i], stamp, &err);
		char *path = workspace_path(ls[i], es[i]);
		if (rc < 0)
			say_error(s, "%s", err);
		else if (rc > 0)
			say(s, "Your file %s is back to the starter; yours is kept (`restore %s` "
			       "brings it back).", path, target);
		free(path);
		free(err);
	}
	free(ls);
	free(es);
}

/* After a restore that undid the resets of C: the files they set aside in
 * TARGET back in place (the newest kept version of each). */
static void restore_files(struct session *s, const char *target, const struct store_change *c)
{
	struct lesson **ls;
	struct exercise **es;
	size_t n = code_exercises(s, target, &ls, &es);
	int64_t now = (int64_t)time(NULL) * 1000;
	for (size_t i = 0; i < n; i++) {
		char *id = exercise_full_id(ls[i], es[i]);
		/* newest first: the reset being undone, then the older ones */
		for (size_t k = 0; k <= c->nundone; k++) {
			const char *rt = k == 0 ? c->reset_target : c->undone[c->nundone - k].target;
			int64_t at = k == 0 ? c->reset_at : c->undone[c->nundone - k].at;
			if (!rt || !in_target(rt, id))
				continue;
			char *err = NULL;
			bool displaced = false;
			int rc = workspace_bring_back(ls[i], es[i], at, now, &displaced, &err);
			char *path = workspace_path(ls[i], es[i]);
			if (rc < 0)
				say_error(s, "%s", err);
			else if (rc > 0)
				say(s, "Your file %s is back as it was before the reset%s.", path,
				    displaced ? " (what you wrote since is kept aside in the "
						"workspace's .kept folder)"
					      : "");
			free(path);
			free(err);
			if (rc > 0)
				break;
		}
		free(id);
	}
	free(ls);
	free(es);
}

int cmd_reset(struct session *s, int argc, char **argv)
{
	bool yes = take_flag(&argc, argv, "--yes") | take_flag(&argc, argv, "-y");
	if (argc != 2)
		return command_usage(s, argv[0]);
	struct store *st = session_store(s, true);
	if (!st || check_target(s, st, argv[1]) != 0)
		return EXIT_USAGE;
	struct store_change c = {0};
	if (store_reset_preview(st, argv[1], &c) != STORE_OK) {
		say_error(s, "%s", store_errmsg(st));
		return EXIT_USAGE;
	}
	if (!c.events) {
		say(s, "Nothing to reset in %s.", argv[1]);
		store_change_free(&c);
		return EXIT_OK;
	}
	struct sbuf what = SBUF_INIT;
	describe_change(&what, &c);
	store_change_free(&c);
	if (!yes) {
		if (!s->in_repl && !isatty(0)) {
			say_error(s, "reset %s would hide %s; add --yes to do it", argv[1], what.buf);
			sbuf_free(&what);
			return EXIT_USAGE;
		}
		char *q = xasprintf("Reset %s: %s? (attempts stay in `history`; `restore %s` undoes it)",
				    argv[1], what.buf, argv[1]);
		bool ok = session_confirm(s, q);
		free(q);
		if (!ok) {
			say(s, "Nothing was reset.");
			sbuf_free(&what);
			return EXIT_OK;
		}
	}
	sbuf_free(&what);
	if (store_reset(st, argv[1], &c) != STORE_OK) {
		say_error(s, "%s", store_errmsg(st));
		return EXIT_USAGE;
	}
	struct sbuf done = SBUF_INIT;
	describe_change(&done, &c);
	say(s, "Reset %s: %s. `restore %s` brings it back.", argv[1], done.buf, argv[1]);
	sbuf_free(&done);
	reset_files(s, argv[1], c.reset_at);
	store_change_free(&c);
	s->retry_ex = NULL;
	return EXIT_OK;
}

int cmd_restore(struct session *s, int argc, char **argv)
{
	if (argc != 2)
		return command_usage(s, argv[0]);
	struct store *st = session_store(s, true);
	if (!st || check_target(s, st, argv[1]) != 0)
		return EXIT_USAGE;
	struct store_change c = {0};
	if (store_restore(st, argv[1], &c) != STORE_OK) {
		say_error(s, "%s", store_errmsg(st));
		return EXIT_USAGE;
	}
	if (!c.events) {
		say(s, "No reset to undo in %s.", argv[1]);
	} else {
		struct sbuf what = SBUF_INIT;
		describe_change(&what, &c);
		sbuf_addf(&what, " (undoing the reset of %s", c.reset_target);
		for (size_t i = 0; i < c.nundone; i++)
			sbuf_addf(&what, "%s%s", i == 0 ? ", and before it of " : ", ",
				  c.undone[i].target);
		sbuf_adds(&what, ")");
		say(s, "Restored %s: %s.", argv[1], what.buf);
		sbuf_free(&what);
		restore_files(s, argv[1], &c);
	}
	store_change_free(&c);
	return EXIT_OK;
}

int cmd_retry(struct session *s, int argc, char **argv)
{
	if (argc > 2)
		return command_usage(s, argv[0]);
	if (argc == 2) {
		struct lesson *l = NULL;
		struct exercise *e = catalog_exercise(&s->cat, argv[1], &l);
		if (!e) {
			say_no_exercise(s, argv[1]);
			return EXIT_USAGE;
		}
		s->lesson = l;
		s->step = e->step;
	}
	struct exercise *e = session_exercise(s);
	if (!e) {
		say_error(s, "retry works at an exercise (or name one: retry module/lesson/exercise)");
		return EXIT_USAGE;
	}
	s->retry_ex = e;
	say_note(s, "Answer again: your pass stays recorded whatever happens now.");
	session_show_step(s);
	return EXIT_OK;
}

/* ---- history ---- */

/* Newlines in S that are not its last character. */
static size_t count_lines(const char *s)
{
	size_t n = 0;
	for (const char *p = s; (p = strchr(p, '\n')); p++)
		n += p[1] != '\0';
	return n;
}

static void format_time(struct sbuf *sb, int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	char buf[32];
	if (ms < 0 || ms > STORE_MAX_AT_MS || !localtime_r(&t, &tm) ||
	    !strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm))
		snprintf(buf, sizeof buf, "(no date)"); /* a file from before the checks */
	sbuf_adds(sb, buf);
}

/* A typed answer for a listing, at most MAX columns: on one line, quoted
 * with a quote it does not hold, cut with "…" when long. */
static void add_answer(struct sbuf *sb, const char *sub, int max)
{
	const char *q = !strchr(sub, '"') ? "\"" : !strchr(sub, '\'') ? "'" : "";
	struct sbuf one = SBUF_INIT;
	for (const char *p = sub; *p; p++)
		sbuf_addc(&one, *p == '\n' || *p == '\t' ? ' ' : *p);
	size_t room = max > 8 ? (size_t)max - 2 * strlen(q) : 6;
	if (utf8_width(one.buf, one.len) > room) {
		size_t n = 0, cols = 0;
		while (n < one.len && cols + 1 < room) { /* whole characters */
			size_t k = 1;
			while (n + k < one.len && ((unsigned char)one.buf[n + k] & 0xC0) == 0x80)
				k++;
			cols += utf8_width(one.buf + n, k);
			n += k;
		}
		sbuf_truncate(&one, n);
		sbuf_adds(&one, "…");
	}
	sbuf_addf(sb, "%s%s%s", q, one.buf, q);
	sbuf_free(&one);
}

int cmd_history(struct session *s, int argc, char **argv)
{
	if (argc > 2)
		return command_usage(s, argv[0]);
	struct store *st = session_store(s, true);
	if (!st)
		return EXIT_USAGE;
	const char *target = argc == 2 ? argv[1] : NULL;
	if (target && check_target(s, st, target) != 0)
		return EXIT_USAGE;
	if (!target && s->in_repl && session_exercise(s)) {
		static char buf[512];
		snprintf(buf, sizeof buf, "%s/%s", s->lesson->id, session_exercise(s)->id);
		target = buf;
	}
	struct store_history h = {0};
	if (store_history(st, target, &h) != STORE_OK) {
		say_error(s, "%s", store_errmsg(st));
		return EXIT_USAGE;
	}
	if (!h.n)
		say(s, "No attempts%s%s yet.", target ? " at " : "", target ? target : "");
	/* one exercise: its id once, above; several: a column as wide as the
	 * longest id */
	int idw = 0;
	bool one = true;
	for (size_t i = 0; i < h.n; i++) {
		int n = (int)strlen(h.v[i].exercise);
		idw = n > idw ? n : idw;
		one = one && strcmp(h.v[i].exercise, h.v[0].exercise) == 0;
	}
	if (h.n && one)
		say(s, "%s:", h.v[0].exercise);
	int width = s->ro.width > 0 ? s->ro.width : 80;
	int vw = 6; /* "passed", "failed", or "re-graded" */
	for (size_t i = 0; i < h.n; i++)
		if (h.v[i].feedback && strncmp(h.v[i].feedback, "Re-graded", 9) == 0)
			vw = 9;
	for (size_t i = 0; i < h.n; i++) {
		const struct store_attempt *a = &h.v[i];
		struct sbuf head = SBUF_INIT, detail = SBUF_INIT, out = SBUF_INIT;
		const char *indent = one ? "  " : "";
		sbuf_adds(&head, indent);
		format_time(&head, a->at);
		bool regraded = a->feedback && strncmp(a->feedback, "Re-graded", 9) == 0;
		sbuf_addf(&head, "  %-*s", vw, regraded ? "re-graded" : a->passed ? "passed" : "failed");
		size_t date_verdict = head.len;
		if (!one)
			sbuf_addf(&head, "  %-*s", idw, a->exercise);
		const char *sub = a->submission ? a->submission : "";
		bool code = strchr(sub, '\n') != NULL;
		struct sbuf tail = SBUF_INIT;
		if (a->score > 0 && a->score < 1)
			sbuf_addf(&tail, " (%.0f%%)", a->score * 100);
		if (a->reset)
			sbuf_adds(&tail, " [reset]");
		int hw = (int)utf8_width(head.buf, head.len);
		if (code)
			sbuf_addf(&detail, "%zu lines, seed %llu", (size_t)1 + count_lines(sub),
				  (unsigned long long)a->seed);
		else if (*sub && hw + 2 + 12 + (int)tail.len <= width)
			add_answer(&detail, sub, width - hw - 2 - (int)tail.len);
		int dw = (int)utf8_width(detail.buf ? detail.buf : "", detail.len);
		if (hw + 2 + dw + (int)tail.len <= width) { /* one line */
			sbuf_add(&out, head.buf, head.len);
			if (dw)
				sbuf_addf(&out, "  %s", detail.buf);
			sbuf_adds(&out, tail.buf ? tail.buf : "");
		} else { /* narrow: the id and the answer on lines of their own */
			if (hw <= width) {
				sbuf_add(&out, head.buf, head.len);
			} else {
				sbuf_add(&out, head.buf, date_verdict);
				sbuf_addf(&out, "\n%s  %s", indent, a->exercise);
			}
			sbuf_adds(&out, tail.buf ? tail.buf : "");
			if (!code && *sub) {
				sbuf_truncate(&detail, 0);
				add_answer(&detail, sub, width - 4 - (int)strlen(indent));
			}
			if (detail.len)
				sbuf_addf(&out, "\n%s    %s", indent, detail.buf);
		}
		while (out.len && out.buf[out.len - 1] == ' ')
			sbuf_truncate(&out, out.len - 1);
		say(s, "%s", out.buf);
		sbuf_free(&tail);
		sbuf_free(&head);
		sbuf_free(&detail);
		sbuf_free(&out);
	}
	store_history_free(&h);
	return EXIT_OK;
}

/* ---- export and import ---- */

int cmd_export(struct session *s, int argc, char **argv)
{
	if (argc > 2)
		return command_usage(s, argv[0]);
	struct store *st = session_store(s, true);
	if (!st)
		return EXIT_USAGE;
	/* a path must name a regular file or a new one (a FIFO would wait for
	 * a reader, a device swallow the export); a pipe is "-" */
	FILE *out = stdout;
	if (argc == 2 && strcmp(argv[1], "-") != 0) {
		char *why = NULL;
		int fd = files_create_regular(argv[1], 0666, &why);
		out = fd < 0 ? NULL : fdopen(fd, "w");
		if (!out) {
			say_error(s, "%s: %s%s", argv[1], why ? why : strerror(errno),
				  why ? " (export - writes to standard output, a pipe too)" : "");
			if (fd >= 0)
				close(fd);
			free(why);
			return EXIT_USAGE;
		}
	}
	int rc = store_export(st, out);
	if (out != stdout && fclose(out) != 0)
		rc = STORE_EIO;
	if (rc != STORE_OK) {
		say_error(s, "export failed: %s", store_errmsg(st));
		return EXIT_USAGE;
	}
	if (out != stdout)
		say(s, "Exported the progress of %s to %s.", store_profile(st), argv[1]);
	return EXIT_OK;
}

int cmd_import(struct session *s, int argc, char **argv)
{
	if (argc != 2)
		return command_usage(s, argv[0]);
	struct store *st = session_store(s, true);
	if (!st)
		return EXIT_USAGE;
	/* a path must name a regular file (a FIFO would wait for a writer, a
	 * device never end); a pipe comes in as "-" */
	FILE *in = stdin;
	if (strcmp(argv[1], "-") != 0) {
		char *why = NULL;
		int fd = files_open_regular(argv[1], &why);
		in = fd < 0 ? NULL : fdopen(fd, "r");
		if (!in) {
			say_error(s, "%s: %s%s", argv[1], why ? why : strerror(errno),
				  why ? " (import - reads standard input, a pipe too)" : "");
			if (fd >= 0)
				close(fd);
			free(why);
			return EXIT_USAGE;
		}
	}
	struct store_import_stats stats = {0};
	int rc = store_import(st, in, argv[1], &stats);
	if (in != stdin)
		fclose(in);
	if (rc != STORE_OK) {
		say_error(s, "%s (nothing was imported)", store_errmsg(st));
		return EXIT_USAGE;
	}
	int lines = stats.added + stats.duplicates + stats.updated + stats.kept + stats.derived;
	say(s, "Imported %s: %d line%s. Records: %d added, %d already here. Position and time "
	       "spent: %d updated, %d not newer than here. Completions: %d (derived from the "
	       "attempts, not stored).",
	    argv[1], lines, lines == 1 ? "" : "s", stats.added, stats.duplicates, stats.updated,
	    stats.kept, stats.derived);
	return EXIT_OK;
}
