/*
 * dnswire.h — DNS messages on the wire (RFC 1035 section 4) with name
 * compression (4.1.4).
 *
 * Names are kept as text: labels separated by dots, absolute (a final dot;
 * the root is "."), with the RFC 1035 section 5.1 escapes for bytes that
 * are not letters, digits, '-' or '_' ("\." for a dot inside a label,
 * "\DDD" in decimal otherwise). Resource data is kept uncompressed, in its
 * wire form: names inside NS, CNAME, PTR, MX and SOA data are expanded on
 * decoding and may be compressed again on encoding (RFC 3597 section 4:
 * only those well-known types).
 *
 * Decoding is strict: a label of 64 or more bytes, the reserved label types
 * 01 and 10, a pointer that does not point strictly backwards (which also
 * rules out loops), a name over 255 bytes, a count of records the message
 * does not hold, data of the wrong length for its type, and bytes after the
 * last record are all errors, with the offset of the byte refused.
 */
#ifndef BACKLAB_DNSWIRE_H
#define BACKLAB_DNSWIRE_H

#include <stddef.h>
#include <stdint.h>

#define DNS_TEXT_MAX 1024 /* any name's text form fits (255 bytes, each at most \DDD) */

enum {
	DNS_A = 1,
	DNS_NS = 2,
	DNS_CNAME = 5,
	DNS_SOA = 6,
	DNS_PTR = 12,
	DNS_MX = 15,
	DNS_TXT = 16,
	DNS_AAAA = 28,
	DNS_ANY = 255,
};
enum { DNS_IN = 1 };
enum { DNS_NOERROR = 0, DNS_FORMERR = 1, DNS_SERVFAIL = 2, DNS_NXDOMAIN = 3, DNS_REFUSED = 5 };

/* A growable byte buffer from the budget. */
struct dns_buf {
	uint8_t *p;
	size_t len, cap;
};
int dns_buf_add(struct dns_buf *b, const void *p, size_t n);
void dns_buf_free(struct dns_buf *b);

struct dns_question {
	char name[DNS_TEXT_MAX];
	uint16_t type, class;
};

struct dns_rr {
	char name[DNS_TEXT_MAX];
	uint16_t type, class;
	uint32_t ttl;
	uint8_t *rdata; /* owned (budget), uncompressed */
	uint16_t rdlen;
};

enum { DNS_ANSWER, DNS_AUTHORITY, DNS_ADDITIONAL };

struct dns_msg {
	uint16_t id;
	uint16_t flags; /* QR, opcode, AA, TC, RD, RA, Z, AD, CD, RCODE as on the wire */
	struct dns_question *qd;
	size_t nqd, capqd;
	struct dns_rr *rr[3];
	size_t nrr[3], caprr[3];
};

struct dns_error {
	size_t off;
	const char *why;
};

/* Flag fields of dns_msg.flags. */
#define DNS_QR 0x8000
#define DNS_AA 0x0400
#define DNS_TC 0x0200
#define DNS_RD 0x0100
#define DNS_RA 0x0080
#define DNS_AD 0x0020
#define DNS_CD 0x0010
#define DNS_OPCODE(f) (((f) >> 11) & 15)
#define DNS_RCODE(f) ((f)&15)

/*
 * Reads the name at OFF of BUF[0..LEN) into TEXT; *USED is the bytes the
 * name occupies at OFF (a pointer ends it). 0, or -1 with *E.
 */
int dns_name_decode(const uint8_t *buf, size_t len, size_t off, char text[DNS_TEXT_MAX],
                    size_t *used, struct dns_error *e);

/* TEXT to uncompressed wire form (at most 255 bytes) in WIRE; *N its
 * length. A relative name is taken as absolute. -1 with *WHY if malformed. */
int dns_name_wire(const char *text, uint8_t wire[255], size_t *n, const char **why);

/* Case-insensitive equality of two names in text form (RFC 4343). */
int dns_name_eq(const char *a, const char *b);

/* Parses BUF[0..LEN) into *M (free with dns_msg_free, also after a
 * failure). 0, -1 with *E, -2 without memory. */
int dns_decode(const uint8_t *buf, size_t len, struct dns_msg *m, struct dns_error *e);
void dns_msg_free(struct dns_msg *m);

/* Appends M in wire form to OUT, compressing names if COMPRESS. 0, -1 with
 * *WHY (a malformed name, too many records), -2 without memory. */
int dns_encode(const struct dns_msg *m, int compress, struct dns_buf *out, const char **why);

/* Builders (copying what they are given). 0 or -2 without memory. */
int dns_msg_question(struct dns_msg *m, const char *name, uint16_t type, uint16_t class);
int dns_msg_rr(struct dns_msg *m, int section, const char *name, uint16_t type, uint16_t class,
               uint32_t ttl, const uint8_t *rdata, size_t rdlen);

/* Type names: "A", "NS", ... or "TYPE123"; 0 if TEXT is not a type. */
const char *dns_type_name(uint16_t type, char buf[16]);
uint16_t dns_type_code(const char *text);
const char *dns_rcode_name(int rcode);

#endif
