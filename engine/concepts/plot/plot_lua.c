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
 * Every chart comes back as a string without a final newline. Numbers read
 * from Lua go to scratch userdata and every string into the anchors table
 * the call keeps on its stack, so an error half-way leaks nothing and no C
 * pointer outlives its string; the renderer runs once every argument is read.
 *
 * The front end tells lab.plot how wide the terminal is and whether it
 * shows UTF-8 (lab_configure in lab.h, kept in the state's registry);
 * without it charts are 72 columns of UTF-8. A chart's own `width =` and
 * `ascii = true` win.
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/plot/plot.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SETTINGS "lab.plot.settings" /* registry: {width = 72, utf8 = true} */
#define DEFAULT_WIDTH 72
#define ANCHORS 3 /* stack index of the anchors table of every chart function */

static void configure(lua_State *L, int width, int utf8)
{
	width = width < PLOT_MIN_WIDTH ? PLOT_MIN_WIDTH : width;
	width = width > PLOT_MAX_WIDTH ? PLOT_MAX_WIDTH : width;
	lua_createtable(L, 0, 2);
	lab_setint(L, "width", width);
	lab_setbool(L, "utf8", utf8);
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
		lua_pop(L, 2);
	}
	lua_pop(L, 1);                         /* remove settings */
}

/* The options every chart takes, first in every spec. */
#define STYLE_OPTS                                                                   \
	{"title", LAB_STR, .help = "first line"},                                    \
	{"width", LAB_INT, .str = "the terminal's (72)", .min = PLOT_MIN_WIDTH,      \
	 .max = PLOT_MAX_WIDTH, .help = "columns"},                                  \
	{"ascii", LAB_BOOL, .help = "ASCII only, no block elements or Braille"}
enum { O_TITLE, O_WIDTH, O_ASCII };

static struct plot_style style(lua_State *L, const struct lab_val *o)
{
	int width, utf8;
	settings(L, &width, &utf8);
	struct plot_style st = {o[O_WIDTH].set ? (int)o[O_WIDTH].i : width,
				o[O_ASCII].set ? !o[O_ASCII].i : utf8, o[O_TITLE].s};
	return st;
}

/* Reads option NAME = {lo, hi} of the options at IDX. */
static struct plot_lim lim_opt(lua_State *L, const char *who, int idx, const char *name, int log)
{
	struct plot_lim lim = {0, 0, 0};
	if (lab_optpush(L, idx, name) == LUA_TNIL) { /* push lim */
		lua_pop(L, 1);
		return lim;
	}
	int t = lua_gettop(L), ok1 = 0, ok2 = 0;
	if (lua_istable(L, t)) {
		lua_rawgeti(L, t, 1);          /* push lo */
		lua_rawgeti(L, t, 2);          /* push hi */
		lim.lo = lua_tonumberx(L, -2, &ok1);
		lim.hi = lua_tonumberx(L, -1, &ok2);
	}
	if (!ok1 || !ok2)
		luaL_error(L, "%s: option '%s' must be a pair of numbers {lo, hi}", who, name);
	if (!(lim.lo < lim.hi) || !isfinite(lim.lo) || !isfinite(lim.hi))
		luaL_error(L, "%s: option '%s' must have lo < hi (got {%f, %f})", who, name, lim.lo,
			   lim.hi);
	if (log && lim.lo <= 0)
		luaL_error(L, "%s: option '%s' must be above 0 on a log scale", who, name);
	lua_settop(L, t - 1);                  /* remove lim, lo, hi */
	lim.set = 1;
	return lim;
}

/* Pushes the chart in SB (without its last newline) and frees SB.   [-0, +1] */
static int push_chart(lua_State *L, struct sbuf *sb, int err, const char *who)
{
	if (err) {
		sbuf_free(sb);
		if (err == PLOT_ENOMEM)
			return lab_fail(L, "%s: %s", who, plot_strerror(err));
		return luaL_error(L, "%s: %s", who, plot_strerror(err));
	}
	size_t len = sb->len;
	if (len > 0 && sb->buf[len - 1] == '\n')
		len--;
	lua_pushlstring(L, sb->buf ? sb->buf : "", len);
	sbuf_free(sb);
	return 1;
}

/* ---- bars ---- */

