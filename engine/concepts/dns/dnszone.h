/*
 * dnszone.h — a small, built-in DNS: zones for the root, com, net, org and
 * a few example domains, and the authoritative servers that serve them.
 *
 * It is shaped like the real thing (RFC 1034 sections 4.2-4.3): the root
 * delegates com, net and org with glue; com delegates example.com to one
 * in-bailiwick server (glue) and one in example.net (no glue: a resolver
 * must look it up); example.org delegates shop.example.org; there are CNAME
 * chains within a zone and across zones, a CNAME loop, an empty
 * non-terminal, and names that do not exist. Server names and addresses
 * other than a.root-servers.net, b.root-servers.net and the two gtld
 * servers are made up, on documentation addresses (RFC 5737, RFC 3849).
 *
 * dns_server_answer() answers a question as the authoritative server at an
 * address would: an answer (AA), a referral to a child zone with glue, a
 * NODATA or NXDOMAIN response carrying the zone's SOA (its TTL lowered to
 * the SOA MINIMUM, RFC 2308 section 3), or REFUSED for a zone it does not
 * serve.
 */
#ifndef BACKLAB_DNSZONE_H
#define BACKLAB_DNSZONE_H

#include "engine/concepts/dns/dnswire.h"

struct dns_zrec {
	const char *owner, *type;
	uint32_t ttl;
	const char *data; /* master-file text: "192.0.2.1", "10 mail.example.com." */
};

struct dns_server {
	const char *name, *ip;
	double rtt; /* simulated round trip, seconds */
};

struct dns_zone {
	const char *name;
	const char *servers[4]; /* addresses of its authoritative servers */
	const struct dns_zrec *recs;
	size_t n;
};

extern const struct dns_zone dns_zones[];
extern const size_t dns_nzones;
extern const struct dns_server dns_servers[];
extern const size_t dns_nservers;

/* The server with this address or name, or NULL. */
const struct dns_server *dns_server_find(const char *name_or_ip);

/*
 * The uncompressed wire data of a zone record (DATA in master-file form for
 * TYPE). 0, or -1 with *WHY. RDATA has room for 512 bytes.
 */
int dns_rdata_from_text(uint16_t type, const char *data, uint8_t *rdata, size_t *n,
                        const char **why);

/* Appends the text form of record data to OUT (size OUTSZ, always enough
 * for data from dns_rdata_from_text; longer data is cut). */
void dns_rdata_text(uint16_t type, const uint8_t *rdata, size_t n, char *out, size_t outsz);

/*
 * The response of the server at IP to the question NAME, TYPE, with ID, as
 * a message in *M (initialised here). 0, or -2 without memory.
 */
int dns_server_answer(const char *ip, uint16_t id, const char *name, uint16_t type,
                      struct dns_msg *m);

/* Whether NAME is ZONE or below it (case-insensitive text names). */
int dns_name_under(const char *name, const char *zone);

#endif
