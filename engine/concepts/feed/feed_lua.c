/*
 * feed_lua.c — lab.feed: the Lua binding of feed.h.
 *
 *   local r = lab.feed.run{strategy = "hybrid", threshold = 1e5, celebrities = 2}
 *   local r = lab.feed.run{rule = function(post) return "write" end}
 *
 * A rule is called once per post, in arrival order, with a fresh table
 * {at, followers, backlog, pool}; it returns "write" or "read". Its errors
 * propagate (the run's state is owned by a holder userdata, so nothing
 * leaks).
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/feed/feed.h"

#include <string.h>

#define C(m) LAB_INTO(struct feed_config, m)
static const struct lab_opt run_opts[] = {
	{"seed", LAB_INT, .num = 1, .help = "the graph, the posts and the reads", C(seed)},
	{"duration", LAB_NUM, .num = 60, .min = 0, .max = 1e6, .flags = LAB_ABOVE,
	 .help = "s: posts and reads arrive in [0, duration)", C(duration)},
	{"users", LAB_NUM, .num = 1e7, .min = 1, .max = 1e10,
	 .help = "people: a reader follows a celebrity of f followers with probability f/users",
	 C(users)},
	{"authors", LAB_INT, .num = 10000, .min = 0, .max = 1e6,
	 .help = "ordinary accounts that post", C(authors)},
	{"followers", LAB_NUM, .num = 100, .min = 1, .max = 1e10,
	 .help = "their mean follower count (Pareto)", C(followers)},
	{"alpha", LAB_NUM, .num = 1.5, .min = 1, .max = 10, .flags = LAB_ABOVE,
	 .help = "Pareto tail index of the follower counts", C(alpha)},
	{"accounts", LAB_TABLE, .help = "follower counts of the ordinary accounts (instead of Pareto)"},
	{"celebrities", LAB_INT, .num = 0, .min = 0, .max = 1000,
	 .help = "accounts with celebrity_followers each", C(celebrities)},
	{"celebrity_followers", LAB_NUM, .num = 1e6, .min = 0, .max = 1e10,
	 .help = "at most users", C(celebrity_followers)},
	{"posts", LAB_NUM, .num = 100, .min = 0, .max = 1e7,
	 .help = "posts a second by the ordinary accounts (Poisson)", C(posts)},
	{"celebrity_posts", LAB_NUM, .num = 0.05, .min = 0, .max = 1e5,
	 .help = "posts a second by each celebrity (Poisson)", C(celebrity_posts)},
	{"posts_at", LAB_TABLE, .help = "more posts: {{at = s, author = k}, ...}"},
	{"reads", LAB_NUM, .num = 1000, .min = 0, .max = 1e7,
	 .help = "timeline reads a second (Poisson)", C(reads)},
	{"readers", LAB_INT, .num = 1000, .min = 1, .max = 100000,
	 .help = "sampled users who read", C(readers)},
	{"follows", LAB_NUM, .num = 200, .min = 0, .max = 1e6,
	 .help = "ordinary accounts a reader follows, on average", C(follows)},
	{"workers", LAB_INT, .num = 4, .min = 1, .max = 100000, .help = "fan-out workers", C(workers)},
	{"worker_rate", LAB_NUM, .num = 10000, .min = 0, .max = 1e9, .flags = LAB_ABOVE,
	 .help = "timeline writes a second per worker", C(worker_rate)},
	{"strategy", LAB_ENUM, .str = "write", .choices = "write read hybrid",
	 .help = "fan-out on write, on read, or both", C(strategy)},
	{"threshold", LAB_NUM, .num = 1e5, .min = 0, .max = 1e10,
	 .help = "hybrid: accounts with at least this many followers are pulled", C(threshold)},
	{"rule", LAB_FUNC, .help = "function(post) -> \"write\" | \"read\" (instead of strategy)"},
	{"read_base", LAB_NUM, .num = 0.002, .min = 0, .max = 1e3,
	 .help = "s to read a timeline from its cache", C(read_base)},
	{"pull_cost", LAB_NUM, .num = 0.0005, .min = 0, .max = 1e3,
	 .help = "s per followee merged on read", C(pull_cost)},
	{NULL},
};
enum { O_ACCOUNTS = 6, O_STRATEGY = 17, O_RULE = 19 };

#define P(m) LAB_INTO(struct feed_post_at, m)
static const struct lab_opt post_opts[] = {
	{"at", LAB_NUM, .required = 1, .min = 0, .max = 1e9, .help = "s", P(at)},
	{"author", LAB_INT, .required = 1, .min = 1, .max = 2e6, .help = "account, from 1", P(author)},
	{NULL},
};

#define R(m) LAB_F(struct feed_result, m)
static const struct lab_field result_fields[] = {
	R(posts), R(pushed), R(pulled), R(reads), R(accounts), R(deliveries), R(writes),
	R(write_rate), R(storage), R(backlog), R(lag_p50), R(lag_p99), R(lag_max), R(lag_mean),
	LAB_FOPT(struct feed_result, read_p50), LAB_FOPT(struct feed_result, read_p99),
	LAB_FOPT(struct feed_result, read_max), LAB_FOPT(struct feed_result, read_mean),
	R(pulls_mean), R(follows_mean), R(followers_max), {NULL},
};

struct holder {
	struct feed *s;
};

static void free_holder(void *p)
{
	struct holder *h = p;
	feed_free(h->s);
	h->s = NULL;
}

/* Calls the rule at RULE for post I of S; raises for anything but "write"
 * or "read". Returns 1 to pull. */