static const struct lab_opt bars_opts[] = {
	STYLE_OPTS,
	{"min", LAB_NUM, .str = "min(0, data)", .help = "the scale's start"},
	{"max", LAB_NUM, .str = "max(0, data)", .help = "the scale's end"},
	{"format", LAB_STR, .str = "auto", .help = "\"percent\" or a printf format such as \"%.2f\""},
	{"sort", LAB_ENUM, .str = "label", .choices = "label value none",
	 .help = "none keeps a list's order"},
	{NULL},
};
enum { B_MIN = 3, B_MAX, B_FORMAT, B_SORT };

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

/* The label on top of the stack (a string or a number), anchored; pops it. */
static const char *label(lua_State *L)
{
	if (lua_type(L, -1) == LUA_TNUMBER)
		lua_tostring(L, -1);           /* the number, as a string, in place */
	if (lua_type(L, -1) != LUA_TSTRING)
		luaL_error(L, "lab.plot.bars: labels must be strings or numbers, not %s",
			   luaL_typename(L, -1));
	return lab_keep(L, ANCHORS);
}

/* Reads the bars at index 1 into a scratch array it pushes.        [-0, +1] */
static struct plot_bar *read_bars(lua_State *L, size_t *n, int *is_map)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	*n = (size_t)lua_rawlen(L, 1);
	*is_map = *n == 0;
	for (lua_pushnil(L); *is_map && lua_next(L, 1); lua_pop(L, 1)) /* {label = value} */
		(*n)++;
	struct plot_bar *bars = lab_scratch(L, *n * sizeof *bars); /* push scratch */
	size_t i = 0;
	for (lua_pushnil(L); *is_map && lua_next(L, 1); i++) { /* push key, value */
		if (lua_type(L, -1) != LUA_TNUMBER) {
			lua_pushvalue(L, -2);
			luaL_error(L, "lab.plot.bars: the value of '%s' must be a number",
				   label(L));
		}
		bars[i].value = lua_tonumber(L, -1);
		lua_pop(L, 1);                 /* remove value */
		lua_pushvalue(L, -1);
		bars[i].label = label(L);
	}
	for (i = 0; !*is_map && i < *n; i++) { /* { {label, value}, ... } or {v1, v2, ...} */
		lua_Integer k = (lua_Integer)i + 1;
		int t = lua_rawgeti(L, 1, k);  /* push item */
		if (t == LUA_TNUMBER) {
			bars[i].value = lua_tonumber(L, -1);
			lua_pushinteger(L, k); /* label: its index */
		} else if (t == LUA_TTABLE) {
			if (lua_rawgeti(L, -1, 2) == LUA_TNIL) { /* push value */
				lua_pop(L, 1);
				lab_optpush(L, -1, "value");
			}
			if (lua_type(L, -1) != LUA_TNUMBER)
				luaL_error(L, "lab.plot.bars: item %I needs a number value, "
					      "as in {\"lru\", 0.61}", k);
			bars[i].value = lua_tonumber(L, -1);
			lua_pop(L, 1);         /* remove value */
			if (lua_rawgeti(L, -1, 1) == LUA_TNIL) { /* push label */
				lua_pop(L, 1);
				lab_optpush(L, -1, "label");
			}
		} else {
			luaL_error(L, "lab.plot.bars: item %I must be a {label, value} pair or a "
				      "number, not %s", k, lua_typename(L, t));
		}
		bars[i].label = label(L);
		lua_pop(L, 1);                 /* remove item */
	}
	return bars;
}

static int l_bars(lua_State *L)
{
	const char *who = "lab.plot.bars";
	lua_settop(L, 2);
	lua_newtable(L);                       /* 3: anchors */
	const struct lab_val *o = lab_opts(L, 2, who, bars_opts); /* push box */
	struct plot_bars_opts po = {style(L, o), o[B_MIN].set, o[B_MAX].set, o[B_MIN].num,
				    o[B_MAX].num, o[B_FORMAT].set ? o[B_FORMAT].s : NULL};
	if (po.has_min && po.has_max && !(po.min < po.max))
		return luaL_error(L, "%s: options 'min' and 'max' must be finite, with min < max", who);
	if (!plot_format_valid(po.format))
		return luaL_error(L, "%s: option 'format' must be \"auto\", \"percent\" or a printf "
				     "format with one number conversion such as \"%%.2f\"", who);
	size_t n;
	int is_map;
	struct plot_bar *bars = read_bars(L, &n, &is_map); /* push scratch */
	int sort = o[B_SORT].set ? o[B_SORT].choice : is_map ? 0 : 2;
	if (is_map && sort == 2)
		return luaL_error(L, "%s: option 'sort' must be \"label\" or \"value\" for a table "
				     "of label = value", who);
	if (sort < 2)
		qsort(bars, n, sizeof *bars, sort ? sort_value : sort_label);
	struct sbuf sb = SBUF_INIT;
	return push_chart(L, &sb, plot_bars(&sb, bars, n, &po), who);
}

