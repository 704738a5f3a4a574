/*
 * Tests of the binding kit's result tables and nested option readers
 * (engine/lab/labkit.h): fields of nested structs, arrays of structs,
 * columns, names, 1-based indices, computed fields; options that are
 * "true or a table", lists of option tables. Each result is read back in
 * Lua, so what is checked is what a learner would see.
 */
#include "unit.h"
#include "engine/lab/labkit.h"

#include <lualib.h>
#include <math.h>
#include <string.h>

struct point {
	double t;
	size_t who;
	unsigned char kind;
	double maybe;
};

struct inner {
	int a;
	_Bool on;
};

struct report {
	long long n;
	double lo, hi;
	struct inner in;
	struct point *pts;
	size_t npts;
	double *xs;
	int nxs;
	const char *label;
};

static const char *const kinds[] = {"zero", "one", NULL};

static int f_whoname(lua_State *L, const void *obj, const void *ud)
{
	const char *const *names = ud;
	size_t who = ((const struct point *)obj)->who;
	if (who > 1)
		return 0; /* left out */
	lua_pushstring(L, names[who]);
	return 1;
}

static const struct lab_field range_fields[] = {
	LAB_F(struct report, lo), LAB_F(struct report, hi), {NULL},
};
static const struct lab_field inner_fields[] = {
	LAB_F(struct inner, a), LAB_F(struct inner, on), {NULL},
};
static const struct lab_field point_fields[] = {
	LAB_F(struct point, t), LAB_FINDEX("who", struct point, who),
	LAB_FNAME("kind", struct point, kind, kinds), LAB_FOPT(struct point, maybe),
	LAB_FFN("name", f_whoname), {NULL},
};
static const struct lab_field report_fields[] = {
	LAB_F(struct report, n), LAB_FGROUP("range", range_fields),
	LAB_FSUB("inner", struct report, in, inner_fields),
	LAB_FSTRUCTS("points", struct report, pts, npts, point_fields),
	LAB_FARRAY("xs", struct report, xs, nxs), LAB_F(struct report, label), {NULL},
};
static const struct lab_field column_fields[] = {
	LAB_F(struct point, t), LAB_F(struct point, kind), LAB_FOPT(struct point, maybe), {NULL},
};

/* Runs CODE (a chunk returning a string) with the value on top of L as
 * `v`, and returns a copy of the string it gives in OUT. */
static void eval(lua_State *L, const char *code, char *out, size_t size)
{
	lua_setglobal(L, "v");
	out[0] = '\0';
	if (luaL_dostring(L, code) != LUA_OK) {
		snprintf(out, size, "error: %s", lua_tostring(L, -1));
	} else {
		const char *s = lua_tostring(L, -1);
		snprintf(out, size, "%s", s ? s : "(not a string)");
	}
	lua_settop(L, 0);
}

static void t_fields(void)
{
	lua_State *L = luaL_newstate();
	luaL_openlibs(L);
	struct point pts[3] = {{0.5, 0, 1, NAN}, {1.5, 1, 0, 2.5}, {2.5, 7, 9, NAN}};
	double xs[2] = {10, 20};
	struct report r = {42, -1, 1, {7, 1}, pts, 3, xs, 2, NULL};
	const char *names[] = {"alpha", "beta"};
	lab_pushfields_ud(L, &r, report_fields, names);
	char got[512];
	eval(L, "return string.format('%d %g %g %d %s %d %g %g %s', v.n, v.range.lo, v.range.hi,"
		" v.inner.a, tostring(v.inner.on), #v.points, v.xs[1], v.xs[2], tostring(v.label))",
	     got, sizeof got);
	CHECK_STR(got, "42 -1 1 7 true 3 10 20 nil");
	lab_pushfields_ud(L, &r, report_fields, names);
	eval(L, "local o = {} for i, p in ipairs(v.points) do o[#o + 1] = string.format("
		"'%g/%d/%s/%s/%s', p.t, p.who, tostring(p.kind), tostring(p.maybe),"
		" tostring(p.name)) end return table.concat(o, ' ')",
	     got, sizeof got);
	/* who is 1-based; kind 9 has no name (the number); NaN and an unknown
	 * name leave their fields out */
	CHECK_STR(got, "0.5/1/one/nil/alpha 1.5/2/zero/2.5/beta 2.5/8/9/nil/nil");
	r.npts = 0;
	r.nxs = -3; /* a negative count is no elements */
	lab_pushfields(L, &r, report_fields);
	eval(L, "return #v.points .. ' ' .. type(v.points) .. ' ' .. #v.xs", got, sizeof got);
	CHECK_STR(got, "0 table 0");
	LAB_STRUCTS(L, pts, 2, point_fields, names);
	eval(L, "return v[2].name .. ' ' .. #v", got, sizeof got);
	CHECK_STR(got, "beta 2");
	LAB_COLUMNS(L, pts, 3, column_fields);
	eval(L, "return string.format('%d %g %d %s %s', #v.t, v.t[3], v.kind[3],"
		" tostring(v.maybe[1] ~= v.maybe[1]), tostring(v.maybe[2]))",
	     got, sizeof got);
	CHECK_STR(got, "3 2.5 9 true 2.5");
	lua_close(L);
}

struct sub_config {
	double every;
	int64_t times;
};

