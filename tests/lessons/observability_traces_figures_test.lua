-- The numbers lessons/11-observability/05-tracing.md quotes from its
-- traces of the resilience module's incidents (lab.resilience's `trace`
-- option), produced here by the lesson's own examples.
dofile("tests/lessons/figures.lua")

test("figures/observability/tracing-incident", function()
  local L = lesson("lessons/11-observability/05-tracing.md")
  local out = L:run(5)
  local rejected = tonumber(out:match("(%d+)  failed after 0%.0 s, gateway span rejected"))
  local timedout = tonumber(out:match("(%d+)  failed after 1%.0 s, gateway span ok"))
  truthy(rejected and timedout, out)
  truthy(rejected > 20 * timedout, "most failed requests were refused at the door")
  L:says("Most failed requests have the shortest traces of all: 0 s, the gateway span `rejected`")
  L:says("The few that got in time out after 1 s")
  -- the slowest: the gateway span outlives the request by seconds, answers ok
  local worst = L.env.slow.traces[1]
  for _, t in ipairs(L.env.slow.traces) do
    if t.start >= 10 and t.start < 30 and t.duration > worst.duration then worst = t end
  end
  local gw
  for _, s in ipairs(worst.spans) do
    if s.kind == "server" and s.service == "gateway" then gw = s end
  end
  eq(gw.status, "ok")
  truthy(gw.finish - worst.finish > 2, "goes on for seconds after the client gave up")
  L:says("it goes on for seconds after the client gave up (it answered `ok`, to nobody)")
  local w = L:run(6)
  local g, r = w:match("gateway (%d+)%%.*recommend (%d+)%%")
  L:says(("%s %% of the time is in `gateway`, %s %% in `recommend`"):format(g, r))
  eq(tonumber(g), 85)
end)

test("figures/observability/tracing-storm", function()
  local L = lesson("lessons/11-observability/05-tracing.md")
  L:run(7)
  local n, ok, requests, served = 0, 0, 0, 0
  for _, t in ipairs(L.env.stormy.traces) do
    if t.start >= 20 and t.start < 30 then
      requests = requests + 1
      if t.status == "ok" then served = served + 1 end
      for _, s in ipairs(t.spans) do
        if s.kind == "server" and s.service == "db" then
          n = n + 1
          if s.status == "ok" then ok = ok + 1 end
        end
      end
    end
  end
  -- the exercise's premise: every traced request of that window failed,
  -- yet db finished some of their attempts
  eq(served, 0)
  truthy(ok > 0 and ok < n, ("%d of %d"):format(ok, n))
  eq(n, 16 * requests, "4 client attempts x 4 api attempts each")
end)
