/* tls_lua.h — the parts of lab.tls bound in cert_lua.c. */
#ifndef BACKLAB_TLS_LUA_H
#define BACKLAB_TLS_LUA_H

#include "engine/lab/labkit.h"

int tls_l_cert(lua_State *L);
int tls_l_sign(lua_State *L);
int tls_l_verify(lua_State *L);
int tls_l_match_name(lua_State *L);
int tls_l_mtls(lua_State *L);
extern const struct lab_opt tls_cert_opts[], tls_verify_opts[], tls_mtls_opts[];

#endif
