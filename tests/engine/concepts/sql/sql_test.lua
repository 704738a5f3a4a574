-- Lua tests of lab.sql (engine/concepts/sql/sql_lua.c) and of the datasets
-- of lessons/03-databases/data.

set_datadir("lessons/03-databases/data")
local S = lab.sql

test("sql/query_rows_keyed_by_column", function()
  local db = S.open()
  eq(db:exec("CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c REAL, d BLOB);" ..
    "INSERT INTO t VALUES (1, 'x', 1.5, x'00ff'), (2, NULL, 2, NULL)"), 2)
  local rows = db:query("SELECT * FROM t ORDER BY a")
  eq(#rows, 2)
  same(rows.columns, {"a", "b", "c", "d"})
  eq(math.type(rows[1].a), "integer")
  eq(rows[1].b, "x")
  eq(math.type(rows[2].c), "float")
  eq(rows[1].d, "\0\255")
  eq(rows[2].b, nil)
  local keys = 0
  for _ in pairs(rows[2]) do keys = keys + 1 end
  eq(keys, 2) -- a and c; NULLs are absent
end)

test("sql/parameters", function()
  local db = S.open()
  db:exec("CREATE TABLE t(a, b)")
  eq(db:exec("INSERT INTO t VALUES (?, ?)", 1, "it's"), 1)
  eq(db:exec("INSERT INTO t VALUES (?, ?)", 2.5, nil), 1)
  eq(db:exec("INSERT INTO t VALUES (?, ?)", true, false), 1)
  eq(db:query("SELECT b FROM t WHERE a = ?", 1)[1].b, "it's")
  eq(#db:query("SELECT * FROM t WHERE b IS NULL"), 1)
  eq(db:query("SELECT a FROM t WHERE b = ?", 0)[1].a, 1)
  -- an injection attempt is only a value
  eq(#db:query("SELECT * FROM t WHERE b = ?", "x' OR '1'='1"), 0)
  raises(function() db:query("SELECT ?", 1, 2) end, "1 parameter")
  raises(function() db:query("SELECT ?, ?", 1) end, "2 parameters")
  raises(function() db:query("SELECT ?", {}) end, "parameter 1 is a table")
end)

test("sql/one_statement_or_script", function()
  local db = S.open()
  raises(function() db:query("SELECT 1; SELECT 2") end, "one statement")
  raises(function() db:query("   -- nothing\n") end, "no statement")
  eq(db:exec("CREATE TABLE t(a); INSERT INTO t VALUES (1); INSERT INTO t VALUES (2);"), 2)
  eq(#db:query("SELECT 1 AS x; -- trailing comment"), 1)
  raises(function() db:exec("INSERT INTO t VALUES (3);\nINSERT INTO nope VALUES (1);") end,
    "statement at line 2: no such table: nope")
  eq(#db:query("SELECT * FROM t"), 3) -- statements before the failing one stay
end)

test("sql/errors_are_clear", function()
  local db = S.open()
  raises(function() db:query("SELEC 1") end, 'near "SELEC": syntax error')
  raises(function() db:query("SELECT 1 AS x, 2 AS x") end, "named 'x'")
  raises(function() db:query("SELECT \"name\"") end, "no such column: name")
  raises(function() db:query("ATTACH 'f.db' AS f") end, "opens no file")
  raises(function() db:exec("VACUUM INTO 'f.db'") end, "VACUUM is not allowed")
  raises(function() db:query("SELECT load_extension('x')") end, "not allowed")
  raises(function() db:exec("PRAGMA journal_mode = WAL") end, "not allowed")
  db:close()
  raises(function() db:query("SELECT 1") end, "closed")
end)

test("sql/readonly", function()
  local db = S.open("shop")
  eq(db:readonly("SELECT * FROM orders"), true)
  eq(db:readonly("WITH x AS (SELECT 1) SELECT * FROM x"), true)
  eq(db:readonly("DELETE FROM orders"), false)
  eq(db:readonly("INSERT INTO products(name, category, price_cents) VALUES ('a', 'b', 1)"), false)
  eq(db:readonly("CREATE INDEX i ON orders(status)"), false)
  raises(function() db:readonly("SELEC 1") end, "syntax error")
  eq(#db:query("SELECT * FROM orders"), 3000) -- nothing was run
  eq(db:stats().queries, 1)
end)

test("sql/plan", function()
  local db = S.open()
  db:exec("CREATE TABLE t(a INTEGER PRIMARY KEY, b); CREATE INDEX t_b ON t(b)")
  same(db:plan("SELECT * FROM t WHERE a = 1"), {"SEARCH t USING INTEGER PRIMARY KEY (rowid=?)"})
  same(db:plan("SELECT * FROM t WHERE b = 1"), {"SEARCH t USING COVERING INDEX t_b (b=?)"})
  same(db:plan("SELECT * FROM t"), {"SCAN t"})
  local nested = db:plan("SELECT * FROM t WHERE a IN (SELECT b FROM t WHERE b > 2)")
  truthy(#nested >= 2)
  truthy(nested[#nested]:match("^  "), "subquery lines are indented")
  raises(function() db:plan("EXPLAIN SELECT 1") end, "without EXPLAIN")
  raises(function() db:plan("SELECT 1; SELECT 2") end, "one statement")
end)

test("sql/stats_count_queries_and_rows", function()
  local db = S.open("shop")
  same(db:stats(), {queries = 0, rows = 0, changes = 0, steps = 0, fullscan_steps = 0,
    sorts = 0, autoindexes = 0})
  db:query("SELECT * FROM customers WHERE id <= 10")
  for i = 1, 10 do db:query("SELECT * FROM orders WHERE customer_id = ?", i) end
  local s = db:stats()
  eq(s.queries, 11)
  truthy(s.rows >= 10)
  truthy(s.fullscan_steps > 0, "orders has no index on customer_id")
  db:plan("SELECT * FROM orders")
  eq(db:stats().queries, 11)
  db:reset_stats()
  eq(db:stats().queries, 0)
end)

test("sql/show", function()
  local db = S.open()
  local t = db:show("SELECT 1 AS n, 'Ada' AS name UNION ALL SELECT 22, NULL")
  eq(t, "n  | name\n---+-----\n 1 | Ada\n22 | NULL\n(2 rows)\n")
  local long = db:show("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c " ..
    "WHERE x < 30) SELECT x FROM c")
  truthy(long:find("… 5 more rows %(30 in all%)"))
end)

test("sql/datasets_listed", function()
  same(S.datasets(), {"bookings", "events", "shop"})
  raises(function() S.open("nope") end, "no dataset 'nope' %(there are: bookings, events, shop%)")
  raises(function() S.open("../x") end, "not a dataset's name")
  raises(function() S.open("shop", {sed = 1}) end, "did you mean 'seed'")
end)

-- The numbers the lessons and the dataset comments quote.
test("sql/datasets_shape", function()
  local shop = S.open("shop")
  local c = shop:query([[SELECT (SELECT count(*) FROM customers) AS customers,
    (SELECT count(*) FROM products) AS products, (SELECT count(*) FROM orders) AS orders,
    (SELECT count(DISTINCT category) FROM products) AS categories,
    (SELECT max(customer_id) FROM orders) AS last_buyer]])[1]
  same(c, {customers = 300, products = 40, orders = 3000, categories = 5,
    last_buyer = c.last_buyer})
  truthy(c.last_buyer <= 280)
  eq(shop:query("PRAGMA foreign_key_check")[1], nil)
  local ev = S.open("events")
  eq(ev:query("SELECT count(*) AS n FROM users")[1].n, 400)
  eq(ev:query("SELECT count(*) AS n FROM events WHERE kind = 'login'")[1].n, 1500)
  local b = S.open("bookings")
  eq(b:query("SELECT count(*) AS n FROM rooms")[1].n, 12)
  truthy(b:query([[SELECT count(*) AS n FROM bookings a JOIN bookings b
    ON a.room_id = b.room_id AND a.id < b.id
    AND a.check_in < b.check_out AND b.check_in < a.check_out]])[1].n > 0,
    "the race left double bookings")
end)

-- A graded query runs on the dataset and on another seed: both must hold
-- other rows, or a hard-coded answer would pass.
test("sql/datasets_differ_by_seed", function()
  local probes = {
    shop = "SELECT group_concat(name) || sum(price_cents) AS x FROM products " ..
      "UNION ALL SELECT group_concat(customer_id) FROM orders",
    events = "SELECT group_concat(user_id || at) AS x FROM events",
    bookings = "SELECT group_concat(room_id || check_in || guest) AS x FROM bookings",
  }
  for name, q in pairs(probes) do
    local a = S.open(name):query(q)
    local a2 = S.open(name, {seed = 1}):query(q)
    local b = S.open(name, {seed = 2}):query(q)
    same(a, a2, name .. " seed 1 is the default")
    truthy(a[1].x ~= b[1].x, name .. " seed 2 differs")
  end
end)

test("sql/deterministic_functions", function()
  local q = "SELECT random() AS r, date('now') AS d, rand_int(1, 6) AS x"
  same(S.open(nil, {seed = 3}):query(q), S.open(nil, {seed = 3}):query(q))
  truthy(S.open(nil, {seed = 4}):query(q)[1].r ~= S.open(nil, {seed = 3}):query(q)[1].r)
  same(S.open{seed = 4}:query(q), S.open(nil, {seed = 4}):query(q))
  eq(S.open():query(q)[1].d, "2025-01-01")
end)

test("sql/tostring", function()
  eq(tostring(S.open("shop", {seed = 4})), "lab.sql(shop, seed 4)")
  eq(tostring(S.open()), "lab.sql(empty)")
end)
