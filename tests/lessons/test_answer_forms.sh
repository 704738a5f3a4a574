#!/bin/sh
# The bundled lessons grade typed answers on their meaning: the forms people
# write (issue 10's list) pass where the value is right, near misses fail,
# and input without the expected form is refused and not recorded.
#   EXERCISE|ANSWER|STATUS   (0 passed, 1 wrong answer, 2 not an answer)
set -u
export BACKLAB_DB="$TMPROOT/answer-forms.db"
rm -f "$BACKLAB_DB"*
while IFS='|' read -r id answer want; do
	case $id in '' | '#'*) continue ;; esac
	out=$("$BACKLAB" --lessons "${LESSONS:-lessons}" check "$id" --answer "$answer" 2>&1)
	rc=$?
	if [ "$rc" -eq "$want" ]; then
		echo "ok answers/$id [$answer] $rc"
	else
		echo "not ok answers/$id [$answer]: exit $rc, wanted $want"
		printf '%s\n' "$out" | sed 's/^/    | /' | head -8
	fi
done <<'EOF'
# the forms of the issue, where the value is right
caching/basics/amat|~2 ms|0
caching/basics/amat|2 ms.|0
caching/basics/amat|0.002 s|0
caching/basics/amat|about 2 milliseconds|0
caching/hit-ratio/size-for|64 entries|0
caching/write-strategies/saved|330 entries|0
caching/write-strategies/saved|about 330|0
caching/cdn/shield|10,000|0
caching/cdn/shield|10,000 objects|0
caching/stampede/coalesce|19 and 9,500|0
caching/stampede/coalesce|coalesce=19, none=9500|0
caching/invalidation/ttl|t=65|0
caching/invalidation/ttl|at 65 seconds|0
caching/invalidation/ttl|t = 65 s|0
traffic/rate-limiting/predict-estimate|estimate = 46|0
traffic/rate-limiting/predict-estimate|about 46|0
caching/local-shared/add-node|2/3|0
caching/local-shared/add-node|about 66.7%|0
traffic/consistent-hashing/predict-mod|4/5|0
traffic/consistent-hashing/predict-mod|about 80%|0
traffic/balancing/predict-p2c|1/3|0
traffic/balancing/predict-p2c|about 33.3%|0
traffic/balancing/predict-iphash|5/6|0
traffic/balancing/predict-iphash|about 83%|0
traffic/balancing/predict-swrr|a b a c a|0
traffic/balancing/predict-swrr|a, b, a, c, a|0
traffic/balancing/predict-swrr|abaca|0
caching/http-caching/not-modified|HTTP 304|0
caching/http-caching/not-modified|304 Not Modified|0
traffic/tail-latency/predict-busy|24/25|0
traffic/tail-latency/predict-busy|about 96%|0
traffic/balancing/predict-lrt|picks 4 and 9|0
traffic/balancing/predict-lrt|9 4|0
traffic/pooling/predict-retrograde|2.39|0
traffic/pooling/predict-retrograde|2.41x|0
traffic/pooling/little|2.3|0
traffic/pooling/little|2.2 connections|0
traffic/web-servers/match|httpd caddy envoy microsoft traefik haproxy|0
traffic/web-servers/match|1. Apache httpd 2. Caddy 3. Envoy proxy 4. Microsoft IIS 5. Traefik 6. HAProxy|0
traffic/web-servers/match|apache, caddy, envoy, iis, traefik, ha proxy|0
traffic/rate-limiting/predict-burst|about 500|0
traffic/web-servers/workers-needed|about 200|0
caching/eviction/anomaly|LRU3=10 LRU4=8|0
caching/eviction/anomaly|10, 8|0
caching/eviction/anomaly|3 entries: 10, 4 entries: 8|0
caching/eviction/anomaly|with 3 entries: 10 misses; with 4 entries: 8 misses.|0
caching/invalidation/ttl|1 min 5 s|0
caching/invalidation/ttl|t=1m5s|0
caching/invalidation/ttl|1 minute and 5 seconds|0
caching/eviction/anomaly|3 entries 10 misses, 4 entries 8 misses|0
traffic/hash-schemes/measure-moved|modulo 0.8997, ring (160 points) 0.1003, jump 0.0983|0
traffic/proxies/predict-gateway|200,429,401,200,429|0
caching/eviction/predict-lru|`a`.|0
# near misses still fail
caching/basics/amat|~2.1 ms|1
caching/basics/amat|2 s|1
caching/hit-ratio/size-for|65 entries|1
caching/write-strategies/saved|320|1
caching/cdn/shield|9,000|1
caching/invalidation/ttl|at 65 minutes|1
caching/local-shared/add-node|3/5|1
caching/local-shared/add-node|4/5|1
traffic/balancing/predict-p2c|1/6|1
traffic/balancing/predict-p2c|1/2|1
traffic/balancing/predict-iphash|75%|1
traffic/balancing/predict-swrr|a b c a a|1
traffic/pooling/predict-retrograde|2.42|1
traffic/pooling/little|2.31|1
traffic/hash-schemes/measure-moved|0.9 1/9 1/9|1
traffic/hash-schemes/measure-moved|90% 11% 10%|1
traffic/web-servers/match|httpd caddy envoy iis nginx haproxy|1
caching/http-caching/not-modified|HTTP 200|1
traffic/tail-latency/predict-busy|1/3|1
traffic/tail-latency/predict-busy|14/15|1
traffic/rate-limiting/predict-burst|about 200|1
traffic/rate-limiting/predict-estimate|65|1
caching/eviction/anomaly|LRU3=10 LRU4=9|1
caching/eviction/anomaly|3 entries: 10, 4 entries: 9|1
caching/invalidation/ttl|1 min 6 s|1
caching/invalidation/ttl|1 h 5 s|1
caching/eviction/predict-lru|c|1
# not answers: refused, not recorded
caching/basics/amat|ne|2
caching/basics/amat|2 MB|2
caching/hit-ratio/size-for|at least 64|2
caching/write-strategies/saved|two thousand|2
caching/eviction/anomaly|9 10 10|2
caching/eviction/anomaly|10|2
caching/eviction/anomaly|3 entries: 10|2
caching/invalidation/ttl|1 min 5|2
caching/invalidation/ttl|1 min 65 s|2
caching/eviction/predict-lru|n|2
traffic/balancing/predict-swrr|a b d a a|2
traffic/balancing/predict-swrr|a b a|2
traffic/web-servers/match|apache caddy envoy iis traefik|2
traffic/web-servers/match|apache caddy envoy iis traefik lighttpd|2
traffic/balancing/predict-swrr|1 2 1 3 1|2
# security (review of issue 16): right answers in their other spellings
security/sessions/basic-decode|"hunter2"|0
security/sessions/basic-decode|password: hunter2|0
security/hashing/birthday|about 2^128|0
security/hashing/birthday|2^128 hashes|0
security/hashing/birthday|2¹²⁸|0
security/hashing/birthday|2 to the power of 128|0
security/hashing/birthday|3.4e38|0
security/tls/rtt|1 RTT|0
security/tls/rtt|one round trip|0
security/tls/rtt|80 ms (1 RTT)|0
security/tls/master|43 de 77 e0 c7 77 13 85 9a 94 4d b9 db 25 90 b5 31 90 a6 5b 3e e2 e4 f1 2d d7 a0 bb 7c e2 54 b4|0
security/tls/master|"43DE77E0C77713859A944DB9DB2590B53190A65B3EE2E4F12DD7A0BB7CE254B4"|0
security/oauth/steal|grant_type = "authorization_code", code = code, redirect_uri = "photos-app://cb", client_id = "photos"|0
security/oauth/steal|grant_type=authorization_code&code=X&redirect_uri=photos-app%3A%2F%2Fcb&client_id=photos|0
security/firewalls/first-match|It is rejected|0
security/oidc-saml-sso/nonce|the nonce|0
# security: near misses
security/sessions/basic-decode|Hunter2|1
security/hashing/birthday|2^64|1
security/tls/rtt|2 RTT|1
security/tls/rtt|half a round trip|1
security/sql-injection/union|x' UNION SELECT 'correct-horse-battery-staple', 1 --|1
security/cookies-csrf/set-cookie|sid=r4nd0m; Secure; HttpOnly; SameSite=Lax; Path=/accounts|1
# security: not answers
security/hashing/birthday|n|2
security/hashing/birthday|2^128 or 2^256|2
security/tls/rtt|1 or 2 RTT|2
security/tls/master|43de77e0|2
security/oauth/steal|while true do end|2
security/ssrf/bypass|2852039166|2
security/cookies-csrf/set-cookie|hello|2
# module 06 apis, lessons 10-16 (the building blocks)
apis/routing/predict-precedence|C B D|0
apis/routing/predict-precedence|c, b, d|0
apis/routing/predict-precedence|C,B,D.|0
apis/routing/predict-precedence|C A D|1
apis/routing/predict-precedence|C B|2
apis/routing/predict-405|405 Allow: GET, HEAD|0
apis/routing/predict-405|405 Method Not Allowed, Allow: HEAD, GET|0
apis/routing/predict-405|HTTP 405; allow = get head|0
apis/routing/predict-405|405 Allow: GET|1
apis/routing/predict-405|405 Allow: DELETE, GET, HEAD, PUT|1
apis/routing/predict-405|404|1
apis/routing/predict-405|no idea|2
apis/pagination/predict-dups|11|0
apis/pagination/predict-dups|11 posts|0
apis/pagination/predict-dups|about 11|0
apis/pagination/predict-dups|12|1
apis/pagination/predict-dups|many|2
apis/idempotency-keys/predict-outcomes|new, conflict, mismatch, replay, new|0
apis/idempotency-keys/predict-outcomes|New Conflict Mismatch Replay New.|0
apis/idempotency-keys/predict-outcomes|new conflict mismatch replay replay|1
apis/idempotency-keys/predict-outcomes|new conflict|2
apis/idempotency-keys/measure-doubled|266 and 0|0
apis/idempotency-keys/measure-doubled|without: 266, with: 0|0
apis/idempotency-keys/measure-doubled|200 and 0|1
apis/idempotency-keys/measure-doubled|266|2
apis/hateoas/links|self refund shipment|0
apis/hateoas/links|refund, shipment and self|0
apis/hateoas/links|self, refund|1
apis/openapi-validation/predict-errors|2|0
apis/openapi-validation/predict-errors|2 errors|0
apis/openapi-validation/predict-errors|3|1
apis/graphql/predict-n1|11 and 2|0
apis/graphql/predict-n1|plain 11, batched 2|0
apis/graphql/predict-n1|11|2
apis/graphql/predict-deep|61|0
apis/graphql/predict-deep|61 queries|0
apis/graphql/predict-deep|60|1
EOF

# nothing refused was recorded: history holds only the graded attempts
n=$("$BACKLAB" --lessons "${LESSONS:-lessons}" history caching/basics/amat | grep -c '^  [0-9-]* [0-9:]*  ')
if [ "$n" -eq 6 ]; then echo "ok answers/refused_not_recorded"; else
	echo "not ok answers/refused_not_recorded: $n attempts in history, wanted 6"
fi
