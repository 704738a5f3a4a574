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
# lesson 20 (Raft compaction): the entries left, and two counts in order
distributed-data/raft-compaction/after|21|0
distributed-data/raft-compaction/after|21 entries|0
distributed-data/raft-compaction/after|about 21|0
distributed-data/raft-compaction/after|~21|0
distributed-data/raft-compaction/after|201|1
distributed-data/raft-compaction/after|20|1
distributed-data/raft-compaction/after|21, 180|2
distributed-data/raft-compaction/after|21.0|0
distributed-data/raft-compaction/after|twenty-one|2
distributed-data/raft-compaction/after|9|1
distributed-data/raft-compaction/after|180|1
distributed-data/raft-compaction/measure|1, 0|0
distributed-data/raft-compaction/measure|1 and 0|0
distributed-data/raft-compaction/measure|16: 1, 50: 0|0
distributed-data/raft-compaction/measure|1 snapshot, 0 snapshots|0
distributed-data/raft-compaction/measure|0, 1|1
distributed-data/raft-compaction/measure|2, 0|1
distributed-data/raft-compaction/measure|0, 0|1
distributed-data/raft-compaction/measure|1 snapshot with 16, 0 with 50|2
distributed-data/raft-compaction/measure|1|2
distributed-data/raft-compaction/measure|1,0|0
distributed-data/raft-compaction/measure|1, 0, 0|2
distributed-data/raft-compaction/measure|one, zero|2
# distributed-data part 2 (lessons 21-25): right answers in their other spellings,
# near misses, and answers without a number
distributed-data/linearizability/quorum-runs|20 runs|0
distributed-data/linearizability/quorum-runs|20/20|0
distributed-data/linearizability/quorum-runs|all 20|0
distributed-data/linearizability/quorum-runs|4|1
distributed-data/linearizability/quorum-runs|19|1
distributed-data/two-phase-commit/doubt|5.02|0
distributed-data/two-phase-commit/doubt|5020 ms|0
distributed-data/two-phase-commit/doubt|about 5.02 seconds|0
distributed-data/two-phase-commit/doubt|5 s|1
distributed-data/two-phase-commit/doubt|5.03 s|1
distributed-data/two-phase-commit/doubt|five|2
distributed-data/two-phase-commit/split|3.2|0
distributed-data/two-phase-commit/split|t = 3.2 s|0
distributed-data/two-phase-commit/split|3200 ms|0
distributed-data/two-phase-commit/split|1.2 s|1
distributed-data/two-phase-commit/split|2.2 s|1
distributed-data/sagas-and-outbox/duplicates|3 duplicates|0
distributed-data/sagas-and-outbox/duplicates|duplicates=3|0
distributed-data/sagas-and-outbox/duplicates|0|1
distributed-data/avoiding-distributed-transactions/doubt-latency|0.05 s|0
distributed-data/avoiding-distributed-transactions/doubt-latency|50 ms|0
distributed-data/avoiding-distributed-transactions/doubt-latency|0.050 seconds|0
distributed-data/avoiding-distributed-transactions/doubt-latency|50|2
distributed-data/avoiding-distributed-transactions/doubt-latency|75 ms|1
distributed-data/avoiding-distributed-transactions/doubt-latency|80 ms|1
# distributed-data part 2 (review of issue 14, review14): forms and near misses
distributed-data/consensus/majority|7 nodes|0
distributed-data/consensus/majority|at least 7|0
distributed-data/consensus/majority|7 or more nodes|0
distributed-data/consensus/majority|7+|0
distributed-data/consensus/majority|2f+1 = 7|0
distributed-data/consensus/majority|at least 6|1
distributed-data/consensus/majority|8|1
distributed-data/consensus/majority|5|1
distributed-data/consensus/majority|seven|2
distributed-data/raft-replication/probes|5 messages|0
distributed-data/raft-replication/probes|~5 AppendEntries|0
distributed-data/raft-replication/probes|about 5 AppendEntries|0
distributed-data/raft-replication/probes|4|1
distributed-data/raft-replication/probes|9|1
distributed-data/raft-replication/probes|2|1
distributed-data/raft-replication/probes|five|2
distributed-data/raft-persistence/votes|2 leaders|0
distributed-data/raft-persistence/votes|3|1
distributed-data/raft-persistence/votes|at most 2|2
distributed-data/linearizability/quorum-runs|20 of 20|0
distributed-data/linearizability/quorum-runs|all of them|0
distributed-data/linearizability/quorum-runs|100%|0
distributed-data/linearizability/quorum-runs|19 of 20|1
distributed-data/linearizability/quorum-runs|95%|1
distributed-data/linearizability/quorum-runs|all but one|2
distributed-data/two-phase-commit/doubt|t=5.02|0
distributed-data/two-phase-commit/split|at 3.2 seconds|0
distributed-data/two-phase-commit/split|3.3 s|1
distributed-data/avoiding-distributed-transactions/doubt-latency|~50 ms|0
distributed-data/avoiding-distributed-transactions/doubt-latency|0.05|0
distributed-data/avoiding-distributed-transactions/doubt-latency|50 s|1
distributed-data/avoiding-distributed-transactions/doubt-latency|75|2
# distributed-data (review of issue 13): right answers in their other spellings
distributed-data/scaling/three-copies|99.9999%|0
distributed-data/scaling/three-copies|99.9999 %|0
distributed-data/scaling/three-copies|0.999999|0
distributed-data/scaling/three-copies|999999/1000000|0
distributed-data/simulator/measure-loss|254 messages|0
distributed-data/simulator/measure-loss|lost=254|0
distributed-data/quorums/size-w|W = 4|0
distributed-data/quorums/size-w|4 replicas|0
distributed-data/partitioning/busiest|47.4%|0
distributed-data/partitioning/busiest|about 47%|0
distributed-data/partitioning/busiest|0.47|0
distributed-data/rebalancing/mod-moves|4/5|0
distributed-data/rebalancing/mod-moves|80|0
distributed-data/rebalancing/mod-moves|about 80 percent|0
distributed-data/rebalancing/least|at least 90 GB|0
distributed-data/rebalancing/least|90,000 MB|0
distributed-data/rebalancing/least|0.09 TB|0
distributed-data/clocks/lamport|L=4|0
distributed-data/clocks/misleading|96%|0
distributed-data/clocks/misleading|0.964|0
distributed-data/crdts/gvalue|value = 15|0
distributed-data/anti-entropy/hashes|21 hashes|0
distributed-data/service-discovery/stale|at most 16 s|0
distributed-data/service-discovery/stale|t=16|0
distributed-data/service-discovery/stale|16 seconds|0
distributed-data/replication/count-ryw|35 reads|0
distributed-data/replication/count-ryw|ryw = 35|0
distributed-data/gossip/rounds|13.6 rounds|0
distributed-data/gossip/rounds|~13.56|0
distributed-data/failure-detection/suspicion|12 s|0
distributed-data/failure-detection/suspicion|12000 ms|0
distributed-data/failure-detection/suspicion|12 seconds|0
# distributed-data: near misses
distributed-data/scaling/three-copies|99.999%|1
distributed-data/scaling/three-copies|0.99999|1
distributed-data/simulator/measure-loss|253|1
distributed-data/simulator/measure-loss|25.4%|1
distributed-data/partitioning/busiest|0.48|1
distributed-data/partitioning/busiest|1.9x|1
distributed-data/rebalancing/mod-moves|75%|1
distributed-data/rebalancing/least|90 GiB|1
distributed-data/rebalancing/least|at least 100 GB|1
distributed-data/clocks/misleading|97%|1
distributed-data/clocks/lamport|5|1
distributed-data/anti-entropy/hashes|20|1
distributed-data/service-discovery/stale|15 s|1
distributed-data/service-discovery/stale|at most 15 s|1
distributed-data/service-discovery/stale|16 ms|1
distributed-data/replication/count-ryw|16|1
distributed-data/replication/count-ryw|20|1
distributed-data/gossip/rounds|16.9|1
distributed-data/gossip/rounds|2.71 s|1
distributed-data/gossip/rounds|14|1
distributed-data/failure-detection/suspicion|8 s|1
distributed-data/consensus/majority|7|0
distributed-data/consensus/majority|7 nodes|0
distributed-data/consensus/majority|seven|2
distributed-data/consensus/majority|6 nodes|1
distributed-data/consensus/majority|4|1
distributed-data/raft-persistence/votes|2|0
distributed-data/raft-persistence/votes|2 leaders|0
distributed-data/raft-persistence/votes|1|1
distributed-data/raft-persistence/votes|3|1
distributed-data/raft-persistence/votes|two|2
distributed-data/failure-detection/suspicion|12 min|1
# distributed-data: not answers
distributed-data/scaling/three-copies|six nines|2
distributed-data/scaling/three-copies|1 - 10^-6|2
distributed-data/rebalancing/mod-moves|80 GB|2
distributed-data/rebalancing/mod-moves|all of them|2
distributed-data/rebalancing/least|90 s|2
distributed-data/rebalancing/least|more than 90 GB|2
distributed-data/clocks/misleading|96 ms|2
distributed-data/failure-detection/suspicion|eight|2
distributed-data/failure-detection/suspicion|8 GB|2
distributed-data/service-discovery/stale|sixteen|2
distributed-data/anti-entropy/hashes|1 + 2*10|2
# apis (lessons 01-09): typed answers read for their meaning
apis/rest/collection|GET /posts/7/comments|0
apis/rest/collection|get /posts/7/comments/|0
apis/rest/collection|`GET /posts/7/comments`|0
apis/rest/collection|GET /comments?post=7|1
apis/rest/collection|the comments of post 7|2
apis/methods/retries|3 transfers|0
apis/methods/retries|three|2
apis/methods/retries|1|1
apis/status-codes/rate-limited|HTTP 429|0
apis/status-codes/rate-limited|429 Too Many Requests|0
apis/status-codes/rate-limited|503 Service Unavailable|1
apis/status-codes/rate-limited|too many requests|2
apis/status-codes/put-created|201 Created|0
apis/status-codes/put-created|200 OK|1
apis/json/duplicate|3|0
apis/json/duplicate|1|1
apis/json/bignum|off by 2|0
apis/json/bignum|-2|0
apis/json/bignum|1|1
apis/json/bignum|4|1
apis/json/bignum|0|1
apis/json/bignum|by two|2
apis/grpc-protobuf/zigzag-bytes|10 05|0
apis/grpc-protobuf/zigzag-bytes|0x10 0x05|0
apis/grpc-protobuf/zigzag-bytes|1005|0
apis/grpc-protobuf/zigzag-bytes|08 05|1
apis/grpc-protobuf/zigzag-bytes|10 0|2
apis/grpc-protobuf/minus-one|11 bytes|0
apis/grpc-protobuf/minus-one|2 bytes|1
apis/grpc-protobuf/minus-one|eleven|2
apis/websockets/header-size|8 bytes|0
apis/websockets/header-size|4|1
apis/websockets/events|3 events|0
apis/websockets/events|5|1
apis/sse/count|3 events|0
apis/sse/count|5|1
apis/sse/resume|8|0
apis/sse/resume|id 8|0
apis/sse/resume|9|1
apis/long-polling/empty-polls|288 requests|0
apis/long-polling/empty-polls|288|0
apis/long-polling/empty-polls|144|1
apis/long-polling/empty-polls|120|1
apis/long-polling/empty-polls|1440|1
apis/long-polling/empty-polls|287|1
apis/long-polling/worst-latency|150 ms|0
apis/long-polling/worst-latency|0.15 s|0
apis/long-polling/worst-latency|~150ms|0
apis/long-polling/worst-latency|50 ms|1
apis/long-polling/worst-latency|150 MB|2
# lessons/01-internet (review01): right forms pass, near misses fail,
# unreadable input is refused
internet/basics/propagation|30 ms|0
internet/basics/propagation|~30 ms|0
internet/basics/propagation|0.03 s|0
internet/basics/propagation|about 30 milliseconds|0
internet/basics/propagation|60 ms|1
internet/basics/propagation|30 s|1
internet/basics/propagation|31 ms|1
internet/basics/bdp|1 MB|0
internet/basics/bdp|1,000,000 bytes|0
internet/basics/bdp|1000 kB|0
internet/basics/bdp|8,000,000|1
internet/basics/bdp|1 MiB|1
internet/basics/bdp|125 kB|1
internet/ip-subnets/hosts27|30 hosts|0
internet/ip-subnets/hosts27|32|1
internet/ip-subnets/broadcast|10.20.30.79|0
internet/ip-subnets/broadcast|10.20.30.79.|0
internet/ip-subnets/broadcast|`10.20.30.79`|0
internet/ip-subnets/broadcast|10.20.30.79/28|0
internet/ip-subnets/broadcast|The broadcast address is 10.20.30.79.|0
internet/ip-subnets/broadcast|10.20.30.80|1
internet/ip-subnets/broadcast|10.20.30.78|1
internet/ip-subnets/broadcast|79|2
internet/ip-subnets/broadcast|10.20.30.64 to 10.20.30.79|2
internet/ip-subnets/canonical|2001:db8::1:0:0:1|0
internet/ip-subnets/canonical|`2001:db8::1:0:0:1`|0
internet/ip-subnets/canonical|2001:db8::1:0:0:1.|0
internet/ip-subnets/canonical|2001:db8:0:0:1::1|1
internet/ip-subnets/canonical|2001:DB8::1:0:0:1|1
internet/ip-subnets/canonical|hello|2
internet/ip-subnets/aggregate|10.1.1.0/24 10.1.2.0/23 10.1.4.0/24|0
internet/ip-subnets/aggregate|10.1.2.0/23, 10.1.1.0/24 and 10.1.4.0/24.|0
internet/ip-subnets/aggregate|`10.1.1.0/24` `10.1.2.0/23` `10.1.4.0/24`|0
internet/ip-subnets/aggregate|10.1.0.0/22|1
internet/ip-subnets/aggregate|10.1.1.0/24 10.1.2.0/23|1
internet/ip-subnets/aggregate|10.1.1.0/24 10.1.2.0/24 10.1.3.0/24 10.1.4.0/24|1
internet/ip-subnets/aggregate|four blocks|2
internet/nat/expiry|220|0
internet/nat/expiry|t=220|0
internet/nat/expiry|3 min 40 s|0
internet/nat/expiry|270|1
internet/nat/expiry|220 ms|1
internet/layers/mss6|1,440 bytes|0
internet/layers/mss6|1460|1
internet/layers/efficiency|94.9%|0
internet/layers/efficiency|0.949|0
internet/layers/efficiency|94.9|0
internet/layers/efficiency|1460/1538|0
internet/layers/efficiency|97.3%|1
internet/layers/efficiency|0.973|1
internet/layers/efficiency|94%|1
internet/layers/efficiency|95 ms|2
internet/tcp-udp/slow-start|5 RTTs|0
internet/tcp-udp/slow-start|5 round trips|0
internet/tcp-udp/slow-start|4|1
internet/tcp-udp/slow-start|6|1
internet/handshake/synack|4,000,000,001|0
internet/handshake/synack|ack=4000000001|0
internet/handshake/synack|4000000000|1
internet/handshake/count|16 segments|0
internet/handshake/count|15|1
internet/dns/negative-ttl|300 s|0
internet/dns/negative-ttl|5 min|0
internet/dns/negative-ttl|3600|1
internet/dns/cache-saves|6 and 1|0
internet/dns/cache-saves|api: 6, www: 1|0
internet/dns/cache-saves|6 3|1
internet/dns/cache-saves|6|2
internet/http1/offset|byte 20|0
internet/http1/offset|19|1
internet/http1/connections|6 connections|0
internet/http1/connections|1|1
internet/http2-http3/rtts|13 4|0
internet/http2-http3/rtts|HTTP/1.1: 13, HTTP/2: 4|0
internet/http2-http3/rtts|13 and 4 round trips|0
internet/http2-http3/rtts|9 4|1
internet/http2-http3/rtts|13 3|1
internet/http2-http3/rtts|13|2
internet/http2-http3/entry-size|57 bytes|0
internet/http2-http3/entry-size|25|1
internet/urls/resolve|http://a/b/g?y#s|0
internet/urls/resolve|`http://a/b/g?y#s`|0
internet/urls/resolve|HTTP://A/b/g?y#s|0
internet/urls/resolve|http://a/b/G?y#s|1
internet/urls/resolve|http://a/b/c/g?y#s|1
internet/urls/resolve|g|2
internet/hosting/no-host|400 Bad Request|0
internet/hosting/no-host|HTTP 400|0
internet/hosting/no-host|404|1
internet/page-load/ttfb|375 ms|0
internet/page-load/ttfb|0.375 s|0
internet/page-load/ttfb|315 ms|1
internet/page-load/ttfb|275 ms|1
internet/page-load/first-window|3 flights|0
internet/page-load/first-window|3 RTTs|0
internet/page-load/first-window|7|1
internet/page-load/first-window|4|1
internet/ssh-vpn-vpc/aws-subnet|251 addresses|0
internet/ssh-vpn-vpc/aws-subnet|254|1
internet/ssh-vpn-vpc/plan|10.0.24.0/22|0
internet/ssh-vpn-vpc/plan|`10.0.24.0/22`.|0
internet/ssh-vpn-vpc/plan|10.0.28.0/22|1
internet/ssh-vpn-vpc/plan|10.0.24.0|2
# databases (review of issue 12): right answers in their other spellings
databases/sql/referred|95 customers|0
databases/sql/referred|~95|0
databases/isolation/counter|n = 11|0
databases/locking/who-waits|deadlock|0
databases/locking/who-waits|Deadlock.|0
databases/locking/who-waits|it deadlocks|0
databases/locking/who-waits|deadlocked|0
databases/indexes/reads|314 12|0
databases/indexes/reads|scan 314, index 12|0
databases/indexes/reads|314 and 12 pages|0
databases/sqlite-file/pages|10 pages|0
databases/sqlite-file/root|page 4, 5 cells|0
databases/sqlite-file/root|root=4 cells=5|0
databases/storage-engines/amplification|leveled 8.62, tiered 2.81|0
databases/storage-engines/amplification|8.6x 2.8x|0
databases/storage-engines/bloom-bits|~8.1 bits per key|0
databases/storage-engines/bloom-bits|8.14 bits/key|0
databases/wal/fsyncs|full=56, normal=6|0
databases/wal/fsyncs|full: 56 fsyncs, normal: 6|0
databases/cursors/offset-cost|16x|0
databases/cursors/offset-cost|about 16 times|0
databases/normalization/which-form|3 NF|0
databases/normalization/which-form|third normal form|0
databases/normalization/which-form|It is in 3NF.|0
databases/normalization/key|CA|0
databases/normalization/key|{A, C}|0
databases/normalization/key|A,C|0
databases/normalization/key|the key is AC|0
databases/orms/count|201 queries|0
databases/orms/count|1 + 200 = 201|0
databases/pooling/peak|2 connections|0
# databases: near misses
databases/sql/referred|96|1
databases/locking/who-waits|it waits|1
databases/locking/who-waits|granted|1
databases/indexes/reads|314 6|1
databases/indexes/reads|12 314|1
databases/sqlite-file/pages|5120|1
databases/sqlite-file/root|4, 6|1
databases/storage-engines/amplification|9.61 4.60|1
databases/storage-engines/amplification|8.62 2.9|1
databases/storage-engines/bloom-bits|9.6|1
databases/storage-engines/bloom-bits|4.8|1
databases/wal/fsyncs|130 30|1
databases/wal/fsyncs|56 5|1
databases/cursors/offset-cost|15|1
databases/cursors/offset-cost|31.5|1
databases/normalization/which-form|Boyce-Codd|1
databases/normalization/which-form|2NF|1
databases/normalization/key|A B C|1
databases/normalization/key|AAC|1
databases/orms/count|200|1
databases/orms/count|112|1
databases/pooling/peak|4|1
# databases: not answers
databases/isolation/counter|eleven|2
databases/locking/who-waits|granted or waiting|2
databases/locking/who-waits|dunno|2
databases/wal/fsyncs|56|2
databases/normalization/which-form|2NF or 3NF|2
databases/normalization/which-form|3|2
databases/normalization/key|the key|2
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
# module 09 architecture, lesson 08 scheduling (lab.sched)
architecture/scheduling/no-requests|85|0
architecture/scheduling/no-requests|about 85|0
architecture/scheduling/no-requests|85 points|0
architecture/scheduling/no-requests|100|1
architecture/scheduling/no-requests|86|1
architecture/scheduling/no-requests|eighty-five|2
architecture/scheduling/no-requests|85/100|0
architecture/scheduling/no-requests|85 %|0
architecture/scheduling/no-requests|84/100|1
architecture/scheduling/no-requests|0.85|1
architecture/scheduling/pending|3 and 1|0
architecture/scheduling/pending|least 3, most 1|0
architecture/scheduling/pending|most 1, least 3|0
architecture/scheduling/pending|LeastAllocated: 3, MostAllocated: 1|0
architecture/scheduling/pending|1, 3|1
architecture/scheduling/pending|3 3|1
architecture/scheduling/pending|three and one|2
architecture/scheduling/stranded|4 pods, 2000m|0
architecture/scheduling/stranded|4 and 2000|0
architecture/scheduling/stranded|2000 stranded, 4 pods|0
architecture/scheduling/stranded|4 pods and 2 cores stranded|0
architecture/scheduling/stranded|2000 4|1
architecture/scheduling/stranded|5 0|1
architecture/scheduling/stranded|4 pods|2
architecture/scheduling/lose-node|6 and 2|0
architecture/scheduling/lose-node|weight 0: 6, weight 2: 2|0
architecture/scheduling/lose-node|weight 2: 2, weight 0: 6|0
architecture/scheduling/lose-node|2, 6|1
architecture/scheduling/lose-node|6 6|1
architecture/scheduling/pending|1 with most, 3 with least|0
architecture/scheduling/overlap|8 and 3|0
architecture/scheduling/overlap|forbid 8, allow 3|0
architecture/scheduling/overlap|allow: 3, forbid: 8|0
architecture/scheduling/overlap|3 at once, 8 skipped|0
architecture/scheduling/overlap|8 skipped, 3 concurrent|0
architecture/scheduling/overlap|3, 8|1
architecture/scheduling/overlap|6 3|1
architecture/scheduling/overlap|eight|2
architecture/scheduling/overlap|8, 3|0
architecture/scheduling/overlap|8 2|1
# module 09 architecture: the forms people write, near misses, unreadable
architecture/styles/concurrency|30 environments|0
architecture/styles/concurrency|~30|0
architecture/styles/concurrency|120 x 0.25 = 30|0
architecture/styles/concurrency|480|1
architecture/styles/concurrency|thirty|2
architecture/styles/rare-cold|5%|0
architecture/styles/rare-cold|about 5 %|0
architecture/styles/rare-cold|4.98%|0
architecture/styles/rare-cold|0.05|0
architecture/styles/rare-cold|~5 percent|0
architecture/styles/rare-cold|e^-3 = 5%|0
architecture/styles/rare-cold|1/20|0
architecture/styles/rare-cold|95%|1
architecture/styles/rare-cold|25%|1
architecture/styles/rare-cold|7%|1
architecture/styles/rare-cold|3%|1
architecture/styles/rare-cold|four|2
architecture/styles/rare-cold|e^-3|0
architecture/styles/rare-cold|exp(-3)|0
architecture/styles/rare-cold|0.0498|0
architecture/styles/rare-cold|e^-2|1
architecture/styles/rare-cold|0.05%|1
architecture/styles/rare-cold|0.95|1
architecture/styles/step-envs|90|0
architecture/styles/step-envs|90 environments|0
architecture/styles/step-envs|90 more|0
architecture/styles/step-envs|~90|0
architecture/styles/step-envs|400*0.25 - 40*0.25 = 90|0
architecture/styles/step-envs|100|1
architecture/styles/step-envs|89|1
architecture/styles/step-envs|90 or more|2
architecture/styles/step-envs|ninety|2
architecture/styles/step-envs|+90|0
architecture/styles/step-envs|90 more environments|0
architecture/styles/step-envs|100 - 10 = 90|0
architecture/styles/step-envs|at least 90|2
architecture/styles/step-envs|91|1
architecture/styles/step-storm|a b|0
architecture/styles/step-storm|b, a|0
architecture/styles/step-storm|a|1
architecture/styles/step-storm|a b c|1
architecture/styles/step-storm|a b d|1
architecture/styles/cold-p99|640ms|0
architecture/styles/cold-p99|0.64 s|0
architecture/styles/cold-p99|about 640 milliseconds|0
architecture/styles/cold-p99|40 ms|1
architecture/styles/cold-p99|640 MB|2
architecture/queues/until-dead|4 deliveries|0
architecture/queues/until-dead|5|1
architecture/queues/prefetch-held|unacked: 6, ready: 4|0
architecture/queues/prefetch-held|6, 4|0
architecture/queues/prefetch-held|4 6|1
architecture/queues/prefetch-held|6|2
architecture/pubsub/copies|8 copies|0
architecture/pubsub/copies|9|1
architecture/logs/range-shares|c1: 3, c2: 2, c3: 2|0
architecture/logs/range-shares|3,2,2|0
architecture/logs/range-shares|2 2 3|1
architecture/logs/lag|55 records|0
architecture/logs/lag|53|1
architecture/delivery/amo-prefetch|prefetch 1: 19, prefetch 10: 263|0
architecture/delivery/amo-prefetch|263 19|1
architecture/events/snapshot-replay|50 events|0
architecture/events/compensations|3 compensations|0
architecture/events/compensations|4|1
architecture/operations/cron-week|180 runs|0
architecture/operations/cron-week|160|1
architecture/operations/capacity|9.3k|0
architecture/operations/capacity|~9,259 req/s|0
architecture/operations/capacity|2315|1
architecture/operations/capacity|more than 9000|2
# fix09: rates in other periods, labelled pairs in either order (find09 G1-G3)
architecture/operations/capacity|9259 req/h|1
architecture/operations/capacity|9259 per minute|1
architecture/operations/capacity|555,555 per minute|0
architecture/operations/capacity|33,333,333 per hour|0
architecture/operations/capacity|33.3M requests/hour|0
architecture/operations/capacity|9259/s|0
architecture/operations/capacity|9,259 rps|0
architecture/operations/capacity|555k rpm|0
architecture/operations/capacity|9259 per user|2
architecture/operations/capacity|2315 requests per second|1
architecture/operations/capacity|138,900 per minute|1
architecture/queues/prefetch-held|4 ready, 6 unacked|0
architecture/queues/prefetch-held|ready 4 unacked 6|0
architecture/queues/prefetch-held|6 unacked and 4 ready|0
architecture/queues/prefetch-held|unacked: 6, ready: 4|0
architecture/queues/prefetch-held|6 ready, 4 unacked|1
architecture/queues/prefetch-held|ready: 6, unacked: 4|1
architecture/delivery/amo-prefetch|prefetch 10: 263, prefetch 1: 19|0
architecture/delivery/amo-prefetch|prefetch 1: 19, prefetch 10: 263|0
architecture/delivery/amo-prefetch|19 and 263|0
architecture/delivery/amo-prefetch|prefetch 10: 19, prefetch 1: 263|1
architecture/operations/dom-dow|6 runs|0
architecture/operations/dom-dow|6 times|0
architecture/operations/dom-dow|5|1
architecture/operations/dom-dow|0|1
architecture/operations/dom-dow|six|2
# os: typed answers in the forms people write
os/races/count|924 and 6|0
os/races/count|924 schedules, 6 correct|0
os/races/count|924, 6|0
os/races/count|924|2
os/races/count|20 2|1
os/races/count|924 2|1
os/races/count|924 4|1
os/races/count|6 924|1
os/races/three|1,680|0
os/races/three|1680 schedules|0
os/processes-threads/forks|8 lines|0
os/processes-threads/forks|eight|2
os/memory-paging/linear|1 GiB|0
os/memory-paging/linear|1GB|0
os/memory-paging/linear|1073741824 bytes|0
os/memory-paging/linear|2^30 bytes|2
os/memory-paging/linear|1024 MiB|0
os/memory-paging/linear|4 MiB|1
os/memory-paging/linear|512 MiB|1
os/memory-paging/linear|2 GiB|1
os/memory-paging/linear|1 TB|1
os/memory-paging/linear|1 M|2
os/memory-paging/split|VPN 18, offset 837|0
os/memory-paging/split|18, 837|0
os/memory-paging/split|291 69|1
os/memory-paging/tlb|93.75%|0
os/memory-paging/tlb|0.9375|0
os/memory-paging/tlb|15/16|0
os/memory-paging/tlb|75%|1
os/memory-paging/tlb|94%|0
os/memory-paging/tlb|0.94|0
os/memory-paging/tlb|about 93.8 %|0
os/memory-paging/tlb|93%|1
os/memory-paging/tlb|87.5%|1
os/memory-paging/two-pages|28672|0
os/memory-paging/two-pages|28 KiB|0
os/memory-paging/two-pages|16 KiB|1
os/memory-paging/two-pages|28KB|0
os/memory-paging/two-pages|28 kB|0
os/memory-paging/two-pages|0.028 MB|0
os/memory-paging/two-pages|7 tables of 4 KiB = 28 KiB|0
os/memory-paging/two-pages|24 KiB|1
os/memory-paging/two-pages|32 KiB|1
os/memory-paging/trace|LRU 10, OPT 7|0
os/memory-paging/trace|10 faults, 7 faults|0
os/memory-paging/trace|11 7|1
os/memory-paging/trace|10 8|1
os/memory-paging/trace|7 10|1
os/memory-paging/anomaly|1,2,3,4,1,2,5,1,2,3,4,5|1
os/memory-paging/anomaly|1 2 3 4 5 1 2 6 1 2 3 4 5 6|0
os/memory-paging/anomaly|0, 1, 2, 3, 4, 0, 1, 5, 0, 1, 2, 3, 4, 5|0
os/memory-paging/anomaly|1 2 3 4 5 1 2 6 1 2 3 4 5|1
os/memory-paging/anomaly|a b c|2
os/deadlock/count-deadlocks|6 schedules|0
os/deadlock/count-deadlocks|3! = 6|0
os/deadlock/count-deadlocks|six|2
os/deadlock/count-deadlocks|2 schedules|1
os/deadlock/count-deadlocks|3|1
os/io/random-read|13.2ms|0
os/io/random-read|0.0132 s|0
os/io/random-read|about 13 ms|0
os/io/random-read|9 ms|1
os/io/iops|~76 per second|0
os/pipes/next-fd|fd 3|0
os/pipes/capacity|64|0
os/pipes/capacity|64 writes|0
os/pipes/capacity|64 records|0
os/pipes/capacity|about 64|0
os/pipes/capacity|65|1
os/pipes/capacity|16 pages|1
os/pipes/capacity|64000|1
os/pipes/capacity|65,536|1
os/pipes/capacity|62|1
os/pipes/capacity|4 per page|1
os/pipes/capacity|lots|2
os/event-loop/order-main|1, 5, 4, 3, 2|0
os/event-loop/order-main|15432|2
os/event-loop/order-main|1 5 3 4 2|1
os/event-loop/order-io|5 4 3 2 6 7 1|0
os/event-loop/order-io|5, 4, 3, 2, 6, 7, 1|0
os/event-loop/order-io|5432671|2
os/event-loop/order-io|5 4 3 2 7 6 1|1
os/event-loop/order-io|5 4 3 1 2 6 7|1
os/event-loop/order-io|5 4 3 2 1|2
os/pipes/sigpipe|141|0
os/pipes/sigpipe|`141`|0
os/pipes/sigpipe|128 + 13 = 141|0
os/pipes/sigpipe|13|1
os/pipes/sigpipe|0|1
os/pipes/sigpipe|SIGPIPE|2
os/event-loop/pool|80/s|0
os/event-loop/pool|80 req/s|0
os/event-loop/pool|20|1
os/shell/frequency|      3 b|0
os/shell/frequency|b 3|0
os/shell/frequency|3|2
os/shell/frequency|1 b|1
os/shell/sort-text|9|0
os/shell/sort-text|`9`|0
os/shell/sort-text|100|1
os/shell/sort-text|81|1
os/shell/grep-count|11 lines|0
os/shell/grep-count|2|1
# resilience
resilience/queues/mm1-mean|100 ms|0
resilience/queues/mm1-mean|0.1 s|0
resilience/queues/mm1-mean|about 100 milliseconds|0
resilience/queues/mm1-mean|W = 100ms.|0
resilience/queues/mm1-mean|0.1|2
resilience/queues/mm1-mean|0.1 ms|1
resilience/queues/mm1-mean|1/10 s|0
resilience/queues/mm1-mean|99.6 ms|0
resilience/queues/mm1-mean|99 ms|1
resilience/queues/mm1-mean|80 ms|1
resilience/queues/mm1-mean|75 ms|1
resilience/queues/mm1-mean|25|1
resilience/queues/mm1-mean|100 MB|2
resilience/queues/mm1-mean|a tenth of a second|2
resilience/queues/mm2-wait|64.3%|0
resilience/queues/mm2-wait|0.643|0
resilience/queues/mm2-wait|9/14|0
resilience/queues/mm2-wait|about 64 percent|0
resilience/queues/mm2-wait|64.3|0
resilience/queues/mm2-wait|0.75|1
resilience/queues/mm2-wait|75%|1
resilience/queues/mm2-wait|60-70%|2
resilience/queues/servers-needed|11 servers|0
resilience/queues/servers-needed|c = 11|0
resilience/queues/servers-needed|at least 11|2
resilience/queues/servers-needed|10|1
resilience/queues/servers-needed|11.5|2
resilience/queues/servers-needed|12|1
resilience/retries/amplification|27 requests|0
resilience/retries/amplification|3^3 = 27|0
resilience/retries/amplification|64|1
resilience/retries/amplification|3³|0
resilience/retries/amplification|3³ = 27|0
resilience/retries/amplification|3²|1
resilience/retries/amplification|27x|0
resilience/breakers/pool-throughput|62.5 requests/s|0
resilience/breakers/pool-throughput|62.5 rps|0
resilience/breakers/pool-throughput|40|1
resilience/breakers/pool-throughput|125/2|0
resilience/breakers/pool-throughput|62|0
resilience/breakers/pool-throughput|61|1
resilience/breakers/breaker-open|the 12th call|0
resilience/breakers/breaker-open|call 12|0
resilience/breakers/breaker-open|10|1
resilience/overload/queue-depth|100 requests|0
resilience/overload/queue-depth|about 100|0
resilience/overload/queue-depth|less than 100|2
resilience/overload/throttle|520 requests|0
resilience/overload/throttle|~520|0
resilience/overload/throttle|500|1
resilience/migrations/bluegreen-capacity|80 servers|0
resilience/migrations/bluegreen-capacity|2 x 40|2
resilience/migrations/canary-blast|20 requests|0
resilience/migrations/canary-blast|about 20 failed|0
resilience/migrations/expand-order|3 5 2 4 6 1|0
resilience/migrations/expand-order|3, 5, 2, 4, 6, 1|0
resilience/migrations/expand-order|3 5 4 2 6 1|1
resilience/migrations/expand-order|3 5 2 4 6|2
resilience/migrations/expand-order|3 5 2 4 6 1 1|2
resilience/migrations/expand-order|3 5 2 4 6 6|2
resilience/migrations/rollback-stopped|b|0
resilience/migrations/rollback-stopped|(B)|0
resilience/migrations/rollback-stopped|a|1
resilience/migrations/rollback-stopped|c|1
resilience/migrations/rollback-stopped|2|2
resilience/migrations/rollback-stopped|every request fails|2
search/inverted-index/postings|9 postings|0
search/inverted-index/postings|nine|2
search/inverted-index/postings|8|1
search/bm25/idf|ln 2.4 = 0.875|0
search/bm25/idf|about 0.88|0
search/bm25/idf|1.386|1
search/bm25/score|2.1784627|0
search/bm25/score|~2.18|0
search/bm25/score|0.99|1
search/bm25/score|high|2
search/bm25/saturation|2.2x|0
search/bm25/saturation|k1 + 1 = 2.2|0
search/bm25/saturation|1.2|1
search/evaluation/precision|60%|0
search/evaluation/precision|3/5|0
search/evaluation/precision|0.5|1
search/evaluation/recall|3/6|0
search/evaluation/recall|0.5 (3 of 6)|0
search/evaluation/ndcg-hand|0.67|0
search/evaluation/ndcg-hand|nDCG@3 = 0.6697|0
search/evaluation/ndcg-hand|1|1
search/autocomplete/nodes|9 nodes|0
search/autocomplete/radix|6|0
search/autocomplete/radix|5|1
search/sketches/bits-per-key|11.03 bits|0
search/sketches/bits-per-key|about 11.03|0
search/sketches/hll-error|0.8125%|0
search/sketches/hll-error|0.0081|0
search/sketches/hll-error|1%|1
search/sketches/hll-error|0.0081 percent|1
search/bm25/score|1.694|1
search/sketches/cms-width|2,719|0
search/sketches/cms-width|2719 counters|0
search/sketches/cms-width|2718|1
search/elasticsearch/copies|9 shard copies|0
search/elasticsearch/segments|18 segments|0
search/elasticsearch/segments|17|1
search/elasticsearch/segments|many|2
search/elasticsearch/refresh|1s|0
search/elasticsearch/refresh|1000 ms|0
# review12: units, symbolic and usual forms, near misses
search/sketches/bits-per-key|11.03 bytes|1
search/sketches/bits-per-key|1.38 bytes|0
search/sketches/bits-per-key|11.03 bits per key|0
search/sketches/bits-per-key|9.6 bits|1
search/sketches/hll-error|±0.81%|0
search/sketches/hll-error|+/- 0.81 %|0
search/sketches/hll-error|about 0.8%|0
search/sketches/hll-error|0.78%|1
search/bm25/saturation|k1 + 1|0
search/bm25/saturation|k1+1 = 2.2|0
search/bm25/saturation|k1 + 1 = 3|1
search/bm25/idf|0.88|0
search/bm25/idf|ln(4)|2
search/bm25/score|2.17|1
search/evaluation/precision|6/10|0
search/evaluation/recall|3/5|1
search/evaluation/ndcg-hand|67%|0
search/evaluation/ndcg-hand|0.66|1
search/sketches/cms-width|2720|1
search/elasticsearch/refresh|1 ms|1
search/elasticsearch/refresh|within 1s|0
search/elasticsearch/copies|3 x 3 = 9|0
search/elasticsearch/refresh|one second|2
search/elasticsearch/refresh|30 seconds|1
search/elasticsearch/refresh|2 MB|2
# observability: right forms, near misses, unreadable
observability/signals/count-series|6,500|0
observability/signals/count-series|6500 series|0
observability/signals/count-series|about 6.5k|0
observability/signals/count-series|5500|1
observability/signals/count-series|many|2
observability/metrics/cumulative|3 observations|0
observability/metrics/resets|75.|0
observability/metrics/late-start|25.0|0
observability/metrics/late-start|20|1
observability/percentiles/p90|0.96 s|0
observability/percentiles/p90|96/100|0
observability/percentiles/p99-inf|1.0|0
observability/percentiles/coordinated-omission|50000 ms|0
observability/slos/budget|21.6 minutes|0
observability/slos/budget|21 min 36 s|0
observability/slos/budget|0.36 h|0
observability/slos/detect|51.84 seconds|0
observability/slos/detect|0.864 min|0
observability/slos/detect|1 min|1
observability/slos/budget-at-detection|2.78 %|0
observability/slos/budget-at-detection|2.8%|0
observability/slos/budget-at-detection|about 2.78 percent|0
observability/slos/budget-at-detection|25/9 %|0
observability/slos/budget-at-detection|2.9 %|1
observability/slos/budget-at-detection|0.0278|1
observability/slos/budget-at-detection|0.23 %|1
observability/slos/budget-at-detection|5 percent|1
observability/slos/budget-at-detection|1440 s|2
observability/percentiles/p99-inf|+Inf|1
observability/percentiles/p99-inf|inf|1
observability/percentiles/p99-inf|∞|1
observability/percentiles/p99-inf|Infinity|1
observability/percentiles/p99-inf|0.2|1
observability/logs/read-logfmt|card "declined" twice.|0
observability/logs/read-logfmt|card “declined” twice|0
observability/logs/read-logfmt|“card “declined” twice”|1
observability/logs/read-logfmt|card \"declined\" twice|1
observability/signals/count-series|6 500|2
observability/testing-in-production/canary-budget|0.23 %|0
observability/testing-in-production/canary-budget|0.0023|1
observability/testing-in-production/canary-budget|two|2
observability/logs/count-errors|9 requests|0
observability/logs/read-logfmt|`card "declined" twice`|0
observability/tracing/faster|10, 26|0
observability/tracing/faster|10 ms and 26 ms|0
observability/tracing/faster|10 ms less: 10 ms, 30 ms less: 26 ms|0
observability/tracing/faster|10, 30|1
observability/tracing/faster|0, 10|1
observability/tracing/faster|26, 10|1
observability/tracing/faster|10 ms|2
observability/tracing/storm-waste|11.1 %|0
observability/tracing/storm-waste|about 11 percent|0
observability/tracing/storm-waste|0.111|0
observability/tracing/storm-waste|11|0
observability/tracing/storm-waste|16|1
observability/tracing/storm-waste|0.111%|1
observability/tracing/storm-waste|1600%|1
observability/tracing/storm-waste|eleven|2
observability/tracing/storm-waste|11.06%|0
observability/tracing/storm-waste|~11%|0
observability/tracing/storm-waste|0.11|0
observability/tracing/storm-waste|92/832|0
observability/tracing/storm-waste|11.1% of the db spans|0
observability/tracing/storm-waste|88.9%|1
observability/tracing/storm-waste|0%|1
observability/tracing/storm-waste|11.5%|1
observability/tracing/storm-waste|10.5%|1
observability/tracing/storm-waste|11,1 %|2
observability/tracing/storm-waste|92 of 832|2
# practice: the critical path, runners, flaky retries
practice/ci-cd/critical-length|1050 s|0
practice/ci-cd/critical-length|17.5 min|0
practice/ci-cd/critical-length|17 min 30 s|0
practice/ci-cd/critical-length|1,050 seconds|0
practice/ci-cd/critical-length|1051 s|1
practice/ci-cd/critical-length|1800|1
practice/ci-cd/critical-length|17 min|1
practice/ci-cd/critical-length|about a quarter hour|2
practice/ci-cd/enough-runners|3|0
practice/ci-cd/enough-runners|3 runners|0
practice/ci-cd/enough-runners|three|2
practice/ci-cd/enough-runners|2|1
practice/ci-cd/enough-runners|4 runners|1
practice/ci-cd/flaky-retry|0.8%|0
practice/ci-cd/flaky-retry|0.008|0
practice/ci-cd/flaky-retry|about 0.797 %|0
practice/ci-cd/flaky-retry|1%|1
practice/ci-cd/flaky-retry|33%|1
practice/ci-cd/flaky-retry|low|2
practice/ci-cd/flaky-retry|0.8|1
practice/testing/mutation-score|90%|0
practice/testing/mutation-score|18/20|0
practice/testing/mutation-score|0.9|0
practice/testing/mutation-score|about 90 percent|0
practice/testing/mutation-score|75%|1
practice/testing/mutation-score|18/24|1
practice/testing/mutation-score|89%|1
practice/testing/mutation-score|most of them|2
practice/desired-state/predict-plan|3|0
practice/desired-state/predict-plan|3 actions|0
practice/desired-state/predict-plan|three|2
practice/desired-state/predict-plan|2|1
practice/desired-state/predict-plan|4|1
practice/desired-state/out-of-sync|70 s|0
practice/desired-state/out-of-sync|1 min 10 s|0
practice/desired-state/out-of-sync|70 seconds|0
practice/desired-state/out-of-sync|71 s|1
practice/desired-state/out-of-sync|120 s|1
practice/desired-state/out-of-sync|soon|2
practice/cloud-patterns/backlog|54,000 messages|0
practice/cloud-patterns/backlog|54k|0
practice/cloud-patterns/backlog|54 thousand|0
practice/cloud-patterns/backlog|54,001|1
practice/cloud-patterns/backlog|90000|1
practice/cloud-patterns/backlog|36,000|1
practice/cloud-patterns/backlog|lots|2
practice/cloud-patterns/drain|3 min 45 s|0
practice/cloud-patterns/drain|225|0
practice/cloud-patterns/drain|3.75 min|0
practice/cloud-patterns/drain|135 s|1
practice/cloud-patterns/drain|315 s|1
practice/cloud-patterns/drain|226 s|1
practice/cloud-patterns/drain|later|2
# review13: whole runners only, the flaky share within 0.01 points, more forms
practice/ci-cd/enough-runners|2.5|2
practice/ci-cd/enough-runners|0|2
practice/ci-cd/enough-runners|3.0|0
practice/ci-cd/enough-runners|m = 3|0
practice/ci-cd/critical-length|1050|0
practice/ci-cd/critical-length|1.05e3 s|0
practice/ci-cd/critical-length|17.5 minutes|0
practice/ci-cd/critical-length|1050 ms|1
practice/ci-cd/critical-length|17:30|2
practice/ci-cd/flaky-retry|0.75%|1
practice/ci-cd/flaky-retry|0.82%|1
practice/ci-cd/flaky-retry|0.79%|0
practice/ci-cd/flaky-retry|8/1000|0
practice/ci-cd/flaky-retry|0.8 percent|0
practice/ci-cd/flaky-retry|1 - (1 - 0.0004)^20|2
practice/testing/mutation-score|9/10|0
practice/testing/mutation-score|90|0
practice/testing/mutation-score|0.9%|1
practice/testing/mutation-score|91%|1
practice/desired-state/out-of-sync|1m10s|0
practice/desired-state/out-of-sync|70 ms|1
practice/desired-state/out-of-sync|20 s and 50 s|2
practice/cloud-patterns/backlog|5.4e4|0
practice/cloud-patterns/backlog|600 * 90 = 54000|0
practice/cloud-patterns/drain|3m45s|0
practice/cloud-patterns/drain|225 seconds|0
practice/cloud-patterns/drain|225 ms|1
# review13: counts asked as counts: a unit of another dimension is refused
practice/ci-cd/enough-runners|3 s|2
practice/ci-cd/enough-runners|3 runners|0
practice/desired-state/predict-plan|3 s|2
practice/cloud-patterns/backlog|54,000 s|2
practice/cloud-patterns/backlog|54 thousand|0
# review06: request lines and URLs, amounts beside counts, bits for bytes,
# letters inside words, plurals of link relations, swapped pairs
apis/rest/collection|GET /posts/7/comments HTTP/1.1|0
apis/rest/collection|GET https://api.example.com/posts/7/comments|0
apis/rest/collection|GET /posts/7/comments?limit=10|0
apis/rest/collection|GET /|1
apis/rest/collection|GET /post/7/comments|1
apis/rest/collection|GET /posts/{7}/comments|1
apis/methods/retries|3 transfers of 10|0
apis/methods/retries|1 transfer of 10|1
apis/methods/retries|30|1
apis/methods/retries|three transfers (30 in total)|2
apis/status-codes/rate-limited|429.|0
apis/status-codes/rate-limited|4290|1
apis/status-codes/put-created|HTTP/1.1 201|0
apis/status-codes/put-created|201 or 200|2
apis/json/duplicate|a = 3|0
apis/json/duplicate|3 (the last)|0
apis/grpc-protobuf/zigzag-bytes|0x1005|0
apis/grpc-protobuf/zigzag-bytes|\x10\x05|0
apis/grpc-protobuf/zigzag-bytes|10 05 00|1
apis/grpc-protobuf/zigzag-bytes|10 5|2
apis/grpc-protobuf/minus-one|11 B|0
apis/grpc-protobuf/minus-one|11|0
apis/grpc-protobuf/minus-one|10 bytes|1
apis/grpc-protobuf/minus-one|11 bits|2
apis/grpc-protobuf/minus-one|88 bits|2
apis/websockets/header-size|8 bytes (2 + 2 + 4)|0
apis/websockets/header-size|8 bits|2
apis/websockets/header-size|208|1
apis/websockets/events|3 (message, ping, pong)|0
apis/websockets/events|three|2
apis/sse/resume|Last-Event-ID: 8|0
apis/sse/resume|"8"|0
apis/sse/resume|7|1
apis/long-polling/worst-latency|3 transits = 150 ms|0
apis/long-polling/worst-latency|100ms|1
apis/routing/predict-precedence|handler C, handler B, handler D|0
apis/routing/predict-precedence|C and B and D|0
apis/routing/predict-precedence|CBD|0
apis/routing/predict-precedence|A, B, C, D|2
apis/routing/predict-405|405, Allow: GET, HEAD|0
apis/routing/predict-405|405 Allow: GET, HEAD, PATCH|1
apis/routing/predict-405|405 Allow: GET, HEAD, GET|1
apis/routing/predict-405|4050|2
apis/pagination/predict-dups|~11|0
apis/pagination/predict-dups|110|1
apis/idempotency-keys/predict-outcomes|1 new 2 conflict 3 mismatch 4 replay 5 new|0
apis/idempotency-keys/predict-outcomes|new; conflict (409); mismatch (422); replay; new|0
apis/idempotency-keys/predict-outcomes|new conflict mismatch replay new new|2
apis/idempotency-keys/measure-doubled|266, 0|0
apis/idempotency-keys/measure-doubled|0 and 266|1
apis/idempotency-keys/measure-doubled|265 and 0|1
apis/idempotency-keys/measure-doubled|266 and 0 and 3|2
apis/hateoas/links|self refunds shipments|0
apis/hateoas/links|rel="self", rel="refund", rel="shipment"|0
apis/hateoas/links|self, refund, shipment, tracking|1
apis/hateoas/links|refund shipment itself|1
apis/openapi-validation/predict-errors|2 failures (email, role)|0
apis/openapi-validation/predict-errors|6|1
apis/openapi-validation/predict-errors|two|2
apis/graphql/predict-n1|11, 2|0
apis/graphql/predict-n1|2 and 11|1
apis/graphql/predict-n1|21 and 3|1
apis/graphql/predict-deep|62|1
# module 14: the rate limiter's and the blog's estimates
design/rate-limiter/estimate-store|~2,000/s|0
design/rate-limiter/estimate-store|2000 ops/s|0
design/rate-limiter/estimate-store|2k|0
design/rate-limiter/estimate-store|about 2,000 operations per second|0
design/rate-limiter/estimate-store|40,000/s|1
design/rate-limiter/estimate-store|2000-2500|2
design/rate-limiter/estimate-store|two thousand|2
design/rate-limiter/estimate-memory|200 MB|0
design/rate-limiter/estimate-memory|0.2 GB|0
design/rate-limiter/estimate-memory|200,000,000 bytes|0
design/rate-limiter/estimate-memory|190 MiB|0
design/rate-limiter/estimate-memory|2 GB|1
design/rate-limiter/estimate-memory|200 ms|2
design/blog/estimate-qps|~1,000 reads/s|0
design/blog/estimate-qps|1042|0
design/blog/estimate-qps|1.04k|0
design/blog/estimate-qps|about 1000 per second|0
design/blog/estimate-qps|347/s|1
design/blog/estimate-qps|1.2k|1
design/blog/estimate-qps|1000-1100|2
design/blog/estimate-storage|3.65 TB|0
design/blog/estimate-storage|3,650 GB|0
design/blog/estimate-storage|3.65e12 bytes|0
design/blog/estimate-storage|3.3 TiB|0
design/blog/estimate-storage|10.95 TB|1
design/blog/estimate-storage|3650|1
design/blog/estimate-storage|3.65 hours|2
design/rate-limiter/estimate-store|2k/s|0
design/rate-limiter/estimate-store|2000 qps|0
design/rate-limiter/estimate-store|2e3|0
design/rate-limiter/estimate-store|2200/s|1
design/rate-limiter/estimate-store|125 ops/s|1
design/rate-limiter/estimate-memory|200MB|0
design/rate-limiter/estimate-memory|200000 KB|0
design/rate-limiter/estimate-memory|0.2 TB|1
design/rate-limiter/estimate-memory|800 MB|1
design/blog/estimate-qps|1,042/s|0
design/blog/estimate-qps|1150|1
design/blog/estimate-qps|62500|1
design/blog/estimate-qps|1.04|1
design/blog/estimate-storage|3650 GB|0
design/blog/estimate-storage|3.32 TiB|0
design/blog/estimate-storage|300 GB|1
design/blog/estimate-storage|36.5 TB|1
design/blog/edit-order|b|0
design/blog/edit-order|B|0
design/blog/edit-order|a|1
design/blog/edit-order|c|1
design/blog/edit-order|2|2
design/chat/est-peak|~4,200 messages/s|0
design/chat/est-peak|4.2k messages per second|0
design/chat/est-peak|4,167 msg/s|0
design/chat/est-peak|1389/s|1
design/chat/est-peak|5000|1
design/chat/est-peak|4200 ms|2
design/chat/est-peak|between 4000 and 5000|2
design/chat/est-heartbeats|125k heartbeats/s|0
design/chat/est-heartbeats|1.25e5|0
design/chat/est-heartbeats|100|1
design/chat/est-heartbeats|125 MB|2
design/chat/est-storage|~40 TB|0
design/chat/est-storage|39,420 GB|0
design/chat/est-storage|3.9e13 bytes|0
design/chat/est-storage|13 TB|1
design/chat/est-storage|40 ms|2
# design/timeline (lessons/14-design/03-timeline.md)
design/timeline/peak-writes|900,000 writes/s|0
design/timeline/peak-writes|~900k|0
design/timeline/peak-writes|0.9 million writes per second|0
design/timeline/peak-writes|345k|1
design/timeline/peak-writes|12000|1
design/timeline/peak-writes|900k or 1M|2
design/timeline/peak-writes|lots|2
design/timeline/celebrity-lag|50 s|0
design/timeline/celebrity-lag|about 50 seconds|0
design/timeline/celebrity-lag|0.83 min|0
design/timeline/celebrity-lag|5 s|1
design/timeline/celebrity-lag|50 MB|2
design/timeline/timeline-memory|2.4 TB|0
design/timeline/timeline-memory|2,400 GB|0
design/timeline/timeline-memory|2.4e12 bytes|0
design/timeline/timeline-memory|24 TB|1
design/timeline/timeline-memory|2.4 GB|1
design/timeline/timeline-memory|2.4 s|2
# rev14b: more forms, a unit of another kind refused, petabytes read
design/timeline/peak-writes|900k|0
design/timeline/peak-writes|9e5|0
design/timeline/peak-writes|~900000 writes per second|0
design/timeline/peak-writes|0.9M writes/s|0
design/timeline/peak-writes|900 thousand|0
design/timeline/peak-writes|12000 × 75 = 900000|0
design/timeline/peak-writes|960000|1
design/timeline/peak-writes|900 ms|2
design/timeline/peak-writes|nine hundred thousand|2
design/timeline/peak-writes|900 GB|2
design/timeline/celebrity-lag|50|0
design/timeline/celebrity-lag|50 seconds|0
design/timeline/celebrity-lag|~50s|0
design/timeline/celebrity-lag|50000 ms|0
design/timeline/celebrity-lag|500 s|1
design/timeline/celebrity-lag|200 s|1
design/timeline/timeline-memory|2.4|0
design/timeline/timeline-memory|2.18 TiB|0
design/timeline/timeline-memory|0.12 TB|1
design/timeline/timeline-memory|2.4 PB|1
design/timeline/timeline-memory|2.4 petabytes|1
design/timeline/timeline-memory|2400 TB|1
design/timeline/timeline-memory|0.0024 PB|0
# design/photo-feed (lessons/14-design/05-photo-feed.md)
design/photo-feed/storage-year|3,650 TB|0
design/photo-feed/storage-year|3.65 PB|0
design/photo-feed/storage-year|3.65 petabytes|0
design/photo-feed/storage-year|3.3 PiB|0
design/photo-feed/storage-year|3.65e15 bytes|0
design/photo-feed/storage-year|about 3650|0
design/photo-feed/storage-year|3.65|1
design/photo-feed/storage-year|10 TB|1
design/photo-feed/storage-year|365 TB|1
design/photo-feed/origin-egress|15 TB|0
design/photo-feed/origin-egress|15,000 GB a day|0
design/photo-feed/origin-egress|~15|0
design/photo-feed/origin-egress|300 TB|1
design/photo-feed/origin-egress|285 TB|1
design/photo-feed/origin-egress|15 s|2
design/photo-feed/celebrity-writes|750,000 writes/s|0
design/photo-feed/celebrity-writes|750k|0
design/photo-feed/celebrity-writes|0.75 million writes per second|0
design/photo-feed/celebrity-writes|250k|1
design/photo-feed/celebrity-writes|lots|2
# rev14b: the rate, then more or less after a comma
design/photo-feed/storage-year|3650|0
design/photo-feed/storage-year|~3.6 PB|0
design/photo-feed/storage-year|10.95 PB|1
design/photo-feed/storage-year|3650 s|2
design/photo-feed/origin-egress|15 TB/day|0
design/photo-feed/origin-egress|15,000 GB|0
design/photo-feed/origin-egress|15|0
design/photo-feed/origin-egress|1.5e13 bytes|0
design/photo-feed/origin-egress|1.5 TB|1
design/photo-feed/origin-egress|15 ms|2
design/photo-feed/celebrity-writes|750k, more than the pool|0
design/photo-feed/celebrity-writes|7.5e5|0
design/photo-feed/celebrity-writes|0.75M|0
design/photo-feed/celebrity-writes|750000 writes/s, more|0
design/photo-feed/celebrity-writes|750000 writes/s, less than the pool|1
design/photo-feed/celebrity-writes|less|2
design/photo-feed/celebrity-writes|80,000|1
design/photo-feed/celebrity-writes|750 ms|2
design/photo-feed/celebrity-writes|750,000 writes/s, over nine times the pool|0
design/photo-feed/celebrity-writes|750000; more|0
design/photo-feed/celebrity-writes|750,000, fewer|1
design/photo-feed/celebrity-writes|750,000|0
design/photo-feed/celebrity-writes|250k, more|1
design/photo-feed/celebrity-writes|750 MB, more|2
# module 14: the video upload pipeline's estimates
design/video-upload/ingest|20,000 GB|0
design/video-upload/ingest|20 TB|0
design/video-upload/ingest|20 TB/day|0
design/video-upload/ingest|~20k GB per day|0
design/video-upload/ingest|about 20 terabytes|0
design/video-upload/ingest|50 TB|1
design/video-upload/ingest|2,000 GB|1
design/video-upload/ingest|20 TB or 50 TB|2
design/video-upload/ingest|20 hours|2
design/video-upload/storage|18,250 TB|0
design/video-upload/storage|18.25 PB|0
design/video-upload/storage|18.25 petabytes a year|0
design/video-upload/storage|18250 TB/yr|0
design/video-upload/storage|about 18 PB|0
design/video-upload/storage|7,300 TB|1
design/video-upload/storage|10.95 PB|1
design/video-upload/storage|18 PB and 250 TB|2
design/video-upload/storage|lots|2
design/video-upload/transcoders|1250|0
design/video-upload/transcoders|1,250 transcoders|0
design/video-upload/transcoders|~1.25k|0
design/video-upload/transcoders|417|1
design/video-upload/transcoders|21|1
design/video-upload/transcoders|1300|1
design/video-upload/transcoders|1250 s|2
design/video-upload/headroom|1273|0
design/video-upload/headroom|1,273 transcoders|0
design/video-upload/headroom|1272|1
design/video-upload/headroom|1300|1
design/video-upload/headroom|at least 1273|2
# design/chat (review rev14c): rates in other units, PB
design/chat/est-peak|4167|0
design/chat/est-peak|~4,200 messages/s|0
design/chat/est-peak|4.2k/s|0
design/chat/est-peak|15 million/hour|0
design/chat/est-peak|15M an hour|0
design/chat/est-peak|250k/min|0
design/chat/est-peak|1389/s|1
design/chat/est-peak|5000|1
design/chat/est-peak|3.6 million/day|1
design/chat/est-peak|4167 ms|2
design/chat/est-peak|lots|2
design/chat/est-heartbeats|125,000 heartbeats per second|0
design/chat/est-heartbeats|125k/s|0
design/chat/est-heartbeats|7.5 million/min|0
design/chat/est-heartbeats|450M per hour|0
design/chat/est-heartbeats|100|1
design/chat/est-heartbeats|125k/min|1
design/chat/est-heartbeats|125 or 126|2
design/chat/est-storage|39.4 TB|0
design/chat/est-storage|39,420 GB|0
design/chat/est-storage|0.0394 PB|0
design/chat/est-storage|3.9e13 bytes|0
design/chat/est-storage|13 TB|1
design/chat/est-storage|0.013 PB|1
design/chat/est-storage|39 ms|2
design/chat/read-receipt|b|0
design/chat/read-receipt|B|0
design/chat/read-receipt|a|1
design/chat/read-receipt|2|2
# design/video-upload (review rev14c)
design/video-upload/ingest|20,000 GB|0
design/video-upload/ingest|20 TB/day|0
design/video-upload/ingest|0.02 PB|0
design/video-upload/ingest|20000|0
design/video-upload/ingest|20|2
design/video-upload/ingest|20 GB|1
design/video-upload/ingest|50 TB|1
design/video-upload/storage|18,250 TB|0
design/video-upload/storage|18.25 PB/year|0
design/video-upload/storage|1.825e16 bytes|0
design/video-upload/storage|18.25|2
design/video-upload/storage|7300 TB|1
design/video-upload/storage|10.95 PB|1
design/video-upload/transcoders|1,250 transcoders|0
design/video-upload/transcoders|1.25k|0
design/video-upload/transcoders|417|1
design/video-upload/transcoders|1300|1
design/video-upload/headroom|1273|0
design/video-upload/headroom|1273 transcoders|0
design/video-upload/headroom|1272|1
design/video-upload/headroom|1275|1
design/video-upload/headroom|1273-1275|2
# module 14: the URL shortener's estimates and hit ratio
design/url-shortener/est-rates|~40/s and ~4,000/s|0
design/url-shortener/est-rates|40 writes/s, 4000 reads/s|0
design/url-shortener/est-rates|writes=39, reads=3900|0
design/url-shortener/est-rates|40/s, 4k/s|0
design/url-shortener/est-rates|about 40 a second and 4 thousand a second|0
design/url-shortener/est-rates|4000 and 40|1
design/url-shortener/est-rates|3,333,333 and 333,333,333|1
design/url-shortener/est-rates|40|2
design/url-shortener/est-storage|3 TB|0
design/url-shortener/est-storage|3,000 GB|0
design/url-shortener/est-storage|~3TB|0
design/url-shortener/est-storage|2.7 TiB|0
design/url-shortener/est-storage|3e12 bytes|0
design/url-shortener/est-storage|600 GB|1
design/url-shortener/est-storage|30 TB|1
design/url-shortener/est-storage|3 seconds|2
design/url-shortener/key-length|6 characters|0
design/url-shortener/key-length|6.0|0
design/url-shortener/key-length|7 characters|1
design/url-shortener/key-length|seven|2
design/url-shortener/predict-hits|0.43|0
design/url-shortener/predict-hits|43%|0
design/url-shortener/predict-hits|~43 %|0
design/url-shortener/predict-hits|0.6|1
design/url-shortener/predict-hits|0.002|1
design/url-shortener/predict-hits|half|2
design/url-shortener/est-rates|39/s; 3.9k/s|0
design/url-shortener/est-rates|0.04k and 4k|0
design/url-shortener/est-rates|4e1 and 4e3|0
design/url-shortener/est-rates|40 per second and 4,000 per second|0
design/url-shortener/est-rates|40 and 400|1
design/url-shortener/est-rates|40 and 40000|1
design/url-shortener/est-rates|7 and 700|1
design/url-shortener/est-rates|3858 reads and 38.6 writes|1
design/url-shortener/est-storage|3 terabytes|0
design/url-shortener/est-storage|3000000000000|0
design/url-shortener/est-storage|3 PB|1
design/url-shortener/est-storage|6 TB|1
design/url-shortener/key-length|6 chars|0
design/url-shortener/key-length|8|1
design/url-shortener/key-length|5.5|1
design/url-shortener/key-length|62^6|2
design/url-shortener/predict-hits|43|0
design/url-shortener/predict-hits|0.5|1
design/reading-blogs/instagram-years|~70 years|0
design/reading-blogs/instagram-years|69.7 years|0
design/reading-blogs/instagram-years|41 years|1
design/reading-blogs/instagram-years|2^41 ms|2
design/reading-blogs/logical-shards|33.2% 66.6%|0
design/reading-blogs/logical-shards|fixed 0.332, mod 0.666|0
design/reading-blogs/logical-shards|1/3 2/3|0
design/reading-blogs/logical-shards|0.666 0.332|1
design/reading-blogs/logical-shards|0.33|2
design/reading-blogs/master-only|any 39, leader 0|0
design/reading-blogs/master-only|73 0|1
design/reading-blogs/master-only|39|2
design/reading-blogs/leases|about 209 times|0
design/reading-blogs/leases|209x|0
design/reading-blogs/leases|13|1
design/reading-blogs/leases|more than 100|2
design/board/storage|36.5 TB|0
design/board/storage|36,500 GB|0
design/board/storage|~36.5TB|0
design/board/storage|3.65e13 bytes|0
design/board/storage|33.2 TiB|0
design/board/storage|100 GB|1
design/board/storage|3.65 TB|1
design/board/storage|36.5|2
design/board/storage|36.5 TB/year|0
design/board/storage|36.5 TB / yr|0
design/board/storage|36.5 terabytes|0
design/board/storage|3.65 TB/year|1
design/board/peak-reads|116k/s|0
design/board/peak-reads|115,741 reads/s|0
design/board/peak-reads|about 116,000 reads per second|0
design/board/peak-reads|57,870|1
design/board/peak-reads|2315 writes/s|1
design/board/peak-reads|lots|2
design/board/peak-reads|116 k/s|0
design/board/peak-reads|1.16e5|0
design/board/peak-reads|58 k/s|1
design/board/hot-shard|30%|0
design/board/hot-shard|0.30|0
design/board/hot-shard|about 30 percent|0
design/board/hot-shard|12.5%|1
design/board/hot-shard|1/8|1
design/board/hot-shard|more than 25%|2
EOF

# nothing refused was recorded: history holds only the graded attempts
n=$("$BACKLAB" --lessons "${LESSONS:-lessons}" history caching/basics/amat | grep -c '^  [0-9-]* [0-9:]*  ')
if [ "$n" -eq 6 ]; then echo "ok answers/refused_not_recorded"; else
	echo "not ok answers/refused_not_recorded: $n attempts in history, wanted 6"
fi
