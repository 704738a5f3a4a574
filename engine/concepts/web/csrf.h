/*
 * csrf.h — cross-site request forgery, played out: a victim logged in to
 * https://bank.example visits https://evil.example, whose page makes the
 * browser send a transfer request to the bank. Whether the transfer happens
 * depends on the session cookie's SameSite attribute (cookie.h), on what
 * kind of request the page makes (a form, a link, an image, fetch()), on
 * CORS for the fetches (cors.h), and on the bank's defence: a CSRF token
 * (OWASP's synchronizer token), checking the Origin header, or nothing.
 */
#ifndef BACKLAB_CSRF_H
#define BACKLAB_CSRF_H

enum csrf_attack {
	CSRF_FORM_POST,   /* an auto-submitted <form method=post>: a top-level POST navigation */
	CSRF_LINK_GET,    /* a link or window.location: a top-level GET navigation */
	CSRF_IMG_GET,     /* <img src=...>: a cross-site GET subresource */
	CSRF_FETCH_FORM,  /* fetch(url, {method: "POST", credentials: "include", body: form}) */
	CSRF_FETCH_JSON,  /* the same with Content-Type: application/json */
	CSRF_NATTACKS,
};

enum csrf_defense { CSRF_NONE, CSRF_TOKEN, CSRF_ORIGIN, CSRF_NDEFENSES };

struct csrf_scenario {
	const char *samesite;      /* the session cookie's SameSite: "Strict", "Lax", "None" or NULL */
	enum csrf_attack attack;
	enum csrf_defense defense;
	int get_changes_state;     /* the bank also transfers on GET /transfer?to=...&amount=... */
};

struct csrf_result {
	int cookie_sent;           /* the request carried the session cookie */
	int request_sent;          /* the request reached the bank (a preflight can stop it) */
	int transferred;           /* the bank moved the money */
	char origin[64];           /* the Origin header sent ("" if none) */
	char reason[384];
};

/* Plays the scenario. */
void csrf_play(const struct csrf_scenario *s, struct csrf_result *r);

#endif
