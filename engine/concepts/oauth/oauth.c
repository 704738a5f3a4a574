/*
 * oauth.c — the authorization server of oauth.h: the authorization
 * endpoint (RFC 6749 4.1.1-4.1.2), the token endpoint (4.1.3-4.1.4,
 * RFC 7636 4.5-4.6), introspection (RFC 7662) and a resource server's
 * check (RFC 6750).
 */
#include "engine/concepts/oauth/oauth.h"
#include "engine/concepts/oauth/pkce.h"
#include "engine/concepts/crypto/base64.h"
#include "engine/concepts/crypto/ct.h"
#include "engine/base/budget.h"

#include <string.h>

/* A copy of S (NULL stays NULL), or NULL with *BAD set (memory, length). */
static char *dup(const char *s, int *bad)
{
	if (!s)
		return NULL;
	size_t n = strlen(s);
	char *d = n <= OAUTH_MAX_STR ? budget_malloc(n + 1) : NULL;
	if (!d) {
		*bad = 1;
		return NULL;
	}
	memcpy(d, s, n + 1);
	return d;
}

int oauth_init(struct oauth_server *s, const struct oauth_config *cfg, uint64_t seed)
{
	memset(s, 0, sizeof *s);
	s->cfg = *cfg;
	int bad = 0;
	s->issuer = dup(cfg->issuer ? cfg->issuer : "https://auth.example", &bad);
	s->cfg.issuer = s->issuer;
	rng_seed(&s->r, seed);
	return bad ? -1 : 0;
}

static void free_grant(struct oauth_grant *g)
{
	budget_free(g->redirect_uri);
	budget_free(g->challenge);
	budget_free(g->method);
	budget_free(g->scope);
	budget_free(g->user);
	budget_free(g->nonce);
}

void oauth_free(struct oauth_server *s)
{
	for (size_t i = 0; i < s->nclients; i++) {
		budget_free(s->clients[i].id);
		budget_free(s->clients[i].secret);
		for (int k = 0; k < s->clients[i].nredirect; k++)
			budget_free(s->clients[i].redirect[k]);
	}
	for (size_t i = 0; i < s->nusers; i++) {
		budget_free(s->users[i].name);
		budget_free(s->users[i].password);
	}
	for (size_t i = 0; i < s->ngrants; i++)
		free_grant(&s->grants[i]);
	for (size_t i = 0; i < s->ntokens; i++) {
		budget_free(s->tokens[i].user);
		budget_free(s->tokens[i].scope);
	}
	budget_free(s->clients);
	budget_free(s->users);
	budget_free(s->grants);
	budget_free(s->tokens);
	budget_free(s->issuer);
	memset(s, 0, sizeof *s);
}

/* Makes room for one more element of SIZE bytes in *ARR, which holds N:
 * the capacity is 4, then doubles whenever N reaches a power of two. */
static int grow(void *arr, size_t n, size_t size)
{
	void **p = arr;
	size_t cap;
	if (n == 0)
		cap = 4;
	else if (n >= 4 && !(n & (n - 1)))
		cap = 2 * n;
	else
		return 0;
	void *q = budget_realloc(*p, cap * size);
	if (!q)
		return -1;
	*p = q;
	return 0;
}

int oauth_add_client(struct oauth_server *s, const char *id, const char *secret,
		     const char *const *redirects, int n)
{
	if (n < 1 || n > OAUTH_MAX_REDIRECTS || grow(&s->clients, s->nclients, sizeof *s->clients))
		return -1;
	struct oauth_client c = {0};
	int bad = 0;
	c.id = dup(id, &bad);
	c.secret = dup(secret, &bad);
	for (int i = 0; i < n; i++)
		c.redirect[c.nredirect++] = dup(redirects[i], &bad);
	if (bad) {
		budget_free(c.id);
		budget_free(c.secret);
		for (int i = 0; i < c.nredirect; i++)
			budget_free(c.redirect[i]);
		return -1;
	}
	s->clients[s->nclients++] = c;
	return 0;
}

int oauth_add_user(struct oauth_server *s, const char *name, const char *password)
{
	if (grow(&s->users, s->nusers, sizeof *s->users))
		return -1;
	int bad = 0;
	struct oauth_user u = {dup(name, &bad), dup(password, &bad)};
	if (bad) {
		budget_free(u.name);
		budget_free(u.password);
		return -1;
	}
	s->users[s->nusers++] = u;
	return 0;
}

