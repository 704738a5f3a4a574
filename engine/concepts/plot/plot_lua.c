/*
 * plot_lua.c — lab.plot: the Lua binding of plot.h.
 *
 *   print(lab.plot.bars{ {"lru", 0.61}, {"lfu", 0.66} })
 *   lab.plot.bars({lru = 0.61, lfu = 0.66}, {max = 1, format = "percent"})
 *   lab.plot.histogram(samples, {bins = 20, log = true, percentiles = {50, 99}})
 *   lab.plot.sparkline(series)
 *   lab.plot.lines{series = { {name = "lru", x = sizes, y = ratios}, ... }, logx = true}
 *   lab.plot.scatter{...}  lab.plot.bins(samples, opts)  lab.plot.ticks(lo, hi, opts)
 *   lab.plot.config()
 *
 * Every chart comes back as a string without a final newline, so that
 * print() shows it and checks can look at it. Numbers read from Lua go to
 * scratch userdata, so an error half-way through an argument leaks nothing;
 * the C renderer runs only once every argument has been read.
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/plot/plot.h"
#include "engine/concepts/plot/plot_lua.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SETTINGS "lab.plot.settings" /* registry: {width = 72, utf8 = true} */
#define DEFAULT_WIDTH 72

void lab_plot_configure(lua_State *L, int width, int utf8)
{
	width = width < PLOT_MIN_WIDTH ? PLOT_MIN_WIDTH : width;
	width = width > PLOT_MAX_WIDTH ? PLOT_MAX_WIDTH : width;
	lua_createtable(L, 0, 2);
	lua_pushinteger(L, width);
	lua_setfield(L, -2, "width");
	lua_pushboolean(L, utf8);
	lua_setfield(L, -2, "utf8");
	lua_setfield(L, LUA_REGISTRYINDEX, SETTINGS); /* registry[SETTINGS] = t */
}

static void settings(lua_State *L, int *width, int *utf8)
{
	*width = DEFAULT_WIDTH;
	*utf8 = 1;
	if (lua_getfield(L, LUA_REGISTRYINDEX, SETTINGS) == LUA_TTABLE) { /* push settings */
		lua_getfield(L, -1, "width");  /* push width */
		lua_getfield(L, -2, "utf8");   /* push utf8 */
		*width = (int)lua_tointeger(L, -2);
		*utf8 = lua_toboolean(L, -1);
		lua_pop(L, 2);                 /* remove width, utf8 */
	}
	lua_pop(L, 1);                         /* remove settings */
}

/* ---- reading arguments ---- */

/* Raises an error if the options table at IDX has a key not in ALLOWED. */
static void check_keys(lua_State *L, int idx, const char *fn, const char *const *allowed)
{
	if (!lua_istable(L, idx))
		return;
	lua_pushnil(L);                        /* first key */
	while (lua_next(L, idx)) {             /* push key, value */
		lua_pop(L, 1);                 /* remove value */
		int ok = lua_type(L, -1) != LUA_TSTRING;
		for (const char *const *a = allowed; !ok && *a; a++)
			ok = strcmp(lua_tostring(L, -1), *a) == 0;
		if (!ok) {
			struct sbuf sb = SBUF_INIT;
			for (const char *const *a = allowed; *a; a++)
				sbuf_addf(&sb, "%s%s", a == allowed ? "" : ", ", *a);
			lua_pushfstring(L, "lab.plot.%s: unknown option '%s' (options: %s)", fn,
					lua_tostring(L, -1), sbuf_str(&sb));
			sbuf_free(&sb);
			lua_error(L);
		}
	}
}

/* The width, UTF-8-ness and title, from the options at IDX and the settings. */
static struct plot_style style(lua_State *L, int idx)
{
	struct plot_style st;
	int width, utf8;
	settings(L, &width, &utf8);
	st.width = (int)lab_optint(L, idx, "width", width);
	if (st.width < PLOT_MIN_WIDTH || st.width > PLOT_MAX_WIDTH)
		luaL_error(L, "option 'width' must be between %d and %d columns", PLOT_MIN_WIDTH,
			   PLOT_MAX_WIDTH);
	st.utf8 = !lab_optbool(L, idx, "ascii", !utf8);
	st.title = lab_optstr(L, idx, "title", NULL);
	return st;
}

