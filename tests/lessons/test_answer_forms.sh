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
traffic/rate-limiting/predict-estimate|t=65|0
caching/local-shared/add-node|4/5|0
caching/local-shared/add-node|about 80%|0
traffic/consistent-hashing/predict-mod|4/5|0
traffic/consistent-hashing/predict-mod|about 80%|0
traffic/balancing/predict-p2c|1/2|0
traffic/balancing/predict-p2c|50%|0
caching/http-caching/not-modified|HTTP 304|0
caching/http-caching/not-modified|304 Not Modified|0
traffic/tail-latency/predict-busy|14/15|0
traffic/tail-latency/predict-busy|about 93.3%|0
traffic/balancing/predict-lrt|picks 4 and 9|0
traffic/rate-limiting/predict-burst|about 200|0
traffic/web-servers/workers-needed|about 200|0
caching/eviction/anomaly|LRU3=10 LRU4=8|0
caching/eviction/anomaly|10, 8|0
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
traffic/balancing/predict-p2c|1/4|1
caching/http-caching/not-modified|HTTP 200|1
traffic/tail-latency/predict-busy|1/3|1
traffic/rate-limiting/predict-burst|about 100|1
caching/eviction/anomaly|LRU3=10 LRU4=9|1
caching/eviction/predict-lru|c|1
# not answers: refused, not recorded
caching/basics/amat|ne|2
caching/basics/amat|2 MB|2
caching/hit-ratio/size-for|at least 64|2
caching/write-strategies/saved|two thousand|2
caching/eviction/anomaly|9 10 10|2
caching/eviction/anomaly|10|2
caching/eviction/predict-lru|n|2
EOF

# nothing refused was recorded: history holds only the graded attempts
n=$("$BACKLAB" --lessons "${LESSONS:-lessons}" history caching/basics/amat | grep -c '^  [0-9-]* [0-9:]*  ')
if [ "$n" -eq 6 ]; then echo "ok answers/refused_not_recorded"; else
	echo "not ok answers/refused_not_recorded: $n attempts in history, wanted 6"
fi
