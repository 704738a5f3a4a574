/* lint_rules.c — lint's rules about what learners would see; see lint_rules.h. */
#include "engine/lint_rules.h"
#include "engine/base/sbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- fences ---- */

static const char *const hidden_words[] = {"check", "starter", "solution", "wrong", "hint", NULL};

/* Languages a lesson may show as code (never run, except lua). */
static const char *const languages[] = {
	"lua", "text", "txt", "plain", "sql", "sh", "bash", "shell", "console", "http", "json",
	"yaml", "yml", "toml", "ini", "conf", "c", "h", "cpp", "go", "python", "py", "js",
	"javascript", "ts", "typescript", "rust", "java", "diff", "markdown", "md", "html", "xml",
	"css", "dockerfile", "nginx", "apache", "haproxy", "caddyfile", "make", "makefile", "csv",
	"redis", "graphql", "proto", "protobuf", "dns", "zone", "vcl", "hcl", "nix", "ruby", "php",
	"regex", "abnf", "asn1", "pem", "hex", NULL,
};

static bool in_list(const char *const *list, const char *w)
{
	for (; *list; list++)
		if (strcmp(*list, w) == 0)
			return true;
	return false;
}

/* The closest word of LIST to W within an edit distance of 2, or NULL. */
static const char *closest(const char *const *list, const char *w)
{
	const char *best = NULL;
	int bestd = 3;
	for (; *list; list++) {
		int d = catalog_distance(w, *list);
		if (d < bestd)
			bestd = d, best = *list;
	}
	return best;
}

char *lint_fence_problem(const char *info)
{
	char w1[32] = "", w2[32] = "";
	if (!info || sscanf(info, "%31s %31s", w1, w2) < 1)
		return NULL;
	if (in_list(hidden_words, w1) && strcmp(w1, "check") != 0)
		return NULL;
	if (strcmp(w1, "lua") == 0) {
		if (!*w2 || (in_list(hidden_words, w2)))
			return NULL;
		const char *near = closest(hidden_words, w2);
		return xasprintf("unknown block '```lua %s'%s%s%s; a `lua` block is a runnable example, "
				 "and `lua check`, `lua starter`, `lua solution` and `lua wrong` are hidden",
				 w2, near ? " (did you mean `lua " : "", near ? near : "", near ? "`?)" : "");
	}
	if (in_list(languages, w1))
		return NULL;
	const char *near = closest(hidden_words, w1);
	if (!near && strcmp(w1, "check") != 0)
		near = closest(languages, w1);
	if (strcmp(w1, "check") == 0)
		near = "lua check";
	return xasprintf("unknown block '```%s': learners would see it as code%s%s%s (hidden blocks "
			 "are check, starter, solution, wrong and hint; shown code names its language, "
			 "such as lua, text or sql)",
			 w1, near ? "; did you mean `" : "", near ? near : "", near ? "`?" : "");
}

/* ---- verdicts as one line ---- */

/* Appends S[0..N) with runs of whitespace made one space. */
static void add_squished(struct sbuf *sb, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '\n' || c == '\t' || c == '\r')
			c = ' ';
		if (c == ' ' && (!sb->len || sb->buf[sb->len - 1] == ' '))
			continue;
		sbuf_addc(sb, c);
	}
}

/* SB cut at a word boundary before MAX bytes (UTF-8 intact), with "…". */
static void cut_words(struct sbuf *sb, size_t max)
{
	while (sb->len && sb->buf[sb->len - 1] == ' ')
		sbuf_truncate(sb, sb->len - 1);
	if (sb->len <= max)
		return;
	size_t at = max;
	while (at > 0 && sb->buf[at] != ' ')
		at--;
	if (at < max / 2) { /* one long word: cut inside it, on a character */
		at = max;
		while (at > 0 && ((unsigned char)sb->buf[at] & 0xC0) == 0x80)
			at--;
	}
	sbuf_truncate(sb, at);
	while (sb->len && (sb->buf[sb->len - 1] == ' ' || sb->buf[sb->len - 1] == ','))
		sbuf_truncate(sb, sb->len - 1);
	sbuf_adds(sb, "…");
}

/* Where the first fenced code block of S starts (its first content line),
 * or NULL. */
static const char *code_block(const char *s, const char **end)
{
	const char *f = strstr(s, "```");
	if (!f)
		return NULL;
	const char *nl = strchr(f, '\n');
	if (!nl)
		return NULL;
	const char *close = strstr(nl + 1, "```");
	*end = close ? close : nl + 1 + strlen(nl + 1);
	return nl + 1;
}