/* ---- histograms ---- */

#define BINS_OPTS                                                                        \
	{"bins", LAB_INT, .num = 20, .min = 1, .max = PLOT_MAX_BINS, .help = "about how many"}, \
	{"exact", LAB_BOOL, .help = "exactly `bins` equal bins"},                           \
	{"log", LAB_BOOL, .help = "bins equal in log10(x)"},                                 \
	{"range", LAB_TABLE, .str = "the data's", .help = "{lo, hi}"},                     \
	{"percentiles", LAB_ANY, .help = "true (p50, p99) or a list such as {50, 90, 99}"}
static const struct lab_opt bins_opts[] = {BINS_OPTS, {NULL}};
static const struct lab_opt hist_opts_spec[] = {
	BINS_OPTS,
	STYLE_OPTS,
	{"horizontal", LAB_BOOL, .help = "one row per bin"},
	{"height", LAB_INT, .num = 10, .min = 2, .max = PLOT_MAX_HEIGHT, .help = "rows"},
	{"xlabel", LAB_STR, .help = "under the axis"},
	{NULL},
};
enum { H_BINS, H_EXACT, H_LOG, H_RANGE, H_PCTS, H_STYLE, H_HORIZONTAL = H_STYLE + 3, H_HEIGHT,
       H_XLABEL };

/* Reads the histogram options (DRAW: those of histogram, else of bins) at 2
 * into PO (PCTS: room for PLOT_MAX_PCTS); leaves their box on the stack. */
static void hist_opts(lua_State *L, const char *who, struct plot_hist_opts *po, double *pcts,
		      int draw)
{
	const struct lab_val *o = lab_opts(L, 2, who, draw ? hist_opts_spec : bins_opts);
	memset(po, 0, sizeof *po);
	if (draw) {
		po->style = style(L, o + H_STYLE);
		po->horizontal = (int)o[H_HORIZONTAL].i;
		po->height = (int)o[H_HEIGHT].i;
		po->xlabel = o[H_XLABEL].s;
	}
	po->bins = (int)o[H_BINS].i;
	po->exact = (int)o[H_EXACT].i;
	po->log = (int)o[H_LOG].i;
	po->range = lim_opt(L, who, 2, "range", po->log);
	po->pcts = pcts;
	int t = lab_optpush(L, 2, "percentiles"); /* push percentiles */
	if (t == LUA_TBOOLEAN && lua_toboolean(L, -1)) {
		pcts[0] = 50, pcts[1] = 99;
		po->npcts = 2;
	} else if (t == LUA_TTABLE && lua_rawlen(L, -1) <= PLOT_MAX_PCTS) {
		double *p = lab_checknums(L, -1, "option 'percentiles'", &po->npcts); /* push */
		for (size_t i = 0; i < po->npcts; i++)
			if (!((pcts[i] = p[i]) > 0 && p[i] <= 100))
				luaL_error(L, "%s: option 'percentiles': %f is not in (0, 100]", who,
					   p[i]);
		lua_pop(L, 1);
	} else if (t != LUA_TNIL && !(t == LUA_TBOOLEAN && !lua_toboolean(L, -1))) {
		luaL_error(L, "%s: option 'percentiles' must be true (for p50 and p99) or a list of "
			      "up to %d numbers such as {50, 90, 99}", who, PLOT_MAX_PCTS);
	}
	lua_pop(L, 1);                         /* remove percentiles */
}

static int l_histogram(lua_State *L)
{
	lua_settop(L, 2);
	struct plot_hist_opts o;
	double pcts[PLOT_MAX_PCTS];
	hist_opts(L, "lab.plot.histogram", &o, pcts, 1); /* push box */
	size_t n;
	double *x = lab_checknums(L, 1, "lab.plot.histogram: samples", &n); /* push scratch */
	struct sbuf sb = SBUF_INIT;
	return push_chart(L, &sb, plot_histogram(&sb, x, n, &o), "lab.plot.histogram");
}

