/*
 * session.c — the course, the learner's position, and how the front end
 * talks: messages, steps, the prompt. See session.h.
 */
#include "repl/session.h"
#include "repl/term.h"
#include "repl/wrap.h"
#include "engine/base/utf8.h"
#include "engine/base/sbuf.h"
#include "engine/exercise.h"
#include "engine/store.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

volatile sig_atomic_t interrupted;


/* The columns of the terminal (or of COLUMNS, or 80) messages wrap to. */
static int message_width(const struct session *s)
{
	return s->ro.width > 0 ? s->ro.width : TERM_DEFAULT_WIDTH;
}

void say_wrapped(struct session *s, FILE *f, const char *text, unsigned style)
{
	int width = message_width(s);
	/* the common case, one short line: as it is */
	if (!*text) {
		fputs("\n", f);
		return;
	}
	if (!strchr(text, '\n') && utf8_width(text, strlen(text)) <= (size_t)width &&
	    !(s->ro.color && style)) {
		fprintf(f, "%s\n", text);
		return;
	}
	struct sbuf out = SBUF_INIT;
	struct wrap w;
	wrap_init(&w, &out, width, s->ro.color);
	for (const char *line = text; line && *line;) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);
		size_t lead = 0;
		while (lead < n && line[lead] == ' ')
			lead++;
		char ind[32];
		size_t k = lead < sizeof ind - 1 && (int)lead < width / 2 ? lead : 0;
		memset(ind, ' ', k);
		ind[k] = '\0';
		if (k)
			wrap_push(&w, ind, 0, ind, 0); /* continuation lines keep the indentation */
		if (lead == n)
			wrap_break(&w);
		else
			wrap_code(&w, line + k, n - k, style);
		wrap_cr(&w);
		if (k)
			wrap_pop(&w);
		line = nl ? nl + 1 : NULL;
	}
	wrap_finish(&w);
	fputs(sbuf_str(&out), f);
	sbuf_free(&out);
}

static void vsay(struct session *s, FILE *f, const char *pre, unsigned style, const char *fmt,
		 va_list ap)
{
	struct sbuf sb = SBUF_INIT, safe = SBUF_INIT;
	sbuf_adds(&sb, pre);
	sbuf_vaddf(&sb, fmt, ap);
	term_escape(&safe, sb.buf, sb.len);           /* names, messages: not ours */
	say_wrapped(s, f, sbuf_str(&safe), style);
	sbuf_free(&sb);
	sbuf_free(&safe);
}

void say(struct session *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsay(s, stdout, "", 0, fmt, ap);
	va_end(ap);
}

void say_error(struct session *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (s->in_repl)
		vsay(s, stdout, "", WRAP_FG(1), fmt, ap);
	else
		vsay(s, stderr, "backlab: ", 0, fmt, ap);
	va_end(ap);
}

void say_note(struct session *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsay(s, stdout, "", WRAP_DIM, fmt, ap);
	va_end(ap);
}

bool session_confirm(struct session *s, const char *question)
{
	printf("%s [y/N] ", question);
	fflush(stdout);
	char line[64];
	if (!fgets(line, sizeof line, stdin)) {
		fputs("\n", stdout);
		return false;
	}
	if (!s->interactive)
		printf("%s", line);
	return line[0] == 'y' || line[0] == 'Y';
}

/* "no exercise X", with the exercises of its lesson when the lesson exists. */
void say_no_exercise(struct session *s, const char *id)
{
	const char *slash = strrchr(id, '/');
	struct lesson *l = NULL;
	if (slash) {
		char *lid = xstrndup(id, (size_t)(slash - id));
		l = catalog_lesson(&s->cat, lid);
		free(lid);
	}
	if (!l) {
		say_error(s, "no exercise '%s' (ids look like module/lesson/exercise)", id);
		return;
	}
	if (!l->nscan_ids) {
		say_error(s, "no exercise '%s' in %s: it has no exercises", slash + 1, l->id);
		return;
	}
	struct sbuf ids = SBUF_INIT;
	for (size_t i = 0; i < l->nscan_ids; i++)
		sbuf_addf(&ids, "%s%s", i ? ", " : "", l->scan_ids[i]);
	say_error(s, "no exercise '%s' in %s (its exercises: %s)", slash + 1, l->id, ids.buf);
	sbuf_free(&ids);
}

void say_markdown(struct session *s, const char *md)
{
	struct sbuf sb = SBUF_INIT;
	render_markdown(&sb, md, strlen(md), &s->ro);
	fputs(sbuf_str(&sb), stdout);
	sbuf_free(&sb);
}

