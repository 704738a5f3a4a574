/*
 * hpack_huffman.c — the static Huffman code of HPACK (RFC 7541 Appendix B).
 *
 * The code is canonical: ordering the 257 symbols (256 octets and EOS) by
 * code length, then by value, and counting up gives every code. So the
 * table below holds only the lengths, and the codes are derived from them
 * once; decoding walks the canonical structure bit by bit.
 */
#include "engine/concepts/http/hpack.h"

#define NSYM 257
#define EOS 256
#define MAXLEN 30

/* Code length of each symbol, from RFC 7541 Appendix B. */
static const unsigned char lens[NSYM] = {
    13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 30, 28,
    28, 28, 28, 28, 28, 28, 28, 28, 6,  10, 10, 12, 13, 6,  8,  11, 10, 10, 8,  11, 8,  6,  6,  6,
    5,  5,  5,  6,  6,  6,  6,  6,  6,  6,  7,  8,  15, 6,  12, 10, 13, 6,  7,  7,  7,  7,  7,  7,
    7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  8,  7,  8,  13, 19, 13, 14, 6,
    15, 5,  6,  5,  6,  5,  6,  6,  6,  5,  7,  7,  6,  6,  6,  5,  6,  7,  6,  5,  5,  6,  7,  7,
    7,  7,  7,  15, 11, 14, 13, 28, 20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23,
    24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24, 22, 21, 20, 22, 22, 23, 23, 21,
    23, 22, 22, 24, 21, 22, 23, 23, 21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,
    26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25, 19, 21, 26, 27, 27, 26, 27, 24,
    21, 21, 26, 26, 28, 27, 27, 27, 20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23,
    26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26, 30,
};

static uint32_t codes[NSYM];
static uint32_t first[MAXLEN + 2]; /* first code of each length */
static uint16_t count[MAXLEN + 2]; /* codes of each length */
static uint16_t start[MAXLEN + 2]; /* index into sorted[] of each length */
static uint16_t sorted[NSYM];      /* symbols by (length, value) */
static int ready;

static void build(void)
{
	if (ready)
		return;
	int n = 0;
	for (int l = 1; l <= MAXLEN; l++) {
		start[l] = (uint16_t)n;
		for (int s = 0; s < NSYM; s++)
			if (lens[s] == l)
				sorted[n++] = (uint16_t)s;
		count[l] = (uint16_t)(n - start[l]);
	}
	uint32_t code = 0;
	for (int l = 1; l <= MAXLEN; l++) {
		first[l] = code;
		for (int k = 0; k < count[l]; k++)
			codes[sorted[start[l] + k]] = code++;
		code <<= 1;
	}
	ready = 1;
}

size_t hpack_huff_len(const char *s, size_t n)
{
	uint64_t bits = 0;
	for (size_t i = 0; i < n; i++)
		bits += lens[(unsigned char)s[i]];
	return (size_t)((bits + 7) / 8);
}

int hpack_huff_encode(const char *s, size_t n, struct http_buf *out)
{
	build();
	uint64_t acc = 0;
	int nbits = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		acc = (acc << lens[c]) | codes[c];
		nbits += lens[c];
		while (nbits >= 8) {
			unsigned char b = (unsigned char)(acc >> (nbits - 8));
			if (http_buf_add(out, &b, 1) != 0)
				return -2;
			nbits -= 8;
		}
	}
	if (nbits > 0) { /* pad with the most significant bits of EOS: ones */
		unsigned char b = (unsigned char)((acc << (8 - nbits)) | (0xffu >> nbits));
		if (http_buf_add(out, &b, 1) != 0)
			return -2;
	}
	return 0;
}

int hpack_huff_decode(const uint8_t *buf, size_t len, struct http_buf *out, struct hpack_error *e)
{
	build();
	uint32_t code = 0;
	int l = 0, ones = 1; /* bits of the symbol so far; all of them ones */
	for (size_t i = 0; i < len; i++) {
		for (int k = 7; k >= 0; k--) {
			int bit = (buf[i] >> k) & 1;
			code = (code << 1) | (uint32_t)bit;
			ones = ones && bit;
			l++;
			if (l > MAXLEN) {
				e->off = i;
				e->why = "invalid Huffman code";
				return -1;
			}
			if (code - first[l] < count[l]) {
				int sym = sorted[start[l] + (code - first[l])];
				if (sym == EOS) {
					e->off = i;
					e->why =
					    "EOS symbol inside a Huffman string (RFC 7541 5.2)";
					return -1;
				}
				unsigned char c = (unsigned char)sym;
				if (http_buf_add(out, &c, 1) != 0)
					return -2;
				code = 0;
				l = 0;
				ones = 1;
			}
		}
	}
	if (l > 7 || !ones) {
		e->off = len ? len - 1 : 0;
		e->why = l > 7 ? "Huffman padding longer than 7 bits (RFC 7541 5.2)"
		               : "Huffman padding that is not the start of EOS (RFC 7541 5.2)";
		return -1;
	}
	return 0;
}
