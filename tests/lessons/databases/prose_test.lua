-- The numbers the prose of lessons/03-databases quotes from a run, pinned:
-- if a change to lab makes one false, this fails and the lesson must change.

set_datadir("lessons/03-databases/data")

-- 11-wal, "Crash, then recover": the disk kept all three records of the
-- crash at step 4 (seed 94); the crashes at steps 1 to 3 lost the commit.
test("prose/wal_crash_at_step_4_kept", function()
  for at = 1, 4 do
    local d = lab.wal.new{pages = 4, synchronous = "full", crash_at = at,
      checkpoint = 0, seed = 90 + at}
    local t = d:begin()
    t:write(1, "apple")
    t:write(2, "pear")
    eq(t:commit(), false)
    d:recover()
    eq(d:read(1), at == 4 and "apple" or nil, "crash at " .. at)
    eq(d:read(2), at == 4 and "pear" or nil, "crash at " .. at)
  end
end)

-- 14-orms: 50 orders loaded lazily cost 51 queries; the join, 1.
test("prose/orms_n_plus_one", function()
  local db = lab.sql.open("shop")
  local Order = {}
  Order.__index = function(o, field)
    if field == "customer" then
      local c = db:query("SELECT * FROM customers WHERE id = ?", rawget(o, "customer_id"))[1]
      rawset(o, "customer", c)
      return c
    end
  end
  db:reset_stats()
  local rows = db:query("SELECT * FROM orders ORDER BY placed_at DESC LIMIT ?", 50)
  for _, r in ipairs(rows) do setmetatable(r, Order) end
  for _, o in ipairs(rows) do local _ = o.customer.name end
  eq(db:stats().queries, 51)
end)

-- 16-failure-modes: the forgotten reader still reads the first of six versions.
test("prose/failure_versions", function()
  local db = lab.mvcc.new{isolation = "repeatable read"}
  local t = db:begin() t:write("stock", 100) t:commit()
  local forgotten = db:begin()
  forgotten:read("stock")
  for i = 1, 5 do local u = db:begin() u:write("stock", 100 - i) u:commit() end
  eq(forgotten:read("stock"), 100)
  eq(#db:versions("stock"), 6)
end)

-- 10-storage-engines: about 9.6 bits a key for 1%, 4.8 more per factor of ten.
test("prose/bloom_bits", function()
  local m1 = lab.bloom.size(1000000, 0.01)
  local m2 = lab.bloom.size(1000000, 0.001)
  near(m1 / 1e6, 9.6, 0.05)
  near((m2 - m1) / 1e6, 4.8, 0.05)
end)

-- 07-locking, "Where the work goes": on one hot slot with 50 clients,
-- for_update waits thousands of times and optimistic retries hundreds of
-- times, neither double-books, and the lock's p99 is the higher.
test("prose/locking_hot_slot", function()
  local lock = lab.locks.simulate{strategy = "for_update", slots = 1, clients = 50}
  local opt = lab.locks.simulate{strategy = "optimistic", slots = 1, clients = 50}
  eq(lock.double_bookings, 0)
  eq(opt.double_bookings, 0)
  eq(opt.waits, 0)
  assert(lock.waits >= 1000, "for_update waits " .. lock.waits)
  assert(opt.retries >= 100 and opt.retries < 1000, "optimistic retries " .. opt.retries)
  assert(lock.latency_p99 > opt.latency_p99)
end)

-- 15-pooling, exercise "peak": on 4 cores the sweep peaks at 4
-- connections, where the 600 queries a second offered are served.
test("prose/pooling_peak_on_4_cores", function()
  local r = lab.pool.sweep{sizes = {1, 2, 4, 8, 16, 32, 64}, rate = 600,
                           cores = 4, duration = 30}
  local best, at = -1, nil
  for i, s in ipairs(r.sizes) do
    if r.throughput[i] > best + 1e-9 then best, at = r.throughput[i], s end
  end
  eq(at, 4)
  near(best, 600, 15)
end)

-- 17-profiling: "each call reads all 3,000 orders"; 12-cursors: page 100
-- walks through 1,980 rows (the shop has more than that).
test("prose/shop_orders", function()
  local db = lab.sql.open("shop")
  eq(db:query("SELECT count(*) AS n FROM orders")[1].n, 3000)
end)

-- 09-sqlite-file: tiny.db is 10 pages of 512 bytes, written by 3.40.1;
-- page 2's first cell starts at 505 and reads `05 01 03 00 11 72 30`.
test("prose/tiny_db", function()
  local b = lab.sql.file("tiny.db")
  local h = lab.sql.header(b)
  eq(h.page_size, 512)
  eq(h.db_size_pages, 10)
  eq(#b, 5120)
  eq(h.sqlite_version_number, 3040001)
  eq(lab.sql.page(b, 2).cell_ptrs[1], 505)
  eq(("%02x "):rep(7):format(b:byte(512 + 505 + 1, 512 + 505 + 7)),
    "05 01 03 00 11 72 30 ")
end)

-- 13-normalization, exercise "which-form": two keys, 3NF but not BCNF.
test("prose/normalization_which_form", function()
  eq(lab.schema.normal_form("ABCD", {"AB -> CD", "C -> A"}), "3NF")
  local keys = lab.schema.keys("ABCD", {"AB -> CD", "C -> A"})
  table.sort(keys)
  eq(table.concat(keys, " "), "AB BC")
end)

-- 14-orms, exercise "count": the 200 most recent orders come from 111
-- customers.
test("prose/orms_distinct_customers", function()
  local db = lab.sql.open("shop")
  eq(db:query([[SELECT count(DISTINCT customer_id) AS n FROM
    (SELECT customer_id FROM orders ORDER BY placed_at DESC LIMIT 200)]])[1].n, 111)
end)
