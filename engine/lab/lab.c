/*
 * lab.c — the `lab` table built from the registry, and help. See lab.h.
 * The registry itself is generated (build/gen/lab_registry.c, by
 * mk/registry.c from engine/concepts/NAME/NAME.md).
 */
#include "engine/lab/lab.h"
#include "engine/base/sbuf.h"
#include "engine/lab/labkit.h"

#include <stdlib.h>
#include <string.h>

const struct lab_entry *lab_find(const char *name)
{
	if (!name)
		return NULL;
	for (const struct lab_entry *e = lab_registry; e->name; e++)
		if (strcmp(e->name, name) == 0)
			return e;
	return NULL;
}

static int l_help(lua_State *L)
{
	const char *name = luaL_optstring(L, 1, NULL);
	char *s = lab_help_text(name);
	if (!s)
		return luaL_error(L, "lab has no namespace named '%s' (see lab.help())", name);
	lua_pushstring(L, s);
	free(s);
	return 1;
}

/* The option spec of function FN of namespace E, or NULL. */
static const struct lab_opt *spec_of(const struct lab_entry *e, const char *fn, size_t len)
{
	if (!e->ns->options)
		return NULL;
	for (const struct lab_fnopts *o = e->ns->options; o->fn; o++)
		if (strlen(o->fn) == len && memcmp(o->fn, fn, len) == 0)
			return o->spec;
	return NULL;
}

/* Appends E's page to SB with every line "@options FN" replaced by the
 * options of FN, as an indented code block. */
static void add_page(struct sbuf *sb, const struct lab_entry *e)
{
	const char *p = e->page;
	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		if (len > 9 && memcmp(p, "@options ", 9) == 0) {
			const char *fn = p + 9;
			size_t fl = len - 9;
			while (fl && (fn[fl - 1] == ' ' || fn[fl - 1] == '\r'))
				fl--;
			const struct lab_opt *spec = spec_of(e, fn, fl);
			if (spec) {
				sbuf_addf(sb, "```text\nlab.%s.%.*s options (defaults):\n", e->name,
					  (int)fl, fn);
				lab_opts_help(sb, spec, "  ");
				sbuf_adds(sb, "```\n");
			} else {
				sbuf_addf(sb, "(no options known for %.*s)\n", (int)fl, fn);
			}
		} else {
			sbuf_add(sb, p, len);
			if (eol)
				sbuf_addc(sb, '\n');
		}
		p += len + (eol ? 1 : 0);
	}
}

char *lab_help_text(const char *name)
{
	struct sbuf sb = SBUF_INIT;
	if (!name) {
		sbuf_adds(&sb, "lab — backend concepts implemented in C, for you to drive from Lua:\n\n");
		for (const struct lab_entry *e = lab_registry; e->name; e++)
			sbuf_addf(&sb, "- `lab.%s` %s\n", e->name, e->summary);
		sbuf_adds(&sb, "\n`lab.help(\"NAME\")` (or `help lab NAME`) shows how to use one.\n");
		return sbuf_detach(&sb);
	}
	const struct lab_entry *e = lab_find(name);
	if (!e)
		return NULL;
	add_page(&sb, e);
	return sbuf_detach(&sb);
}

void lab_configure(lua_State *L, int width, int utf8)
{
	for (const struct lab_entry *e = lab_registry; e->name; e++)
		if (e->ns->configure)
			e->ns->configure(L, width, utf8);
}

/* Pushes the table of namespace E.                                 [-0, +1] */
static void push_namespace(lua_State *L, const struct lab_entry *e)
{
	const struct lab_namespace *ns = e->ns;
	lua_newtable(L);                                       /* push table */
	if (ns->functions)
		luaL_setfuncs(L, ns->functions, 0);
	if (ns->classes)
		for (const struct lab_class *const *c = ns->classes; *c; c++)
			lab_newclass_of(L, *c);
	if (ns->fields)
		ns->fields(L);
}

void lab_push(lua_State *L)
{
	lua_newtable(L);                                       /* push lab */
	for (const struct lab_entry *e = lab_registry; e->name; e++) {
		push_namespace(L, e);                          /* push namespace */
		lua_setfield(L, -2, e->name);                  /* lab[name] = it */
	}
	lua_pushcfunction(L, l_help);
	lua_setfield(L, -2, "help");
}
