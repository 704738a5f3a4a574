/*
 * oauth.h — the OAuth 2.0 authorization-code grant (RFC 6749 section 4.1)
 * with PKCE (RFC 7636), as a state machine: an authorization server (the
 * authorization and token endpoints, introspection for a resource server)
 * and OpenID Connect's ID token (OIDC Core 1.0 section 3.1) on top; the
 * rules of the OAuth 2.0 Security BCP (RFC 9700) are options, so that a
 * lesson can turn one off and run the attack it stops.
 *
 * Times are simulated seconds passed in; random codes and tokens come from
 * a seeded generator. Strings are copied (budget_malloc) and limited to
 * OAUTH_MAX_STR bytes (longer ones are refused).
 */
#ifndef BACKLAB_OAUTH_H
#define BACKLAB_OAUTH_H

#include <stddef.h>
#include <stdint.h>

#include "engine/concepts/rand/rand.h"

#define OAUTH_MAX_STR 512
#define OAUTH_MAX_REDIRECTS 4

struct oauth_client {
	char *id, *secret;                    /* secret NULL: a public client (an app) */
	char *redirect[OAUTH_MAX_REDIRECTS];
	int nredirect;
};

struct oauth_user {
	char *name, *password;
};

struct oauth_grant {                      /* an authorization code and what it is bound to */
	char code[24];
	int client;
	char *redirect_uri, *challenge, *method, *scope, *user, *nonce;
	int64_t expires;
	int used;
};

struct oauth_token {
	char value[24];
	int client;
	char *user, *scope;
	int64_t expires;
	int revoked;
	size_t grant;                         /* the grant it came from */
};

struct oauth_config {
	int64_t code_ttl, token_ttl;          /* s: 60 and 3600 by default */
	int redirect_prefix;                  /* BUG if set: a redirect_uri that starts with a registered one matches */
	int pkce;                             /* 0: optional, 1: required for public clients, 2: for all */
	int allow_plain;                      /* accept code_challenge_method=plain */
	const char *issuer;
};

struct oauth_server {
	struct oauth_config cfg;
	char *issuer;
	struct oauth_client *clients;
	size_t nclients;
	struct oauth_user *users;
	size_t nusers;
	struct oauth_grant *grants;
	size_t ngrants;
	struct oauth_token *tokens;
	size_t ntokens;
	struct rng r;
};

/* Returns 0, or -1 without memory. Free with oauth_free. */
int oauth_init(struct oauth_server *s, const struct oauth_config *cfg, uint64_t seed);
void oauth_free(struct oauth_server *s);

/* Registers a client (SECRET NULL: public) / a user. 0, -1 (memory, limits). */
int oauth_add_client(struct oauth_server *s, const char *id, const char *secret,
		     const char *const *redirects, int n);
int oauth_add_user(struct oauth_server *s, const char *name, const char *password);

/* The authorization request (RFC 6749 4.1.1, RFC 7636 4.3, OIDC nonce),
 * with the user's login and consent folded in. NULL: absent. */
struct oauth_authz_req {
	const char *response_type, *client_id, *redirect_uri, *scope, *state;
	const char *code_challenge, *code_challenge_method, *nonce;
	const char *user, *password;          /* the user logs in and consents */
	int64_t now;
};

/* The answer: a redirect back to the client (302, with code or error), or
 * an error page shown to the user (400: never redirect to an unverified
 * redirect_uri, RFC 6749 4.1.2.1). Strings are static or inside S. */
struct oauth_authz_resp {
	int status;                           /* 302 or 400 */
	const char *redirect_uri;             /* 302: where the browser goes */
	const char *code;                     /* 302 on success */
	const char *state;                    /* echoed */
	const char *error, *description;      /* error code (RFC 6749 4.1.2.1) and why */
};

/* Returns -1 only without memory; the outcome is in OUT. */
int oauth_authorize(struct oauth_server *s, const struct oauth_authz_req *rq,
		    struct oauth_authz_resp *out);

/* The token request (RFC 6749 4.1.3, RFC 7636 4.5). */
struct oauth_token_req {
	const char *grant_type, *code, *redirect_uri, *client_id, *client_secret, *code_verifier;
	int64_t now;
};

struct oauth_token_resp {
	int status;                           /* 200, 400, 401 */
	const char *access_token;             /* 200 */
	int64_t expires_in;
	const char *scope;
	int openid;                           /* scope has "openid": an ID token is due */
	const char *user, *client_id, *nonce; /* for the ID token */
	const char *error, *description;
};

int oauth_token(struct oauth_server *s, const struct oauth_token_req *rq,
		struct oauth_token_resp *out);

/* Token introspection (RFC 7662): the token's record if it is active at
 * NOW, else NULL. */
const struct oauth_token *oauth_introspect(const struct oauth_server *s, const char *token,
					   int64_t now);

/* A resource server's decision for a request with a bearer TOKEN needing
 * SCOPE (RFC 6750 3.1): 200, 401 (invalid_token) or 403 (insufficient_scope). */
int oauth_access(const struct oauth_server *s, const char *token, const char *scope,
		 int64_t now, const char **error);

/* Whether the space-separated SCOPES contains WORD. */
int oauth_has_scope(const char *scopes, const char *word);

#endif