/* Element I of the table at IDX as a number, or an error naming WHAT. */
static double number_at(lua_State *L, int idx, lua_Integer i, const char *what)
{
	int ok;
	lua_rawgeti(L, idx, i);                /* push t[i] */
	double v = lua_tonumberx(L, -1, &ok);
	if (!ok)
		luaL_error(L, "%s[%I] is %s%s, expected a number", what, i,
			   lua_isnil(L, -1) ? "" : "a ", luaL_typename(L, -1));
	lua_pop(L, 1);                         /* remove t[i] */
	return v;
}

/*
 * Reads the list of numbers at IDX into a new scratch userdata, which it
 * leaves on the stack; stores the count in *N.                    [-0, +1]
 */
static double *numbers(lua_State *L, int idx, const char *what, size_t *n)
{
	idx = lua_absindex(L, idx);
	if (!lua_istable(L, idx))
		luaL_error(L, "%s must be a list of numbers, not %s", what, luaL_typename(L, idx));
	*n = (size_t)lua_rawlen(L, idx);
	double *v = lua_newuserdatauv(L, (*n ? *n : 1) * sizeof *v, 0); /* push scratch */
	for (size_t i = 0; i < *n; i++)
		v[i] = number_at(L, idx, (lua_Integer)i + 1, what);
	return v;
}

/* Reads option FIELD = {lo, hi} of the options at IDX. */
static struct plot_lim lim_opt(lua_State *L, int idx, const char *field, int log)
{
	struct plot_lim lim = {0, 0, 0};
	if (!lua_istable(L, idx) || lua_getfield(L, idx, field) == LUA_TNIL) { /* push lim */
		if (lua_istable(L, idx))
			lua_pop(L, 1);         /* remove nil */
		return lim;
	}
	int t = lua_gettop(L), ok1 = 0, ok2 = 0;
	if (lua_istable(L, t)) {
		lua_rawgeti(L, t, 1);          /* push lo */
		lua_rawgeti(L, t, 2);          /* push hi */
		lim.lo = lua_tonumberx(L, -2, &ok1);
		lim.hi = lua_tonumberx(L, -1, &ok2);
		lua_pop(L, 2);                 /* remove lo, hi */
	}
	if (!ok1 || !ok2)
		luaL_error(L, "option '%s' must be a pair of numbers {lo, hi}", field);
	if (!(lim.lo < lim.hi) || !isfinite(lim.lo) || !isfinite(lim.hi))
		luaL_error(L, "option '%s' must have lo < hi (got {%f, %f})", field, lim.lo, lim.hi);
	if (log && lim.lo <= 0)
		luaL_error(L, "option '%s' must be above 0 on a log scale", field);
	lua_pop(L, 1);                         /* remove lim */
	lim.set = 1;
	return lim;
}

/* Pushes the chart in SB (without its last newline) and frees SB.   [-0, +1] */
static int push_chart(lua_State *L, struct sbuf *sb, int err, const char *fn)
{
	if (err) {
		sbuf_free(sb);
		return luaL_error(L, "lab.plot.%s: %s", fn, plot_strerror(err));
	}
	size_t len = sb->len;
	if (len > 0 && sb->buf[len - 1] == '\n')
		len--;
	lua_pushlstring(L, sb->buf ? sb->buf : "", len);
	sbuf_free(sb);
	return 1;
}

/* ---- bars ---- */

static const char *const bars_keys[] = {"title", "width", "ascii", "min", "max",
					"format", "sort", NULL};

/* Stores LABEL (the value on top, converted to a string) in anchors[I] and
 * returns it; the anchors table keeps it alive. Pops the value.    [-1, +0] */
static const char *anchor_label(lua_State *L, int anchors, lua_Integer i)
{
	if (!lua_isstring(L, -1))
		luaL_error(L, "bar labels must be strings or numbers, not %s", luaL_typename(L, -1));
	const char *s = lua_tostring(L, -1);   /* converts a number in place */
	lua_rawseti(L, anchors, i);            /* anchors[i] = label */
	return s;
}

static int sort_label(const void *a, const void *b)
{
	return strcmp(((const struct plot_bar *)a)->label, ((const struct plot_bar *)b)->label);
}