#define BF(m) LAB_F(struct plot_bins, m)
static const struct lab_field bins_fields[] = {
	BF(n), BF(used), BF(nonfinite), BF(nonpositive), BF(below), BF(above),
	LAB_FOPT(struct plot_bins, min), LAB_FOPT(struct plot_bins, max),
	LAB_FOPT(struct plot_bins, mean), {NULL},
};

static void free_bins(void *p)
{
	plot_bins_free(*(struct plot_bins **)p);
}

static int l_bins(lua_State *L)
{
	lua_settop(L, 2);
	struct plot_hist_opts o;
	double pcts[PLOT_MAX_PCTS];
	hist_opts(L, "lab.plot.bins", &o, pcts, 0); /* push box */
	size_t n;
	double *x = lab_checknums(L, 1, "lab.plot.bins: samples", &n); /* push scratch */
	struct plot_bins **held = lab_holder(L, sizeof *held, free_bins); /* push holder */
	int err = plot_bins_compute(held, x, n, &o);
	if (err)
		return err == PLOT_ENOMEM ? lab_fail(L, "lab.plot.bins: not enough memory")
					  : luaL_error(L, "lab.plot.bins: %s", plot_strerror(err));
	struct plot_bins *b = *held;
	lab_pushfields(L, b, bins_fields);     /* push result */
	LAB_ARRAY(L, b->edges, b->nbins ? b->nbins + 1 : 0);
	lua_setfield(L, -2, "edges");
	LAB_ARRAY(L, b->counts, b->nbins);
	lua_setfield(L, -2, "counts");
	lua_createtable(L, 0, (int)b->npcts);  /* percentiles by p */
	for (size_t i = 0; i < b->npcts; i++) {
		if (isnan(b->pctval[i]))
			continue;
		lua_pushnumber(L, b->pct[i]);
		lua_pushnumber(L, b->pctval[i]);
		lua_rawset(L, -3);             /* percentiles[p] = value */
	}
	lua_setfield(L, -2, "percentiles");
	return 1;
}

/* ---- sparklines ---- */

static const struct lab_opt spark_opts[] = {
	STYLE_OPTS,
	{"min", LAB_NUM, .str = "the data's", .help = "the scale's bottom"},
	{"max", LAB_NUM, .str = "the data's", .help = "the scale's top"},
	{NULL},
};

static int l_sparkline(lua_State *L)
{
	const char *who = "lab.plot.sparkline";
	lua_settop(L, 2);
	const struct lab_val *o = lab_opts(L, 2, who, spark_opts); /* push box */
	struct plot_spark_opts po = {style(L, o), {0, 0, 0}};
	size_t n;
	double *y = lab_checknums(L, 1, "lab.plot.sparkline: series", &n); /* push scratch */
	double lo = INFINITY, hi = -INFINITY;
	for (size_t i = 0; i < n; i++)
		if (isfinite(y[i]))
			lo = fmin(lo, y[i]), hi = fmax(hi, y[i]);
	po.lim.set = o[3].set || o[4].set;
	po.lim.lo = o[3].set ? o[3].num : lo;
	po.lim.hi = o[4].set ? o[4].num : hi;
	if (po.lim.set && !(po.lim.lo < po.lim.hi && isfinite(po.lim.lo) && isfinite(po.lim.hi)))
		return luaL_error(L, "%s: options 'min' and 'max' must be finite, with min < max", who);
	struct sbuf sb = SBUF_INIT;
	return push_chart(L, &sb, plot_sparkline(&sb, y, n, &po), who);
}

/* ---- line and scatter plots ---- */

static const struct lab_opt lines_opts[] = {
	STYLE_OPTS,
	{"series", LAB_ANY, .help = "a list of series, or a map name -> series"},
	{"height", LAB_INT, .num = 15, .min = 2, .max = PLOT_MAX_HEIGHT, .help = "rows"},
	{"xlabel", LAB_STR, .help = "x axis title"}, {"ylabel", LAB_STR, .help = "y axis title"},
	{"xlim", LAB_TABLE, .help = "{lo, hi}"}, {"ylim", LAB_TABLE, .help = "{lo, hi}"},
	{"logx", LAB_BOOL, .help = "log10 x axis"}, {"logy", LAB_BOOL, .help = "log10 y axis"},
	{"x", LAB_TABLE, .help = "one series: x values"}, {"y", LAB_TABLE, .help = "its y values"},
	{"name", LAB_STR, .help = "its name"},
	{NULL},
};
enum { L_SERIES = 3, L_HEIGHT, L_XLABEL, L_YLABEL, L_XLIM, L_YLIM, L_LOGX, L_LOGY };

