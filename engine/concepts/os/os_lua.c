/*
 * os_lua.c — lab.os: the Lua binding of os.h.
 *
 *   lab.os.paging{refs = {1, 2, 3, 4, 1, 2, 5}, frames = 3, policy = "fifo", trace = true}
 *   lab.os.belady{frames = 3, pages = 5, length = 12, seed = 1}
 *   lab.os.tlb{addresses = {...}, page_size = 16, entries = 4}
 *   lab.os.pagetable{va_bits = 48, page_bits = 12, levels = {9, 9, 9, 9}, addresses = {...}}
 *   lab.os.split{address = 0x1234, page_bits = 12, levels = {10, 10}}
 *   lab.os.workload{kind = "80-20", n = 10000, pages = 100, seed = 1}
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/os/os.h"
#include "engine/concepts/rand/rand.h"

#include <string.h>

enum { MAX_REFS = 1000000, MAX_FRAMES = 4096 };


static const struct lab_opt paging_opts[] = {
	{"refs", LAB_TABLE, .required = 1, .help = "the page numbers referenced, in order"},
	{"policy", LAB_ENUM, .str = "fifo", .choices = "fifo lru opt clock second random ws"},
	{"frames", LAB_INT, .num = 0, .min = 0, .max = MAX_FRAMES, .str = "required but for ws",
	 .help = "frames of memory"},
	{"window", LAB_INT, .num = 0, .min = 0, .max = MAX_REFS, .str = "required for ws",
	 .help = "ws: the working-set window, in references"},
	{"seed", LAB_INT, .num = 1, .help = "random: the draws"},
	{"trace", LAB_BOOL, .num = 0, .help = "return each reference and a table of the frames"},
	{NULL},
};

static const struct lab_opt belady_opts[] = {
	{"policy", LAB_ENUM, .str = "fifo", .choices = "fifo lru opt clock second random"},
	{"frames", LAB_INT, .num = 3, .min = 1, .max = 64, .help = "compared with frames + 1"},
	{"pages", LAB_INT, .num = 5, .min = 1, .max = 1000, .help = "distinct pages drawn from"},
	{"length", LAB_INT, .num = 20, .min = 1, .max = 10000, .help = "references per string"},
	{"tries", LAB_INT, .num = 10000, .min = 1, .max = 1000000, .help = "strings drawn at most"},
	{"seed", LAB_INT, .num = 1},
	{NULL},
};

static const struct lab_opt tlb_opts[] = {
	{"addresses", LAB_TABLE, .required = 1, .help = "virtual addresses accessed, in order"},
	{"entries", LAB_INT, .required = 1, .min = 1, .max = MAX_FRAMES, .help = "TLB entries"},
	{"page_size", LAB_INT, .num = 4096, .min = 1, .max = 1073741824, .help = "bytes, a power of 2"},
	{"policy", LAB_ENUM, .str = "lru", .choices = "fifo lru clock random"},
	{"seed", LAB_INT, .num = 1},
	{"levels", LAB_INT, .num = 1, .min = 1, .max = 8, .help = "memory reads of a page walk"},
	{"tlb_ns", LAB_NUM, .num = 1, .min = 0, .max = 1e6, .help = "time of a TLB lookup"},
	{"mem_ns", LAB_NUM, .num = 100, .min = 0, .max = 1e9, .help = "time of a memory read"},
	{NULL},
};

static const struct lab_opt pagetable_opts[] = {
	{"va_bits", LAB_INT, .num = 48, .min = 2, .max = 62, .help = "bits of a virtual address"},
	{"page_bits", LAB_INT, .num = 12, .min = 1, .max = 40, .help = "offset bits (page = 2^page_bits)"},
	{"levels", LAB_TABLE, .required = 1, .help = "index bits per level, top first; they sum to va_bits - page_bits"},
	{"pte_bytes", LAB_INT, .num = 8, .min = 1, .max = 64, .help = "bytes of one entry"},
	{"addresses", LAB_TABLE, .help = "virtual addresses mapped"},
	{NULL},
};

static const struct lab_opt split_opts[] = {
	{"address", LAB_INT, .required = 1, .min = 0, .max = 4.6e18},
	{"page_bits", LAB_INT, .num = 12, .min = 1, .max = 40},
	{"levels", LAB_TABLE, .required = 1, .help = "index bits per level, top first"},
	{NULL},
};

static const struct lab_opt workload_opts[] = {
	{"kind", LAB_ENUM, .str = "uniform", .choices = "uniform 80-20 loop"},
	{"n", LAB_INT, .num = 10000, .min = 1, .max = MAX_REFS, .help = "references"},
	{"pages", LAB_INT, .num = 100, .min = 1, .max = 1000000, .help = "distinct pages"},
	{"seed", LAB_INT, .num = 1},
	{NULL},
};

/* Reads the list at options[NAME] into a new array of non-negative integers. */
static int64_t *read_ints(lua_State *L, const char *who, const char *name, size_t *n, size_t max)
{
	lab_optpush(L, 1, name);                        /* push the list */
	int t = lua_gettop(L);
	*n = lua_istable(L, t) ? lua_rawlen(L, t) : 0;
	if (*n > max)
		luaL_error(L, "%s: %s has more than %d entries", who, name, (int)max);
	int64_t *v = lab_scratch(L, (*n ? *n : 1) * sizeof *v);   /* push scratch */
	for (size_t i = 0; i < *n; i++) {
		lua_rawgeti(L, t, (lua_Integer)i + 1);  /* push v[i] */
		if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 0)
			luaL_error(L, "%s: %s[%d] must be an integer >= 0", who, name, (int)i + 1);
		v[i] = lua_tointeger(L, -1);
		lua_pop(L, 1);                          /* pop it */
	}
	lua_replace(L, t);                              /* scratch where the list was */
	return v;
}

