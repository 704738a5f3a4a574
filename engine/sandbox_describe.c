/*
 * sandbox_describe.c — a safe, deterministic description of any Lua value,
 * for feedback and error messages. Values may come from hostile code: only
 * raw operations are used (lua_next, lua_rawget, lua_getmetatable), so no
 * metamethod ever runs, and the output is bounded in size.
 */
#include "engine/sandbox.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 3          /* nested tables shown */
#define MAX_ITEMS 10         /* entries shown per table */
#define MAX_KEYS 64          /* non-sequence keys collected and sorted per table */
#define MAX_VISIT 100000     /* keys looked at per table */
#define MAX_STRING 60        /* bytes of a string shown */
#define MAX_TOTAL 400        /* characters of one description, roughly */

struct ctx {
	lua_State *L;
	struct sbuf *sb;
	size_t stop_at;                                /* sb->len past which we cut */
	const void *path[MAX_DEPTH];                   /* tables being described, outermost first */
	int depth;
};

/* A collected key, sorted by class, then number or bytes. */
struct key {
	int cls;                                       /* 0 number, 1 string, 2 boolean, 3 anything else */
	lua_Number num;
	const char *s;
	size_t len;
	int slot;                                      /* key's stack index (value: slot + 1) */
};

static void describe(struct ctx *c, int idx);

static void add_number(struct sbuf *sb, lua_State *L, int idx)
{
	if (lua_isinteger(L, idx)) {
		sbuf_addf(sb, "%lld", (long long)lua_tointeger(L, idx));
		return;
	}
	lua_Number x = lua_tonumber(L, idx);
	if (isnan(x)) {
		sbuf_adds(sb, "nan");
	} else if (isinf(x)) {
		sbuf_adds(sb, x > 0 ? "math.huge" : "-math.huge");
	} else {
		char tmp[64];
		snprintf(tmp, sizeof tmp, "%.14g", (double)x);
		sbuf_adds(sb, tmp);
		if (!strpbrk(tmp, ".e"))
			sbuf_adds(sb, ".0");           /* a float that looks like an integer */
	}
}

static void add_quoted(struct sbuf *sb, const char *s, size_t len)
{
	size_t show = len;
	if (show > MAX_STRING) {
		show = MAX_STRING;
		while (show > 0 && ((unsigned char)s[show] & 0xC0) == 0x80)
			show--;                        /* do not cut a UTF-8 sequence */
	}
	sbuf_addc(sb, '"');
	for (size_t i = 0; i < show; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == '"' || ch == '\\')
			sbuf_addf(sb, "\\%c", ch);
		else if (ch == '\n')
			sbuf_adds(sb, "\\n");
		else if (ch == '\t')
			sbuf_adds(sb, "\\t");
		else if (ch == '\r')
			sbuf_adds(sb, "\\r");
		else if (ch < 32 || ch == 127)
			sbuf_addf(sb, "\\%d", ch);
		else
			sbuf_addc(sb, (char)ch);
	}
	if (show < len)
		sbuf_addf(sb, "…\" (%zu bytes)", len);
	else
		sbuf_addc(sb, '"');
}

static int is_name(const char *s, size_t len)
{
	static const char *const reserved[] = {
		"and", "break", "do", "else", "elseif", "end", "false", "for", "function",
		"goto", "if", "in", "local", "nil", "not", "or", "repeat", "return", "then",
		"true", "until", "while", NULL,
	};
	if (len == 0 || len > 40 || !(s[0] == '_' || ((s[0] | 32) >= 'a' && (s[0] | 32) <= 'z')))
		return 0;
	for (size_t i = 0; i < len; i++) {
		char ch = s[i];
		if (!(ch == '_' || (ch >= '0' && ch <= '9') || ((ch | 32) >= 'a' && (ch | 32) <= 'z')))
			return 0;
	}
	for (const char *const *r = reserved; *r; r++)
		if (strlen(*r) == len && memcmp(*r, s, len) == 0)
			return 0;
	return 1;
}