static const struct lab_opt series_opts[] = {
	{"name", LAB_STR, .help = "in the legend"}, {"x", LAB_TABLE, .str = "1, 2, ..."},
	{"y", LAB_TABLE, .required = 1}, {NULL},
};

/* Reads one series from the value on top of the stack (popped): a list of y
 * values, or {name =, x =, y =}. NAME is its default name (may be NULL), I
 * its position for messages. Scratch arrays go into the anchors. [-1, +0] */
static void read_series(lua_State *L, struct plot_series *s, const char *name, size_t i)
{
	int top = lua_gettop(L);
	char what[96];
	snprintf(what, sizeof what, "lab.plot: series %d", (int)i);
	if (!lua_istable(L, top))
		luaL_error(L, "%s must be a list of numbers or {name =, x =, y =}", what);
	s->name = name;
	s->x = NULL;
	if (lab_optpush(L, top, "y") == LUA_TNIL) { /* a plain list of y values */
		s->y = lab_checknums(L, top, what, &s->n); /* push scratch */
		lab_keep(L, ANCHORS);
		lua_settop(L, top - 1);
		return;
	}
	const struct lab_val *o = lab_opts(L, top, what, series_opts); /* push box */
	if (o[0].s) {
		lua_pushstring(L, o[0].s);
		s->name = lab_keep(L, ANCHORS);
	}
	if (s->name)
		snprintf(what, sizeof what, "lab.plot: series '%.40s'", s->name);
	size_t w = strlen(what);
	strcpy(what + w, " y");
	s->y = lab_checknums(L, top + 1, what, &s->n); /* push scratch */
	lab_keep(L, ANCHORS);
	if (lab_optpush(L, top, "x") != LUA_TNIL) { /* push x */
		size_t nx;
		what[w + 1] = 'x';
		s->x = lab_checknums(L, -1, what, &nx); /* push scratch */
		lab_keep(L, ANCHORS);
		if (nx != s->n)
			luaL_error(L, "%s has %d values but y has %d", what, (int)nx, (int)s->n);
	}
	lua_settop(L, top - 1);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * Reads the series of a lines/scatter call: {series = LIST or MAP, opts...},
 * {x =, y =, opts...}, a list of y values, a list of series, or a map name ->
 * series (taken in name order). Sets *OPTS to the index of the options.
 */
static struct plot_series *read_all_series(lua_State *L, size_t *ns, int *opts)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	int t_series = lab_optpush(L, 1, "series"); /* push series */
	int t_y = lab_optpush(L, 1, "y");           /* push y */
	int t_first = lua_rawgeti(L, 1, 1);         /* push first item */
	lua_pop(L, 3);
	*opts = t_series != LUA_TNIL || t_y != LUA_TNIL ? 1 : 2;
	if (t_series == LUA_TNIL && (t_y != LUA_TNIL || t_first == LUA_TNUMBER)) {
		struct plot_series *s = lab_scratch(L, sizeof *s); /* push scratch */
		lab_keep(L, ANCHORS);
		lua_pushvalue(L, 1);           /* push the one series */
		if (t_y != LUA_TNIL) {         /* its options are the chart's: read x, y raw */
			lua_createtable(L, 0, 3);
			for (int k = 0; k < 3; k++) {
				static const char *const f[] = {"name", "x", "y"};
				lab_optpush(L, 1, f[k]);
				lua_setfield(L, -2, f[k]);
			}
			lua_remove(L, -2);
		}
		read_series(L, s, NULL, 1);
		*ns = 1;
		return s;
	}
	if (t_series != LUA_TNIL && t_series != LUA_TTABLE)
		luaL_error(L, "lab.plot: option 'series' must be a list of series");
	if (t_series != LUA_TNIL)
		lab_optpush(L, 1, "series");   /* push the series */
	else
		lua_pushvalue(L, 1);
	int list = lua_gettop(L);
	*ns = (size_t)lua_rawlen(L, list);
	int is_map = *ns == 0;
	for (lua_pushnil(L); is_map && lua_next(L, list); lua_pop(L, 1)) { /* {lru = {...}} */
		if (lua_type(L, -2) != LUA_TSTRING)
			luaL_error(L, "lab.plot: a table of series must be a list, or a map from "
				      "names (strings) to series");
		(*ns)++;
	}
	if (*ns > PLOT_MAX_SERIES)
		luaL_error(L, "lab.plot: too many series (%d; at most %d)", (int)*ns, PLOT_MAX_SERIES);
	struct plot_series *s = lab_scratch(L, *ns * sizeof *s);
	lab_keep(L, ANCHORS);
	const char **names = lab_scratch(L, *ns * sizeof *names);
	lab_keep(L, ANCHORS);
	size_t k = 0;
	for (lua_pushnil(L); is_map && lua_next(L, list); k++) { /* push key, value */
		lua_pop(L, 1);
		lua_pushvalue(L, -1);
		names[k] = lab_keep(L, ANCHORS);
	}
	if (is_map)
		qsort(names, k, sizeof *names, by_name);
	for (size_t i = 0; i < *ns; i++) {
		if (is_map) {
			lua_pushstring(L, names[i]);
			lua_rawget(L, list);       /* push series */
		} else {
			lua_rawgeti(L, list, (lua_Integer)i + 1); /* push series i */
		}
		read_series(L, &s[i], is_map ? names[i] : NULL, i + 1);
	}
	lua_pop(L, 1);                         /* remove the series */
	return s;
}

