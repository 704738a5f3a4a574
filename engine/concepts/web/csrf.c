/* csrf.c — the CSRF scenario of csrf.h, through the cookie jar and CORS. */
#include "engine/concepts/web/csrf.h"
#include "engine/concepts/web/cookie.h"
#include "engine/concepts/web/cors.h"

#include <stdio.h>
#include <string.h>

#define BANK "https://bank.example"
#define EVIL "https://evil.example"

void csrf_play(const struct csrf_scenario *s, struct csrf_result *r)
{
	memset(r, 0, sizeof *r);
	struct cookie_jar jar;
	cookie_jar_init(&jar);
	char line[160], why[160];
	snprintf(line, sizeof line, "session=7Qx2; Secure; HttpOnly; Path=/%s%s",
		 s->samesite ? "; SameSite=" : "", s->samesite ? s->samesite : "");
	struct cookie_ctx login = {.url = BANK "/login", .top_level = 1, .method = "POST", .now = 0};
	if (cookie_set(&jar, line, &login, why) != COOKIE_STORED) {
		snprintf(r->reason, sizeof r->reason, "the bank's cookie was refused: %s", why);
		cookie_jar_free(&jar);
		return;
	}
	int post = s->attack == CSRF_FORM_POST || s->attack == CSRF_FETCH_FORM ||
		   s->attack == CSRF_FETCH_JSON;
	int top = s->attack == CSRF_FORM_POST || s->attack == CSRF_LINK_GET;
	struct cookie_ctx req = {.url = BANK "/transfer", .site_for_cookies = EVIL, .top_level = top,
				 .method = post ? "POST" : "GET", .now = 10};
	char header[256];
	r->cookie_sent = cookie_header(&jar, &req, header, sizeof header, NULL) > 0;
	cookie_jar_free(&jar);
	/* the Origin header: on POSTs and CORS requests, not on GET navigations or images */
	if (post)
		snprintf(r->origin, sizeof r->origin, "%s", EVIL);
	if (s->attack == CSRF_FETCH_JSON) {
		struct cors_request cq = {.url = BANK "/transfer", .origin = EVIL, .method = "POST",
					  .names = {"Content-Type"}, .values = {"application/json"},
					  .nheaders = 1, .credentials = 1};
		struct cors_policy none = {.max_age = -1};   /* the bank sends no CORS headers */
		struct cors_result cr;
		cors_evaluate(&cq, &none, &cr);
		if (!cr.sent) {
			snprintf(r->reason, sizeof r->reason,
				 "the JSON POST needs a preflight (%s) and the bank allows no CORS: "
				 "never sent", cr.why_preflight);
			return;
		}
	}
	r->request_sent = 1;
	if (!post && !s->get_changes_state) {
		snprintf(r->reason, sizeof r->reason, "GET /transfer only shows a form: nothing happens");
		return;
	}
	if (!r->cookie_sent) {
		snprintf(r->reason, sizeof r->reason,
			 "no session cookie (SameSite=%s): the bank sees an anonymous request",
			 s->samesite ? s->samesite : "unset, Lax by default");
		return;
	}
	if (s->defense == CSRF_TOKEN) {
		snprintf(r->reason, sizeof r->reason,
			 "the request lacks the CSRF token bound to the session: 403");
		return;
	}
	if (s->defense == CSRF_ORIGIN && r->origin[0]) {
		snprintf(r->reason, sizeof r->reason, "Origin %s is not %s: 403", r->origin, BANK);
		return;
	}
	r->transferred = 1;
	snprintf(r->reason, sizeof r->reason, "%s",
		 s->defense == CSRF_ORIGIN ? "no Origin header on a GET navigation: the check let it through"
					   : "the cookie authenticated the forged request: money moved");
}
