/*
 * ipaddr.h — IPv4 and IPv6 addresses as text and as numbers, and CIDR
 * blocks (RFC 4632) with subnetting and supernetting.
 *
 * Text forms accepted:
 *   IPv4  dotted quad, four decimal numbers 0..255 without leading zeros
 *         ("010.0.0.1" is refused: inet_aton reads 010 as octal 8, others as
 *         decimal 10, so the text is ambiguous);
 *   IPv6  RFC 4291 section 2.2: eight groups of 1-4 hex digits, one "::"
 *         standing for one or more zero groups, and optionally a dotted
 *         quad in place of the last two groups. Zone ids ("%eth0") are
 *         refused.
 * Text form written: IPv4 as the dotted quad; IPv6 in the canonical form of
 * RFC 5952 section 4 (lowercase, no leading zeros, "::" for the longest run
 * of two or more zero groups, the first such run on a tie), with the
 * IPv4-mapped addresses ::ffff:0:0/96 written "::ffff:a.b.c.d" (section 5).
 *
 * Every parse function reports a malformed text with the offset of the first
 * byte it could not accept and a reason; none allocates.
 */
#ifndef BACKLAB_IPADDR_H
#define BACKLAB_IPADDR_H

#include <stddef.h>
#include <stdint.h>

typedef unsigned __int128 ip_u128;

/* An address: V is 4 or 6; the value is the address as an unsigned number
 * (IPv4 in the low 32 bits). */
struct ipaddr {
	int v;
	ip_u128 n;
};

/* A CIDR block: the network (host bits zero), its prefix length, and the
 * address as written (host bits possibly set, as in "10.1.2.3/16"). */
struct cidr {
	struct ipaddr net;
	struct ipaddr given;
	int prefix;
};

/* Why a text was refused, and where (a byte offset into it). */
struct ip_error {
	size_t off;
	const char *why;
};

#define IP_TEXT_MAX 64 /* enough for any address or block this file writes */

/* Bits of an address of version V (32 or 128). */
int ip_bits(int v);

/* Parses LEN bytes of S as an IPv4 or IPv6 address (IPv6 if it holds a
 * ':'). 0 on success; -1 with *E set otherwise (*OUT unspecified). */
int ip_parse(const char *s, size_t len, struct ipaddr *out, struct ip_error *e);

/* Writes A in its canonical text form (NUL-terminated) into OUT. */
void ip_format(const struct ipaddr *a, char out[IP_TEXT_MAX]);

/* Writes an IPv6 address with all eight groups of four digits (IPv4: the
 * dotted quad). */
void ip_format_full(const struct ipaddr *a, char out[IP_TEXT_MAX]);

/* Parses "ADDRESS/PREFIX" (a bare address is a /32 or /128). 0 or -1 with
 * *E set. */
int cidr_parse(const char *s, size_t len, struct cidr *out, struct ip_error *e);

/* The block of version V, prefix P holding address A. */
void cidr_make(struct cidr *c, const struct ipaddr *a, int prefix);

/* Writes "network/prefix" into OUT. */
void cidr_format(const struct cidr *c, char out[IP_TEXT_MAX]);

/* The netmask (IPv4) or prefix mask as an address of the block's version. */
struct ipaddr cidr_mask(const struct cidr *c);

/* The last address of the block (for IPv4, the broadcast address). */
struct ipaddr cidr_last(const struct cidr *c);

/* The first and last usable host addresses: IPv4 excludes the network and
 * broadcast addresses up to /30; a /31 has two hosts (RFC 3021), a /32 one.
 * IPv6 excludes the Subnet-Router anycast address (the network, RFC 4291
 * section 2.6.1) up to /126; a /127 has two (RFC 6164), a /128 one. */
void cidr_hosts(const struct cidr *c, struct ipaddr *first, struct ipaddr *last);

/* The number of usable hosts (as above) when the block has 2^K addresses,
 * K = bits - prefix, as a double (exact up to 2^53). */
double cidr_host_count(int v, int k);

/* Whether A is inside C (1) or not (0); addresses of another version are
 * never inside. */
int cidr_contains(const struct cidr *c, const struct ipaddr *a);

/* Whether block IN lies wholly inside block C. */
int cidr_covers(const struct cidr *c, const struct cidr *in);

/* The I-th (from 0) of the 2^(NEWPREFIX - prefix) subnets of C with the
 * longer prefix NEWPREFIX. 0, or -1 when NEWPREFIX or I is out of range. */
int cidr_subnet(const struct cidr *c, int newprefix, ip_u128 i, struct cidr *out);

/* An inclusive range of addresses of one version. */
struct ip_range {
	struct ipaddr lo, hi;
};

/*
 * Supernetting (route aggregation), first half: the union of the N blocks IN
 * (all of one version) as the fewest disjoint, non-adjacent ranges, written
 * to OUT (room for N). Returns how many, or -1 if the versions are mixed. IN
 * is sorted in place. cidr_range() then turns each range into blocks.
 */
int cidr_merge(struct cidr *in, size_t n, struct ip_range *out);

/* The fewest blocks covering exactly the addresses FIRST..LAST (same
 * version, FIRST <= LAST). Returns the number written, or -1 if CAP is too
 * small (2 * bits always suffices). */
int cidr_range(const struct ipaddr *first, const struct ipaddr *last, struct cidr *out, size_t cap);

#endif
