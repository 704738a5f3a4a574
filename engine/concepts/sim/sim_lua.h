/*
 * sim_lua.h — what other bindings use of lab.sim, and what the files of
 * this binding share (sim_lua.c: the simulation object; simnode_lua.c: Lua
 * nodes, the value codec, isolate and check).
 *
 * For other namespaces (lab.gossip, lab.replication, a future lab.raft):
 * they put C nodes into a simulation the learner builds by pushing a
 * behaviour object, which sim:node(ids, behaviour) accepts, and look
 * inside their nodes through lab_sim_check():
 *
 *   static const struct sim_behaviour swim = {...};
 *   struct swim_cfg cfg = {...};
 *   lab_sim_push_behaviour(L, &swim, &cfg, sizeof cfg);  // lab.gossip.swim{...}
 *   ...
 *   struct sim *s = lab_sim_check(L, 1);                  // swim_state(sim, id)
 *   if (sim_behaviour_of(s, id) == &swim) { struct sim_ctx c = sim_ctx_of(s, id); ... }
 *
 * Each node given a behaviour object gets its own copy of the configuration
 * bytes as its `ud` (freed with the simulation), so the behaviour object
 * need not outlive it.
 */
#ifndef BACKLAB_SIM_LUA_H
#define BACKLAB_SIM_LUA_H

#include "engine/lab/labkit.h"
#include "engine/concepts/sim/sim.h"
#include "engine/concepts/sim/simval.h"

/* Pushes a behaviour object for B with configuration CFG (SIZE bytes,
 * copied; may be NULL with SIZE 0).                               [-0, +1] */
void lab_sim_push_behaviour(lua_State *L, const struct sim_behaviour *b, const void *cfg,
			    size_t size);

/* Pushes a lab.sim object owning S (which may be NULL: the caller then
 * raises), for a simulation a runner built; its Lua nodes, if any, are
 * not reachable from it.                                          [-0, +1] */
struct lsim;
struct lsim *lab_sim_wrap(lua_State *L, struct sim *s);

/* The simulation of the lab.sim object at IDX; raises for anything else. */
struct sim *lab_sim_check(lua_State *L, int idx);

/* ---- shared by the files of this binding ---- */

/* The object: the simulation and what Lua needs of it. Its user value 1 is
 * a table {nodes = {[id] = entry}, hooks = {[token] = function}}. */
struct lsim {
	struct sim *s;
	lua_State *L;      /* the thread running it now, or NULL */
	int self;          /* stack index of the object in L while it runs */
	uint64_t hooks;    /* tokens handed out */
	double until;      /* the last run's limit, for drawings */
	struct simw w;     /* scratch for encoding what handlers send */
};

extern const struct lab_class lab_sim_class;
extern const struct lab_class lab_simbeh_class;

/* Encodes the Lua value at IDX into W; raises on a value that cannot be
 * sent (a function, a cycle, a table key). WHAT names it in the error. */
void lab_sim_encode(lua_State *L, int idx, struct simw *w, const char *what);
/* Pushes a fresh Lua value decoded from V.                        [-0, +1] */
void lab_sim_decode(lua_State *L, struct simv v);

/* The behaviour of Lua nodes (simnode_lua.c); its ud is a struct lnode. */
extern const struct sim_behaviour lab_sim_lua_behaviour;
struct lnode {
	struct lsim *ls;
	uint32_t id;
};

/* Pushes the table of entries (user value .nodes) of the object at IDX. */
void lab_sim_entries(lua_State *L, int idx);

/* lab.sim.isolate and lab.sim.check (simnode_lua.c). */
int lab_sim_l_isolate(lua_State *L);

/* The methods of a Lua node's handle (node:send, ...), for help. */
extern const luaL_Reg lab_sim_node_methods[];
int lab_sim_l_check(lua_State *L);
extern const struct lab_opt lab_sim_check_opts[];

/* Runs the object at IDX until UNTIL / MAX events; returns the status.
 * On SIM_STOPPED raises; on SIM_ERROR leaves the message in sim_error(). */
enum sim_status lab_sim_run(lua_State *L, int idx, double until, uint64_t max);

/* A trace excerpt for a failure: the last LINES records up to time AT
 * (seconds; < 0: now) about NODES (NULL: all), as text.          [-0, +1] */
void lab_sim_push_excerpt(lua_State *L, struct sim *s, double at, const uint8_t *nodes,
			  size_t lines);

#endif
