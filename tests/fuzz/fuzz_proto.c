/*
 * fuzz_proto.c — libFuzzer target for lab.proto's wire reader
 * (engine/concepts/proto).
 *
 * Reads the input as a message, record by record; each LEN payload is read
 * again as an embedded message (as a schema-less decoder must try), to a
 * depth of 100. Properties: an error stays inside its buffer; every record
 * lies inside it and consumes bytes; a varint written back with
 * proto_put_varint reads as the same value in no more bytes; ZigZag maps
 * back.
 *
 *   make fuzz && build/fuzz/fuzz_proto -max_total_time=60 tests/fuzz/corpus/fuzz_proto
 */
#include "engine/concepts/proto/proto.h"

#include <stdio.h>
#include <stdlib.h>

#define check(cond)                                                                                \
	((cond)                                                                                    \
	     ? (void)0                                                                             \
	     : (fprintf(stderr, "%s:%d: check(%s) failed\n", __FILE__, __LINE__, #cond), abort()))

static void varint_again(uint64_t v, size_t used)
{
	struct proto_buf b = {0};
	check(proto_put_varint(&b, v) == 0);
	check(b.len <= used && b.len >= 1 && b.len <= 10);
	size_t pos = 0;
	uint64_t w;
	const char *why;
	check(proto_get_varint(b.p, b.len, &pos, &w, &why) == 0 && w == v && pos == b.len);
	check(proto_unzigzag64(proto_zigzag64((int64_t)v)) == (int64_t)v);
	check(proto_unzigzag32(proto_zigzag32((int32_t)v)) == (int32_t)v);
	proto_buf_free(&b);
}

static void walk(const unsigned char *p, size_t len, int depth)
{
	size_t pos = 0;
	while (pos < len) {
		struct proto_record r;
		const char *why = NULL;
		size_t before = pos;
		if (proto_next(p, len, &pos, &r, &why) != 0) {
			check(why && pos <= len && pos >= before);
			return;
		}
		check(pos > before && r.start == before && r.end == pos && r.field >= 1);
		if (r.wire == PROTO_VARINT) {
			size_t t = r.start, vstart;
			uint64_t tag;
			check(proto_get_varint(p, len, &t, &tag, &why) == 0);
			vstart = t;
			varint_again(r.u, r.end - vstart);
		}
		if (r.wire == PROTO_LEN) {
			check(r.data >= p && r.data + r.len <= p + len);
			if (depth < 100)
				walk(r.data, r.len, depth + 1);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	walk(data, size, 0);
	return 0;
}
