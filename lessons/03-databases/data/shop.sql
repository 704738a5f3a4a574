-- shop: the customers, products, orders and order lines of an online shop.
--
-- lab.sql.open("shop") builds it with seed 1; lab.sql.open("shop", {seed = n})
-- builds another shop with the same tables and other rows (checks grade a
-- query on both). The rows come from the seeded rand_* functions of lab.sql:
-- 300 customers (the last 20 never order, nor do some others), 40 products in 5 categories,
-- 3000 orders from 2022 to 2024 (a few customers order far more than the
-- rest), and 1 to 4 lines per order.

CREATE TABLE customers (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL,
  email       TEXT NOT NULL UNIQUE,
  country     TEXT NOT NULL,            -- ISO 3166 code
  joined      TEXT NOT NULL,            -- date, YYYY-MM-DD
  referred_by INTEGER REFERENCES customers(id)  -- NULL: came on their own
);

CREATE TABLE products (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  category    TEXT NOT NULL,
  price_cents INTEGER NOT NULL CHECK (price_cents > 0)
);

CREATE TABLE orders (
  id          INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  placed_at   TEXT NOT NULL,            -- UTC, YYYY-MM-DD HH:MM:SS
  status      TEXT NOT NULL
              CHECK (status IN ('placed', 'paid', 'shipped', 'cancelled'))
);

CREATE TABLE order_items (
  order_id    INTEGER NOT NULL REFERENCES orders(id),
  product_id  INTEGER NOT NULL REFERENCES products(id),
  quantity    INTEGER NOT NULL CHECK (quantity > 0),
  price_cents INTEGER NOT NULL,         -- unit price paid (sometimes discounted)
  PRIMARY KEY (order_id, product_id)
);

-- MATERIALIZED makes SQLite draw each random value once per row, even when
-- the column is used twice.
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300),
people AS MATERIALIZED (
  SELECT i,
    rand_pick('Ada', 'Alan', 'Grace', 'Edsger', 'Barbara', 'Donald', 'Margaret',
              'Dennis', 'Ken', 'Frances', 'John', 'Radia', 'Tim', 'Sophie', 'Linus',
              'Hedy', 'Niklaus', 'Leslie', 'Shafi', 'Yukihiro', 'Guido', 'Anita',
              'Jean', 'Katherine', 'Vint', 'Mary', 'Bjarne', 'Lynn', 'Carl', 'Ida')
      AS first,
    rand_pick('Lovelace', 'Turing', 'Hopper', 'Dijkstra', 'Liskov', 'Knuth',
              'Hamilton', 'Ritchie', 'Thompson', 'Allen', 'McCarthy', 'Perlman',
              'Berners-Lee', 'Wilson', 'Torvalds', 'Lamarr', 'Wirth', 'Lamport',
              'Goldwasser', 'Matsumoto', 'Rossum', 'Borg', 'Sammet', 'Johnson',
              'Cerf', 'Kenyon', 'Stroustrup', 'Conway', 'Hewitt', 'Rhodes')
      AS last,
    rand_pick('US', 'US', 'US', 'DE', 'DE', 'FR', 'GB', 'GB', 'JP', 'BR', 'IN',
              'IN', 'NG', 'CA', 'SE') AS country,
    date('2022-01-01', '+' || rand_int(0, 1000) || ' days') AS joined,
    rand_real() AS r
  FROM n
)
INSERT INTO customers (id, name, email, country, joined, referred_by)
SELECT i, first || ' ' || last,
       lower(replace(first || '.' || last, '-', '')) || i || '@example.com',
       country, joined,
       CASE WHEN r < 0.3 AND i > 1 THEN 1 + CAST(r * 1000 AS INTEGER) % (i - 1) END
FROM people;