static int cmp_key(const void *pa, const void *pb)
{
	const struct key *a = pa, *b = pb;
	if (a->cls != b->cls)
		return a->cls - b->cls;
	if (a->cls == 0 && a->num != b->num)
		return a->num < b->num ? -1 : 1;
	if (a->cls == 1) {
		size_t n = a->len < b->len ? a->len : b->len;
		int r = memcmp(a->s, b->s, n);
		if (r || a->len != b->len)
			return r ? r : (a->len < b->len ? -1 : 1);
	}
	if (a->cls == 2 && a->num != b->num)
		return a->num < b->num ? -1 : 1;
	return a->slot - b->slot;
}

/* Number of consecutive non-nil entries t[1], t[2], ... (raw). */
static lua_Integer sequence_length(lua_State *L, int t)
{
	lua_Integer n = 0;
	while (n < MAX_VISIT && lua_rawgeti(L, t, n + 1) != LUA_TNIL) { /* push t[n+1] */
		lua_pop(L, 1);                         /* remove it */
		n++;
	}
	lua_pop(L, 1);                                 /* remove nil */
	return n;
}

/*
 * Pushes copies of up to MAX_KEYS (key, value) pairs of table T that are not
 * in its sequence part, fills KEYS, and returns how many were pushed; *MORE
 * counts the ones left out.
 */
static int collect_keys(lua_State *L, int t, lua_Integer seq, struct key *keys, long *more)
{
	int n = 0, base = lua_gettop(L) + 1;
	long visited = 0;
	*more = 0;
	lua_pushnil(L);                                /* first key */
	while (visited++ < MAX_VISIT && lua_next(L, t)) { /* push key, value */
		if (lua_isinteger(L, -2) && lua_tointeger(L, -2) >= 1 && lua_tointeger(L, -2) <= seq) {
			lua_pop(L, 1);                 /* sequence entry: remove value */
			continue;
		}
		if (n == MAX_KEYS) {
			(*more)++;
			lua_pop(L, 1);                 /* remove value */
			continue;
		}
		lua_pushvalue(L, -2);                  /* push key copy */
		lua_rotate(L, -3, 1);                  /* key copy, key, value */
		lua_rotate(L, -2, 1);                  /* key copy, value, key */
		struct key *k = &keys[n];
		k->slot = base + 2 * n;
		k->s = NULL;
		k->len = 0;
		k->num = 0;
		switch (lua_type(L, k->slot)) {
		case LUA_TNUMBER: k->cls = 0; k->num = lua_tonumber(L, k->slot); break;
		case LUA_TSTRING: k->cls = 1; k->s = lua_tolstring(L, k->slot, &k->len); break;
		case LUA_TBOOLEAN: k->cls = 2; k->num = lua_toboolean(L, k->slot); break;
		default: k->cls = 3; break;
		}
		n++;
	}
	if (visited > MAX_VISIT) {
		(*more)++;
		lua_pop(L, 1);                         /* remove iteration key */
	}
	return n;
}

static int over_budget(struct ctx *c)
{
	return c->sb->len >= c->stop_at;
}

static void add_entry_key(struct ctx *c, const struct key *k)
{
	if (k->cls == 1 && is_name(k->s, k->len)) {
		sbuf_add(c->sb, k->s, k->len);
	} else {
		sbuf_addc(c->sb, '[');
		describe(c, k->slot);
		sbuf_addc(c->sb, ']');
	}
	sbuf_adds(c->sb, " = ");
}

