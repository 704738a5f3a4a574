/*
 * proto.h — the Protocol Buffers wire format (protobuf.dev, "Encoding"):
 * base-128 varints, ZigZag, tags, fixed-width and length-delimited
 * records, and a schema-directed message codec.
 *
 * A message is a sequence of records. Each starts with a tag, the varint
 * (field_number << 3) | wire_type, then a payload whose form the wire type
 * gives: 0 VARINT (a varint), 1 I64 (8 bytes, little-endian), 2 LEN (a
 * varint length, then that many bytes: strings, bytes, embedded messages,
 * packed repeated fields), 5 I32 (4 bytes). Wire types 3 and 4 (groups)
 * are deprecated and refused here.
 *
 * Everything allocated is from the budget (engine/base/budget.h).
 */
#ifndef BACKLAB_PROTO_H
#define BACKLAB_PROTO_H

#include <stddef.h>
#include <stdint.h>

enum proto_wire { PROTO_VARINT = 0, PROTO_I64 = 1, PROTO_LEN = 2, PROTO_I32 = 5 };

/* The largest field number (2^29 - 1); 19000-19999 are reserved. */
#define PROTO_MAX_FIELD 536870911u

/* A growable byte buffer from the budget. */
struct proto_buf {
	unsigned char *p;
	size_t len, cap;
};

/* Appends N bytes; -1 when memory is refused (B unchanged). */
int proto_buf_add(struct proto_buf *b, const void *s, size_t n);
void proto_buf_free(struct proto_buf *b);

/* Appends V as a varint (1-10 bytes). -1 when memory is refused. */
int proto_put_varint(struct proto_buf *b, uint64_t v);
/* Appends the tag of FIELD with wire type WIRE. -1 when memory is refused. */
int proto_put_tag(struct proto_buf *b, uint32_t field, enum proto_wire wire);
/* Appends V in 4 or 8 little-endian bytes. -1 when memory is refused. */
int proto_put_fixed32(struct proto_buf *b, uint32_t v);
int proto_put_fixed64(struct proto_buf *b, uint64_t v);

/* ZigZag (sint32, sint64): 0 -1 1 -2 2 ... -> 0 1 2 3 4 ... */
uint64_t proto_zigzag64(int64_t n);
uint32_t proto_zigzag32(int32_t n);
int64_t proto_unzigzag64(uint64_t z);
int32_t proto_unzigzag32(uint32_t z);

/*
 * Reads a varint at P[*POS..LEN): 0 with *V and *POS moved past it, or -1
 * with *WHY ("truncated varint", "varint longer than 10 bytes", "varint
 * overflows 64 bits") and *POS unchanged.
 */
int proto_get_varint(const unsigned char *p, size_t len, size_t *pos, uint64_t *v,
                     const char **why);

/* One record as read from the wire. */
struct proto_record {
	uint32_t field;
	enum proto_wire wire;
	uint64_t u;              /* VARINT, I64, I32: the value */
	const unsigned char *data; /* LEN: the payload (into the input) */
	size_t len;              /* LEN: its length */
	size_t start, end;       /* the record's bytes, tag included */
};

/*
 * Reads the record at P[*POS..LEN) into *R and moves *POS past it. 0, or
 * -1 with *WHY and *POS at the offset of the fault (a bad tag, field
 * number 0, a group wire type, a truncated payload).
 */
int proto_next(const unsigned char *p, size_t len, size_t *pos, struct proto_record *r,
               const char **why);

#endif