static int find_client(const struct oauth_server *s, const char *id)
{
	for (size_t i = 0; id && i < s->nclients; i++)
		if (strcmp(s->clients[i].id, id) == 0)
			return (int)i;
	return -1;
}

/* RFC 9700 2.1: exact string matching; the prefix rule is the bug. */
static int redirect_ok(const struct oauth_server *s, const struct oauth_client *c,
		       const char *uri)
{
	for (int i = 0; i < c->nredirect; i++) {
		size_t n = strlen(c->redirect[i]);
		if (strcmp(c->redirect[i], uri) == 0 ||
		    (s->cfg.redirect_prefix && strncmp(c->redirect[i], uri, n) == 0))
			return 1;
	}
	return 0;
}

/* 16 random bytes as base64url: 22 characters. */
static void random_string(struct rng *r, char out[24])
{
	unsigned char b[16];
	for (int i = 0; i < 16; i += 8) {
		uint64_t x = rng_next(r);
		for (int k = 0; k < 8; k++)
			b[i + k] = (unsigned char)(x >> (8 * k));
	}
	base64_encode(b, 16, BASE64_URL, 0, out);
}

int oauth_has_scope(const char *scopes, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = scopes; p && *p;) {
		while (*p == ' ')
			p++;
		size_t len = strcspn(p, " ");
		if (len == n && strncmp(p, word, n) == 0)
			return 1;
		p += len;
	}
	return 0;
}

static int user_ok(const struct oauth_server *s, const char *user, const char *password)
{
	for (size_t i = 0; user && password && i < s->nusers; i++)
		if (strcmp(s->users[i].name, user) == 0)
			return ct_equal(s->users[i].password, strlen(s->users[i].password), password,
					strlen(password));
	return 0;
}

static int authz_error(struct oauth_authz_resp *o, int status, const char *error,
		       const char *description)
{
	o->status = status;
	o->error = error;
	o->description = description;
	return 0;
}

int oauth_authorize(struct oauth_server *s, const struct oauth_authz_req *rq,
		    struct oauth_authz_resp *o)
{
	memset(o, 0, sizeof *o);
	int ci = find_client(s, rq->client_id);
	if (ci < 0)
		return authz_error(o, 400, "invalid_request", "unknown client_id: nothing to redirect to");
	const struct oauth_client *c = &s->clients[ci];
	if (!rq->redirect_uri || !redirect_ok(s, c, rq->redirect_uri))
		return authz_error(o, 400, "invalid_request",
				   "redirect_uri is not registered for this client: shown, not redirected");
	/* from here on, errors go back to the (verified) redirect_uri */
	o->redirect_uri = rq->redirect_uri;
	o->state = rq->state;
	if (!rq->response_type || strcmp(rq->response_type, "code") != 0)
		return authz_error(o, 302, "unsupported_response_type", "only response_type=code");
	int public_client = c->secret == NULL;
	int need_pkce = s->cfg.pkce == 2 || (s->cfg.pkce == 1 && public_client);
	const char *method = rq->code_challenge_method ? rq->code_challenge_method : "plain";
	if (rq->code_challenge) {
		if (strcmp(method, "S256") != 0 && !(strcmp(method, "plain") == 0 && s->cfg.allow_plain))
			return authz_error(o, 302, "invalid_request",
					   "code_challenge_method must be S256");
		if (strlen(rq->code_challenge) < 43 || strlen(rq->code_challenge) > 128)
			return authz_error(o, 302, "invalid_request", "malformed code_challenge");
	} else if (need_pkce) {
		return authz_error(o, 302, "invalid_request", "code_challenge required (PKCE)");
	}
	if (!user_ok(s, rq->user, rq->password))
		return authz_error(o, 302, "access_denied", "the user did not log in");
	if (grow(&s->grants, s->ngrants, sizeof *s->grants))
		return -1;
	struct oauth_grant g = {0};
	int bad = 0;
	random_string(&s->r, g.code);
	g.client = ci;
	g.redirect_uri = dup(rq->redirect_uri, &bad);
	g.challenge = dup(rq->code_challenge, &bad);
	g.method = rq->code_challenge ? dup(method, &bad) : NULL;
	g.scope = dup(rq->scope ? rq->scope : "", &bad);
	g.user = dup(rq->user, &bad);
	g.nonce = dup(rq->nonce, &bad);
	g.expires = rq->now + s->cfg.code_ttl;
	if (bad) {
		free_grant(&g);
		return -1;
	}
	s->grants[s->ngrants++] = g;
	o->status = 302;
	o->code = s->grants[s->ngrants - 1].code;
	return 0;
}