static int sort_value(const void *pa, const void *pb)
{
	const struct plot_bar *a = pa, *b = pb;
	if (isnan(a->value) != isnan(b->value)) /* NaN last (it is left out anyway) */
		return isnan(a->value) ? 1 : -1;
	if (a->value != b->value && !isnan(a->value))
		return a->value < b->value ? 1 : -1; /* largest first */
	return strcmp(a->label, b->label);
}

/* Reads the bars at index 1 into a scratch userdata left on the stack. */
static struct plot_bar *read_bars(lua_State *L, int anchors, size_t *n, int *is_map)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	*n = (size_t)lua_rawlen(L, 1);
	*is_map = *n == 0;
	if (*is_map) {                         /* {label = value, ...} */
		lua_pushnil(L);
		while (lua_next(L, 1)) {       /* push key, value */
			lua_pop(L, 1);         /* remove value */
			(*n)++;
		}
	}
	struct plot_bar *bars = lua_newuserdatauv(L, (*n ? *n : 1) * sizeof *bars, 0);
	if (*is_map) {
		size_t i = 0;
		lua_pushnil(L);
		while (lua_next(L, 1)) {       /* push key, value */
			int ok;
			bars[i].value = lua_tonumberx(L, -1, &ok);
			lua_pop(L, 1);         /* remove value */
			lua_pushvalue(L, -1);  /* push copy of key to convert */
			if (!ok)
				luaL_error(L, "lab.plot.bars: the value of '%s' must be a number",
					   lua_tostring(L, -1));
			bars[i].label = anchor_label(L, anchors, (lua_Integer)i + 1);
			i++;
		}
		return bars;
	}
	for (size_t i = 0; i < *n; i++) {      /* { {label, value}, ... } or {v1, v2, ...} */
		lua_Integer k = (lua_Integer)i + 1;
		int t = lua_rawgeti(L, 1, k);  /* push item */
		if (t == LUA_TNUMBER) {
			bars[i].value = lua_tonumber(L, -1);
			lua_pushinteger(L, k); /* label: its index */
			bars[i].label = anchor_label(L, anchors, k);
		} else if (t == LUA_TTABLE) {
			int ok;
			if (lua_rawgeti(L, -1, 1) == LUA_TNIL) { /* push label */
				lua_pop(L, 1);                   /* remove nil */
				lua_getfield(L, -1, "label");    /* push label */
			}
			if (lua_rawgeti(L, -2, 2) == LUA_TNIL) { /* push value */
				lua_pop(L, 1);                   /* remove nil */
				lua_getfield(L, -2, "value");    /* push value */
			}
			bars[i].value = lua_tonumberx(L, -1, &ok);
			if (!ok)
				luaL_error(L, "lab.plot.bars: item %I needs a number value, "
					      "as in {\"lru\", 0.61}", k);
			lua_pop(L, 1);         /* remove value */
			bars[i].label = anchor_label(L, anchors, k);
		} else {
			luaL_error(L, "lab.plot.bars: item %I must be a {label, value} pair or a "
				      "number, not %s", k, lua_typename(L, t));
		}
		lua_pop(L, 1);                 /* remove item */
	}
	return bars;
}

static int l_bars(lua_State *L)
{
	lua_settop(L, 2);
	check_keys(L, 2, "bars", bars_keys);
	struct plot_bars_opts o = {style(L, 2), 0, 0, 0, 0, NULL};
	o.has_min = lua_istable(L, 2) && lua_getfield(L, 2, "min") != LUA_TNIL; /* push min */
	o.has_max = lua_istable(L, 2) && lua_getfield(L, 2, "max") != LUA_TNIL; /* push max */
	lua_settop(L, 2);                      /* remove min, max */
	o.min = lab_optnum(L, 2, "min", 0);
	o.max = lab_optnum(L, 2, "max", 0);
	if ((o.has_min && !isfinite(o.min)) || (o.has_max && !isfinite(o.max)) ||
	    (o.has_min && o.has_max && !(o.min < o.max)))
		return luaL_error(L, "options 'min' and 'max' must be finite, with min < max");
	o.format = lab_optstr(L, 2, "format", NULL);
	if (!plot_format_valid(o.format))
		return luaL_error(L, "option 'format' must be \"auto\", \"percent\" or a printf "
				     "format with one number conversion such as \"%%.2f\"");
	lua_newtable(L);                       /* push anchors (index 3) */
	size_t n;
	int is_map;
	struct plot_bar *bars = read_bars(L, 3, &n, &is_map); /* push scratch */
	const char *sort = lab_optstr(L, 2, "sort", is_map ? "label" : "none");
	if (strcmp(sort, "label") == 0)
		qsort(bars, n, sizeof *bars, sort_label);
	else if (strcmp(sort, "value") == 0)
		qsort(bars, n, sizeof *bars, sort_value);
	else if (strcmp(sort, "none") != 0 || is_map)
		return luaL_error(L, "option 'sort' must be \"label\" or \"value\"%s",
				  is_map ? " for a table of label = value" : " or \"none\"");
	struct sbuf sb = SBUF_INIT;
	return push_chart(L, &sb, plot_bars(&sb, bars, n, &o), "bars");
}

