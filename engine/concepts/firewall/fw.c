/* fw.c — chains, rules, conntrack and NAT; see fw.h. */
#include "engine/concepts/firewall/fw.h"
#include "engine/base/budget.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const builtins[][2] = {
	{"INPUT", "filter"}, {"FORWARD", "filter"}, {"OUTPUT", "filter"},
	{"PREROUTING", "nat"}, {"POSTROUTING", "nat"}, {"OUTPUT", "nat"},
};

void fw_init(struct fw *fw)
{
	memset(fw, 0, sizeof *fw);
	fw->forwarding = 1;
	for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++) {
		struct fw_chain *c = &fw->chains[fw->nchains++];
		snprintf(c->name, sizeof c->name, "%s", builtins[i][0]);
		c->table = strcmp(builtins[i][1], "nat") == 0 ? FW_NAT : FW_FILTER;
		c->builtin = 1;
		c->policy = FW_ACCEPT;
	}
}

void fw_free(struct fw *fw)
{
	for (size_t i = 0; i < fw->nchains; i++)
		budget_free(fw->chains[i].rules);
	budget_free(fw->conns);
	memset(fw, 0, sizeof *fw);
}

int fw_addr(const char *s, uint32_t *a)
{
	struct in_addr in;
	if (inet_pton(AF_INET, s, &in) != 1)
		return -1;
	*a = ntohl(in.s_addr);
	return 0;
}

void fw_format_addr(uint32_t a, char out[16])
{
	snprintf(out, 16, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
}

static uint32_t mask_of(int prefix)
{
	return prefix == 0 ? 0 : 0xffffffffu << (32 - prefix);
}

/* "10.0.0.0/8" or "1.2.3.4" into A and MASK. */
static int parse_cidr(const char *s, uint32_t *a, uint32_t *mask)
{
	char buf[64];
	snprintf(buf, sizeof buf, "%s", s);
	char *slash = strchr(buf, '/');
	int prefix = 32;
	if (slash) {
		*slash = '\0';
		char *end;
		long p = strtol(slash + 1, &end, 10);
		if (*end || p < 0 || p > 32 || end == slash + 1)
			return -1;
		prefix = (int)p;
	}
	if (fw_addr(buf, a) != 0)
		return -1;
	*mask = mask_of(prefix);
	*a &= *mask;
	return 0;
}

static int fail(char *err, const char *fmt, const char *arg)
{
	snprintf(err, 256, fmt, arg);
	return -1;
}

int fw_iface(struct fw *fw, const char *name, const char *cidr, char *err)
{
	if (fw->nifaces == FW_MAX_IFACES)
		return fail(err, "at most 8 interfaces (%s)", name);
	if (strlen(name) >= 16)
		return fail(err, "interface name too long: %s", name);
	struct fw_iface *i = &fw->ifaces[fw->nifaces];
	char buf[64];
	snprintf(buf, sizeof buf, "%s", cidr);
	char *slash = strchr(buf, '/');
	i->prefix = slash ? atoi(slash + 1) : 32;
	if (slash)
		*slash = '\0';
	if (fw_addr(buf, &i->addr) != 0 || i->prefix < 0 || i->prefix > 32)
		return fail(err, "not an address/prefix: %s", cidr);
	snprintf(i->name, sizeof i->name, "%s", name);
	fw->nifaces++;
	return 0;
}

int fw_chain_find(const struct fw *fw, enum fw_table t, const char *name)
{
	for (size_t i = 0; i < fw->nchains; i++)
		if (fw->chains[i].table == t && strcmp(fw->chains[i].name, name) == 0)
			return (int)i;
	return -1;
}

const char *fw_target_name(enum fw_target t)
{
	static const char *const names[] = {"ACCEPT", "DROP", "REJECT", "RETURN", "LOG", "JUMP",
					    "DNAT", "SNAT", "MASQUERADE"};
	return names[t];
}

/* ---- the command parser ---- */

#define MAX_ARGS 48

/* Splits CMD into words (double quotes group) in BUF; returns the count. */
static int split(const char *cmd, char *buf, size_t size, char **argv)
{
	snprintf(buf, size, "%s", cmd);
	int n = 0;
	for (char *p = buf; *p && n < MAX_ARGS;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		if (*p == '"') {
			argv[n++] = ++p;
			p = strchr(p, '"');
			if (!p)
				return -1;
		} else {
			argv[n++] = p;
			p += strcspn(p, " \t");
		}
		if (*p)
			*p++ = '\0';
	}
	return n;
}

static int parse_ports(const char *s, int *lo, int *hi)
{
	char *end;
	long a = strtol(s, &end, 10), b = a;
	if (end == s || a < 0 || a > 65535)
		return -1;
	if (*end == ':') {
		const char *t = end + 1;
		b = strtol(t, &end, 10);
		if (end == t || b < a || b > 65535)
			return -1;
	}
	if (*end)
		return -1;
	*lo = (int)a;
	*hi = (int)b;
	return 0;
}

static unsigned parse_states(const char *s)
{
	unsigned st = 0;
	char buf[128];
	snprintf(buf, sizeof buf, "%s", s);
	for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (strcmp(t, "NEW") == 0)
			st |= FW_NEW;
		else if (strcmp(t, "ESTABLISHED") == 0)
			st |= FW_ESTABLISHED;
		else if (strcmp(t, "RELATED") == 0)
			st |= FW_RELATED;
		else if (strcmp(t, "INVALID") == 0)
			st |= FW_INVALID;
		else
			return 0;
	}
	return st;
}