static const struct lab_opt sub_opts[] = {
	{"every", LAB_NUM, .num = 1, .min = 0, .max = 100, LAB_INTO(struct sub_config, every)},
	{"times", LAB_INT, .num = 3, .min = 1, .max = 10, LAB_INTO(struct sub_config, times)},
	{NULL},
};

struct item {
	double at;
	const char *tag;
	int extra;
};

static const struct lab_opt item_opts[] = {
	{"at", LAB_NUM, .required = 1, .min = 0, .max = 1e9, LAB_INTO(struct item, at)},
	{"tag", LAB_STR, .str = "none", LAB_INTO(struct item, tag)},
	{"extra", LAB_ANY, .help = "an integer"},
	{NULL},
};

static void each_item(lua_State *L, void *elem, size_t i, const char *whom, void *ud)
{
	struct item *it = elem;
	int *calls = ud;
	++*calls;
	lab_optpush(L, -1, "extra");
	if (!lua_isnil(L, -1) && !lua_isinteger(L, -1))
		luaL_error(L, "%s: extra must be an integer", whom);
	it->extra = (int)lua_tointeger(L, -1) + (int)i * 100;
	lua_pop(L, 1);
}

static struct sub_config sub_got;
static int sub_on;
static struct item items_got[4];
static size_t items_n;
static int each_calls;

static int run_sub(lua_State *L)
{
	sub_got = (struct sub_config){-1, -1};
	sub_on = lab_optsub(L, 1, "lab.t.f", "health", sub_opts, &sub_got);
	return 0;
}

static int run_list(lua_State *L)
{
	each_calls = 0;
	struct item *it = lab_optlist(L, 1, "lab.t.f", "events", item_opts, sizeof *it, 4,
				      &items_n, each_item, &each_calls);
	lua_gc(L, LUA_GCCOLLECT, 0); /* the tags stay anchored by the array */
	for (size_t i = 0; i < items_n; i++) {
		items_got[i] = it[i];
		items_got[i].tag = NULL;
		if (it[i].tag && strcmp(it[i].tag, i == 0 ? "none" : "second") != 0)
			luaL_error(L, "tag %d is %s", (int)i, it[i].tag);
	}
	return 0;
}

static void opts_call(lua_State *L, const char *code, int (*f)(lua_State *), char *err,
		      size_t size)
{
	err[0] = '\0';
	lua_pushcfunction(L, f);
	if (luaL_dostring(L, code) != LUA_OK || lua_pcall(L, 1, 0, 0) != LUA_OK)
		snprintf(err, size, "%s", lua_tostring(L, -1));
	lua_settop(L, 0);
}

static void t_optsub(void)
{
	lua_State *L = luaL_newstate();
	luaL_openlibs(L);
	char err[256];
	opts_call(L, "return {}", run_sub, err, sizeof err);
	CHECK_STR(err, "");
	CHECK(sub_on == 0 && sub_got.every == -1);
	opts_call(L, "return {health = false}", run_sub, err, sizeof err);
	CHECK(sub_on == 0 && err[0] == '\0');
	opts_call(L, "return {health = true}", run_sub, err, sizeof err);
	CHECK(sub_on == 1 && sub_got.every == 1 && sub_got.times == 3);
	opts_call(L, "return {health = {every = 2.5}}", run_sub, err, sizeof err);
	CHECK(sub_on == 1 && sub_got.every == 2.5 && sub_got.times == 3);
	opts_call(L, "return {health = 3}", run_sub, err, sizeof err);
	CHECK_STR(err, "lab.t.f: option 'health' must be {every = , times = } or true");
	opts_call(L, "return {health = {tmes = 2}}", run_sub, err, sizeof err);
	CHECK(strstr(err, "lab.t.f: health: unknown option 'tmes' (did you mean 'times'?)") != NULL);
	lua_close(L);
}

static void t_optlist(void)
{
	lua_State *L = luaL_newstate();
	luaL_openlibs(L);
	char err[256];
	opts_call(L, "return {}", run_list, err, sizeof err);
	CHECK(err[0] == '\0' && items_n == 0 && each_calls == 0);
	opts_call(L, "return {events = {{at = 1}, {at = 2, tag = 'sec' .. 'ond', extra = 5}}}",
		  run_list, err, sizeof err);
	CHECK_STR(err, "");
	CHECK(items_n == 2 && each_calls == 2);
	CHECK(items_got[0].at == 1 && items_got[0].extra == 0);
	CHECK(items_got[1].at == 2 && items_got[1].extra == 105);
	opts_call(L, "return {events = {{at = 1}, {}}}", run_list, err, sizeof err);
	CHECK(strstr(err, "lab.t.f: events[2]: option 'at' is required") != NULL);
	opts_call(L, "return {events = {{at = 1, extra = 'x'}}}", run_list, err, sizeof err);
	CHECK(strstr(err, "lab.t.f: events[1]: extra must be an integer") != NULL);
	opts_call(L, "return {events = {{at = 1}, {at = 1}, {at = 1}, {at = 1}, {at = 1}}}",
		  run_list, err, sizeof err);
	CHECK(strstr(err, "lab.t.f: option 'events' holds 5 elements; at most 4") != NULL);
	opts_call(L, "return {events = 'x'}", run_list, err, sizeof err);
	CHECK(strstr(err, "lab.t.f: option 'events' must be a list of tables") != NULL);
	lua_close(L);
}

static const struct test tests[] = {
	{"labkit/fields", t_fields},
	{"labkit/optsub", t_optsub},
	{"labkit/optlist", t_optlist},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