/* ---- histograms ---- */

static const char *const hist_keys[] = {"title", "width", "ascii", "bins", "exact", "log",
					"horizontal", "height", "range", "percentiles", "xlabel",
					NULL};
static const char *const bins_keys[] = {"bins", "exact", "log", "range", "percentiles", NULL};

/* Reads the histogram options at IDX (PCTS: room for PLOT_MAX_PCTS). */
static void hist_opts(lua_State *L, int idx, struct plot_hist_opts *o, double *pcts, int draw)
{
	memset(o, 0, sizeof *o);
	if (draw) {
		o->style = style(L, idx);
		o->horizontal = lab_optbool(L, idx, "horizontal", 0);
		o->height = (int)lab_optint(L, idx, "height", 10);
		if (o->height < 2 || o->height > PLOT_MAX_HEIGHT)
			luaL_error(L, "option 'height' must be between 2 and %d rows", PLOT_MAX_HEIGHT);
		o->xlabel = lab_optstr(L, idx, "xlabel", NULL);
	}
	o->bins = (int)lab_optint(L, idx, "bins", 20);
	if (o->bins < 1 || o->bins > PLOT_MAX_BINS)
		luaL_error(L, "option 'bins' must be between 1 and %d", PLOT_MAX_BINS);
	o->exact = lab_optbool(L, idx, "exact", 0);
	o->log = lab_optbool(L, idx, "log", 0);
	o->range = lim_opt(L, idx, "range", o->log);
	o->pcts = pcts;
	if (!lua_istable(L, idx))
		return;
	int t = lua_getfield(L, idx, "percentiles"); /* push percentiles */
	if (t == LUA_TBOOLEAN && lua_toboolean(L, -1)) {
		pcts[0] = 50, pcts[1] = 99;
		o->npcts = 2;
	} else if (t == LUA_TTABLE && lua_rawlen(L, -1) <= PLOT_MAX_PCTS) {
		o->npcts = (size_t)lua_rawlen(L, -1);
		for (size_t i = 0; i < o->npcts; i++) {
			pcts[i] = number_at(L, -1, (lua_Integer)i + 1, "percentiles");
			if (!(pcts[i] > 0 && pcts[i] <= 100))
				luaL_error(L, "option 'percentiles': %f is not in (0, 100]", pcts[i]);
		}
	} else if (t != LUA_TNIL && !(t == LUA_TBOOLEAN && !lua_toboolean(L, -1))) {
		luaL_error(L, "option 'percentiles' must be true (for p50 and p99) or a list of "
			      "up to %d numbers such as {50, 90, 99}", PLOT_MAX_PCTS);
	}
	lua_pop(L, 1);                         /* remove percentiles */
}

static int l_histogram(lua_State *L)
{
	lua_settop(L, 2);
	check_keys(L, 2, "histogram", hist_keys);
	struct plot_hist_opts o;
	double pcts[PLOT_MAX_PCTS];
	hist_opts(L, 2, &o, pcts, 1);
	size_t n;
	double *x = numbers(L, 1, "lab.plot.histogram: samples", &n); /* push scratch */
	struct sbuf sb = SBUF_INIT;
	return push_chart(L, &sb, plot_histogram(&sb, x, n, &o), "histogram");
}

static void setnum(lua_State *L, const char *field, double v)
{
	if (isnan(v))
		return;
	lua_pushnumber(L, v);
	lua_setfield(L, -2, field);            /* t[field] = v */
}

static void setint(lua_State *L, const char *field, uint64_t v)
{
	lua_pushinteger(L, (lua_Integer)v);
	lua_setfield(L, -2, field);            /* t[field] = v */
}

