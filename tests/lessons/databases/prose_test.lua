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