/* Parses the rule options of ARGV[0..N) into R. */
static int parse_rule(struct fw *fw, enum fw_table table, char **argv, int n, struct fw_rule *r,
		      char *err)
{
	memset(r, 0, sizeof *r);
	r->sport_lo = r->dport_lo = -1;
	r->to_port = -1;
	int have_target = 0, neg = 0;
	for (int i = 0; i < n; i++) {
		const char *o = argv[i];
		if (strcmp(o, "!") == 0) {
			neg = 1;
			continue;
		}
		int takes = strcmp(o, "--syn") != 0;
		if (takes && i + 1 >= n)
			return fail(err, "%s needs a value", o);
		const char *v = takes ? argv[i + 1] : NULL;
		if (strcmp(o, "-p") == 0 || strcmp(o, "--protocol") == 0) {
			r->proto = strcmp(v, "tcp") == 0 ? FW_TCP : strcmp(v, "udp") == 0 ? FW_UDP
				 : strcmp(v, "icmp") == 0 ? FW_ICMP : strcmp(v, "all") == 0 ? FW_ANY : -1;
			if (r->proto < 0)
				return fail(err, "unknown protocol %s (tcp, udp, icmp, all)", v);
			r->neg_proto = neg;
		} else if (strcmp(o, "-s") == 0 || strcmp(o, "-d") == 0) {
			int s = o[1] == 's';
			if (parse_cidr(v, s ? &r->src : &r->dst, s ? &r->src_mask : &r->dst_mask))
				return fail(err, "not an address or network: %s", v);
			*(s ? &r->has_src : &r->has_dst) = 1;
			*(s ? &r->neg_src : &r->neg_dst) = neg;
		} else if (strcmp(o, "-i") == 0 || strcmp(o, "-o") == 0) {
			if (strlen(v) >= 16)
				return fail(err, "interface name too long: %s", v);
			snprintf(o[1] == 'i' ? r->in : r->out, 16, "%s", v);
			*(o[1] == 'i' ? &r->neg_in : &r->neg_out) = neg;
		} else if (strcmp(o, "--sport") == 0 || strcmp(o, "--dport") == 0) {
			if (r->proto != FW_TCP && r->proto != FW_UDP)
				return fail(err, "%s needs -p tcp or -p udp first", o);
			int s = o[2] == 's';
			if (parse_ports(v, s ? &r->sport_lo : &r->dport_lo, s ? &r->sport_hi : &r->dport_hi))
				return fail(err, "not a port or range: %s", v);
		} else if (strcmp(o, "--syn") == 0) {
			if (r->proto != FW_TCP)
				return fail(err, "%s needs -p tcp first", o);
			r->syn = 1;
			i--;
		} else if (strcmp(o, "-m") == 0) {
			if (strcmp(v, "conntrack") && strcmp(v, "state") && strcmp(v, "multiport") &&
			    strcmp(v, "comment") && strcmp(v, "tcp") && strcmp(v, "udp"))
				return fail(err, "unknown match module %s", v);
		} else if (strcmp(o, "--ctstate") == 0 || strcmp(o, "--state") == 0) {
			r->states = parse_states(v);
			if (!r->states)
				return fail(err, "states are NEW, ESTABLISHED, RELATED, INVALID: %s", v);
		} else if (strcmp(o, "--dports") == 0) {
			char buf[128];
			snprintf(buf, sizeof buf, "%s", v);
			for (char *save = NULL, *t = strtok_r(buf, ",", &save); t;
			     t = strtok_r(NULL, ",", &save)) {
				int lo, hi;
				if (r->ndports == 15 || parse_ports(t, &lo, &hi) || lo != hi)
					return fail(err, "--dports takes up to 15 ports: %s", v);
				r->dports[r->ndports++] = lo;
			}
		} else if (strcmp(o, "--comment") == 0 || strcmp(o, "--log-prefix") == 0 ||
			   strcmp(o, "--reject-with") == 0) {
			/* no effect on the verdict */
		} else if (strcmp(o, "--to-destination") == 0 || strcmp(o, "--to-source") == 0) {
			char buf[64];
			snprintf(buf, sizeof buf, "%s", v);
			char *colon = strchr(buf, ':');
			if (colon) {
				*colon = '\0';
				int lo, hi;
				if (parse_ports(colon + 1, &lo, &hi) || lo != hi)
					return fail(err, "not address[:port]: %s", v);
				r->to_port = lo;
			}
			if (fw_addr(buf, &r->to_addr))
				return fail(err, "not address[:port]: %s", v);
		} else if (strcmp(o, "-j") == 0 || strcmp(o, "--jump") == 0) {
			static const char *const t[] = {"ACCEPT", "DROP", "REJECT", "RETURN", "LOG", "",
							"DNAT", "SNAT", "MASQUERADE"};
			int found = -1;
			for (int k = 0; k < 9; k++)
				if (t[k][0] && strcmp(t[k], v) == 0)
					found = k;
			if (found < 0) {
				r->jump = fw_chain_find(fw, table, v);
				if (r->jump < 0 || fw->chains[r->jump].builtin)
					return fail(err, "no target or user chain called %s", v);
				r->target = FW_JUMP;
			} else {
				r->target = (enum fw_target)found;
			}
			int natonly = r->target >= FW_DNAT;
			if (natonly != (table == FW_NAT) && r->target != FW_ACCEPT && r->target != FW_RETURN &&
			    r->target != FW_LOG && r->target != FW_JUMP)
				return fail(err, "%s belongs in the other table", v);
			have_target = 1;
		} else {
			return fail(err, "unknown option %s", o);
		}
		neg = 0;
		i++;
	}
	if (!have_target)
		return fail(err, "%s", "a rule needs -j TARGET");
	if ((r->target == FW_DNAT || r->target == FW_SNAT) && !r->to_addr)
		return fail(err, "%s needs --to-destination / --to-source", fw_target_name(r->target));
	return 0;
}

