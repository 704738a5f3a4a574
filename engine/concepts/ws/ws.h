/*
 * ws.h — WebSocket (RFC 6455): the opening handshake's accept key
 * (section 4.2.2), the frame format (5.2), masking (5.3), fragmentation
 * (5.4), control frames (5.5) and close codes (7.4), and a reader that
 * turns a byte stream into messages the way an endpoint must (section 5,
 * 8.1: it fails the connection, with the close code to send, on anything
 * a peer must not send).
 *
 * Frame layout:
 *   byte 0  FIN | RSV1 RSV2 RSV3 | opcode (4 bits)
 *   byte 1  MASK | payload length (7 bits: 0-125; 126: a 16-bit length
 *           follows; 127: a 64-bit length follows, top bit 0)
 *   then the 4-byte masking key when MASK is set, then the payload,
 *   XORed with key[i % 4] when masked.
 * Lengths must use the fewest bytes (5.2). Every allocation is from the
 * budget (engine/base/budget.h).
 */
#ifndef BACKLAB_WS_H
#define BACKLAB_WS_H

#include <stddef.h>
#include <stdint.h>

enum ws_opcode {
	WS_CONT = 0x0, WS_TEXT = 0x1, WS_BINARY = 0x2,
	WS_CLOSE = 0x8, WS_PING = 0x9, WS_PONG = 0xA,
};

/* "258EAFA5-E914-47DA-95CA-C5AB0DC85B11" (section 1.3) */
extern const char ws_guid[];

/* Writes base64(SHA-1(KEY || ws_guid)) and a NUL into OUT (29 bytes). */
void ws_accept(const char *key, size_t len, char out[29]);

struct ws_frame {
	int fin;
	int rsv;            /* RSV1..3 as bits 4, 2, 1 */
	int opcode;
	int masked;
	unsigned char key[4];
	uint64_t len;       /* payload length */
	size_t head;        /* header bytes (2 to 14) */
};

/*
 * Reads the frame header at P (N bytes available). Returns the header's
 * length (and fills *F), 0 when more bytes are needed, or -1 with *WHY for
 * a header no endpoint may send: a non-minimal length, a 64-bit length
 * with its top bit set. Opcode and RSV rules are the reader's (below).
 */
int ws_parse_header(const unsigned char *p, size_t n, struct ws_frame *f, const char **why);

/* XORs N bytes at P with KEY, starting at byte OFFSET of the payload
 * (masking and unmasking are the same operation). */
void ws_mask(unsigned char *p, size_t n, const unsigned char key[4], uint64_t offset);

/* A growable byte buffer from the budget. */
struct ws_buf {
	unsigned char *p;
	size_t len, cap;
};
int ws_buf_add(struct ws_buf *b, const void *p, size_t n); /* -1: no memory */
void ws_buf_free(struct ws_buf *b);

/*
 * Appends the frame F (fin, rsv, opcode, masked and key used; len taken
 * from N) with the N-byte PAYLOAD, masked if F->masked. -1 when memory is
 * refused.
 */
int ws_write_frame(struct ws_buf *b, const struct ws_frame *f, const void *payload, size_t n);

/* 1 if CODE may be sent in a Close frame: 1000-1003, 1007-1014 (the RFC's
 * and those IANA registered since), 3000-4999; else 0 (1004-1006 and 1015
 * are reserved or local only, section 7.4.1). */
int ws_close_code_ok(int code);

/* ---- the reader ---- */

enum ws_role { WS_SERVER, WS_CLIENT }; /* a server reads masked frames only */

/* What the reader hands out: a whole message (text, binary), or a control
 * frame (close: CODE, or 1005 when the frame had no payload; REASON in
 * DATA after the code). DATA is valid during the callback only. */
struct ws_event {
	int opcode;            /* WS_TEXT, WS_BINARY, WS_CLOSE, WS_PING, WS_PONG */
	const unsigned char *data;
	size_t len;
	int code;              /* WS_CLOSE */
	size_t frames;         /* frames the message took */
	uint64_t offset;       /* stream offset of the message's first frame */
};

struct ws_reader {
	enum ws_role role;
	uint64_t max_message;  /* 0: no limit */
	struct ws_buf in;      /* bytes not yet consumed */
	struct ws_buf msg;     /* the fragmented message so far */
	int in_message, msg_opcode;
	size_t msg_frames;
	uint64_t msg_offset;
	uint64_t consumed;     /* stream offset of in.p[0] */
	int failed;            /* a failed connection reads nothing more */
	int closed;            /* a Close was read: nothing may follow */
	/* the failure */
	int fail_code;         /* the close code to send: 1002, 1007, 1009 */
	const char *why;
	uint64_t fail_offset;
};

void ws_reader_init(struct ws_reader *r, enum ws_role role, uint64_t max_message);
void ws_reader_free(struct ws_reader *r);

/* Returns nonzero to stop (the callback's own failure). */
typedef int (*ws_callback)(void *ctx, const struct ws_event *ev);

/*
 * Appends N bytes of the stream and hands out every message and control
 * frame completed. Returns 0; -1 when the peer broke the protocol (the
 * reader is then failed: R->why, R->fail_code, R->fail_offset); -2 when
 * memory is refused or the callback stopped.
 */
int ws_reader_feed(struct ws_reader *r, const void *p, size_t n, ws_callback cb, void *ctx);

#endif
