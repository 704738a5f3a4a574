-- bookings: the rooms of a small hotel and their bookings for 2025.
--
-- lab.sql.open("bookings") builds it with seed 1; another seed builds other
-- rows of the same tables. Most bookings fit around each other, but a race
-- in the booking service let a few overlap: two guests hold the same room
-- on the same night. A stay runs from the check-in date up to, not
-- including, the check-out date.

CREATE TABLE rooms (
  id       INTEGER PRIMARY KEY,
  name     TEXT NOT NULL UNIQUE,
  floor    INTEGER NOT NULL,
  capacity INTEGER NOT NULL CHECK (capacity > 0)
);

CREATE TABLE bookings (
  id        INTEGER PRIMARY KEY,
  room_id   INTEGER NOT NULL REFERENCES rooms(id),
  guest     TEXT NOT NULL,
  check_in  TEXT NOT NULL,              -- date, YYYY-MM-DD
  check_out TEXT NOT NULL,              -- date, after check_in
  CHECK (check_out > check_in)
);

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12)
INSERT INTO rooms (id, name, floor, capacity)
SELECT i, 'Room ' || (100 * (1 + (i - 1) / 4) + 1 + (i - 1) % 4),
       1 + (i - 1) / 4, rand_pick(1, 2, 2, 2, 3, 4)
FROM n;

-- Back-to-back stays per room: each starts 0 to 6 days after the last ends.
WITH RECURSIVE stays(room_id, k, check_in, nights) AS (
  SELECT id, 1, julianday('2025-01-01') + rand_int(0, 5), rand_int(1, 7) FROM rooms
  UNION ALL
  SELECT room_id, k + 1, check_in + nights + rand_int(0, 6), rand_int(1, 7)
  FROM stays WHERE k < 40
),
kept AS MATERIALIZED (
  SELECT room_id, check_in, nights,
         rand_pick('Ada', 'Alan', 'Grace', 'Edsger', 'Barbara', 'Donald', 'Margaret',
                   'Dennis', 'Ken', 'Frances', 'John', 'Radia', 'Tim', 'Sophie') || ' ' ||
         rand_pick('L.', 'T.', 'H.', 'D.', 'K.', 'R.', 'W.', 'M.', 'C.', 'B.') AS guest
  FROM stays WHERE check_in < julianday('2026-01-01')
  ORDER BY room_id, k
)
INSERT INTO bookings (room_id, guest, check_in, check_out)
SELECT room_id, guest, date(check_in), date(check_in + nights) FROM kept;

-- The race: a few bookings copied onto a night someone already holds.
WITH victims AS MATERIALIZED (
  SELECT id, room_id, check_in, rand_real() AS r FROM bookings ORDER BY id
)
INSERT INTO bookings (room_id, guest, check_in, check_out)
SELECT room_id,
       rand_pick('Hedy K.', 'Linus T.', 'Ida R.', 'Carl H.', 'Vint C.', 'Mary K.'),
       check_in, date(check_in, '+' || rand_int(1, 3) || ' days')
FROM victims WHERE r < 0.02 ORDER BY id;
