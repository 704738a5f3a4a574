/*
 * base64.h — Base 64 encoding (RFC 4648 section 4) and its URL- and
 * filename-safe alphabet (section 5, "base64url", which JWTs use unpadded:
 * RFC 7515 section 2).
 */
#ifndef BACKLAB_BASE64_H
#define BACKLAB_BASE64_H

#include <stddef.h>

enum { BASE64_STD = 0, BASE64_URL = 1 };

/* Characters base64_encode writes for LEN bytes, padded or not (no NUL). */
size_t base64_encoded_len(size_t len, int pad);

/*
 * Encodes LEN bytes at P into OUT (base64_encoded_len(len, pad) + 1 bytes,
 * NUL-terminated) with the alphabet ALPHA (BASE64_STD or BASE64_URL), with
 * '=' padding if PAD.
 */
void base64_encode(const void *p, size_t len, int alpha, int pad, char *out);

/*
 * Decodes the LEN characters at S into OUT (room for 3 * LEN / 4 + 3 bytes)
 * and sets *OUTLEN. Strict, as RFC 4648 section 3.3 and 3.5 allow: no
 * whitespace or characters outside ALPHA; padding '=' optional but, if
 * present, complete and only at the end; the unused bits of the last
 * character must be zero (one encoding per byte string). Returns 0, or -1
 * and sets *WHERE to the offset of the first bad character.
 */
int base64_decode(const char *s, size_t len, int alpha, unsigned char *out, size_t *outlen,
		  size_t *where);

#endif
