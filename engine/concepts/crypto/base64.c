/* base64.c — RFC 4648 sections 4 and 5; see base64.h. */
#include "engine/concepts/crypto/base64.h"

#include <stdint.h>

static const char alphabets[2][65] = {
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
};

size_t base64_encoded_len(size_t len, int pad)
{
	size_t full = len / 3 * 4, rest = len % 3;
	if (!rest)
		return full;
	return full + (pad ? 4 : rest + 1);
}

void base64_encode(const void *data, size_t len, int alpha, int pad, char *out)
{
	const unsigned char *p = data;
	const char *a = alphabets[alpha ? 1 : 0];
	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;
		size_t n = len - i < 3 ? len - i : 3;   /* bytes in this group */
		if (n > 1)
			v |= (uint32_t)p[i + 1] << 8;
		if (n > 2)
			v |= p[i + 2];
		for (size_t k = 0; k < 4; k++) {
			if (k <= n)
				*out++ = a[(v >> (18 - 6 * k)) & 63];
			else if (pad)
				*out++ = '=';
		}
	}
	*out = '\0';
}

static int value(char c, int alpha)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == (alpha ? '-' : '+'))
		return 62;
	if (c == (alpha ? '_' : '/'))
		return 63;
	return -1;
}

int base64_decode(const char *s, size_t len, int alpha, unsigned char *out, size_t *outlen,
		  size_t *where)
{
	size_t n = len, o = 0;
	while (n > 0 && s[n - 1] == '=')        /* the padding, at the end only */
		n--;
	for (size_t i = 0; i < n; i++) {
		if (value(s[i], alpha) < 0) {
			*where = i;
			return -1;
		}
	}
	if (len != n && (len % 4 != 0 || len - n > 2)) {
		*where = n;
		return -1;
	}
	if (n % 4 == 1) {                       /* 6 bits cannot end a byte */
		*where = n - 1;
		return -1;
	}
	uint32_t acc = 0;
	int bits = 0;
	for (size_t i = 0; i < n; i++) {
		acc = acc << 6 | (uint32_t)value(s[i], alpha);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	if (acc != 0) {                         /* non-zero unused bits */
		*where = n - 1;
		return -1;
	}
	*outlen = o;
	return 0;
}
