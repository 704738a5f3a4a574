/*
 * Tests of lab's help as data (engine/lab/lab.c, the pages
 * engine/concepts/NAME/NAME.md): each namespace's page names every function
 * and every method it exports, names nothing that does not exist, and has
 * an @options line for every function whose options the binding declares
 * (and none for a function it does not).
 */
#include "unit.h"
#include "engine/base/sbuf.h"
#include "engine/lab/lab.h"
#include "engine/lab/labkit.h"

#include <ctype.h>
#include <lualib.h>

static int ident(int c)
{
	return isalnum(c) || c == '_';
}

/* Whether TEXT holds WORD with no identifier character right after it (and,
 * with START, none right before it). */
static int mentions(const char *text, const char *word, int start)
{
	size_t n = strlen(word);
	for (const char *p = strstr(text, word); p; p = strstr(p + 1, word))
		if (!ident((unsigned char)p[n]) && (!start || p == text || !ident((unsigned char)p[-1])))
			return 1;
	return 0;
}

/* Whether some lab metatable (a class's, or one a namespace registers
 * under "lab.NAME" for its tables), or some namespace's handle, has the
 * method NAME (LEN bytes). */
static int some_method(lua_State *L, const char *name, size_t len)
{
	int found = 0;
	for (const struct lab_entry *e = lab_registry; e->name; e++) /* handles' methods */
		for (const luaL_Reg *const *h = e->ns->handles; h && *h; h++)
			for (const luaL_Reg *m = *h; m->name; m++)
				if (strlen(m->name) == len && memcmp(m->name, name, len) == 0)
					return 1;
	for (lua_pushnil(L); lua_next(L, LUA_REGISTRYINDEX); lua_pop(L, 1)) { /* key, value */
		if (found || lua_type(L, -2) != LUA_TSTRING ||
		    strncmp(lua_tostring(L, -2), "lab.", 4) != 0 || !lua_istable(L, -1))
			continue;
		if (lua_getfield(L, -1, "__index") == LUA_TTABLE) { /* push its methods */
			lua_pushlstring(L, name, len);
			found = lua_rawget(L, -2) == LUA_TFUNCTION; /* push method */
			lua_pop(L, 1);
		}
		lua_pop(L, 1);                         /* remove __index */
	}
	return found;
}

/* Appends to BAD what page TEXT of namespace E lacks or invents; LAB is the
 * lab table on top of L's stack. */