WITH v(id, name, category) AS (VALUES
  (1, 'Espresso beans 1 kg', 'coffee'), (2, 'Filter coffee 500 g', 'coffee'),
  (3, 'Decaf beans 250 g', 'coffee'), (4, 'Cold brew concentrate', 'coffee'),
  (5, 'Single origin Ethiopia', 'coffee'), (6, 'Single origin Colombia', 'coffee'),
  (7, 'Instant coffee', 'coffee'), (8, 'Coffee sampler', 'coffee'),
  (9, 'Green tea 100 g', 'tea'), (10, 'Earl Grey 100 g', 'tea'),
  (11, 'Chamomile 50 g', 'tea'), (12, 'Oolong 100 g', 'tea'),
  (13, 'Matcha 30 g', 'tea'), (14, 'Rooibos 100 g', 'tea'),
  (15, 'Chai blend 200 g', 'tea'), (16, 'Tea sampler', 'tea'),
  (17, 'Pour-over dripper', 'kitchen'), (18, 'Burr grinder', 'kitchen'),
  (19, 'Gooseneck kettle', 'kitchen'), (20, 'French press', 'kitchen'),
  (21, 'Milk frother', 'kitchen'), (22, 'Kitchen scale', 'kitchen'),
  (23, 'Ceramic mug', 'kitchen'), (24, 'Travel mug', 'kitchen'),
  (25, 'The Art of Computer Programming', 'books'),
  (26, 'Designing Data-Intensive Applications', 'books'),
  (27, 'Database Internals', 'books'), (28, 'SQL Antipatterns', 'books'),
  (29, 'Transaction Processing', 'books'), (30, 'Readings in Database Systems', 'books'),
  (31, 'The Coffee Atlas', 'books'), (32, 'The Tea Book', 'books'),
  (33, 'Espresso machine', 'electronics'), (34, 'Smart kettle', 'electronics'),
  (35, 'Coffee scale with timer', 'electronics'), (36, 'Bean roaster', 'electronics'),
  (37, 'Milk steamer', 'electronics'), (38, 'Cup warmer', 'electronics'),
  (39, 'Grinder pro', 'electronics'), (40, 'Cold brew maker', 'electronics'))
INSERT INTO products (id, name, category, price_cents)
SELECT id, name, category,
       CASE category
         WHEN 'coffee' THEN rand_int(6, 30) * 100 + 99
         WHEN 'tea' THEN rand_int(3, 20) * 100 + 49
         WHEN 'kitchen' THEN rand_int(10, 120) * 100 + 99
         WHEN 'books' THEN rand_int(12, 60) * 100 + 95
         ELSE rand_int(20, 400) * 100 + 99
       END
FROM v ORDER BY id;

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000),
picks AS MATERIALIZED (
  SELECT i, rand_int(1, rand_int(1, 280)) AS customer_id, rand_real() AS u,
         rand_real() AS r
  FROM n
)
INSERT INTO orders (id, customer_id, placed_at, status)
SELECT p.i, p.customer_id,
       -- some time between the day the customer joined and the end of 2024
       datetime(julianday(c.joined)
                + p.u * (julianday('2025-01-01') - julianday(c.joined))),
       CASE WHEN p.r < 0.62 THEN 'shipped' WHEN p.r < 0.78 THEN 'paid'
            WHEN p.r < 0.88 THEN 'placed' ELSE 'cancelled' END
FROM picks AS p JOIN customers AS c ON c.id = p.customer_id
ORDER BY p.i;

WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < 4),
sizes AS MATERIALIZED (SELECT id, rand_int(1, 4) AS lines FROM orders ORDER BY id),
lines AS MATERIALIZED (
  SELECT s.id AS order_id, rand_int(1, 40) AS product_id, rand_int(1, 3) AS quantity,
         rand_real() AS r
  FROM sizes AS s JOIN k ON k.n <= s.lines
  ORDER BY s.id, k.n
)
INSERT OR IGNORE INTO order_items (order_id, product_id, quantity, price_cents)
SELECT l.order_id, l.product_id, l.quantity,
       CASE WHEN l.r < 0.1 THEN p.price_cents * 9 / 10 ELSE p.price_cents END
FROM lines AS l JOIN products AS p ON p.id = l.product_id
ORDER BY l.order_id, l.product_id;