int session_course(struct session *s)
{
	if (s->cat_loaded)
		return 0;
	char *err = NULL;
	if (catalog_load(&s->cat, s->lessons_dir, &err) != 0) {
		say_error(s, "cannot open the course: %s", err);
		free(err);
		catalog_free(&s->cat);
		return -1;
	}
	s->cat_loaded = true;
	return 0;
}

struct exercise *session_exercise(struct session *s)
{
	if (!s->lesson || !s->lesson->parsed || s->step < 0 || (size_t)s->step >= s->lesson->nstep)
		return NULL;
	int e = s->lesson->steps[s->step].exercise;
	return e >= 0 ? &s->lesson->ex[e] : NULL;
}

static void print_diags(struct session *s, const struct diags *d)
{
	for (size_t i = 0; i < d->n; i++) {
		char *m = diag_format(&d->v[i]);
		say_error(s, "%s", m);
		free(m);
	}
}

bool session_status(struct session *s, const struct lesson *l, const struct exercise *e,
		    struct store_status *st)
{
	memset(st, 0, sizeof *st);
	struct store *db = session_store(s, false);
	if (!db)
		return false;
	char *id = xasprintf("%s/%s", l->id, e->id);
	char *hash = exercise_check_hash(e);
	int rc = store_status(db, id, hash, st);
	free(hash);
	free(id);
	if (rc == STORE_OK && st->stale)
		exercise_regrade(db, l, e, st); /* a stale pass that still holds is kept */
	return rc == STORE_OK;
}

/* What to do at an exercise, in one line under it. */
static void exercise_footer(struct session *s, const struct exercise *e)
{
	struct store_status st;
	if (s->retry_ex != e && session_status(s, s->lesson, e, &st)) {
		if (st.passed) {
			say_note(s, "%s You passed this exercise. `retry` answers it again; `next` "
				    "moves on.", s->ro.utf8 ? "✓" : "+");
			return;
		}
		if (st.stale)
			say_note(s, "You passed an older version of this exercise; its check has "
				    "changed since. Answer again to bring it up to date.");
	}
	switch (e->kind) {
	case EX_CHOICE:
		say_note(s, "Answer with a letter, a to %c%s.", CHOICE_LETTER(e->nchoice - 1),
			 e->nhint ? "; `hint` if you are stuck" : "");
		break;
	case EX_ANSWER:
		say_note(s, "Type your answer at the prompt%s.",
			 e->nhint ? "; `hint` if you are stuck" : "");
		break;
	case EX_CODE:
		say_note(s, "`edit` opens the starter in your editor; `check` grades it%s.",
			 e->nhint ? "; `hint` if you are stuck" : "");
		break;
	}
}

void session_show_step(struct session *s)
{
	struct lesson *l = s->lesson;
	if (!l) {
		say_note(s, "No lesson open: `lessons` lists them, `open ID` opens one.");
		return;
	}
	s->ro.width = term_width(1);
	if (l->diags.n)
		print_diags(s, &l->diags);
	if (!l->nstep) {
		say_error(s, "%s cannot be shown.", l->id);
		return;
	}
	const struct step *st = &l->steps[s->step];
	struct sbuf sb = SBUF_INIT;
	render_blocks(&sb, st->first, st->end, &s->ro);
	fputs("\n", stdout);
	fputs(sbuf_str(&sb), stdout);
	fputs("\n", stdout);
	sbuf_free(&sb);
	struct exercise *e = session_exercise(s);
	if (e) {
		exercise_footer(s, e);
	} else if ((size_t)s->step + 1 < l->nstep) {
		say_note(s, "%s next: %s (%d/%zu)", s->ro.utf8 ? "▸" : ">",
			 l->steps[s->step + 1].title, s->step + 2, l->nstep);
	} else {
		long i = catalog_index(&s->cat, l);
		if (i >= 0 && (size_t)i + 1 < s->cat.nles)
			say_note(s, "%s end of %s; next lesson: %s", s->ro.utf8 ? "▸" : ">", l->id,
				 s->cat.lessons[i + 1]->id);
		else
			say_note(s, "This is the last step of the course.");
	}
}

int session_lesson_tally(struct session *s, struct lesson *l, struct sbuf *open)
{
	catalog_parse(&s->cat, l);
	int passed = 0;
	for (size_t i = 0; i < l->nex; i++) {
		struct store_status st;
		session_status(s, l, &l->ex[i], &st);
		if (st.passed) {
			passed++;
		} else if (open) {
			sbuf_addf(open, "%s%s/%s%s", open->len ? ", " : "", l->id, l->ex[i].id,
				  st.skipped ? " (skipped)" : st.stale ? " (stale)" : "");
		}
	}
	return passed;
}

