/*
 * search_lua.c — lab.search: the Lua binding of search.h.
 *
 *   local idx = lab.search.index{stemmer = "porter", stopwords = true}
 *   idx:add(id, text)   idx:search(query [, n]) -> {{id =, score =}, ...}
 *   idx:explain(query, id)  idx:analyze(text)  idx:stats()  #idx
 *   lab.search.stem(word)   lab.search.evaluate(ranking, labels [, k])
 *
 * The object's user value is a table: [1] the ids in document order,
 * [2] id -> document number + 1.
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/search/search.h"
#include "engine/base/budget.h"

#include <math.h>
#include <string.h>

struct lsearch {
	struct search *s;
};

static void free_search(void *obj)
{
	struct lsearch *l = obj;
	search_free(l->s);
	l->s = NULL;
}

static const struct lab_class search_class;

/* Lucene's English stop set (EnglishAnalyzer.ENGLISH_STOP_WORDS_SET). */
static const char *const english_stop[] = {
	"a",    "an",   "and",   "are",  "as",   "at",    "be",    "but",  "by",
	"for",  "if",   "in",    "into", "is",   "it",    "no",    "not",  "of",
	"on",   "or",   "such",  "that", "the",  "their", "then",  "there", "these",
	"they", "this", "to",    "was",  "will", "with",  NULL,
};

static const struct lab_opt index_opts[] = {
	{"k1", LAB_NUM, 1.2, .min = 0, .max = 10, .help = "BM25's term-frequency saturation"},
	{"b", LAB_NUM, 0.75, .min = 0, .max = 1, .help = "BM25's length normalisation"},
	{"scorer", LAB_ENUM, .str = "bm25", .choices = "bm25 tfidf", .help = "the scoring function"},
	{"stemmer", LAB_ENUM, .str = "none", .choices = "none porter", .help = "stem terms"},
	{"stopwords", LAB_ANY, .help = "true (Lucene's 33 English words) or a list of words"},
	{"positions", LAB_BOOL, 1, .help = "keep positions (phrase queries need them)"},
	{"norms", LAB_ENUM, .str = "exact", .choices = "exact lucene",
	 .help = "document lengths exact, or rounded to Lucene's one byte"},
	{"refresh", LAB_ENUM, .str = "auto", .choices = "auto manual",
	 .help = "documents searchable at once, or after idx:refresh()"},
	{"merge_factor", LAB_INT, 10, .min = 2, .max = 100,
	 .help = "segments of one level merged at once"},
	{NULL},
};
enum { O_K1, O_B, O_SCORER, O_STEMMER, O_STOPWORDS, O_POSITIONS, O_NORMS, O_REFRESH, O_MERGE };

/* Adds the stopwords option (at the top of the stack) to S. */
static void read_stopwords(lua_State *L, struct search *s)
{
	int top = lua_gettop(L);
	if (lua_isboolean(L, top)) {
		if (lua_toboolean(L, top))
			for (const char *const *w = english_stop; *w; w++)
				if (search_stopword(s, *w, strlen(*w)) < 0)
					lab_fail(L, "lab.search.index: not enough memory");
		return;
	}
	if (!lua_istable(L, top))
		luaL_error(L, "lab.search.index: option 'stopwords' must be true or a list of words, not %s",
			   luaL_typename(L, top));
	lua_Integer n = (lua_Integer)lua_rawlen(L, top);
	for (lua_Integer i = 1; i <= n; i++) {
		lua_rawgeti(L, top, i);                         /* push word */
		if (lua_type(L, -1) != LUA_TSTRING)
			luaL_error(L, "lab.search.index: stopwords[%d] is %s, expected a string", (int)i,
				   luaL_typename(L, -1));
		size_t len;
		const char *w = lua_tolstring(L, -1, &len);
		if (search_stopword(s, w, len) < 0)
			lab_fail(L, "lab.search.index: not enough memory");
		lua_pop(L, 1);                                  /* pop word */
	}
}

static int l_index(lua_State *L)
{
	const struct lab_val *o = lab_opts(L, 1, "lab.search.index", index_opts); /* push box */
	struct search_config c = {
		.k1 = o[O_K1].num, .b = o[O_B].num, .scorer = o[O_SCORER].choice,
		.stem = o[O_STEMMER].choice == 1, .positions = (int)o[O_POSITIONS].i,
		.lucene_norms = o[O_NORMS].choice == 1,
		.manual_refresh = o[O_REFRESH].choice == 1, .merge_factor = (int)o[O_MERGE].i,
	};
	struct lsearch *l = lab_newobj(L, &search_class, sizeof *l);  /* push object */
	l->s = search_new(&c);
	if (!l->s)
		return lab_fail(L, "lab.search.index: not enough memory");
	lua_createtable(L, 2, 0);                      /* push ids */
	lua_newtable(L);
	lua_rawseti(L, -2, 1);
	lua_newtable(L);
	lua_rawseti(L, -2, 2);
	lua_setiuservalue(L, -2, 1);                   /* pop ids */
	lab_optpush(L, 1, "stopwords");                /* push stopwords */
	if (!lua_isnil(L, -1))
		read_stopwords(L, l->s);
	lua_pop(L, 1);                                 /* pop stopwords */
	return 1;
}