/* Reads options.levels (1..8 positive integers) into C. */
static void read_levels(lua_State *L, const char *who, int *levels, int *nlevels, int *sum)
{
	size_t n;
	int64_t *v = read_ints(L, who, "levels", &n, 8);   /* push scratch */
	if (n < 1)
		luaL_error(L, "%s: levels must list 1 to 8 bit counts", who);
	*sum = 0;
	for (size_t i = 0; i < n; i++) {
		if (v[i] < 1 || v[i] > 30)
			luaL_error(L, "%s: levels[%d] must be between 1 and 30", who, (int)i + 1);
		levels[i] = (int)v[i];
		*sum += levels[i];
	}
	*nlevels = (int)n;
	lua_pop(L, 1);                                  /* pop scratch */
}

/* The textbook table of a traced run: references across, frames down. */
static void draw_table(struct sbuf *sb, const struct os_ref *tr, const int64_t *fr, size_t n, int F)
{
	int w = 2;
	for (size_t i = 0; i < n; i++) {
		int d = snprintf(NULL, 0, "%lld", (long long)tr[i].page);
		if (d + 1 > w)
			w = d + 1;
	}
	sbuf_adds(sb, "ref    ");
	for (size_t i = 0; i < n; i++)
		sbuf_addf(sb, "%*lld", w, (long long)tr[i].page);
	sbuf_addc(sb, '\n');
	for (int f = 0; f < F && fr; f++) {
		sbuf_addf(sb, "frame%-2d", f + 1);
		for (size_t i = 0; i < n; i++) {
			int64_t p = fr[i * (size_t)F + (size_t)f];
			if (p < 0)
				sbuf_addf(sb, "%*s", w, "");
			else
				sbuf_addf(sb, "%*lld", w, (long long)p);
		}
		sbuf_addc(sb, '\n');
	}
	sbuf_adds(sb, "fault  ");
	for (size_t i = 0; i < n; i++)
		sbuf_addf(sb, "%*s", w, tr[i].hit ? "" : "F");
	sbuf_addc(sb, '\n');
}

