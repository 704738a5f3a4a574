/*
 * crypto_lua.h — helpers the crypto-family bindings share (lab.crypto,
 * lab.digest, lab.jwt, lab.otp, lab.oauth, lab.tls): hash names checked
 * with one message, bytes pushed as hex.
 */
#ifndef BACKLAB_CRYPTO_LUA_H
#define BACKLAB_CRYPTO_LUA_H

#include "engine/lab/labkit.h"
#include "engine/concepts/crypto/hashfn.h"

/* The hash function named by argument ARG ("sha256"); raises, listing the
 * names, for anything else. */
const struct hashfn *crypto_checkhash(lua_State *L, int arg);

/* Pushes LEN bytes at P as lowercase hex.                          [-0, +1] */
void crypto_pushhex(lua_State *L, const unsigned char *p, size_t len);

/* timing_lua.c: lab.crypto.timing{...}, its class and options. */
int crypto_timing_new(lua_State *L);
extern const struct lab_class crypto_timing_class;
extern const struct lab_opt crypto_timing_opts[];

#endif
