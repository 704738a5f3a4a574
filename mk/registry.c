/*
 * registry.c — generate the `lab` registry from the namespaces' pages.
 *
 *   registry engine/concepts/cache/cache.md engine/concepts/hash/hash.md ... > lab_registry.c
 *
 * Each argument is the reference page NAME.md of a folder
 * engine/concepts/NAME/ whose binding defines `lab_ns_NAME`. The page starts
 * with a front matter:
 *
 *   ---
 *   summary: caches: eviction policies, hit ratios, write policies, stampedes
 *   version: 1.0.0
 *   uses: rand clock
 *   ---
 *
 * (summary and version required; uses lists the other concept folders the
 * namespace's C code includes, checked by tests/engine/test_layers.sh). The
 * output defines lab_registry[] (lab.h) in the order of the arguments, with
 * the page's text after the front matter. Errors are "file:line: message"
 * and exit status 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failed;

static void fail(const char *file, int line, const char *msg)
{
	fprintf(stderr, "%s:%d: %s\n", file, line, msg);
	failed = 1;
}

/* Writes S as a C string literal: printable ASCII as is, the rest escaped. */
static void literal(FILE *out, const char *s, size_t n)
{
	fputc('"', out);
	size_t col = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			col += (size_t)fprintf(out, "\\%c", c);
		else if (c == '\n')
			col += (size_t)fprintf(out, "\\n");
		else if (c >= 32 && c < 127 && c != '?') /* '?': no trigraphs */
			col += (size_t)fprintf(out, "%c", c);
		else
			col += (size_t)fprintf(out, "\\%03o", c);
		if (c == '\n' || col > 90) {
			fputs("\"\n\t\"", out);
			col = 0;
		}
	}
	fputc('"', out);
}

struct page {
	char name[64];
	char *summary, *version, *uses;
	char *body;
	size_t bodylen;
};

static char *trimdup(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	char *d = malloc(n + 1);
	if (!d)
		exit(2);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	size_t r;
	while (buf && (r = fread(buf + n, 1, cap - n - 1, f)) > 0) {
		n += r;
		if (cap - n - 1 == 0)
			buf = realloc(buf, cap *= 2);
	}
	fclose(f);
	if (!buf)
		exit(2);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static void read_page(const char *path, struct page *p)
{
	memset(p, 0, sizeof *p);
	/* NAME from engine/concepts/NAME/NAME.md */
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t bl = strlen(base);
	if (bl < 4 || strcmp(base + bl - 3, ".md") != 0 || bl - 3 >= sizeof p->name) {
		fail(path, 1, "a namespace page is named NAME.md");
		return;
	}
	memcpy(p->name, base, bl - 3);
	p->name[bl - 3] = '\0';
	char dir[512];
	snprintf(dir, sizeof dir, "/%s/%s", p->name, base);
	size_t pl = strlen(path), dl = strlen(dir);
	if (pl < dl || strcmp(path + pl - dl, dir) != 0)
		fail(path, 1, "a namespace page NAME.md lives in a folder named NAME");
	for (const char *c = p->name; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_'))
			fail(path, 1, "a namespace name is lowercase letters, digits and '_'");

	size_t len;
	char *text = slurp(path, &len);
	if (!text) {
		fail(path, 1, "cannot be read");
		return;
	}
	if (strncmp(text, "---\n", 4) != 0) {
		fail(path, 1, "the page must start with a front matter (---, summary:, version:, ---)");
		return;
	}
	char *q = text + 4;
	int line = 2;
	for (;;) {
		char *eol = strchr(q, '\n');
		if (!eol) {
			fail(path, line, "the front matter has no closing ---");
			return;
		}
		size_t n = (size_t)(eol - q);
		if (n == 3 && strncmp(q, "---", 3) == 0) {
			q = eol + 1;
			line++;
			break;
		}
		char *colon = memchr(q, ':', n);
		if (!colon) {
			fail(path, line, "expected 'key: value'");
		} else {
			char *key = trimdup(q, (size_t)(colon - q));
			char *val = trimdup(colon + 1, (size_t)(eol - colon - 1));
			if (strcmp(key, "summary") == 0)
				p->summary = val;
			else if (strcmp(key, "version") == 0)
				p->version = val;
			else if (strcmp(key, "uses") == 0)
				p->uses = val;
			else {
				fail(path, line, "unknown key (summary, version, uses)");
				free(val);
			}
			free(key);
		}
		q = eol + 1;
		line++;
	}
	if (!p->summary || !*p->summary)
		fail(path, 1, "the front matter needs a summary: line");
	if (!p->version) {
		fail(path, 1, "the front matter needs a version: line (semantic, e.g. 1.0.0)");
	} else {
		unsigned a, b, c;
		char extra;
		if (sscanf(p->version, "%u.%u.%u%c", &a, &b, &c, &extra) != 3)
			fail(path, 1, "version must be MAJOR.MINOR.PATCH, e.g. 1.0.0");
	}
	if (!p->uses)
		p->uses = trimdup("", 0);
	p->bodylen = len - (size_t)(q - text);
	p->body = q;
}

int main(int argc, char **argv)
{
	int n = argc - 1;
	struct page *pages = calloc((size_t)(n > 0 ? n : 1), sizeof *pages);
	if (!pages)
		return 2;
	for (int i = 0; i < n; i++)
		read_page(argv[i + 1], &pages[i]);
	if (failed)
		return 1;
	printf("/* generated by mk/registry.c from the namespaces' pages; do not edit */\n");
	printf("#include \"engine/lab/lab.h\"\n\n");
	for (int i = 0; i < n; i++)
		printf("extern const struct lab_namespace lab_ns_%s;\n", pages[i].name);
	printf("\n");
	for (int i = 0; i < n; i++) {
		printf("static const char page_%s[] =\n\t", pages[i].name);
		literal(stdout, pages[i].body, pages[i].bodylen);
		printf(";\n\n");
	}
	printf("const struct lab_entry lab_registry[] = {\n");
	for (int i = 0; i < n; i++) {
		struct page *p = &pages[i];
		printf("\t{\"%s\", &lab_ns_%s, ", p->name, p->name);
		literal(stdout, p->summary, strlen(p->summary));
		printf(", ");
		literal(stdout, p->version, strlen(p->version));
		printf(", ");
		literal(stdout, p->uses, strlen(p->uses));
		printf(", page_%s},\n", p->name);
	}
	printf("\t{0},\n};\n");
	return ferror(stdout) ? 1 : 0;
}