static int l_paging(lua_State *L)
{
	const char *who = "lab.os.paging";
	const struct lab_val *v = lab_opts(L, 1, who, paging_opts);   /* push opts */
	struct os_paging_config c = {(enum os_policy)v[1].choice, (int)v[2].i, (int)v[3].i,
				     (uint64_t)v[4].i};
	int trace = (int)v[5].i;
	if (c.policy == OS_WS && c.window < 1)
		luaL_error(L, "%s: policy 'ws' needs window = (references, >= 1)", who);
	if (c.policy != OS_WS && c.frames < 1)
		luaL_error(L, "%s: option 'frames' is required (>= 1)", who);
	size_t n;
	int64_t *refs = read_ints(L, who, "refs", &n, MAX_REFS);      /* push scratch */
	if (trace && n * (size_t)(c.frames ? c.frames : 1) > 4000000)
		luaL_error(L, "%s: trace = true holds references x frames; keep it under 4e6", who);
	struct os_ref *tr = trace ? lab_scratch(L, (n ? n : 1) * sizeof *tr) : NULL;   /* push */
	int64_t *fr = trace && c.policy != OS_WS
			      ? lab_scratch(L, (n ? n : 1) * (size_t)c.frames * sizeof *fr) : NULL;
	struct os_paging_result r;
	if (os_paging(refs, n, &c, &r, tr, fr) != 0)
		return lab_fail(L, "%s: not enough memory", who);
	lua_createtable(L, 0, 8);                       /* push result */
	lab_setint(L, "references", (lua_Integer)n);
	lab_setint(L, "faults", (lua_Integer)r.faults);
	lab_setint(L, "hits", (lua_Integer)r.hits);
	lab_setnum(L, "hit_ratio", n ? (double)r.hits / (double)n : 0);
	if (c.policy == OS_WS) {
		lab_setint(L, "max_ws", (lua_Integer)r.max_ws);
		lab_setnum(L, "mean_ws", r.mean_ws);
	}
	if (trace) {
		lua_createtable(L, (int)n, 0);          /* push trace */
		for (size_t i = 0; i < n; i++) {
			lua_createtable(L, 0, 4);
			lab_setint(L, "page", tr[i].page);
			lab_setbool(L, "hit", tr[i].hit);
			if (tr[i].evicted >= 0)
				lab_setint(L, "evicted", tr[i].evicted);
			if (fr) {
				lab_setint(L, "frame", tr[i].frame + 1);
				lua_createtable(L, c.frames, 0);
				for (int f = 0; f < c.frames; f++) {
					int64_t p = fr[i * (size_t)c.frames + (size_t)f];
					if (p >= 0)
						lua_pushinteger(L, p);
					else
						lua_pushboolean(L, 0);
					lua_rawseti(L, -2, f + 1);
				}
				lua_setfield(L, -2, "frames");
			}
			lua_rawseti(L, -2, (lua_Integer)i + 1);
		}
		lua_setfield(L, -2, "trace");
		struct sbuf sb = {0};
		draw_table(&sb, tr, fr, n, fr ? c.frames : 0);
		lua_pushstring(L, sbuf_str(&sb));
		sbuf_free(&sb);
		lua_setfield(L, -2, "table");
	}
	return 1;
}