static int add_rule(struct fw_chain *c, const struct fw_rule *r, size_t at, char *err)
{
	if (c->n == FW_MAX_RULES)
		return fail(err, "chain %s is full (256 rules)", c->name);
	if (at > c->n)
		return fail(err, "no rule position in %s that far", c->name);
	if (!c->rules) {
		c->rules = budget_malloc(FW_MAX_RULES * sizeof *c->rules);
		if (!c->rules)
			return fail(err, "%s", "not enough memory");
	}
	memmove(c->rules + at + 1, c->rules + at, (c->n - at) * sizeof *c->rules);
	c->rules[at] = *r;
	c->n++;
	return 0;
}

int fw_command(struct fw *fw, const char *cmd, char *err)
{
	char buf[512], *argv[MAX_ARGS];
	if (strlen(cmd) >= sizeof buf)
		return fail(err, "%s", "a command is at most 511 bytes");
	int n = split(cmd, buf, sizeof buf, argv);
	if (n < 0)
		return fail(err, "%s", "an unclosed quote");
	enum fw_table table = FW_FILTER;
	int i = 0;
	if (n >= 2 && strcmp(argv[0], "-t") == 0) {
		if (strcmp(argv[1], "filter") == 0)
			table = FW_FILTER;
		else if (strcmp(argv[1], "nat") == 0)
			table = FW_NAT;
		else
			return fail(err, "table %s: this model has filter and nat", argv[1]);
		i = 2;
	}
	if (i >= n)
		return fail(err, "%s", "no command (-A, -I, -D, -P, -N, -F)");
	const char *op = argv[i++];
	const char *chain = i < n ? argv[i++] : NULL;
	if (strcmp(op, "-N") == 0) {
		if (!chain || strlen(chain) >= FW_NAME || fw_chain_find(fw, table, chain) >= 0)
			return fail(err, "-N needs a new chain name (%s)", chain ? chain : "none");
		if (fw->nchains == FW_MAX_CHAINS)
			return fail(err, "%s", "too many chains");
		struct fw_chain *c = &fw->chains[fw->nchains++];
		memset(c, 0, sizeof *c);
		snprintf(c->name, sizeof c->name, "%s", chain);
		c->table = table;
		return 0;
	}
	if (strcmp(op, "-F") == 0) {
		for (size_t k = 0; k < fw->nchains; k++)
			if (fw->chains[k].table == table && (!chain || strcmp(fw->chains[k].name, chain) == 0))
				fw->chains[k].n = 0;
		return 0;
	}
	int ci = chain ? fw_chain_find(fw, table, chain) : -1;
	if (ci < 0)
		return fail(err, "no chain %s in this table", chain ? chain : "(none)");
	struct fw_chain *c = &fw->chains[ci];
	if (strcmp(op, "-P") == 0) {
		if (!c->builtin || i >= n || (strcmp(argv[i], "ACCEPT") && strcmp(argv[i], "DROP")))
			return fail(err, "-P sets a built-in chain's policy to ACCEPT or DROP (%s)", chain);
		c->policy = strcmp(argv[i], "ACCEPT") == 0 ? FW_ACCEPT : FW_DROP;
		return 0;
	}
	size_t at = c->n;
	if (strcmp(op, "-I") == 0 || strcmp(op, "-D") == 0) {
		char *end;
		long pos = i < n ? strtol(argv[i], &end, 10) : 0;
		if (i < n && *end == '\0' && pos >= 1) {
			at = (size_t)pos - 1;
			i++;
		} else {
			at = 0;
			if (strcmp(op, "-D") == 0 && i >= n)
				return fail(err, "%s", "-D needs a rule number or the rule");
		}
	} else if (strcmp(op, "-A") != 0) {
		return fail(err, "unknown command %s", op);
	}
	if (strcmp(op, "-D") == 0 && i >= n) {
		if (at >= c->n)
			return fail(err, "no rule of that number in %s", chain);
		memmove(c->rules + at, c->rules + at + 1, (c->n - at - 1) * sizeof *c->rules);
		c->n--;
		return 0;
	}
	struct fw_rule r;
	if (parse_rule(fw, table, argv + i, n - i, &r, err))
		return -1;
	snprintf(r.text, sizeof r.text, "%s", cmd + (argv[i] - buf));
	if (strcmp(op, "-D") == 0) {                    /* delete by specification */
		for (size_t k = 0; k < c->n; k++)
			if (strcmp(c->rules[k].text, r.text) == 0) {
				memmove(c->rules + k, c->rules + k + 1, (c->n - k - 1) * sizeof *c->rules);
				c->n--;
				return 0;
			}
		return fail(err, "no such rule in %s", chain);
	}
	return add_rule(c, &r, at, err);
}