char *lint_feedback_line(const char *feedback, size_t max, bool message_only)
{
	struct sbuf sb = SBUF_INIT;
	const char *fb = feedback ? feedback : "";
	const char *end = NULL;
	const char *code = code_block(fb, &end);
	/* the first paragraph, up to the fence of the code block if sooner */
	size_t intro = strlen(fb);
	const char *para = strstr(fb, "\n\n");
	const char *fence = strstr(fb, "```");
	if (para && (size_t)(para - fb) < intro)
		intro = (size_t)(para - fb);
	if (fence && (size_t)(fence - fb) < intro)
		intro = (size_t)(fence - fb);
	if (!code || !message_only)
		add_squished(&sb, fb, intro);
	if (code) {
		const char *nl = memchr(code, '\n', (size_t)(end - code));
		size_t n = nl ? (size_t)(nl - code) : (size_t)(end - code);
		if (sb.len && sb.buf[sb.len - 1] != ' ')
			sbuf_addc(&sb, ' ');
		add_squished(&sb, code, n);
	}
	cut_words(&sb, max);
	return sbuf_detach(&sb);
}

int lint_feedback_file_line(const char *feedback, const char *path)
{
	size_t n = strlen(path);
	for (const char *p = feedback ? strstr(feedback, path) : NULL; p; p = strstr(p + 1, path)) {
		if (p[n] != ':')
			continue;
		char *end;
		long line = strtol(p + n + 1, &end, 10);
		if (end > p + n + 1 && *end == ':' && line > 0 && line < 1000000)
			return (int)line;
	}
	return 0;
}

/* ---- answers a learner would type as commands ---- */

char *lint_answer_as_command(const char *text, const struct verdict *v,
			     const char *const *commands)
{
	if (v->answer_read)
		return NULL;
	while (*text == ' ' || *text == '\n')
		text++;
	size_t n = strcspn(text, " \n");
	const char *rest = text + n;
	while (*rest == ' ' || *rest == '\n')
		rest++;
	if (!n || (*rest && n < 2))
		return NULL;
	struct sbuf names = SBUF_INIT;
	int count = 0;
	const char *hit[64];
	for (const char *const *c = commands; *c; c++)
		if (strlen(*c) > n && strncasecmp(*c, text, n) == 0 && count < 64)
			hit[count++] = *c;
	for (int i = 0; i < count; i++)
		sbuf_addf(&names, "%s`%s`", i == 0 ? "" : i == count - 1 ? " and " : ", ", hit[i]);
	if (!count) {
		sbuf_free(&names);
		return NULL;
	}
	char *word = xstrndup(text, n);
	char *msg = xasprintf("a learner typing `%s` at the prompt is told it begins %s and nothing "
			      "is recorded; read the answer with expect(answer):word{...} (or "
			      ":number(), :numbers()) so the check understands it",
			      word, names.buf);
	free(word);
	sbuf_free(&names);
	return msg;
}

/* ---- the course ---- */

enum { WHITE, GREY, BLACK };

/* Depth-first search for cycles from lesson I; STACK holds the path. */
static void visit(const struct catalog *c, size_t i, int *color, size_t *stack, size_t depth,
		  struct diags *d)
{
	color[i] = GREY;
	stack[depth] = i;
	const struct lesson *l = c->lessons[i];
	for (char **r = l->front.requires; *r; r++) {
		long j = -1;
		for (size_t k = 0; k < c->nles; k++)
			if (strcmp(c->lessons[k]->id, *r) == 0)
				j = (long)k;
		if (j < 0 || (size_t)j == i)
			continue; /* unknown: the catalog says so; itself: below */
		if (color[j] == GREY) {
			struct sbuf path = SBUF_INIT;
			size_t from = 0;
			while (stack[from] != (size_t)j)
				from++;
			for (size_t k = from; k <= depth; k++)
				sbuf_addf(&path, "%s -> ", c->lessons[stack[k]]->id);
			sbuf_adds(&path, c->lessons[j]->id);
			for (size_t k = from; k <= depth; k++) {
				const struct lesson *on = c->lessons[stack[k]];
				diags_add(d, on->path, on->front.requires_line,
					  "`requires:` goes round in a circle: %s", path.buf);
			}
			sbuf_free(&path);
		} else if (color[j] == WHITE) {
			visit(c, (size_t)j, color, stack, depth + 1, d);
		}
	}
	color[i] = BLACK;
}

void lint_course_rules(const struct catalog *c, struct diags *d)
{
	if (c->nles == 0) {
		diags_add(d, c->root, 0,
			  "the course has no lessons (a course is folders NN-module/ holding module.md "
			  "and NN-lesson.md files; `backlab --lessons %s new module/lesson` starts one)",
			  c->root);
		return;
	}
	for (size_t i = 0; i < c->nles; i++) {
		const struct lesson *l = c->lessons[i];
		for (char **r = l->front.requires; *r; r++)
			if (strcmp(*r, l->id) == 0)
				diags_add(d, l->path, l->front.requires_line,
					  "the lesson requires itself ('%s'); `requires:` names the lessons "
					  "this one builds on",
					  *r);
	}
	int *color = xcalloc(c->nles, sizeof *color);
	size_t *stack = xcalloc(c->nles, sizeof *stack);
	for (size_t i = 0; i < c->nles; i++)
		if (color[i] == WHITE)
			visit(c, i, color, stack, 0, d);
	free(color);
	free(stack);
}
