/*
 * fuzz_hpack.c — libFuzzer target for HPACK (engine/concepts/http/hpack.c).
 *
 * The bytes are header blocks (split at 0xFF 0x00) decoded in order with one
 * decoder. Each decoded list is encoded again with an encoder of the same
 * size and decoded by a second decoder: the fields must come back the same
 * (decode(encode(x)) = x). The Huffman and integer decoders get the bytes too.
 *
 *   make fuzz && build/fuzz/fuzz_hpack -max_total_time=60 tests/fuzz/corpus/fuzz_hpack
 */
#include "engine/concepts/http/hpack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A failed property: says which, then aborts (libFuzzer saves the input). */
#define check(cond)                                                                                \
	((cond)                                                                                    \
	     ? (void)0                                                                             \
	     : (fprintf(stderr, "%s:%d: check(%s) failed\n", __FILE__, __LINE__, #cond), abort()))

struct list {
	struct hpack_field f[512];
	char *store[512][2];
	size_t n;
};

static int collect(void *arg, const struct hpack_field *f)
{
	struct list *l = arg;
	if (l->n == 512)
		return 1;
	char *nm = malloc(f->nlen + 1), *v = malloc(f->vlen + 1);
	memcpy(nm, f->name, f->nlen);
	memcpy(v, f->value, f->vlen);
	l->store[l->n][0] = nm, l->store[l->n][1] = v;
	l->f[l->n] = (struct hpack_field){nm, v, f->nlen, f->vlen, f->rep};
	l->n++;
	return 0;
}

static void list_free(struct list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->store[i][0]), free(l->store[i][1]);
	l->n = 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hpack_table dec, enc, dec2;
	size_t max = size ? (size_t)data[0] * 16 : 4096;
	hpack_table_init(&dec, max);
	hpack_table_init(&enc, max);
	hpack_table_init(&dec2, max);
	static struct list a, b;
	size_t start = size ? 1 : 0;
	for (size_t i = start; i <= size; i++) {
		if (i < size && !(i + 1 < size && data[i] == 0xFF && data[i + 1] == 0x00))
			continue;
		struct hpack_error e;
		a.n = 0;
		int rc = hpack_decode(&dec, data + start, i - start, collect, &a, &e);
		if (rc == -1)
			check(e.off <= i - start && e.why);
		if (rc == 0) {
			check(dec.size <= dec.max_size);
			struct hpack_enc_opts o = {(int)(i & 1), 1, 0};
			struct http_buf out = {0};
			check(hpack_encode(&enc, a.f, a.n, &o, &out) == 0);
			b.n = 0;
			check(hpack_decode(&dec2, (const uint8_t *)out.p, out.len, collect, &b,
			                   &e) == 0);
			check(b.n == a.n);
			for (size_t k = 0; k < a.n; k++)
				check(a.f[k].nlen == b.f[k].nlen && a.f[k].vlen == b.f[k].vlen &&
				      memcmp(a.f[k].name, b.f[k].name, a.f[k].nlen) == 0 &&
				      memcmp(a.f[k].value, b.f[k].value, a.f[k].vlen) == 0);
			check(enc.size == dec2.size && enc.n == dec2.n);
			http_buf_free(&out);
			list_free(&b);
		}
		list_free(&a);
		start = i + 2;
		i++;
	}
	struct http_buf s = {0};
	struct hpack_error e;
	if (hpack_huff_decode(data, size, &s, &e) == 0) {
		struct http_buf back = {0};
		check(hpack_huff_encode(s.p ? s.p : "", s.len, &back) == 0);
		check(back.len <= size);
		http_buf_free(&back);
	}
	http_buf_free(&s);
	uint64_t v;
	size_t used;
	if (size && hpack_int_decode(data, size, (data[0] & 7) + 1, &v, &used, &e) == 0)
		check(used <= size && v <= 0xffffffffu);
	hpack_table_free(&dec);
	hpack_table_free(&enc);
	hpack_table_free(&dec2);
	return 0;
}
