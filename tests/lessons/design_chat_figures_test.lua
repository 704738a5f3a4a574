-- The claims lessons/14-design/04-chat.md makes about its own examples:
-- timestamps keep real-time order only while clocks agree better than
-- messages are spaced; one store is the bottleneck of the simplest
-- message path; the partition holding the hottest channel runs hotter
-- than the average. See tests/lessons/figures.lua.
dofile("tests/lessons/figures.lua")

local L = lesson("lessons/14-design/04-chat.md")

test("figures/design/chat/clocks", function()
  L:run(1)                                   -- the ping and pong frames
  local out = L:run(2)
  local skews = {}
  for s in out:gmatch("skew ([+-][%d.]+) s") do skews[#skews + 1] = tonumber(s) end
  eq(#skews, 3)
  truthy(skews[1] ~= skews[2] and skews[2] ~= skews[3])
end)

test("figures/design/chat/wait-and-sort", function()
  local out = L:run(3)
  L:says("At skew 0 the timestamps are the true times")
  local bad = {}
  for skew, n in out:gmatch("clock_skew ([%d.]+) s: 40 of 40 shown, (%d+) pairs") do
    bad[#bad + 1] = {tonumber(skew), tonumber(n)}
  end
  eq(#bad, 3)
  eq(bad[1][2], 0)                           -- skew 0: none
  eq(bad[2][2], 0)                           -- 0.05 s < half the 0.2 s spacing
  truthy(bad[3][2] > 0)                      -- 0.5 s: replies above questions
end)

test("figures/design/chat/one-store", function()
  local out = L:run(4)
  L:says("Run the simplest design, read its bottleneck")
  truthy(out:find("bottleneck: store: 100% busy", 1, true), out)
  local p99 = tonumber(out:match("p99 (%d+) ms"))
  truthy(p99 > 50, out)                      -- misses the stage's 50 ms
end)

test("figures/design/chat/hot-partition", function()
  L:says("the busiest partition is the one that holds the busiest channel")
  L:says("About 30 requests are in the store at once on average")
  local chat = L.env.chat
  local d = {{name = "gateways", kind = "gateway", instances = 4,
              route = "key", calls = {}}}
  for i = 1, 3 do
    d[1].calls[i] = {to = "store" .. i, timeout = 0.3}
    d[#d + 1] = {name = "store" .. i, kind = "store"}
  end
  local r = lab.design.run(d, chat.workload, chat.kinds)
  local sum, max, busy = 0, 0, 0
  for i = 1, 3 do
    local u = r.components["store" .. i].busy  -- while clients send
    sum, max = sum + u, math.max(max, u)
    busy = busy + u * 16
  end
  truthy(max > sum / 3 * 1.03, ("max %.3f mean %.3f"):format(max, sum / 3))
  -- Little's law: 3,000 x 6 ms + 3,000 x 4 ms = 30 in flight
  truthy(math.abs(busy - 30) / 30 < 0.15, ("busy %.1f"):format(busy))
end)
