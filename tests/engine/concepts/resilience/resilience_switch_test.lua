-- Blue/green on lab.resilience: client.switches moves the clients' entry
-- at a time; requests already inside the old entry stay there.

local function bluegreen(switches, faults, client)
  local c = {rate = 400, timeout = 1, switches = switches}
  for k, v in pairs(client or {}) do c[k] = v end
  return lab.resilience.simulate{duration = 40, drain = 5, seed = 1,
    services = {
      {name = "blue", workers = 50, latency = 0.05, errors = 0.002},
      {name = "green", workers = 50, latency = 0.05, errors = 0.05}},
    client = c, faults = faults}
end

local function sum(t, a, b)
  local n = 0
  for i = a, b do n = n + t[i] end
  return n
end

test("resilience/switch moves the traffic and rolls it back", function()
  local r = bluegreen{{at = 20, entry = "green"}, {at = 25, entry = "blue"}}
  local b, g = r.service_series.blue, r.service_series.green
  eq(sum(g.arrivals, 1, 20), 0, "green before the switch")
  eq(sum(b.arrivals, 21, 25), 0, "blue between the switch and the rollback")
  eq(sum(g.arrivals, 26, #g.arrivals), 0, "green after the rollback")
  truthy(sum(g.arrivals, 21, 25) > 1500, "green took the traffic: " .. sum(g.arrivals, 21, 25))
  eq(r.services.blue.arrivals + r.services.green.arrivals, r.requests, "no retries: one each")
  -- in flight at the switch: blue finishes what it holds
  truthy(b.ok[21] > 0, "blue still answers in the second after the switch")
  eq(r.calls[1].to, "blue", "calls[1] names the first entry")
  local none = bluegreen(nil)
  eq(none.services.green.arrivals, 0, "no switch: all to the first service")
end)

test("resilience/switch with the old fleet stopped fails what was inside", function()
  local r = lab.resilience.simulate{duration = 40, drain = 5, seed = 1,
    services = {
      {name = "blue", workers = 50, latency = 0.05, errors = 0.002},
      {name = "green", workers = 50, latency = 0.05, errors = 0.05}},
    client = {rate = 400, timeout = 1, switches = {{at = 20, entry = "green"}}},
    faults = {{service = "blue", at = 20, ["until"] = 45, mode = "down"}},
    trace = {sample = 1, max = 10000}}
  local crashed = 0
  for _, t in ipairs(r.traces) do
    for _, s in ipairs(t.spans) do
      if s.status == "crashed" then
        crashed = crashed + 1
        eq(s.service, "blue")
        truthy(s.start < 20 and s.finish == 20, "inside blue when it stopped")
        eq(t.status, "failed", "its request failed")
      end
    end
  end
  -- Little's law: 400 requests a second that stay 50 ms: about 20 inside
  truthy(crashed >= 8 and crashed <= 35, "requests inside blue at 20 s: " .. crashed)
  eq(r.services.blue.arrivals + r.services.green.arrivals, r.requests)
end)

test("resilience/switch sends retries to the new entry", function()
  local moved = 0
  local traced = lab.resilience.simulate{duration = 40, drain = 5, seed = 1,
    services = {
      {name = "blue", workers = 50, latency = 0.05, errors = 0.002},
      {name = "green", workers = 50, latency = 0.05, errors = 0.05}},
    client = {rate = 400, timeout = 0.3, retries = 1, backoff = 0.01, cap = 0.01,
              switches = {{at = 20, entry = "green"}}},
    faults = {{service = "blue", at = 19.5, ["until"] = 45, mode = "slow", factor = 40}},
    trace = {sample = 1, max = 10000}}
  for _, tr in ipairs(traced.traces) do
    local first, retry
    for _, s in ipairs(tr.spans) do
      if s.kind == "client" and s.attempt == 0 then first = s end
      if s.kind == "client" and s.attempt == 1 then retry = s end
    end
    if retry and first.name == "client->blue" and retry.name == "client->green (retry 1)" then
      truthy(first.start < 20 and retry.start >= 20, "the retry after the switch")
      moved = moved + 1
    end
  end
  truthy(moved > 10, "retries that went to green: " .. moved)
end)

test("resilience/switch errors", function()
  raises(function() bluegreen{{at = 20, entry = "purple"}} end, "'purple' is no service")
  raises(function() bluegreen{{at = 20}} end, "'entry' is required")
  raises(function() bluegreen{{at = -1, entry = "green"}} end, "between 0")
end)
