/*
 * fw.h — a packet filter in iptables' model (netfilter): tables of chains
 * of rules, first match wins, a built-in chain's policy decides what no
 * rule did; connection tracking gives every packet a state (NEW,
 * ESTABLISHED, RELATED, INVALID) that rules can match; the nat table
 * rewrites the first packet of a connection (DNAT in PREROUTING, SNAT and
 * MASQUERADE in POSTROUTING) and conntrack rewrites the rest.
 *
 * A packet takes netfilter's path:
 *   arriving:  nat PREROUTING -> routing -> filter INPUT (for this host)
 *                                        -> filter FORWARD -> nat POSTROUTING (routed)
 *   leaving:   filter OUTPUT -> nat POSTROUTING
 * Rules are written in iptables' own syntax (fw_command). IPv4 only.
 * Not modelled: mangle and raw, fragments, timeouts, TCP window tracking
 * (a TCP packet other than a SYN without a connection is INVALID, as with
 * nf_conntrack_tcp_loose = 0).
 */
#ifndef BACKLAB_FW_H
#define BACKLAB_FW_H

#include <stddef.h>
#include <stdint.h>

#define FW_NAME 32
#define FW_MAX_IFACES 8
#define FW_MAX_CHAINS 32
#define FW_MAX_RULES 256          /* per chain */
#define FW_MAX_CONNS 4096
#define FW_MAX_TRACE 64

enum fw_proto { FW_ANY = 0, FW_ICMP = 1, FW_TCP = 6, FW_UDP = 17 };
enum fw_state { FW_NEW = 1, FW_ESTABLISHED = 2, FW_RELATED = 4, FW_INVALID = 8 };
enum fw_target { FW_ACCEPT, FW_DROP, FW_REJECT, FW_RETURN, FW_LOG, FW_JUMP, FW_DNAT, FW_SNAT,
		 FW_MASQUERADE };
enum fw_table { FW_FILTER, FW_NAT };

struct fw_iface {
	char name[16];
	uint32_t addr;            /* the host's address on it */
	int prefix;               /* its network */
};

struct fw_rule {
	int proto, neg_proto;
	uint32_t src, src_mask, dst, dst_mask;
	int has_src, neg_src, has_dst, neg_dst;
	int sport_lo, sport_hi, dport_lo, dport_hi;   /* -1: any */
	int dports[16], ndports;                      /* -m multiport --dports */
	char in[16], out[16];
	int neg_in, neg_out;
	unsigned states;                              /* 0: no state match */
	int syn;                                      /* --syn */
	enum fw_target target;
	int jump;                                     /* FW_JUMP: the chain */
	uint32_t to_addr;                             /* DNAT/SNAT */
	int to_port;                                  /* DNAT: -1 keeps the port */
	char text[256];                               /* as written, for traces */
	uint64_t packets;
};

struct fw_chain {
	char name[FW_NAME];
	enum fw_table table;
	int builtin;
	enum fw_target policy;                        /* built-in chains: ACCEPT or DROP */
	struct fw_rule *rules;                        /* budget_malloc */
	size_t n;
	uint64_t policy_packets;
};

struct fw_tuple {
	int proto;
	uint32_t src, dst;
	int sport, dport;
};

struct fw_conn {
	struct fw_tuple orig, reply;                  /* reply: as the answers will look */
	int replied;
};

struct fw {
	struct fw_iface ifaces[FW_MAX_IFACES];
	size_t nifaces;
	int default_iface;                            /* where routes without a match go */
	int forwarding;                               /* routes between interfaces */
	struct fw_chain chains[FW_MAX_CHAINS];
	size_t nchains;
	struct fw_conn *conns;                        /* budget_malloc */
	size_t nconns;
};

struct fw_packet {
	int proto;
	uint32_t src, dst;
	int sport, dport;
	const char *in;           /* the interface it arrived on; NULL: sent by this host */
	int syn;                  /* TCP: SYN without ACK */
	int icmp_type;            /* ICMP: 8 echo, 0 echo reply, 3 unreachable, 11 time exceeded */
	int has_inner;            /* ICMP errors: the header of the packet that caused it */
	struct fw_tuple inner;
};

struct fw_verdict {
	enum fw_target verdict;   /* ACCEPT, DROP or REJECT */
	unsigned state;           /* conntrack's state for the packet */
	char path[16];            /* "INPUT", "FORWARD" or "OUTPUT" */
	struct fw_packet after;   /* the packet after NAT */
	char trace[FW_MAX_TRACE][360];
	int ntrace;
};

/* Sets up FW with no interfaces and the built-in chains (policy ACCEPT). */
void fw_init(struct fw *fw);
void fw_free(struct fw *fw);

/* Adds an interface "eth0" with the address and network "203.0.113.10/24".
 * 0, or -1 with ERR (room for 256) set. */
int fw_iface(struct fw *fw, const char *name, const char *cidr, char *err);

/*
 * Runs one iptables command (without "iptables"): -t TABLE, -A/-I/-D CHAIN,
 * -P CHAIN TARGET, -N CHAIN, -F [CHAIN], and the rule options -p, -s, -d,
 * -i, -o (each with "!"), --sport, --dport (PORT or LO:HI), --syn,
 * -m conntrack --ctstate LIST, -m state --state LIST, -m multiport --dports
 * LIST, -m comment --comment TEXT, -j TARGET with --to-destination,
 * --to-source, --reject-with, --log-prefix. 0, or -1 with ERR (room for 256).
 */
int fw_command(struct fw *fw, const char *cmd, char *err);

/* Sends P through the firewall: the verdict, conntrack updated when the
 * packet is accepted. -1 with ERR for a user-chain loop or a full
 * connection table. */
int fw_packet(struct fw *fw, const struct fw_packet *p, struct fw_verdict *v, char *err);

/* Parses an IPv4 address; 0 or -1. */
int fw_addr(const char *s, uint32_t *a);
void fw_format_addr(uint32_t a, char out[16]);
const char *fw_target_name(enum fw_target t);
int fw_chain_find(const struct fw *fw, enum fw_table t, const char *name);

#endif
