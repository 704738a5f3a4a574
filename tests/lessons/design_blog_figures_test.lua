-- The numbers lessons/14-design/07-blog.md quotes from its own examples
-- and from lab.design's catalog. See tests/lessons/figures.lua.
dofile("tests/lessons/figures.lua")

local P = "lessons/14-design/07-blog.md"

test("figures/design/blog/baseline", function()
  local L = lesson(P)
  local out = L:run(1)
  L:says("At the peak of 1,000 reads a second the database is a quarter busy")
  local u = grab(out, "1000/s:.-busiest: db (%d+)%%")
  truthy(u >= 20 and u <= 30, out)
  L:says("The run answers 79.2 %: the database is 100 % busy")
  eq(grab(out, "5000/s: p99 %d+ ms, ([%d.]+)%% answered"), 79.2)
  eq(grab(out, "5000/s:.-busiest: db (%d+)%%"), 100)
end)

test("figures/design/blog/catalog", function()
  local c = lab.design.catalog
  local L = lesson(P)
  L:says("20 workers, 5 ms a read")
  eq(c.db.workers, 20)
  eq(c.db.latency, 0.005)
  L:says("(`replica`, $400 a month each)")
  eq(c.replica.price, 400)
  L:says("Capacity grows by 4,000 reads a second per replica")
  eq(c.replica.workers / c.replica.latency, 4000)
  L:says("(`cache`, $50 plus $10 a GB)")
  eq(c.cache.price, 50)
  eq(c.cache.memory_price, 10)
  L:says("(`cdn`, $20 a GB)")
  eq(c.cdn.price, 0)
  eq(c.cdn.memory_price, 20)
  L:says("costs 20 ms on average")
  eq(c.cdn.latency, 0.02)
  L:says("A GB holds 20,000 pages of 50 KB")
end)