/* ---- packets ---- */

static int tuple_eq(const struct fw_tuple *a, const struct fw_tuple *b)
{
	return a->proto == b->proto && a->src == b->src && a->dst == b->dst &&
	       a->sport == b->sport && a->dport == b->dport;
}

static struct fw_tuple tuple_of(const struct fw_packet *p)
{
	struct fw_tuple t = {p->proto, p->src, p->dst, p->sport, p->dport};
	return t;
}

/* The connection P belongs to, and its direction (0 original, 1 reply). */
static struct fw_conn *lookup(struct fw *fw, const struct fw_tuple *t, int *dir)
{
	for (size_t i = 0; i < fw->nconns; i++) {
		if (tuple_eq(&fw->conns[i].orig, t)) {
			*dir = 0;
			return &fw->conns[i];
		}
		if (tuple_eq(&fw->conns[i].reply, t)) {
			*dir = 1;
			return &fw->conns[i];
		}
	}
	return NULL;
}

static int is_local(const struct fw *fw, uint32_t a)
{
	if ((a >> 24) == 127)
		return 1;
	for (size_t i = 0; i < fw->nifaces; i++)
		if (fw->ifaces[i].addr == a)
			return 1;
	return 0;
}

/* The interface a packet to DST leaves by. */
static const char *route(const struct fw *fw, uint32_t dst)
{
	if ((dst >> 24) == 127)
		return "lo";
	for (size_t i = 0; i < fw->nifaces; i++) {
		uint32_t m = mask_of(fw->ifaces[i].prefix);
		if ((fw->ifaces[i].addr & m) == (dst & m) && strcmp(fw->ifaces[i].name, "lo") != 0)
			return fw->ifaces[i].name;
	}
	return fw->nifaces ? fw->ifaces[fw->default_iface].name : "eth0";
}