static void describe_table(struct ctx *c, int t)
{
	lua_State *L = c->L;
	const void *self = lua_topointer(L, t);
	for (int i = 0; i < c->depth; i++) {
		if (c->path[i] == self) {
			sbuf_adds(c->sb, "<cycle>");
			return;
		}
	}
	if (c->depth == MAX_DEPTH || !lua_checkstack(L, 2 * MAX_KEYS + 10)) {
		sbuf_adds(c->sb, "{…}");
		return;
	}
	c->path[c->depth++] = self;
	int top = lua_gettop(L);
	lua_Integer seq = sequence_length(L, t);
	struct key keys[MAX_KEYS];
	long more;
	int nkeys = collect_keys(L, t, seq, keys, &more);
	qsort(keys, (size_t)nkeys, sizeof keys[0], cmp_key);

	long shown = 0, total = (long)seq + nkeys + more;
	sbuf_addc(c->sb, '{');
	for (lua_Integer i = 1; i <= seq && shown < MAX_ITEMS && !over_budget(c); i++, shown++) {
		if (shown)
			sbuf_adds(c->sb, ", ");
		lua_rawgeti(L, t, i);                  /* push t[i] */
		describe(c, lua_gettop(L));
		lua_pop(L, 1);                         /* remove it */
	}
	for (int i = 0; i < nkeys && shown < MAX_ITEMS && !over_budget(c); i++, shown++) {
		if (shown)
			sbuf_adds(c->sb, ", ");
		add_entry_key(c, &keys[i]);
		describe(c, keys[i].slot + 1);
	}
	if (shown < total)
		sbuf_addf(c->sb, "%s… (%ld entries)", shown ? ", " : "", total);
	sbuf_addc(c->sb, '}');
	lua_settop(L, top);                            /* remove collected pairs */
	c->depth--;
}

static void describe_userdata(struct ctx *c, int idx)
{
	lua_State *L = c->L;
	if (lua_type(L, idx) == LUA_TUSERDATA && lua_getmetatable(L, idx)) { /* push mt (raw) */
		lua_pushliteral(L, "__name");          /* push key */
		if (lua_rawget(L, -2) == LUA_TSTRING) { /* push mt.__name */
			size_t len;
			const char *name = lua_tolstring(L, -1, &len);
			sbuf_addc(c->sb, '<');
			sbuf_add(c->sb, name, len < 40 ? len : 40);
			sbuf_addc(c->sb, '>');
			lua_pop(L, 2);                 /* remove name, mt */
			return;
		}
		lua_pop(L, 2);                         /* remove value, mt */
	}
	sbuf_adds(c->sb, "<userdata>");
}

static void describe(struct ctx *c, int idx)
{
	lua_State *L = c->L;
	idx = lua_absindex(L, idx);
	switch (lua_type(L, idx)) {
	case LUA_TNONE:
	case LUA_TNIL: sbuf_adds(c->sb, "nil"); break;
	case LUA_TBOOLEAN: sbuf_adds(c->sb, lua_toboolean(L, idx) ? "true" : "false"); break;
	case LUA_TNUMBER: add_number(c->sb, L, idx); break;
	case LUA_TSTRING: {
		size_t len;
		const char *s = lua_tolstring(L, idx, &len);
		add_quoted(c->sb, s, len);
		break;
	}
	case LUA_TTABLE: describe_table(c, idx); break;
	case LUA_TFUNCTION: sbuf_adds(c->sb, "function"); break;
	case LUA_TTHREAD: sbuf_adds(c->sb, "coroutine"); break;
	default: describe_userdata(c, idx); break;
	}
}

void sandbox_describe(lua_State *L, int idx, struct sbuf *out)
{
	struct ctx c = {.L = L, .sb = out, .stop_at = out->len + MAX_TOTAL};
	if (!lua_checkstack(L, 8)) {
		sbuf_adds(out, "…");
		return;
	}
	describe(&c, idx);
}

int sandbox_l_describe(lua_State *L)
{
	struct sbuf sb = SBUF_INIT;
	sandbox_describe(L, 1, &sb);
	lua_pushlstring(L, sbuf_str(&sb), sb.len);     /* push description */
	sbuf_free(&sb);
	return 1;
}