static int call_rule(lua_State *L, int rule, struct feed *s, size_t i, const char *who)
{
	struct feed_postinfo p;
	feed_postinfo(s, i, &p);
	lua_pushvalue(L, rule);
	lua_createtable(L, 0, 4);
	lab_setnum(L, "at", p.at);
	lab_setnum(L, "followers", p.followers);
	lab_setnum(L, "backlog", p.backlog);
	lab_setnum(L, "pool", p.pool);
	lua_call(L, 1, 1);
	int pull = -1;
	if (lua_type(L, -1) == LUA_TSTRING) {
		const char *v = lua_tostring(L, -1);
		pull = strcmp(v, "read") == 0 ? 1 : strcmp(v, "write") == 0 ? 0 : -1;
	}
	if (pull < 0)
		luaL_error(L, "%s: the rule must return \"write\" or \"read\", not %s (post at %f s "
			      "with %f followers)", who,
			   lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : luaL_typename(L, -1),
			   p.at, p.followers);
	lua_pop(L, 1);
	return pull;
}

static int l_run(lua_State *L)
{
	const char *who = "lab.feed.run";
	lua_settop(L, 1);
	struct feed_config c;
	memset(&c, 0, sizeof c);
	const struct lab_val *o = lab_opts_into(L, 1, who, run_opts, &c, 0); /* 2 */
	lab_optpush(L, 1, "rule");                                          /* 3 */
	if (o[O_RULE].set) {
		if (o[O_STRATEGY].set)
			return luaL_error(L, "%s: give a strategy or a rule, not both", who);
		c.strategy = FEED_RULE;
	}
	if (o[O_ACCOUNTS].set) {
		lab_optpush(L, 1, "accounts");                              /* 4 */
		c.accounts = lab_checknums(L, 4, "lab.feed.run: accounts", &c.naccounts); /* 5 */
		if (c.naccounts > FEED_MAX_ACCOUNTS)
			return luaL_error(L, "%s: at most 1000000 accounts", who);
	}
	c.posts_at = lab_optlist(L, 1, who, "posts_at", post_opts, sizeof *c.posts_at, 1000000,
				 &c.nposts_at, NULL, NULL);
	struct holder *h = lab_holder(L, sizeof *h, free_holder);
	const char *why = NULL;
	h->s = feed_new(&c, &why);
	if (!h->s)
		return lab_fail(L, "%s: %s", who, why);
	size_t n = feed_nposts(h->s);
	for (size_t i = 0; i < n; i++) {
		int pull = c.strategy == FEED_RULE ? call_rule(L, 3, h->s, i, who)
						   : feed_builtin(h->s, i);
		feed_decide(h->s, i, pull);
		if ((i & 0xFFF) == 0)
			lab_poll(L);
	}
	struct feed_result r;
	if (feed_finish(h->s, &r, &why) < 0)
		return lab_fail(L, "%s: %s", who, why);
	free_holder(h);
	lab_pushfields(L, &r, result_fields);
	static const char *const names[] = {"write", "read", "hybrid", "rule"};
	lab_setstr(L, "strategy", names[c.strategy]);
	lab_setnum(L, "pool", (double)c.workers * c.worker_rate);
	return 1;
}

const struct lab_namespace lab_ns_feed = {
	.functions = (const luaL_Reg[]){{"run", l_run}, {NULL, NULL}},
	.options = (const struct lab_fnopts[]){{"run", run_opts}, {"run posts_at", post_opts},
					       {NULL, NULL}},
};
