-- events: what the users of a web application did in December 2024, one
-- row per request, for time-series queries and window functions.
--
-- lab.sql.open("events") builds it with seed 1; another seed builds other
-- rows of the same tables. 400 users on three plans; 1500 sessions, each a
-- burst of 1 to 8 requests a few seconds to ten minutes apart (so a gap of
-- more than 30 minutes means a new session); response times are skewed:
-- most requests are fast and a few are very slow, as in real services.

CREATE TABLE users (
  id        INTEGER PRIMARY KEY,
  plan      TEXT NOT NULL CHECK (plan IN ('free', 'pro', 'team')),
  signed_up TEXT NOT NULL               -- date, YYYY-MM-DD
);

CREATE TABLE events (
  id      INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  at      TEXT NOT NULL,                -- UTC, YYYY-MM-DD HH:MM:SS
  kind    TEXT NOT NULL
          CHECK (kind IN ('login', 'view', 'search', 'purchase', 'error')),
  ms      INTEGER NOT NULL              -- response time, milliseconds
);

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)
INSERT INTO users (id, plan, signed_up)
SELECT i, rand_pick('free', 'free', 'free', 'free', 'pro', 'pro', 'team'),
       date('2023-01-01', '+' || rand_int(0, 690) || ' days')
FROM n;

-- A session: a user, a start time in December 2024, a length.
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1500),
sessions AS MATERIALIZED (
  SELECT i AS session, rand_int(1, 400) AS user_id,
         julianday('2024-12-01') + rand_real() * 30.9 AS start,
         rand_int(1, 8) AS length
  FROM n
),
-- The requests of each session: the k-th comes 5 s to 10 min after the last.
steps(session, user_id, k, length, t) AS (
  SELECT session, user_id, 1, length, start FROM sessions
  UNION ALL
  SELECT session, user_id, k + 1, length, t + rand_int(5, 600) / 86400.0
  FROM steps WHERE k < length
),
rows AS MATERIALIZED (
  SELECT user_id, datetime(t) AS at, k,
         rand_real() AS r, rand_normal(4.0, 0.9) AS lg
  FROM steps ORDER BY t, session
)
INSERT INTO events (user_id, at, kind, ms)
SELECT user_id, at,
       CASE WHEN k = 1 THEN 'login'
            WHEN r < 0.55 THEN 'view' WHEN r < 0.85 THEN 'search'
            WHEN r < 0.97 THEN 'purchase' ELSE 'error' END,
       1 + CAST(exp(lg) AS INTEGER)
FROM rows;