struct walk {
	struct fw *fw;
	struct fw_packet *p;
	unsigned state;
	const char *in, *out;
	struct fw_verdict *v;
	struct fw_rule *nat_rule;    /* the nat rule that fired */
};

static void trace(struct walk *w, const char *fmt, const char *a, const char *b)
{
	if (w->v->ntrace < FW_MAX_TRACE)
		snprintf(w->v->trace[w->v->ntrace++], sizeof w->v->trace[0], fmt, a, b);
}

static int iface_match(const char *want, int neg, const char *have)
{
	if (!want[0])
		return 1;
	size_t n = strlen(want);
	int ok = have && (want[n - 1] == '+' ? strncmp(want, have, n - 1) == 0 : strcmp(want, have) == 0);
	return neg ? !ok : ok;
}

static int matches(const struct fw_rule *r, const struct walk *w)
{
	const struct fw_packet *p = w->p;
	if (r->proto && ((p->proto == r->proto) == r->neg_proto))
		return 0;
	if (r->has_src && (((p->src & r->src_mask) == r->src) == r->neg_src))
		return 0;
	if (r->has_dst && (((p->dst & r->dst_mask) == r->dst) == r->neg_dst))
		return 0;
	if (!iface_match(r->in, r->neg_in, w->in) || !iface_match(r->out, r->neg_out, w->out))
		return 0;
	if (r->sport_lo >= 0 && (p->sport < r->sport_lo || p->sport > r->sport_hi))
		return 0;
	if (r->dport_lo >= 0 && (p->dport < r->dport_lo || p->dport > r->dport_hi))
		return 0;
	if (r->ndports) {
		int any = 0;
		for (int i = 0; i < r->ndports; i++)
			any |= p->dport == r->dports[i];
		if (!any)
			return 0;
	}
	if (r->syn && !p->syn)
		return 0;
	if (r->states && !(r->states & w->state))
		return 0;
	return 1;
}

/* Walks chain CI; returns a terminal target, or FW_RETURN if it fell off
 * the end or returned. -2 on a loop. */
static int walk_chain(struct walk *w, int ci, int depth)
{
	if (depth > 16)
		return -2;
	struct fw_chain *c = &w->fw->chains[ci];
	for (size_t i = 0; i < c->n; i++) {
		struct fw_rule *r = &c->rules[i];
		if (!matches(r, w))
			continue;
		r->packets++;
		char where[FW_NAME + 40];
		snprintf(where, sizeof where, "%s %s rule %zu", c->table == FW_NAT ? "nat" : "filter",
			 c->name, i + 1);
		trace(w, "%s: %s", where, r->text);
		switch (r->target) {
		case FW_LOG:
			continue;
		case FW_RETURN:
			return FW_RETURN;
		case FW_JUMP: {
			int t = walk_chain(w, r->jump, depth + 1);
			if (t != FW_RETURN)
				return t;
			continue;
		}
		case FW_DNAT:
		case FW_SNAT:
		case FW_MASQUERADE:
			w->nat_rule = r;
			return FW_ACCEPT;
		default:
			return (int)r->target;
		}
	}
	return FW_RETURN;
}

/* A built-in chain: its rules, then its policy. */
static int run_builtin(struct walk *w, enum fw_table t, const char *name)
{
	int ci = fw_chain_find(w->fw, t, name);
	int r = walk_chain(w, ci, 0);
	if (r == -2)
		return -2;
	if (r == FW_RETURN) {
		struct fw_chain *c = &w->fw->chains[ci];
		c->policy_packets++;
		if (t == FW_FILTER || c->n)               /* empty nat chains say nothing */
			trace(w, t == FW_NAT ? "nat %s: policy %s" : "filter %s: policy %s", c->name,
			      fw_target_name(c->policy));
		return (int)c->policy;
	}
	return r;
}

static unsigned classify(struct fw *fw, const struct fw_packet *p, struct fw_conn **conn, int *dir)
{
	struct fw_tuple t = tuple_of(p);
	*conn = lookup(fw, &t, dir);
	if (*conn)
		return (*dir == 1 || (*conn)->replied) ? FW_ESTABLISHED : FW_NEW;
	if (p->proto == FW_ICMP && p->has_inner) {
		int d;
		struct fw_tuple in = p->inner;
		struct fw_tuple rev = {in.proto, in.dst, in.src, in.dport, in.sport};
		if (lookup(fw, &in, &d) || lookup(fw, &rev, &d))
			return FW_RELATED;
		return FW_INVALID;
	}
	if (p->proto == FW_TCP && !p->syn)
		return FW_INVALID;
	if (p->proto == FW_ICMP && p->icmp_type == 0)
		return FW_INVALID;                         /* an echo reply to nothing */
	return FW_NEW;
}

