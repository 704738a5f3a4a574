/* sqlfile_lua.h — the file-format functions of lab.sql (sqlfile_lua.c). */
#ifndef BACKLAB_SQLFILE_LUA_H
#define BACKLAB_SQLFILE_LUA_H

#include <lauxlib.h>

extern const luaL_Reg sqlfile_functions[];

#endif
