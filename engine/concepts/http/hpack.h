/*
 * hpack.h — HPACK, the header compression of HTTP/2 (RFC 7541).
 *
 * Integers with an N-bit prefix (section 5.1), string literals raw or
 * Huffman-coded with the static code of Appendix B (section 5.2), the
 * static table of Appendix A and a dynamic table with its size accounting
 * and eviction (sections 2.3, 4). A decoder and an encoder each keep their
 * own dynamic table; the two stay in step when the encoder's blocks are
 * decoded in order.
 *
 * Decoding errors (all COMPRESSION_ERROR in HTTP/2) report the byte offset
 * in the block: an index of 0 or past the tables, an integer over 2^32 - 1,
 * a string running past the block, Huffman padding longer than 7 bits or
 * not all ones or an EOS symbol (5.2), a table size update above the limit
 * or after the first field of a block (4.2). On an error the dynamic table
 * keeps what the fields before the error added.
 */
#ifndef BACKLAB_HPACK_H
#define BACKLAB_HPACK_H

#include <stddef.h>
#include <stdint.h>

#include "engine/concepts/http/http1.h"

#define HPACK_STATIC_LEN 61
#define HPACK_ENTRY_OVERHEAD 32
#define HPACK_MAX_TABLE (1 << 24) /* largest table size this code accepts */

struct hpack_entry {
	char *name, *value; /* owned (budget), NUL-terminated */
	size_t nlen, vlen;
};

struct hpack_table {
	struct hpack_entry *e; /* oldest first; the newest is e[n - 1] */
	size_t n, cap;
	size_t size;     /* sum of entry sizes (name + value + 32) */
	size_t max_size; /* current maximum (changed by size updates) */
	size_t limit;    /* what size updates may not exceed (SETTINGS) */
};

/* How a field was (or is to be) represented (section 6). */
enum hpack_rep {
	HPACK_INDEXED,     /* 6.1: both name and value from a table */
	HPACK_INCREMENTAL, /* 6.2.1: literal, added to the dynamic table */
	HPACK_WITHOUT,     /* 6.2.2: literal, not indexed */
	HPACK_NEVER,       /* 6.2.3: literal, never indexed (sensitive) */
};

struct hpack_field {
	const char *name, *value;
	size_t nlen, vlen;
	enum hpack_rep rep;
};

struct hpack_error {
	size_t off;
	const char *why;
};

void hpack_table_init(struct hpack_table *t, size_t max_size);
void hpack_table_free(struct hpack_table *t);

/* The entry at INDEX (1-based, static then dynamic) or NULL. */
const struct hpack_entry *hpack_lookup(const struct hpack_table *t, uint64_t index);

/* Adds NAME: VALUE as the newest entry, evicting as section 4.4 says. -1
 * without memory (the table is unchanged). */
int hpack_table_add(struct hpack_table *t, const char *name, size_t nlen, const char *value,
                    size_t vlen);

/* Sets the maximum size (evicting), as a size update does. */
void hpack_table_resize(struct hpack_table *t, size_t max_size);

/*
 * Decodes one header block. For each field calls EMIT(arg, field); a
 * non-zero return from EMIT stops decoding with that value. Returns 0, -1
 * with *E on a malformed block, or -2 without memory.
 */
int hpack_decode(struct hpack_table *t, const uint8_t *buf, size_t len,
                 int (*emit)(void *arg, const struct hpack_field *f), void *arg,
                 struct hpack_error *e);

/* Encoder choices. */
struct hpack_enc_opts {
	int huffman;     /* 0 never, 1 unless it is longer */
	int index;       /* add literals to the dynamic table */
	int size_update; /* > 0: emit a size update to size_update - 1 first */
};

/*
 * Encodes N fields into OUT (appended) with T as the encoder's dynamic
 * table: an exact match in a table is indexed; otherwise a literal,
 * indexed per OPTS unless the field's rep is HPACK_WITHOUT or HPACK_NEVER.
 * Returns 0 or -2 without memory.
 */
int hpack_encode(struct hpack_table *t, const struct hpack_field *f, size_t n,
                 const struct hpack_enc_opts *o, struct http_buf *out);

/* Section 5.1 integers: appends V with a PREFIX-bit prefix (1..8) whose
 * high bits are FLAGS. */
int hpack_int_encode(uint64_t v, int prefix, uint8_t flags, struct http_buf *out);

/* Reads an integer with a PREFIX-bit prefix at BUF[0..LEN): 0 with *V and
 * *USED, or -1 with *E (truncated, or over 2^32 - 1). */
int hpack_int_decode(const uint8_t *buf, size_t len, int prefix, uint64_t *v, size_t *used,
                     struct hpack_error *e);

/* Huffman coding (Appendix B). */
size_t hpack_huff_len(const char *s, size_t n);
int hpack_huff_encode(const char *s, size_t n, struct http_buf *out);
int hpack_huff_decode(const uint8_t *buf, size_t len, struct http_buf *out, struct hpack_error *e);

#endif