int fw_packet(struct fw *fw, const struct fw_packet *pin, struct fw_verdict *v, char *err)
{
	memset(v, 0, sizeof *v);
	struct fw_packet p = *pin;
	struct fw_conn *conn;
	int dir = 0;
	unsigned state = classify(fw, &p, &conn, &dir);
	v->state = state;
	struct walk w = {fw, &p, state, p.in, NULL, v, NULL};
	/* NAT of packets of known connections: conntrack rewrites them */
	/* packets of known connections are rewritten by conntrack, as the first
	 * one was: the destination before the filter (PREROUTING), the source
	 * after it (POSTROUTING) */
	if (conn && dir == 0)
		p.dst = conn->reply.src, p.dport = conn->reply.sport;       /* DNAT again */
	else if (conn)
		p.dst = conn->orig.src, p.dport = conn->orig.sport;         /* undo SNAT */
	struct fw_tuple before = tuple_of(pin);
	int verdict;
	if (p.in) {
		if (!conn && state == FW_NEW) {
			int r = run_builtin(&w, FW_NAT, "PREROUTING");
			if (r == -2)
				return fail(err, "%s", "a loop of user chains");
			if (w.nat_rule && w.nat_rule->target == FW_DNAT) {
				p.dst = w.nat_rule->to_addr;
				if (w.nat_rule->to_port >= 0)
					p.dport = w.nat_rule->to_port;
			}
			w.nat_rule = NULL;
		}
		if (is_local(fw, p.dst)) {
			snprintf(v->path, sizeof v->path, "INPUT");
			verdict = run_builtin(&w, FW_FILTER, "INPUT");
		} else {
			snprintf(v->path, sizeof v->path, "FORWARD");
			w.out = route(fw, p.dst);
			verdict = fw->forwarding ? run_builtin(&w, FW_FILTER, "FORWARD") : FW_DROP;
		}
	} else {
		snprintf(v->path, sizeof v->path, "OUTPUT");
		w.out = route(fw, p.dst);
		verdict = run_builtin(&w, FW_FILTER, "OUTPUT");
	}
	if (verdict == -2)
		return fail(err, "%s", "a loop of user chains");
	if (verdict == FW_ACCEPT && !conn && state == FW_NEW && strcmp(v->path, "INPUT") != 0) {
		int r = run_builtin(&w, FW_NAT, "POSTROUTING");
		if (r == -2)
			return fail(err, "%s", "a loop of user chains");
		if (w.nat_rule && w.nat_rule->target == FW_SNAT) {
			p.src = w.nat_rule->to_addr;
		} else if (w.nat_rule && w.nat_rule->target == FW_MASQUERADE) {
			for (size_t i = 0; i < fw->nifaces; i++)
				if (strcmp(fw->ifaces[i].name, w.out) == 0)
					p.src = fw->ifaces[i].addr;
		}
	}
	if (conn && dir == 0)
		p.src = conn->reply.dst, p.sport = conn->reply.dport;       /* SNAT again */
	else if (conn)
		p.src = conn->orig.dst, p.sport = conn->orig.dport;         /* undo DNAT */
	v->verdict = (enum fw_target)verdict;
	v->after = p;
	if (verdict != FW_ACCEPT)
		return 0;
	if (conn) {
		if (dir == 1)
			conn->replied = 1;
		return 0;
	}
	if (state == FW_NEW) {                             /* confirm the new connection */
		if (fw->nconns == FW_MAX_CONNS)
			return fail(err, "%s", "the connection table is full");
		if (!fw->conns) {
			fw->conns = budget_malloc(FW_MAX_CONNS * sizeof *fw->conns);
			if (!fw->conns)
				return fail(err, "%s", "not enough memory");
		}
		struct fw_conn *c = &fw->conns[fw->nconns++];
		c->orig = before;
		struct fw_tuple reply = {p.proto, p.dst, p.src, p.dport, p.sport};
		if (p.proto == FW_ICMP)
			reply.sport = reply.dport = 0;
		c->reply = reply;
		c->replied = 0;
	}
	return 0;
}
