/*
 * plot_lua.h — host settings of lab.plot (the binding is plot_lua.c).
 *
 * The front end knows the terminal; lab.plot does not. The REPL calls
 * lab_plot_configure once it knows the width and whether the terminal
 * speaks UTF-8, and again when they change (SIGWINCH). Without a call, charts
 * are 72 columns wide and use UTF-8. A chart's own `width =` and
 * `ascii = true` options override these settings for that call.
 */
#ifndef BACKLAB_PLOT_LUA_H
#define BACKLAB_PLOT_LUA_H

#include <lua.h>

/*
 * Stores the default width (clamped to 16..1000 columns) and UTF-8-ness
 * (0: ASCII only) in L's registry, for every later lab.plot call in L.
 *                                                                  [-0, +0]
 */
void lab_plot_configure(lua_State *L, int width, int utf8);

#endif