void session_open(struct session *s, struct lesson *l, int step)
{
	catalog_parse(&s->cat, l);
	struct lesson *from = s->lesson;
	s->lesson = l;
	if (step < 0 || (size_t)step >= l->nstep)
		step = 0;
	s->step = step;
	if (step == 0) {
		/* what it builds on, unless just read, or done */
		for (char **r = l->front.requires; *r; r++) {
			struct lesson *req = catalog_lesson(&s->cat, *r);
			if (!req || req == from || req == l)
				continue;
			catalog_parse(&s->cat, req);
			if (req->nex && session_lesson_tally(s, req, NULL) == (int)req->nex)
				continue;
			say_note(s, "This lesson builds on %s (%s).", req->id,
				 req->front.title ? req->front.title : req->id);
		}
	}
	session_show_step(s);
}

const char *session_prompt(struct session *s)
{
	static char buf[256];
	if (!s->lesson) {
		snprintf(buf, sizeof buf, "backlab> ");
		return buf;
	}
	struct exercise *e = session_exercise(s);
	const char *what = "";
	char tmp[32];
	struct store_status st;
	if (e && s->retry_ex != e && session_status(s, s->lesson, e, &st) && st.passed) {
		what = s->ro.utf8 ? " ✓" : " done";
	} else if (e) {
		switch (e->kind) {
		case EX_CHOICE:
			snprintf(tmp, sizeof tmp, " a-%c", CHOICE_LETTER(e->nchoice - 1));
			what = tmp;
			break;
		case EX_ANSWER:
			what = " answer";
			break;
		case EX_CODE:
			what = " code";
			break;
		}
	}
	snprintf(buf, sizeof buf, "%s %d/%zu%s> ", s->lesson->id, s->step + 1,
		 s->lesson->nstep ? s->lesson->nstep : 1, what);
	return buf;
}

struct store *session_store(struct session *s, bool required)
{
	if (s->store || s->store_tried) {
		if (!s->store && required)
			say_error(s, "cannot use your progress: the database could not be opened");
		return s->store;
	}
	s->store_tried = true;
	char *path = s->db_path ? xstrdup(s->db_path) : store_default_path();
	char *profile = s->profile ? xstrdup(s->profile) : store_default_profile();
	if (!path) {
		if (required)
			say_error(s, "no place for the progress database: set HOME, or use --db PATH");
		else
			say_note(s, "Progress is not saved: no HOME (use --db PATH).");
		free(profile);
		return NULL;
	}
	struct store *st = NULL;
	int rc = store_open(&st, path, profile);
	if (rc == STORE_EREADONLY) { /* still readable: progress, history, export work */
		struct store *ro = NULL;
		if (store_open_readonly(&ro, path, profile) == STORE_OK) {
			/* (on stderr from the shell: export writes its lines to stdout) */
			if (s->in_repl)
				say_note(s, "%s: read-only; your progress is shown, but nothing new is "
					    "saved.", path);
			else
				fprintf(stderr, "backlab: %s: read-only; your progress is shown, but "
						"nothing new is saved\n", path);
			store_close(st);
			st = ro;
			rc = STORE_OK;
		} else {
			store_close(ro);
		}
	}
	if (rc != STORE_OK) {
		if (required)
			say_error(s, "%s", store_errmsg(st));
		else
			say_error(s, "%s; progress is not saved in this session", store_errmsg(st));
		store_close(st);
		st = NULL;
	}
	free(path);
	free(profile);
	s->store = st;
	return st;
}

/* Gaps longer than this count as this much: the learner stepped away. */
#define IDLE_CAP 600

void session_touch(struct session *s)
{
	static char *saved_lesson;
	static int saved_step = -1;
	long long now = (long long)time(NULL);
	struct store *st = s->store;
	if (!st || !s->lesson) {
		s->active_at = now;
		return;
	}
	if (s->active_at && now > s->active_at) {
		long long gap = now - s->active_at;
		store_add_time(st, s->lesson->id, gap > IDLE_CAP ? IDLE_CAP : gap);
	}
	s->active_at = now;
	if (saved_step != s->step || !saved_lesson || strcmp(saved_lesson, s->lesson->id) != 0) {
		if (store_set_position(st, s->lesson->id, s->step) == STORE_OK) {
			free(saved_lesson);
			saved_lesson = xstrdup(s->lesson->id);
			saved_step = s->step;
		}
	}
}

int session_resume(struct session *s)
{
	struct store *st = session_store(s, false);
	char *id = NULL;
	int step = 0;
	if (!st || store_get_position(st, &id, &step) != STORE_OK || !id)
		return -1;
	struct lesson *l = catalog_lesson(&s->cat, id);
	free(id);
	if (!l)
		return -1;
	catalog_parse(&s->cat, l);
	say_note(s, "Welcome back. You were at %s, step %d of %zu.", l->id, step + 1,
		 l->nstep ? l->nstep : 1);
	session_open(s, l, step);
	return 0;
}
