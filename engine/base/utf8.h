/*
 * utf8.h — UTF-8 validation, decoding and terminal display width.
 *
 * Independent of the C locale: the width table is built in (East Asian Wide
 * and Fullwidth ranges count 2 columns, combining marks and zero-width
 * characters 0), so rendering is the same under any LANG.
 */
#ifndef BACKLAB_UTF8_H
#define BACKLAB_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Returns 1 if S[0..LEN) is well-formed UTF-8 (no overlongs, surrogates or
 * code points above U+10FFFF), else 0 and the offset of the first bad byte
 * in *BAD (if BAD is not NULL).
 */
int utf8_valid(const char *s, size_t len, size_t *bad);

/*
 * Decodes one code point at S (LEN > 0 bytes available) into *CP and returns
 * the number of bytes used. A malformed sequence yields U+FFFD and 1.
 */
int utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Columns a code point takes on a terminal: 0, 1 or 2 (controls are 0). */
int utf8_cpwidth(uint32_t cp);

/* Columns S[0..LEN) takes (malformed bytes count 1 each). */
size_t utf8_width(const char *s, size_t len);

#endif
