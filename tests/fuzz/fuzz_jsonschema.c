/*
 * fuzz_jsonschema.c — libFuzzer target for lab.jsonschema's validator
 * (engine/concepts/jsonschema), the regex engine having its own target
 * (fuzz_regex.c).
 *
 * The first byte picks the options (bit 0: empty arrays and objects become
 * JV_EMPTY, as a plain Lua {} does), the rest is a schema and an instance
 * as JSON text, split at the first NUL (no NUL: the text is both). Texts
 * are parsed with lab.json's parser (engine/concepts/json) at most 100
 * levels deep, the limit the Lua binding keeps. Properties: validation
 * ends (0) with either a refusal and no errors, or a list of errors each
 * with a JSON Pointer ("" or starting with '/'), a keyword and a message;
 * validating again gives the same count; the schema `true` accepts
 * anything and `false` refuses anything.
 *
 *   make fuzz && build/fuzz/fuzz_jsonschema -max_total_time=60 tests/fuzz/corpus/fuzz_jsonschema
 */
#include "engine/concepts/json/json.h"
#include "engine/concepts/jsonschema/jsonschema.h"
#include "engine/base/budget.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define check(cond)                                                                                \
	((cond)                                                                                    \
	     ? (void)0                                                                             \
	     : (fprintf(stderr, "%s:%d: check(%s) failed\n", __FILE__, __LINE__, #cond), abort()))

#define DEPTH 100

/* The values being built: the open containers, innermost last. */
struct builder {
	struct jv root;
	struct jv *open[DEPTH + 2];
	size_t depth;
	char *key;          /* the key of the member that follows, or NULL */
	size_t klen;
	int empty;          /* empty containers become JV_EMPTY */
};

/* The slot the next value goes into: the root, or a new item of the
 * innermost open container (with the pending key for an object). */
static struct jv *slot(struct builder *b)
{
	if (b->depth == 0)
		return &b->root;
	struct jv *c = b->open[b->depth - 1];
	struct jv *items = budget_realloc(c->items, (c->n + 1) * sizeof *items);
	check(items);
	c->items = items;
	memset(&items[c->n], 0, sizeof items[c->n]);
	if (c->t == JV_OBJ) {
		char **keys = budget_realloc(c->keys, (c->n + 1) * sizeof *keys);
		check(keys);
		c->keys = keys;
		size_t *kl = budget_realloc(c->klens, (c->n + 1) * sizeof *kl);
		check(kl);
		c->klens = kl;
		keys[c->n] = b->key;
		kl[c->n] = b->klen;
		b->key = NULL;
	}
	return &items[c->n++];
}

static char *dup(const char *s, size_t n)
{
	char *p = budget_malloc(n + 1);
	check(p);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static const char *on_event(void *ud, const struct json_event *ev)
{
	struct builder *b = ud;
	struct jv *v;
	switch (ev->kind) {
	case JSON_KEY:
		budget_free(b->key);
		b->key = dup(ev->s, ev->len);
		b->klen = ev->len;
		return NULL;
	case JSON_END: {
		struct jv *c = b->open[--b->depth];
		if (c->n == 0 && b->empty)
			c->t = JV_EMPTY;
		return NULL;
	}
	default:
		break;
	}
	v = slot(b);
	switch (ev->kind) {
	case JSON_NULL: v->t = JV_NULL; break;
	case JSON_FALSE: v->t = JV_BOOL; v->b = 0; break;
	case JSON_TRUE: v->t = JV_BOOL; v->b = 1; break;
	case JSON_INT: v->t = JV_NUM; v->num = (double)ev->i; break;
	case JSON_FLOAT: v->t = JV_NUM; v->num = ev->d; break;
	case JSON_STRING:
		v->t = JV_STR;
		v->s = dup(ev->s, ev->len);
		v->len = ev->len;
		break;
	case JSON_ARRAY:
	case JSON_OBJECT:
		v->t = ev->kind == JSON_ARRAY ? JV_ARR : JV_OBJ;
		b->open[b->depth++] = v;
		break;
	default:
		break;
	}
	return NULL;
}

/* Parses TEXT into *OUT; 0, or -1 when it is no JSON (nothing to free). */
static int build(const char *text, size_t len, int empty, struct jv *out)
{
	struct builder b = {.empty = empty};
	struct json_options o = {.max_depth = DEPTH};
	struct json_error e;
	int rc = json_parse(text, len, &o, on_event, &b, &e);
	budget_free(b.key);
	if (rc != 0) {
		jv_free(&b.root);
		return -1;
	}
	*out = b.root;
	return 0;
}

static size_t validate(const struct jv *schema, const struct jv *inst, int *refused)
{
	struct js_result r = {0};
	int rc = js_validate(schema, inst, &r);
	check(rc == 0);
	*refused = r.refused != NULL;
	if (r.refused)
		check(r.n == 0);
	for (size_t i = 0; i < r.n; i++) {
		check(r.errors[i].path && (r.errors[i].path[0] == '\0' || r.errors[i].path[0] == '/'));
		check(r.errors[i].keyword && r.errors[i].message);
	}
	size_t n = r.n;
	js_result_free(&r);
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	int empty = data[0] & 1;
	const char *s = (const char *)data + 1;
	size -= 1;
	const char *nul = memchr(s, 0, size);
	size_t slen = nul ? (size_t)(nul - s) : size;
	const char *inst = nul ? nul + 1 : s;
	size_t ilen = nul ? size - slen - 1 : size;
	struct jv schema, instance;
	if (build(s, slen, empty, &schema) != 0)
		return 0;
	if (build(inst, ilen, empty, &instance) != 0) {
		jv_free(&schema);
		return 0;
	}
	int refused, again;
	size_t n = validate(&schema, &instance, &refused);
	check(validate(&schema, &instance, &again) == n && again == refused);
	struct jv yes = {.t = JV_BOOL, .b = 1}, no = {.t = JV_BOOL, .b = 0};
	check(validate(&yes, &instance, &again) == 0 && !again);
	check(validate(&no, &instance, &again) == 1 && !again);
	jv_free(&schema);
	jv_free(&instance);
	return 0;
}
