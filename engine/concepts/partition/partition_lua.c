/*
 * partition_lua.c — lab.partition: the Lua binding of partition.h.
 *
 *   lab.partition.load{scheme = "range", nodes = 4, keys = 1e5, workload = "zipf"}
 *   lab.partition.rebalance{scheme = "fixed", from = 4, to = 5, keys = 1e5, size = 1000}
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/partition/partition.h"

static const char schemes[] = "range mod ring fixed dynamic directory";

#define COMMON_OPTS                                                                           \
	{"scheme", LAB_ENUM, .str = "mod", .choices = schemes},                               \
	{"keys", LAB_INT, 100000, .min = 1, .max = PART_MAX_KEYS, .help = "key-1..key-K"},    \
	{"partitions", LAB_INT, 256, .min = 1, .max = 1000000, .help = "fixed: P"},          \
	{"vnodes", LAB_INT, 160, .min = 1, .max = 10000, .help = "ring: points per node"},    \
	{"size", LAB_NUM, 1000, .min = 1, .max = 1e12, .help = "bytes per key"},              \
	{"vary", LAB_BOOL, 0, .help = "sizes exponential with mean size"},                   \
	{"split", LAB_NUM, 10e6, .min = 1, .max = 1e15, .help = "dynamic: split above (bytes)"}, \
	{"seed", LAB_INT, 1, .help = "for sizes and Zipf ranks"}

static const struct lab_opt load_opts[] = {
	COMMON_OPTS,
	{"nodes", LAB_INT, 4, .min = 1, .max = PART_MAX_NODES},
	{"workload", LAB_ENUM, .str = "uniform", .choices = "uniform zipf sequential"},
	{"zipf", LAB_NUM, 1.0, .min = 0, .max = 10, .help = "exponent s"},
	{NULL},
};

static const struct lab_opt move_opts[] = {
	COMMON_OPTS,
	{"from", LAB_INT, 4, .min = 1, .max = PART_MAX_NODES, .help = "nodes before"},
	{"to", LAB_INT, 5, .min = 1, .max = PART_MAX_NODES, .help = "nodes after"},
	{NULL},
};
enum { O_SCHEME, O_KEYS, O_PARTS, O_VNODES, O_SIZE, O_VARY, O_SPLIT, O_SEED, O_A, O_B, O_C };

static void common(const struct lab_val *o, struct part_config *c)
{
	*c = part_config_default();
	c->scheme = (enum part_scheme)o[O_SCHEME].choice;
	c->keys = (uint32_t)o[O_KEYS].i;
	c->partitions = (uint32_t)o[O_PARTS].i;
	c->vnodes = (uint32_t)o[O_VNODES].i;
	c->size = o[O_SIZE].num;
	c->vary = (int)o[O_VARY].i;
	c->split = o[O_SPLIT].num;
	c->seed = (uint64_t)o[O_SEED].i;
}

#define LF(m) LAB_F(struct part_load, m)
static const struct lab_field load_fields[] = {
	LAB_FARRAY("keys", struct part_load, keys, nodes),
	LAB_FARRAY("share", struct part_load, share, nodes), LF(key_max_mean), LF(load_max_mean),
	LF(hottest), LF(directory), LF(partitions), {NULL},
};
#define MF(m) LAB_F(struct part_move, m)
static const struct lab_field move_fields[] = {
	MF(keys_moved), MF(bytes_moved), MF(bytes_total), MF(fraction), MF(ideal),
	MF(max_mean_before), MF(max_mean_after), MF(partitions_before), MF(partitions_after),
	MF(split_moves), {NULL},
};

static int l_load(lua_State *L)
{
	const struct lab_val *o = lab_opts(L, 1, "lab.partition.load", load_opts);
	struct part_config c;
	common(o, &c);
	c.nodes = (uint32_t)o[O_A].i;
	c.workload = (enum part_workload)o[O_B].choice;
	c.zipf = o[O_C].num;
	const char *why = part_check(&c, 0);
	if (why)
		return luaL_error(L, "lab.partition.load: %s", why);
	struct part_load l;
	if (part_load(&c, &l) != 0)
		return lab_fail(L, "lab.partition.load: not enough memory");
	lab_pushfields(L, &l, load_fields);
	part_load_free(&l);
	return 1;
}

static int l_rebalance(lua_State *L)
{
	const struct lab_val *o = lab_opts(L, 1, "lab.partition.rebalance", move_opts);
	struct part_config c;
	common(o, &c);
	c.nodes = (uint32_t)o[O_A].i;
	c.to = (uint32_t)o[O_B].i;
	const char *why = part_check(&c, 1);
	if (why)
		return luaL_error(L, "lab.partition.rebalance: %s", why);
	struct part_move m;
	if (part_rebalance(&c, &m) != 0)
		return lab_fail(L, "lab.partition.rebalance: not enough memory");
	lab_pushfields(L, &m, move_fields);
	return 1;
}

static const luaL_Reg functions[] = {
	{"load", l_load},
	{"rebalance", l_rebalance},
	{NULL, NULL},
};

const struct lab_namespace lab_ns_partition = {
	.functions = functions,
	.options = (const struct lab_fnopts[]){{"load", load_opts}, {"rebalance", move_opts}, {NULL}},
};