static int l_bins(lua_State *L)
{
	lua_settop(L, 2);
	check_keys(L, 2, "bins", bins_keys);
	struct plot_hist_opts o;
	double pcts[PLOT_MAX_PCTS];
	hist_opts(L, 2, &o, pcts, 0);
	size_t n;
	double *x = numbers(L, 1, "lab.plot.bins: samples", &n); /* push scratch */
	struct plot_bins *b;
	int err = plot_bins_compute(&b, x, n, &o);
	if (err)
		return luaL_error(L, "lab.plot.bins: %s", plot_strerror(err));
	lua_createtable(L, 0, 12);             /* push result */
	lua_createtable(L, (int)b->nbins + 1, 0);
	for (size_t i = 0; b->nbins && i <= b->nbins; i++) {
		lua_pushnumber(L, b->edges[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "edges");          /* result.edges = {...} */
	lua_createtable(L, (int)b->nbins, 0);
	for (size_t i = 0; i < b->nbins; i++) {
		lua_pushinteger(L, (lua_Integer)b->counts[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "counts");         /* result.counts = {...} */
	setint(L, "n", b->n);
	setint(L, "used", b->used);
	setint(L, "nonfinite", b->nonfinite);
	setint(L, "nonpositive", b->nonpositive);
	setint(L, "below", b->below);
	setint(L, "above", b->above);
	setnum(L, "min", b->min);
	setnum(L, "max", b->max);
	setnum(L, "mean", b->mean);
	lua_createtable(L, 0, (int)b->npcts);  /* percentiles by p */
	for (size_t i = 0; i < b->npcts; i++) {
		if (isnan(b->pctval[i]))
			continue;
		lua_pushnumber(L, b->pct[i]);
		lua_pushnumber(L, b->pctval[i]);
		lua_rawset(L, -3);             /* percentiles[p] = value */
	}
	lua_setfield(L, -2, "percentiles");
	plot_bins_free(b);
	return 1;
}

/* ---- sparklines ---- */

static const char *const spark_keys[] = {"title", "width", "ascii", "min", "max", NULL};

static int l_sparkline(lua_State *L)
{
	lua_settop(L, 2);
	check_keys(L, 2, "sparkline", spark_keys);
	struct plot_spark_opts o = {style(L, 2), {0, 0, 0}};
	size_t n;
	double *y = numbers(L, 1, "lab.plot.sparkline: series", &n); /* push scratch */
	double lo = INFINITY, hi = -INFINITY;
	for (size_t i = 0; i < n; i++)
		if (isfinite(y[i]))
			lo = fmin(lo, y[i]), hi = fmax(hi, y[i]);
	if (lua_istable(L, 2)) {
		lua_getfield(L, 2, "min");     /* push min */
		lua_getfield(L, 2, "max");     /* push max */
		o.lim.set = !lua_isnil(L, -2) || !lua_isnil(L, -1);
		lua_pop(L, 2);                 /* remove min, max */
		o.lim.lo = lab_optnum(L, 2, "min", lo);
		o.lim.hi = lab_optnum(L, 2, "max", hi);
		if (o.lim.set && !(o.lim.lo < o.lim.hi && isfinite(o.lim.lo) && isfinite(o.lim.hi)))
			return luaL_error(L, "options 'min' and 'max' must be finite, with min < max");
	}
	struct sbuf sb = SBUF_INIT;
	return push_chart(L, &sb, plot_sparkline(&sb, y, n, &o), "sparkline");
}

/* ---- line and scatter plots ---- */

static const char *const lines_keys[] = {"series", "title", "width", "ascii", "height",
					 "xlabel", "ylabel", "xlim", "ylim", "logx", "logy",
					 "x", "y", "name", NULL};

/* Moves the value on top of the stack into the anchors table, which keeps it
 * alive until the call returns.                                    [-1, +0] */
static void anchor(lua_State *L, int anchors)
{
	lua_rawseti(L, anchors, (lua_Integer)lua_rawlen(L, anchors) + 1); /* anchors[#+1] = v */
}

/*
 * Reads one series from the value on top of the stack: a list of y values,
 * or {name =, x =, y =}. NAME is its default name (may be NULL), IDX its
 * position for messages. Pops the value.                          [-1, +0]
 */
static void read_series(lua_State *L, int anchors, struct plot_series *s, const char *name,
			size_t idx)
{
	int top = lua_gettop(L);
	char what[96];
	if (!lua_istable(L, top))
		luaL_error(L, "lab.plot: series %d must be a list of numbers or {name =, x =, y =}",
			   (int)idx);
	s->name = name;
	s->x = NULL;
	if (lua_getfield(L, top, "name") != LUA_TNIL) { /* push name */
		if (!lua_isstring(L, -1))
			luaL_error(L, "lab.plot: the name of series %d must be a string", (int)idx);
		s->name = lua_tostring(L, -1);
		lua_pushvalue(L, -1);          /* push name again */
		anchor(L, anchors);
	}
	lua_pop(L, 1);                         /* remove name */
	if (s->name)
		snprintf(what, sizeof what, "lab.plot: series '%.40s' ", s->name);
	else
		snprintf(what, sizeof what, "lab.plot: series %d ", (int)idx);
	size_t w = strlen(what);
	if (lua_getfield(L, top, "y") == LUA_TNIL) { /* push y; nil: a plain list */
		what[w - 1] = '\0';
		s->y = numbers(L, top, what, &s->n); /* push scratch */
		anchor(L, anchors);
		lua_pop(L, 2);                 /* remove nil, series */
		return;
	}
	strcpy(what + w, "y");
	s->y = numbers(L, top + 1, what, &s->n); /* push scratch */
	anchor(L, anchors);
	if (lua_getfield(L, top, "x") != LUA_TNIL) { /* push x */
		size_t nx;
		what[w] = 'x';
		s->x = numbers(L, top + 2, what, &nx); /* push scratch */
		anchor(L, anchors);
		if (nx != s->n)
			luaL_error(L, "%s has %d values but y has %d", what, (int)nx,
				   (int)s->n);
	}
	lua_pop(L, 3);                         /* remove x, y, series */
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * Reads the series of a lines/scatter call: {series = LIST or MAP, opts...},
 * {x =, y =, opts...}, a list of y values, a list of series, or a map name ->
 * series (taken in name order). Sets *OPTS to the index of the options.
 * Every scratch array goes into the anchors table.                [-0, +0]
 */
static struct plot_series *read_all_series(lua_State *L, int anchors, size_t *ns, int *opts)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	int t_series = lua_getfield(L, 1, "series"); /* push series */
	int t_y = lua_getfield(L, 1, "y");           /* push y */
	int t_first = lua_rawgeti(L, 1, 1);          /* push first item */
	lua_pop(L, 3);                               /* remove them */
	*opts = t_series != LUA_TNIL || t_y != LUA_TNIL ? 1 : 2;
	if (t_series == LUA_TNIL && (t_y != LUA_TNIL || t_first == LUA_TNUMBER)) {
		struct plot_series *s = lua_newuserdatauv(L, sizeof *s, 0); /* push scratch */
		anchor(L, anchors);
		lua_pushvalue(L, 1);           /* push the one series */
		read_series(L, anchors, s, NULL, 1);
		*ns = 1;
		return s;
	}
	if (t_series != LUA_TNIL && t_series != LUA_TTABLE)
		luaL_error(L, "lab.plot: option 'series' must be a list of series");
	if (t_series != LUA_TNIL)
		lua_getfield(L, 1, "series");  /* push the series */
	else
		lua_pushvalue(L, 1);           /* push the series */
	int list = lua_gettop(L);
	*ns = (size_t)lua_rawlen(L, list);
	int is_map = *ns == 0;
	if (is_map) {                          /* {lru = {...}, lfu = {...}} */
		lua_pushnil(L);
		while (lua_next(L, list)) {    /* push key, value */
			lua_pop(L, 1);         /* remove value */
			if (lua_type(L, -1) != LUA_TSTRING)
				luaL_error(L, "lab.plot: a table of series must be a list, or a map "
					      "from names (strings) to series");
			(*ns)++;
		}
	}
	if (*ns > PLOT_MAX_SERIES)
		luaL_error(L, "lab.plot: too many series (%d; at most %d)", (int)*ns,
			   PLOT_MAX_SERIES);
	struct plot_series *s = lua_newuserdatauv(L, (*ns ? *ns : 1) * sizeof *s, 0);
	anchor(L, anchors);                    /* the scratch array */
	if (!is_map) {
		for (size_t i = 0; i < *ns; i++) {
			lua_rawgeti(L, list, (lua_Integer)i + 1); /* push series i */
			read_series(L, anchors, &s[i], NULL, i + 1);
		}
	} else {
		const char **names = lua_newuserdatauv(L, (*ns ? *ns : 1) * sizeof *names, 0);
		anchor(L, anchors);
		size_t k = 0;
		lua_pushnil(L);
		while (lua_next(L, list)) {    /* push key, value */
			lua_pop(L, 1);         /* remove value */
			names[k++] = lua_tostring(L, -1); /* kept alive by the table's key */
		}
		qsort(names, k, sizeof *names, by_name);
		for (size_t i = 0; i < k; i++) {
			lua_getfield(L, list, names[i]); /* push series */
			read_series(L, anchors, &s[i], names[i], i + 1);
		}
	}
	lua_pop(L, 1);                         /* remove the series */
	return s;
}

static int lines(lua_State *L, int points, const char *fn)
{
	lua_settop(L, 2);
	lua_newtable(L);                       /* push anchors (index 3) */
	size_t ns;
	int oi;
	struct plot_series *s = read_all_series(L, 3, &ns, &oi);
	check_keys(L, oi, fn, lines_keys);
	struct plot_lines_opts o;
	memset(&o, 0, sizeof o);
	o.style = style(L, oi);
	o.height = (int)lab_optint(L, oi, "height", 15);
	if (o.height < 2 || o.height > PLOT_MAX_HEIGHT)
		return luaL_error(L, "option 'height' must be between 2 and %d rows",
				  PLOT_MAX_HEIGHT);
	o.xlabel = lab_optstr(L, oi, "xlabel", NULL);
	o.ylabel = lab_optstr(L, oi, "ylabel", NULL);
	o.logx = lab_optbool(L, oi, "logx", 0);
	o.logy = lab_optbool(L, oi, "logy", 0);
	o.xlim = lim_opt(L, oi, "xlim", o.logx);
	o.ylim = lim_opt(L, oi, "ylim", o.logy);
	o.points = points;
	struct sbuf sb = SBUF_INIT;
	return push_chart(L, &sb, plot_lines(&sb, s, ns, &o), fn);
}

static int l_lines(lua_State *L)
{
	return lines(L, 0, "lines");
}

static int l_scatter(lua_State *L)
{
	return lines(L, 1, "scatter");
}

/* ---- ticks and settings ---- */

static const char *const ticks_keys[] = {"max", "log", NULL};

static int l_ticks(lua_State *L)
{
	double lo = luaL_checknumber(L, 1), hi = luaL_checknumber(L, 2);
	lua_settop(L, 3);
	check_keys(L, 3, "ticks", ticks_keys);
	int max = (int)lab_optint(L, 3, "max", 6);
	int log = lab_optbool(L, 3, "log", 0);
	luaL_argcheck(L, lo < hi && isfinite(lo) && isfinite(hi), 2, "need finite lo < hi");
	luaL_argcheck(L, !log || lo > 0, 1, "lo must be above 0 on a log scale");
	if (max < 2 || max > 100)
		return luaL_error(L, "option 'max' must be between 2 and 100");
	double t[100];
	size_t n = plot_ticks(lo, hi, max, log, t, 100);
	lua_createtable(L, (int)n, 0);         /* push ticks */
	for (size_t i = 0; i < n && i < 100; i++) {
		lua_pushnumber(L, t[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

static int l_config(lua_State *L)
{
	int width, utf8;
	settings(L, &width, &utf8);
	lua_createtable(L, 0, 2);              /* push result */
	lua_pushinteger(L, width);
	lua_setfield(L, -2, "width");
	lua_pushboolean(L, utf8);
	lua_setfield(L, -2, "utf8");
	return 1;
}

static const luaL_Reg functions[] = {
	{"bars", l_bars},         {"histogram", l_histogram}, {"sparkline", l_sparkline},
	{"lines", l_lines},       {"scatter", l_scatter},     {"bins", l_bins},
	{"ticks", l_ticks},       {"config", l_config},       {NULL, NULL},
};

int lab_open_plot(lua_State *L)
{
	luaL_newlib(L, functions);
	return 1;
}

const struct lab_namespace lab_ns_plot = {.open = lab_open_plot, .configure = lab_plot_configure};