static int token_error(struct oauth_token_resp *o, int status, const char *error,
		       const char *description)
{
	o->status = status;
	o->error = error;
	o->description = description;
	return 0;
}

/* RFC 6749 4.1.2: a code used twice revokes what it gave. */
static void revoke_from(struct oauth_server *s, size_t grant)
{
	for (size_t i = 0; i < s->ntokens; i++)
		if (s->tokens[i].grant == grant)
			s->tokens[i].revoked = 1;
}

int oauth_token(struct oauth_server *s, const struct oauth_token_req *rq,
		struct oauth_token_resp *o)
{
	memset(o, 0, sizeof *o);
	if (!rq->grant_type || strcmp(rq->grant_type, "authorization_code") != 0)
		return token_error(o, 400, "unsupported_grant_type", "only authorization_code");
	int ci = find_client(s, rq->client_id);
	if (ci < 0)
		return token_error(o, 401, "invalid_client", "unknown client");
	const struct oauth_client *c = &s->clients[ci];
	if (c->secret && (!rq->client_secret ||
			  !ct_equal(c->secret, strlen(c->secret), rq->client_secret,
				    strlen(rq->client_secret))))
		return token_error(o, 401, "invalid_client", "a confidential client must authenticate");
	size_t gi = s->ngrants;
	for (size_t i = 0; rq->code && i < s->ngrants; i++)
		if (strcmp(s->grants[i].code, rq->code) == 0)
			gi = i;
	if (gi == s->ngrants)
		return token_error(o, 400, "invalid_grant", "unknown code");
	struct oauth_grant *g = &s->grants[gi];
	if (g->used) {
		revoke_from(s, gi);
		return token_error(o, 400, "invalid_grant",
				   "code already used: the tokens it gave are revoked");
	}
	if (g->client != ci)
		return token_error(o, 400, "invalid_grant", "the code was issued to another client");
	if (rq->now >= g->expires)
		return token_error(o, 400, "invalid_grant", "the code expired");
	if (!rq->redirect_uri || strcmp(rq->redirect_uri, g->redirect_uri) != 0)
		return token_error(o, 400, "invalid_grant",
				   "redirect_uri differs from the authorization request's");
	if (g->challenge) {
		if (!rq->code_verifier ||
		    !pkce_check(g->method, rq->code_verifier, strlen(rq->code_verifier),
				g->challenge, strlen(g->challenge)))
			return token_error(o, 400, "invalid_grant", "code_verifier does not match");
	} else if (rq->code_verifier) {
		/* RFC 9700 2.1.1: a verifier without a challenge is a downgrade */
		return token_error(o, 400, "invalid_grant", "code_verifier without code_challenge");
	}
	g->used = 1;
	if (grow(&s->tokens, s->ntokens, sizeof *s->tokens))
		return -1;
	struct oauth_token t = {0};
	int bad = 0;
	random_string(&s->r, t.value);
	t.client = ci;
	t.user = dup(g->user, &bad);
	t.scope = dup(g->scope, &bad);
	t.expires = rq->now + s->cfg.token_ttl;
	t.grant = gi;
	if (bad) {
		budget_free(t.user);
		budget_free(t.scope);
		return -1;
	}
	s->tokens[s->ntokens++] = t;
	const struct oauth_token *tt = &s->tokens[s->ntokens - 1];
	o->status = 200;
	o->access_token = tt->value;
	o->expires_in = s->cfg.token_ttl;
	o->scope = tt->scope;
	o->openid = oauth_has_scope(tt->scope, "openid");
	o->user = tt->user;
	o->client_id = c->id;
	o->nonce = g->nonce;
	return 0;
}

const struct oauth_token *oauth_introspect(const struct oauth_server *s, const char *token,
					   int64_t now)
{
	for (size_t i = 0; token && i < s->ntokens; i++) {
		const struct oauth_token *t = &s->tokens[i];
		if (strcmp(t->value, token) == 0)
			return !t->revoked && now < t->expires ? t : NULL;
	}
	return NULL;
}

int oauth_access(const struct oauth_server *s, const char *token, const char *scope,
		 int64_t now, const char **error)
{
	const struct oauth_token *t = oauth_introspect(s, token, now);
	if (!t) {
		*error = "invalid_token";
		return 401;
	}
	if (scope && *scope && !oauth_has_scope(t->scope, scope)) {
		*error = "insufficient_scope";
		return 403;
	}
	*error = NULL;
	return 200;
}