static void check_page(lua_State *L, const struct lab_entry *e, const char *text, struct sbuf *bad)
{
	lua_getfield(L, -1, e->name);                  /* push namespace */
	for (lua_pushnil(L); lua_next(L, -2); lua_pop(L, 1)) {
		char word[128];
		snprintf(word, sizeof word, "lab.%s.%s", e->name, lua_tostring(L, -2));
		if (!mentions(text, word, 1))
			sbuf_addf(bad, "  %s: the page does not name %s\n", e->name, word);
	}
	for (const struct lab_class *const *c = e->ns->classes; c && *c; c++)
		for (const luaL_Reg *m = (*c)->methods; m && m->name; m++) {
			char word[128];
			snprintf(word, sizeof word, ":%s(", m->name);
			if (!strstr(text, word))
				sbuf_addf(bad, "  %s: the page does not name the method %s:%s()\n",
					  e->name, (*c)->name, m->name);
		}
	for (const luaL_Reg *const *h = e->ns->handles; h && *h; h++)
		for (const luaL_Reg *m = *h; m->name; m++) {
			char word[128];
			snprintf(word, sizeof word, ":%s(", m->name);
			if (!strstr(text, word))
				sbuf_addf(bad, "  %s: the page does not name the handle's method %s()\n",
					  e->name, m->name);
		}
	lua_pop(L, 1);                                 /* remove namespace */
	/* lab.X.Y: X a namespace and Y one of its fields */
	for (const char *p = strstr(text, "lab."); p; p = strstr(p + 1, "lab.")) {
		if (p > text && ident((unsigned char)p[-1]))
			continue;
		const char *x = p + 4, *y = x;
		while (ident((unsigned char)*y))
			y++;
		if (*y != '.' || !ident((unsigned char)y[1]))
			continue;
		const char *z = y + 1;
		while (ident((unsigned char)*z))
			z++;
		lua_pushlstring(L, x, (size_t)(y - x));
		int t = lua_rawget(L, -2);                     /* push lab[X] */
		if (t == LUA_TTABLE) {
			lua_pushlstring(L, y + 1, (size_t)(z - y - 1));
			t = lua_rawget(L, -2);                 /* push lab[X][Y] */
			lua_pop(L, 1);
		}
		lua_pop(L, 1);
		if (t == LUA_TNIL)
			sbuf_addf(bad, "  %s: the page names %.*s, which does not exist\n", e->name,
				  (int)(z - p), p);
	}
	/* :method( of some lab class */
	for (const char *p = strchr(text, ':'); p; p = strchr(p + 1, ':')) {
		const char *q = p + 1;
		while (ident((unsigned char)*q))
			q++;
		if (q > p + 1 && *q == '(' && p > text && ident((unsigned char)p[-1]) &&
		    !some_method(L, p + 1, (size_t)(q - p - 1)))
			sbuf_addf(bad, "  %s: the page names the method %.*s, which no class has\n",
				  e->name, (int)(q - p), p);
	}
	/* @options: one line per function with a spec, none for others */
	for (const struct lab_fnopts *o = e->ns->options; o && o->fn; o++) {
		char line[128];
		snprintf(line, sizeof line, "\n@options %s\n", o->fn);
		if (!strstr(e->page, line) && strncmp(e->page, line + 1, strlen(line + 1)) != 0)
			sbuf_addf(bad, "  %s: no line '@options %s' for its options\n", e->name, o->fn);
	}
	if (strstr(text, "(no options known for"))
		sbuf_addf(bad, "  %s: an @options line names a function without options\n", e->name);
}

static void t_pages_match_the_bindings(void)
{
	lua_State *L = luaL_newstate();
	luaL_openlibs(L);
	lab_push(L);                                   /* push lab */
	struct sbuf bad = SBUF_INIT;
	for (const struct lab_entry *e = lab_registry; e->name; e++) {
		char *text = lab_help_text(e->name);
		CHECK(text);
		check_page(L, e, text, &bad);
		free(text);
	}
	lua_close(L);
	if (bad.len)
		printf("%s", bad.buf);
	CHECK_INT(bad.len, 0);
	sbuf_free(&bad);
}

/* Every ```lua block of every page runs (print is silenced). */
static void t_examples_run(void)
{
	for (const struct lab_entry *e = lab_registry; e->name; e++) {
		for (const char *p = strstr(e->page, "```lua\n"); p; p = strstr(p, "```lua\n")) {
			p += 7;
			const char *end = strstr(p, "\n```");
			CHECK(end);
			lua_State *L = luaL_newstate();
			luaL_openlibs(L);
			lab_push(L);
			lua_setglobal(L, "lab");
			lua_pushcfunction(L, lua_gettop); /* print: does nothing */
			lua_setglobal(L, "print");
			int rc = luaL_loadbuffer(L, p, (size_t)(end - p + 1), e->name) ||
				 lua_pcall(L, 0, 0, 0);
			if (rc != LUA_OK)
				printf("    lab.%s: %s\n", e->name, lua_tostring(L, -1));
			lua_close(L);
			CHECK_INT(rc, LUA_OK);
			p = end + 4;
		}
	}
}

/* The overview lists every namespace with its summary. */
static void t_overview(void)
{
	char *text = lab_help_text(NULL);
	CHECK(text);
	for (const struct lab_entry *e = lab_registry; e->name; e++) {
		char line[256];
		snprintf(line, sizeof line, "`lab.%s` %s", e->name, e->summary);
		CHECK(strstr(text, line));
	}
	free(text);
	CHECK(lab_help_text("nonesuch") == NULL);
}

static const struct test tests[] = {
	{"help/pages_match_the_bindings", t_pages_match_the_bindings},
	{"help/overview", t_overview},
	{"help/examples_run", t_examples_run},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
