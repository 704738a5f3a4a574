/* web_lua.h — the parts of lab.web bound outside web_lua.c. */
#ifndef BACKLAB_WEB_LUA_H
#define BACKLAB_WEB_LUA_H

#include "engine/lab/labkit.h"

int web_l_jar(lua_State *L);          /* cookie_lua.c */
extern const struct lab_class web_jar_class;
int web_l_db(lua_State *L);           /* sqldb_lua.c */
int web_l_sql_quote(lua_State *L);
extern const struct lab_class web_db_class;

#endif