/* Raises unless the value at IDX is a string or an integer (an id). */
static void check_id(lua_State *L, int idx, const char *who)
{
	if (lua_type(L, idx) == LUA_TSTRING || lua_isinteger(L, idx))
		return;
	luaL_error(L, "%s: an id must be a string or an integer, not %s", who,
		   lua_type(L, idx) == LUA_TNUMBER ? "a fraction" : luaL_typename(L, idx));
}

/* Pushes table [N] of the object's user value. */
static void push_ids(lua_State *L, int n)
{
	lua_getiuservalue(L, 1, 1);
	lua_rawgeti(L, -1, n);
	lua_remove(L, -2);
}

static int m_add(lua_State *L)
{
	struct lsearch *l = lab_self(L, &search_class);
	check_id(L, 2, "idx:add");
	size_t len;
	const char *text = luaL_checklstring(L, 3, &len);
	push_ids(L, 2);                                /* push number of id */
	lua_pushvalue(L, 2);
	if (lua_rawget(L, -2) != LUA_TNIL)
		return luaL_error(L, "idx:add: id %s was added already", luaL_tolstring(L, 2, NULL));
	lua_pop(L, 1);
	uint32_t doc = search_docs(l->s);
	if (doc >= SEARCH_MAX_DOCS)
		return luaL_error(L, "idx:add: the index is full (%d documents)", (int)SEARCH_MAX_DOCS);
	/* grow the Lua tables first, so that a memory error leaves them and the index alike */
	push_ids(L, 1);                                /* push ids */
	lua_pushvalue(L, 2);
	lua_rawseti(L, -2, (lua_Integer)doc + 1);
	lua_pop(L, 1);                                 /* pop ids */
	lua_pushvalue(L, 2);
	lua_pushinteger(L, (lua_Integer)doc + 1);
	lua_rawset(L, -3);
	if (search_add(l->s, text, len) < 0) {
		lua_pushvalue(L, 2);
		lua_pushnil(L);
		lua_rawset(L, -3);
		push_ids(L, 1);
		lua_pushnil(L);
		lua_rawseti(L, -2, (lua_Integer)doc + 1);
		return lab_fail(L, "idx:add: not enough memory");
	}
	return 0;
}

static void free_hits(void *p)
{
	struct search_hit **h = p;
	budget_free(*h);
	*h = NULL;
}