static int lines(lua_State *L, int points, const char *who)
{
	lua_settop(L, 2);
	lua_newtable(L);                       /* 3: anchors */
	size_t ns;
	int oi;
	struct plot_series *s = read_all_series(L, &ns, &oi);
	const struct lab_val *o = lab_opts_ex(L, oi, who, lines_opts, oi == 1 ? LAB_OPTS_ARRAY : 0);
	struct plot_lines_opts po;
	memset(&po, 0, sizeof po);
	po.style = style(L, o);
	po.height = (int)o[L_HEIGHT].i;
	po.xlabel = o[L_XLABEL].s;
	po.ylabel = o[L_YLABEL].s;
	po.logx = (int)o[L_LOGX].i;
	po.logy = (int)o[L_LOGY].i;
	po.xlim = lim_opt(L, who, oi, "xlim", po.logx);
	po.ylim = lim_opt(L, who, oi, "ylim", po.logy);
	po.points = points;
	struct sbuf sb = SBUF_INIT;
	return push_chart(L, &sb, plot_lines(&sb, s, ns, &po), who);
}

static int l_lines(lua_State *L)
{
	return lines(L, 0, "lab.plot.lines");
}

static int l_scatter(lua_State *L)
{
	return lines(L, 1, "lab.plot.scatter");
}

/* ---- ticks and settings ---- */

static const struct lab_opt ticks_opts[] = {
	{"max", LAB_INT, .num = 6, .min = 2, .max = 100, .help = "ticks at most"},
	{"log", LAB_BOOL, .help = "powers of ten"},
	{NULL},
};

static int l_ticks(lua_State *L)
{
	double lo = luaL_checknumber(L, 1), hi = luaL_checknumber(L, 2);
	lua_settop(L, 3);
	const struct lab_val *o = lab_opts(L, 3, "lab.plot.ticks", ticks_opts); /* push box */
	luaL_argcheck(L, lo < hi && isfinite(lo) && isfinite(hi), 2, "need finite lo < hi");
	luaL_argcheck(L, !o[1].i || lo > 0, 1, "lo must be above 0 on a log scale");
	double t[100];
	size_t n = plot_ticks(lo, hi, (int)o[0].i, (int)o[1].i, t, 100);
	lab_pushnums(L, t, n < 100 ? n : 100);
	return 1;
}

static int l_config(lua_State *L)
{
	int width, utf8;
	settings(L, &width, &utf8);
	lua_createtable(L, 0, 2);              /* push result */
	lab_setint(L, "width", width);
	lab_setbool(L, "utf8", utf8);
	return 1;
}

static const luaL_Reg functions[] = {
	{"bars", l_bars},     {"histogram", l_histogram}, {"sparkline", l_sparkline},
	{"lines", l_lines},   {"scatter", l_scatter},     {"bins", l_bins},
	{"ticks", l_ticks},   {"config", l_config},       {NULL, NULL},
};

const struct lab_namespace lab_ns_plot = {
	.functions = functions,
	.configure = configure,
	.options = (const struct lab_fnopts[]){{"bars", bars_opts},     {"histogram", hist_opts_spec},
					       {"bins", bins_opts},     {"sparkline", spark_opts},
					       {"lines", lines_opts},   {"scatter", lines_opts},
					       {"series", series_opts}, {"ticks", ticks_opts},
					       {NULL, NULL}},
};
