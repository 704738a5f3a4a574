/*
 * proto.c — the protobuf wire primitives (proto.h).
 */
#include "engine/concepts/proto/proto.h"
#include "engine/base/budget.h"

#include <string.h>

int proto_buf_add(struct proto_buf *b, const void *s, size_t n)
{
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		while (cap < b->len + n)
			cap *= 2;
		unsigned char *p = budget_realloc(b->p, cap);
		if (!p)
			return -1;
		b->p = p;
		b->cap = cap;
	}
	if (n)
		memcpy(b->p + b->len, s, n);
	b->len += n;
	return 0;
}

void proto_buf_free(struct proto_buf *b)
{
	budget_free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

int proto_put_varint(struct proto_buf *b, uint64_t v)
{
	unsigned char t[10];
	size_t n = 0;
	do {
		t[n] = (unsigned char)(v & 0x7F);
		v >>= 7;
		if (v)
			t[n] |= 0x80;
		n++;
	} while (v);
	return proto_buf_add(b, t, n);
}

int proto_put_tag(struct proto_buf *b, uint32_t field, enum proto_wire wire)
{
	return proto_put_varint(b, ((uint64_t)field << 3) | (uint64_t)wire);
}

int proto_put_fixed32(struct proto_buf *b, uint32_t v)
{
	unsigned char t[4];
	for (int i = 0; i < 4; i++)
		t[i] = (unsigned char)(v >> (8 * i));
	return proto_buf_add(b, t, 4);
}

int proto_put_fixed64(struct proto_buf *b, uint64_t v)
{
	unsigned char t[8];
	for (int i = 0; i < 8; i++)
		t[i] = (unsigned char)(v >> (8 * i));
	return proto_buf_add(b, t, 8);
}

uint64_t proto_zigzag64(int64_t n)
{
	return ((uint64_t)n << 1) ^ (uint64_t)(n < 0 ? -1 : 0);
}

uint32_t proto_zigzag32(int32_t n)
{
	return ((uint32_t)n << 1) ^ (uint32_t)(n < 0 ? -1 : 0);
}

int64_t proto_unzigzag64(uint64_t z)
{
	return (int64_t)(z >> 1) ^ -(int64_t)(z & 1);
}

int32_t proto_unzigzag32(uint32_t z)
{
	return (int32_t)(z >> 1) ^ -(int32_t)(z & 1);
}

int proto_get_varint(const unsigned char *p, size_t len, size_t *pos, uint64_t *v,
                     const char **why)
{
	uint64_t x = 0;
	size_t i = *pos;
	for (int k = 0; k < 10; k++, i++) {
		if (i >= len) {
			*why = "truncated varint";
			return -1;
		}
		uint64_t b = p[i] & 0x7F;
		if (k == 9 && (p[i] & 0x80)) {
			*why = "varint longer than 10 bytes";
			return -1;
		}
		if (k == 9 && b > 1) {
			*why = "varint overflows 64 bits";
			return -1;
		}
		x |= b << (7 * k);
		if (!(p[i] & 0x80)) {
			*v = x;
			*pos = i + 1;
			return 0;
		}
	}
	*why = "varint longer than 10 bytes";
	return -1;
}

int proto_next(const unsigned char *p, size_t len, size_t *pos, struct proto_record *r,
               const char **why)
{
	size_t at = *pos, i = *pos;
	uint64_t tag;
	if (proto_get_varint(p, len, &i, &tag, why) != 0)
		return -1;
	if (tag >> 3 == 0 || tag >> 3 > PROTO_MAX_FIELD) {
		*why = tag >> 3 == 0 ? "field number 0" : "field number above 2^29 - 1";
		return -1;
	}
	r->field = (uint32_t)(tag >> 3);
	r->wire = (enum proto_wire)(tag & 7);
	r->start = at;
	r->data = NULL;
	r->len = 0;
	r->u = 0;
	switch (tag & 7) {
	case PROTO_VARINT:
		if (proto_get_varint(p, len, &i, &r->u, why) != 0) {
			*pos = i;
			return -1;
		}
		break;
	case PROTO_I64:
	case PROTO_I32: {
		size_t n = (tag & 7) == PROTO_I64 ? 8 : 4;
		if (len - i < n) {
			*why = n == 8 ? "truncated 8-byte value" : "truncated 4-byte value";
			*pos = i;
			return -1;
		}
		for (size_t k = 0; k < n; k++)
			r->u |= (uint64_t)p[i + k] << (8 * k);
		i += n;
		break;
	}
	case PROTO_LEN: {
		uint64_t n;
		if (proto_get_varint(p, len, &i, &n, why) != 0) {
			*pos = i;
			return -1;
		}
		if (n > len - i) {
			*why = "length runs past the end of the message";
			*pos = i;
			return -1;
		}
		r->data = p + i;
		r->len = (size_t)n;
		i += (size_t)n;
		break;
	}
	default:
		*why = (tag & 7) == 3 || (tag & 7) == 4 ? "groups (wire types 3, 4) are not supported"
		                                        : "invalid wire type (6 or 7)";
		return -1;
	}
	r->end = i;
	*pos = i;
	return 0;
}