static int m_search(lua_State *L)
{
	struct lsearch *l = lab_self(L, &search_class);
	size_t len;
	const char *q = luaL_checklstring(L, 2, &len);
	lua_Integer n = luaL_optinteger(L, 3, 10);
	luaL_argcheck(L, n >= 0, 3, "n must not be negative");
	struct search_hit **h = lab_holder(L, sizeof *h, free_hits); /* push holder */
	size_t nh;
	char err[128];
	int r = search_query(l->s, q, len, (size_t)n, h, &nh, err, sizeof err);
	if (r == -2)
		return luaL_error(L, "idx:search: %s", err);
	if (r < 0)
		return lab_fail(L, "idx:search: not enough memory");
	push_ids(L, 1);                                /* push ids */
	lua_createtable(L, (int)(nh < 1000000 ? nh : 1000000), 0); /* push result */
	for (size_t i = 0; i < nh; i++) {
		lua_createtable(L, 0, 2);
		lua_rawgeti(L, -3, (lua_Integer)(*h)[i].doc + 1);
		lua_setfield(L, -2, "id");
		lab_setnum(L, "score", (*h)[i].score);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

/* The document number of the id at IDX, or -1. */
static long find_doc(lua_State *L, int idx)
{
	push_ids(L, 2);
	lua_pushvalue(L, idx);
	lua_rawget(L, -2);
	long d = lua_isinteger(L, -1) ? (long)lua_tointeger(L, -1) - 1 : -1;
	lua_pop(L, 2);
	return d;
}

static void free_explain(void *p)
{
	search_explain_free(p);
}

static int m_explain(lua_State *L)
{
	struct lsearch *l = lab_self(L, &search_class);
	size_t len;
	const char *q = luaL_checklstring(L, 2, &len);
	check_id(L, 3, "idx:explain");
	long doc = find_doc(L, 3);
	if (doc < 0)
		return luaL_error(L, "idx:explain: no document has id %s", luaL_tolstring(L, 3, NULL));
	struct search_explain *x = lab_holder(L, sizeof *x, free_explain); /* push holder */
	char err[128];
	int r = search_explain(l->s, q, len, (uint32_t)doc, x, err, sizeof err);
	if (r == -2)
		return luaL_error(L, "idx:explain: %s", err);
	if (r < 0)
		return lab_fail(L, "idx:explain: not enough memory");
	static const char *const occur[] = {"should", "must", "must_not"};
	lua_createtable(L, 0, 8);                      /* push result */
	lua_pushvalue(L, 3);
	lua_setfield(L, -2, "id");
	lab_setbool(L, "matched", x->matched);
	lab_setnum(L, "score", x->score);
	lab_setint(L, "dl", x->dl);
	lab_setnum(L, "avgdl", x->avgdl);
	lab_setint(L, "N", x->N);
	lua_createtable(L, (int)x->nclauses, 0);
	for (size_t i = 0; i < x->nclauses; i++) {
		const struct search_clause *c = &x->clauses[i];
		lua_createtable(L, 0, 8);
		lab_setstr(L, "kind", c->phrase ? "phrase" : "term");
		lab_setstr(L, "occur", occur[c->occur]);
		lab_setstr(L, "text", c->text);
		lab_setint(L, "n", c->n);
		lab_setnum(L, "idf", c->idf);
		lab_setint(L, "freq", c->freq);
		lab_setnum(L, "tf", c->tf);
		lab_setnum(L, "score", c->score);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "clauses");
	return 1;
}

struct analyzed {
	lua_State *L;
	lua_Integer n;
};

static int push_term(const char *term, size_t len, uint32_t position, void *ud)
{
	struct analyzed *a = ud;
	(void)position;
	lua_pushlstring(a->L, term, len);
	lua_rawseti(a->L, -2, ++a->n);
	return 0;
}

static int m_analyze(lua_State *L)
{
	struct lsearch *l = lab_self(L, &search_class);
	size_t len;
	const char *text = luaL_checklstring(L, 2, &len);
	lua_newtable(L);                               /* push terms */
	struct analyzed a = {L, 0};
	if (search_analyze(l->s, text, len, push_term, &a) < 0)
		return lab_fail(L, "idx:analyze: not enough memory");
	return 1;
}

static int m_refresh(lua_State *L)
{
	struct lsearch *l = lab_self(L, &search_class);
	lua_pushinteger(L, search_refresh(l->s));
	return 1;
}

static int m_delete(lua_State *L)
{
	struct lsearch *l = lab_self(L, &search_class);
	check_id(L, 2, "idx:delete");
	long doc = find_doc(L, 2);
	int r = doc < 0 ? 0 : search_delete(l->s, (uint32_t)doc);
	if (r < 0)
		return lab_fail(L, "idx:delete: not enough memory");
	lua_pushboolean(L, r);
	return 1;
}

static int m_segments(lua_State *L)
{
	struct lsearch *l = lab_self(L, &search_class);
	const struct search_segment *sg;
	size_t n = search_segments(l->s, &sg);
	lua_createtable(L, (int)n, 0);
	for (size_t i = 0; i < n; i++) {
		lua_createtable(L, 0, 2);
		lab_setint(L, "docs", sg[i].docs);
		lab_setint(L, "deleted", search_segment_deleted(l->s, i));
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

static int m_stats(lua_State *L)
{
	struct lsearch *l = lab_self(L, &search_class);
	struct search_stats st;
	search_stats(l->s, &st);
	lua_createtable(L, 0, 13);
	lab_setint(L, "searchable", st.searchable);
	lab_setint(L, "deleted", st.deleted);
	lab_setint(L, "N", st.N);
	lab_setint(L, "segments", (lua_Integer)st.segments);
	lab_setint(L, "merges", st.merges);
	lab_setint(L, "merged_docs", (lua_Integer)st.merged_docs);
	lab_setint(L, "docs", st.docs);
	lab_setint(L, "terms", (lua_Integer)st.terms);
	lab_setint(L, "tokens", (lua_Integer)st.tokens);
	lab_setint(L, "postings", (lua_Integer)st.postings);
	lab_setint(L, "positions", (lua_Integer)st.positions);
	lab_setnum(L, "avgdl", st.avgdl);
	lab_setint(L, "bytes", (lua_Integer)st.bytes);
	return 1;
}

static int m_len(lua_State *L)
{
	lua_pushinteger(L, search_docs(((struct lsearch *)lab_self(L, &search_class))->s));
	return 1;
}

static int m_tostring(lua_State *L)
{
	struct lsearch *l = lab_self(L, &search_class);
	struct search_stats st;
	search_stats(l->s, &st);
	lua_pushfstring(L, "lab.search(%d docs, %d terms)", (int)st.docs, (int)st.terms);
	return 1;
}

static int l_stem(lua_State *L)
{
	size_t len;
	const char *w = luaL_checklstring(L, 1, &len);
	char *b = lab_scratch(L, len + 1);             /* push scratch */
	memcpy(b, w, len);
	lua_pushlstring(L, b, search_stem(b, len));
	return 1;
}

/* The grade labels[id] of the id on top of the stack (popped): a number >= 0,
 * true (1), or nil/false (0). */
static double label_of(lua_State *L, int labels)
{
	lua_rawget(L, labels);
	double g = 0;
	if (lua_type(L, -1) == LUA_TNUMBER)
		g = lua_tonumber(L, -1);
	else if (lua_type(L, -1) == LUA_TBOOLEAN)
		g = lua_toboolean(L, -1);
	else if (!lua_isnil(L, -1))
		luaL_error(L, "lab.search.evaluate: a label must be a number or a boolean, not %s",
			   luaL_typename(L, -1));
	lua_pop(L, 1);
	if (!(g >= 0) || isinf(g))
		luaL_error(L, "lab.search.evaluate: a grade must be a finite number >= 0");
	return g;
}

static int l_evaluate(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	luaL_checktype(L, 2, LUA_TTABLE);
	size_t nr = lua_rawlen(L, 1);
	lua_Integer k = luaL_optinteger(L, 3, (lua_Integer)nr);
	luaL_argcheck(L, k >= 1 && k <= 100000000, 3, "k must be between 1 and 10^8");
	double *ranked = lab_scratch(L, (nr ? nr : 1) * sizeof *ranked); /* push ranked */
	for (size_t i = 0; i < nr; i++) {
		lua_rawgeti(L, 1, (lua_Integer)i + 1);         /* push result */
		if (lua_istable(L, -1)) {
			lua_pushliteral(L, "id");
			lua_rawget(L, -2);                     /* push id */
			lua_remove(L, -2);
		}
		if (lua_type(L, -1) != LUA_TSTRING && !lua_isinteger(L, -1))
			return luaL_error(L, "lab.search.evaluate: ranking[%d] must be an id or {id = ...}",
					  (int)i + 1);
		ranked[i] = label_of(L, 2);
	}
	size_t na = 0;
	for (lua_pushnil(L); lua_next(L, 2); lua_pop(L, 1))
		na++;
	double *all = lab_scratch(L, (na ? na : 1) * sizeof *all);   /* push all */
	na = 0;
	for (lua_pushnil(L); lua_next(L, 2);) {      /* push key, value */
		lua_pop(L, 1);                         /* pop value */
		lua_pushvalue(L, -1);
		all[na++] = label_of(L, 2);            /* its grade (pops the copy) */
	}
	struct search_eval e;
	if (search_evaluate(ranked, nr, all, na, (size_t)k, &e) < 0)
		return lab_fail(L, "lab.search.evaluate: not enough memory");
	lua_createtable(L, 0, 8);
	lab_setnum(L, "precision", e.precision);
	lab_setnum(L, "recall", e.recall);
	lab_setnum(L, "ndcg", e.ndcg);
	lab_setnum(L, "dcg", e.dcg);
	lab_setnum(L, "idcg", e.idcg);
	lab_setint(L, "hits", (lua_Integer)e.hits);
	lab_setint(L, "relevant", (lua_Integer)e.relevant);
	lab_setint(L, "k", k);
	return 1;
}

static const luaL_Reg methods[] = {
	{"add", m_add},         {"search", m_search}, {"explain", m_explain},
	{"analyze", m_analyze}, {"stats", m_stats},   {"refresh", m_refresh},
	{"delete", m_delete},   {"segments", m_segments}, {NULL, NULL},
};

static const luaL_Reg metamethods[] = {
	{"__len", m_len},
	{"__tostring", m_tostring},
	{NULL, NULL},
};

static const struct lab_class search_class = {
	.name = "lab.search", .methods = methods, .metamethods = metamethods, .free = free_search,
};

static const luaL_Reg functions[] = {
	{"index", l_index}, {"stem", l_stem}, {"evaluate", l_evaluate}, {NULL, NULL},
};

const struct lab_namespace lab_ns_search = {
	.functions = functions,
	.classes = (const struct lab_class *const[]){&search_class, NULL},
	.options = (const struct lab_fnopts[]){{"index", index_opts}, {NULL, NULL}},
};