static int l_belady(lua_State *L)
{
	const char *who = "lab.os.belady";
	const struct lab_val *v = lab_opts(L, 1, who, belady_opts);   /* push opts */
	size_t len = (size_t)v[3].i, fa, fb;
	int64_t *out = lab_scratch(L, len * sizeof *out);             /* push scratch */
	long k = os_belady((enum os_policy)v[0].choice, (int)v[1].i, (int)v[2].i, len, (long)v[4].i,
			   (uint64_t)v[5].i, out, &fa, &fb);
	if (k < 0)
		return lab_fail(L, "%s: not enough memory", who);
	if (k == 0) {
		lua_pushnil(L);
		lua_pushinteger(L, v[4].i);
		return 2;
	}
	lua_createtable(L, 0, 3);                       /* push result */
	lua_createtable(L, (int)len, 0);
	for (size_t i = 0; i < len; i++) {
		lua_pushinteger(L, out[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "refs");
	lua_createtable(L, 2, 0);
	lua_pushinteger(L, (lua_Integer)fa);
	lua_rawseti(L, -2, 1);
	lua_pushinteger(L, (lua_Integer)fb);
	lua_rawseti(L, -2, 2);
	lua_setfield(L, -2, "faults");
	lab_setint(L, "frames", v[1].i);
	lab_setint(L, "tries", k);
	return 1;
}

static int l_tlb(lua_State *L)
{
	const char *who = "lab.os.tlb";
	const struct lab_val *v = lab_opts(L, 1, who, tlb_opts);      /* push opts */
	lua_Integer ps = v[2].i;
	if (ps & (ps - 1))
		luaL_error(L, "%s: page_size must be a power of 2 (got %d)", who, (int)ps);
	int bits = 0;
	while (((lua_Integer)1 << bits) < ps)
		bits++;
	static const enum os_policy pol[] = {OS_FIFO, OS_LRU, OS_CLOCK, OS_RANDOM};
	size_t n;
	int64_t *a = read_ints(L, who, "addresses", &n, MAX_REFS);    /* push scratch */
	for (size_t i = 0; i < n; i++)
		a[i] >>= bits;                          /* page numbers */
	struct os_paging_config c = {pol[v[3].choice], (int)v[1].i, 1, (uint64_t)v[4].i};
	struct os_paging_result r;
	if (os_paging(a, n, &c, &r, NULL, NULL) != 0)
		return lab_fail(L, "%s: not enough memory", who);
	double tlb = v[6].num, mem = v[7].num;
	double total = (double)n * (tlb + mem) + (double)r.faults * (double)v[5].i * mem;
	lua_createtable(L, 0, 5);                       /* push result */
	lab_setint(L, "accesses", (lua_Integer)n);
	lab_setint(L, "hits", (lua_Integer)r.hits);
	lab_setint(L, "misses", (lua_Integer)r.faults);
	lab_setnum(L, "hit_ratio", n ? (double)r.hits / (double)n : 0);
	lab_setnum(L, "eat_ns", n ? total / (double)n : 0);
	return 1;
}

static int l_pagetable(lua_State *L)
{
	const char *who = "lab.os.pagetable";
	const struct lab_val *v = lab_opts(L, 1, who, pagetable_opts);   /* push opts */
	struct os_pt_config c = {(int)v[0].i, (int)v[1].i, 0, {0}, (int)v[3].i};
	int sum;
	read_levels(L, who, c.levels, &c.nlevels, &sum);
	if (c.page_bits >= c.va_bits || sum != c.va_bits - c.page_bits)
		luaL_error(L, "%s: levels sum to %d bits; va_bits - page_bits is %d", who, sum,
			   c.va_bits - c.page_bits);
	size_t n;
	int64_t *a = read_ints(L, who, "addresses", &n, MAX_REFS);   /* push scratch */
	for (size_t i = 0; i < n; i++)
		if ((uint64_t)a[i] >> c.va_bits)
			luaL_error(L, "%s: addresses[%d] does not fit in %d bits", who, (int)i + 1, c.va_bits);
	struct os_pt_result r;
	if (os_pagetable(&c, a, n, &r) != 0)
		return lab_fail(L, "%s: not enough memory", who);
	lua_createtable(L, 0, 5);                       /* push result */
	lab_setint(L, "pages", (lua_Integer)r.pages);
	lua_createtable(L, c.nlevels, 0);
	for (int i = 0; i < c.nlevels; i++) {
		lua_pushinteger(L, (lua_Integer)r.tables[i]);
		lua_rawseti(L, -2, i + 1);
	}
	lua_setfield(L, -2, "tables");
	lab_setnum(L, "bytes", r.bytes);
	lab_setnum(L, "linear_bytes", r.linear_bytes);
	return 1;
}

static int l_split(lua_State *L)
{
	const char *who = "lab.os.split";
	const struct lab_val *v = lab_opts(L, 1, who, split_opts);   /* push opts */
	uint64_t addr = (uint64_t)v[0].i;
	int pb = (int)v[1].i, levels[8], nl, sum;
	read_levels(L, who, levels, &nl, &sum);
	if (pb + sum > 62 || (addr >> (pb + sum)))
		luaL_error(L, "%s: the address does not fit in %d bits", who, pb + sum);
	lua_createtable(L, 0, 3);                       /* push result */
	lab_setint(L, "offset", (lua_Integer)(addr & (((uint64_t)1 << pb) - 1)));
	lab_setint(L, "vpn", (lua_Integer)(addr >> pb));
	lua_createtable(L, nl, 0);
	int below = sum;
	for (int i = 0; i < nl; i++) {
		below -= levels[i];
		lua_pushinteger(L, (lua_Integer)((addr >> pb >> below) & (((uint64_t)1 << levels[i]) - 1)));
		lua_rawseti(L, -2, i + 1);
	}
	lua_setfield(L, -2, "indices");
	return 1;
}

static int l_workload(lua_State *L)
{
	const struct lab_val *v = lab_opts(L, 1, "lab.os.workload", workload_opts);   /* push opts */
	struct rng g;
	rng_seed(&g, (uint64_t)v[3].i);
	lua_Integer n = v[1].i, pages = v[2].i, hot = pages / 5 > 0 ? pages / 5 : 1;
	lua_createtable(L, (int)n, 0);                  /* push the list */
	for (lua_Integer i = 0; i < n; i++) {
		lua_Integer p;
		if (v[0].choice == 0)           /* uniform: no locality */
			p = (lua_Integer)rng_below(&g, (uint64_t)pages);
		else if (v[0].choice == 1)      /* 80% of references to 20% of the pages */
			p = rng_uniform(&g) < 0.8 || hot == pages
				    ? (lua_Integer)rng_below(&g, (uint64_t)hot)
				    : hot + (lua_Integer)rng_below(&g, (uint64_t)(pages - hot));
		else                            /* looping over the pages in order */
			p = i % pages;
		lua_pushinteger(L, p);
		lua_rawseti(L, -2, i + 1);
	}
	return 1;
}

static const luaL_Reg functions[] = {
	{"paging", l_paging},       {"belady", l_belady}, {"tlb", l_tlb},
	{"pagetable", l_pagetable}, {"split", l_split},   {"workload", l_workload},
	{NULL, NULL},
};

const struct lab_namespace lab_ns_os = {
	.functions = functions,
	.options = (const struct lab_fnopts[]){{"paging", paging_opts}, {"belady", belady_opts},
					       {"tlb", tlb_opts}, {"pagetable", pagetable_opts},
					       {"split", split_opts}, {"workload", workload_opts},
					       {NULL, NULL}},
};
