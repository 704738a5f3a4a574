/*
 * trie_lua.c — lab.trie: the Lua binding of trie.h.
 *
 *   local t = lab.trie.new()
 *   t:insert(word [, weight])  t:remove(word)  t:count(word)
 *   t:prefix(p [, n]) -> words in order    t:complete(p [, k]) -> {{word =, count =}, ...}
 *   t:stats()  #t
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/trie/trie.h"

struct ltrie {
	struct trie *t;
};

static void free_trie(void *obj)
{
	struct ltrie *l = obj;
	trie_free(l->t);
	l->t = NULL;
}

static const struct lab_class trie_class;

static int l_new(lua_State *L)
{
	struct ltrie *l = lab_newobj(L, &trie_class, sizeof *l);
	l->t = trie_new();
	if (!l->t)
		return lab_fail(L, "lab.trie.new: not enough memory");
	return 1;
}

/* The word at IDX (a string of at most TRIE_MAX_WORD bytes). */
static const char *check_word(lua_State *L, int idx, size_t *len, const char *who)
{
	if (lua_type(L, idx) != LUA_TSTRING)
		luaL_error(L, "%s: a word must be a string, not %s", who, luaL_typename(L, idx));
	const char *w = lua_tolstring(L, idx, len);
	if (*len > TRIE_MAX_WORD)
		luaL_error(L, "%s: a word has at most %d bytes (got %d)", who, TRIE_MAX_WORD, (int)*len);
	return w;
}

static int m_insert(lua_State *L)
{
	struct ltrie *l = lab_self(L, &trie_class);
	size_t len;
	const char *w = check_word(L, 2, &len, "t:insert");
	lua_Integer weight = luaL_optinteger(L, 3, 1);
	luaL_argcheck(L, weight >= 1, 3, "the weight must be at least 1");
	if (trie_insert(l->t, w, len, (uint64_t)weight) < 0)
		return lab_fail(L, "t:insert: not enough memory");
	lua_pushinteger(L, (lua_Integer)trie_count(l->t, w, len));
	return 1;
}

static int m_remove(lua_State *L)
{
	struct ltrie *l = lab_self(L, &trie_class);
	size_t len;
	const char *w = check_word(L, 2, &len, "t:remove");
	lua_pushinteger(L, (lua_Integer)trie_remove(l->t, w, len));
	return 1;
}

static int m_count(lua_State *L)
{
	struct ltrie *l = lab_self(L, &trie_class);
	size_t len;
	const char *w = check_word(L, 2, &len, "t:count");
	lua_pushinteger(L, (lua_Integer)trie_count(l->t, w, len));
	return 1;
}

struct words {
	struct trie_word *w;
	size_t n;
};

static void free_words(void *p)
{
	struct words *w = p;
	trie_words_free(w->w, w->n);
	w->w = NULL;
	w->n = 0;
}

/* Lists (BY_COUNT 0) or completes (1) the prefix at 2, n at 3. */
static int list(lua_State *L, int by_count, const char *who, lua_Integer dflt)
{
	struct ltrie *l = lab_self(L, &trie_class);
	size_t len;
	const char *p = check_word(L, 2, &len, who);
	lua_Integer n = luaL_optinteger(L, 3, dflt);
	luaL_argcheck(L, n >= 0, 3, "n must not be negative");
	struct words *w = lab_holder(L, sizeof *w, free_words);  /* push holder */
	if (trie_prefix(l->t, p, len, (size_t)n, by_count, &w->w, &w->n) < 0)
		return lab_fail(L, "%s: not enough memory", who);
	lua_createtable(L, w->n < 100000 ? (int)w->n : 100000, 0);
	for (size_t i = 0; i < w->n; i++) {
		if (by_count) {
			lua_createtable(L, 0, 2);
			lua_pushlstring(L, w->w[i].w, w->w[i].len);
			lua_setfield(L, -2, "word");
			lab_setint(L, "count", (lua_Integer)w->w[i].count);
		} else {
			lua_pushlstring(L, w->w[i].w, w->w[i].len);
		}
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

static int m_prefix(lua_State *L)
{
	return list(L, 0, "t:prefix", LUA_MAXINTEGER);
}

static int m_complete(lua_State *L)
{
	return list(L, 1, "t:complete", 10);
}

static int m_stats(lua_State *L)
{
	struct ltrie *l = lab_self(L, &trie_class);
	struct trie_stats st;
	trie_stats(l->t, &st);
	lua_createtable(L, 0, 5);
	lab_setint(L, "words", (lua_Integer)st.words);
	lab_setint(L, "total", (lua_Integer)st.total);
	lab_setint(L, "nodes", (lua_Integer)st.nodes);
	lab_setint(L, "radix_nodes", (lua_Integer)st.radix_nodes);
	lab_setint(L, "bytes", (lua_Integer)st.bytes);
	return 1;
}

static int m_len(lua_State *L)
{
	struct trie_stats st;
	trie_stats(((struct ltrie *)lab_self(L, &trie_class))->t, &st);
	lua_pushinteger(L, (lua_Integer)st.words);
	return 1;
}

static int m_tostring(lua_State *L)
{
	struct trie_stats st;
	trie_stats(((struct ltrie *)lab_self(L, &trie_class))->t, &st);
	lua_pushfstring(L, "lab.trie(%d words, %d nodes)", (int)st.words, (int)st.nodes);
	return 1;
}

static const luaL_Reg methods[] = {
	{"insert", m_insert}, {"remove", m_remove},     {"count", m_count}, {"prefix", m_prefix},
	{"complete", m_complete}, {"stats", m_stats}, {NULL, NULL},
};

static const luaL_Reg metamethods[] = {
	{"__len", m_len},
	{"__tostring", m_tostring},
	{NULL, NULL},
};

static const struct lab_class trie_class = {
	.name = "lab.trie", .methods = methods, .metamethods = metamethods, .free = free_trie,
};

static const luaL_Reg functions[] = {
	{"new", l_new},
	{NULL, NULL},
};

const struct lab_namespace lab_ns_trie = {
	.functions = functions,
	.classes = (const struct lab_class *const[]){&trie_class, NULL},
};
