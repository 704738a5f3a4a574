/*
 * ct.h — comparing secrets without leaking where they differ.
 *
 * memcmp() and `==` on strings return at the first differing byte, so the
 * time they take tells an attacker how long a prefix of a guess was right:
 * the timing attack of the crypto lessons. ct_equal() reads every byte.
 */
#ifndef BACKLAB_CT_H
#define BACKLAB_CT_H

#include <stddef.h>

/*
 * 1 if the LA bytes at A equal the LB bytes at B, else 0. The time depends
 * on LA only (lengths are not secret: a MAC's length is public), never on
 * where the contents differ.
 */
int ct_equal(const void *a, size_t la, const void *b, size_t lb);

#endif
