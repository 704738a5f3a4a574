-- Spans of a lab.resilience run (the option `trace`): trees lab.trace
-- assembles, consistent with the run's own counts, replayed by seed, and
-- leaving the run unchanged.

local function run(extra, trace)
  local o = {duration = 20, drain = 10, seed = 3,
    services = {
      {name = "api", workers = 40, queue = 500, latency = 0.004,
       calls = {{to = "db", timeout = 0.05, retries = 2, jitter = "full", backoff = 0.01,
                 breaker = {threshold = 0.5, window = 20, min_calls = 10, open_for = 1}}}},
      {name = "db", workers = 6, queue = 500, latency = 0.01},
    },
    client = {rate = 200, timeout = 1},
    faults = {{service = "db", at = 5, ["until"] = 10, mode = "slow", factor = 8},
              {service = "db", at = 13, ["until"] = 15, mode = "down"}},
    trace = trace}
  for k, v in pairs(extra or {}) do o[k] = v end
  return lab.resilience.simulate(o)
end

local function byid(t)
  local m = {}
  for _, s in ipairs(t.spans) do m[s.id] = s end
  return m
end

test("resilience/trace off by default, and leaves the run as it was", function()
  local a = run()
  eq(a.traces, nil, "no traces unless asked")
  local b = run(nil, {sample = 0.3, max = 10000})
  for _, k in ipairs{"requests", "ok", "failed", "degraded", "p50", "p99", "events"} do
    eq(b[k], a[k], k)
  end
  same(b.services, a.services)
  same(b.calls, a.calls)
  truthy(#b.traces > 100, "traces recorded: " .. #b.traces)
end)

test("resilience/trace replays by seed, another trace seed samples others", function()
  local a = run(nil, {sample = 0.05})
  local b = run(nil, {sample = 0.05})
  same(a.traces, b.traces)
  local c = run(nil, {sample = 0.05, seed = 99})
  truthy(c.traces[1].trace_id ~= a.traces[1].trace_id, "another seed, other ids")
  truthy(c.traces[1].start ~= a.traces[1].start, "another seed, other requests sampled")
end)

test("resilience/trace sampling share and max", function()
  local r = run(nil, {sample = 0.1, max = 10000})
  local n, p = r.requests - r.unfinished, 0.1
  local sd = math.sqrt(n * p * (1 - p))
  truthy(math.abs(#r.traces - n * p) < 5 * sd,
         ("%d traces of %d requests"):format(#r.traces, n))
  eq(#run(nil, {sample = 1, max = 7}).traces, 7, "max")
  eq(#run(nil, true).traces > 0, true, "trace = true")
  raises(function() run(nil, {sample = 2}) end, "between 0 and 1")
  raises(function() run(nil, 3) end, "must be {")
  raises(function() run(nil, {max = 0}) end, "max")
end)

-- Every request traced: the spans count what the run counts.
test("resilience/trace spans match the run's counts", function()
  local r = run(nil, {sample = 1, max = 10000})
  eq(r.unfinished, 0, "every request finished")
  eq(#r.traces, r.requests, "one trace a request")
  local count = {}
  local function add(k) count[k] = (count[k] or 0) + 1 end
  local roots = {ok = 0, failed = 0, degraded = 0}
  for _, t in ipairs(r.traces) do
    roots[t.status] = roots[t.status] + 1
    for _, s in ipairs(t.spans) do
      if s.kind == "client" then
        local edge = s.name:match("^(%S+)")
        add(edge .. " " .. (s.status == "breaker" and "breaker" or
                            s.status == "bulkhead" and "bulkhead" or "sent"))
        if s.status == "timeout" then add(edge .. " timeout") end
        if s.attempt > 0 then add(edge .. " retry") end
      elseif s.kind == "server" then
        add(s.service .. " arrivals")
        if s.status == "rejected" then add(s.service .. " rejected") end
      end
    end
  end
  eq(roots.ok, r.ok, "ok")
  eq(roots.failed, r.failed, "failed")
  for _, c in ipairs(r.calls) do
    local e = c.from .. "->" .. c.to
    eq(count[e .. " sent"] or 0, c.attempts, e .. " attempts")
    eq(count[e .. " breaker"] or 0, c.breaker_refused, e .. " breaker")
    eq(count[e .. " timeout"] or 0, c.timeouts, e .. " timeouts")
    eq(count[e .. " retry"] or 0, c.retries, e .. " retries")
  end
  truthy((count["api->db breaker"] or 0) > 0, "the breaker refused some calls")
  truthy((count["api->db timeout"] or 0) > 0, "some calls timed out")
  for name, s in pairs(r.services) do
    eq(count[name .. " arrivals"] or 0, s.arrivals, name .. " arrivals")
    eq(count[name .. " rejected"] or 0, s.rejected, name .. " rejected")
  end
end)

-- A child starts inside its parent; it ends inside it too, unless the
-- parent is an attempt its caller stopped waiting for (timeout), or a
-- request whose service went down (crashed): the callee goes on.
test("resilience/trace parents and children", function()
  local r = run(nil, {sample = 1, max = 10000})
  local outlived = {}
  for _, t in ipairs(r.traces) do
    local m, roots = byid(t), 0
    for _, s in ipairs(t.spans) do
      eq(s.trace_id, t.trace_id, "trace id")
      truthy(s.id:match("^%x+$") and #s.id == 16, "a 16-digit span id")
      truthy(s.finish >= s.start, "finish after start")
      if not s.parent then
        roots = roots + 1
        eq(s.kind, "request", "the root is the request")
        eq(s.start, t.start, "start")
        eq(s.finish, t.finish, "finish")
      else
        local p = m[s.parent]
        truthy(p, "the parent is in the trace")
        truthy(s.start >= p.start and s.start <= p.finish, "starts inside its parent")
        if s.finish > p.finish then
          truthy(p.status == "timeout" or p.status == "crashed",
                 ("%s outlives %s (%s)"):format(s.name, p.name, p.status))
          outlived[p.status] = true
        end
        if s.kind == "server" then
          eq(p.kind, "client", "a server span's parent")
          eq(s.start, p.start, "no network: it arrives when it is sent")
        else
          truthy(p.kind ~= "client", "a client span's parent is a request or a server span")
        end
        if s.status == "timeout" then
          near(s.finish - s.start, s.service == "client" and 1 or 0.05, 1e-9, "timeout")
        end
        if s.status == "breaker" then
          eq(s.finish, s.start, "a refused call ends at once")
        end
      end
    end
    eq(roots, 1, "one root")
    local a = lab.trace.assemble(t.spans)
    eq(a.roots, 1, "assembled")
    eq(a.finish, t.finish, "the trace ends with its request")
  end
  truthy(outlived.timeout, "some server spans outlive a timed-out attempt")
end)

-- Retries are siblings: the same parent, one after the other.
test("resilience/trace retries are siblings", function()
  local r = run(nil, {sample = 1, max = 10000})
  local seen = 0
  for _, t in ipairs(r.traces) do
    local last = {}
    for _, s in ipairs(t.spans) do            -- in start order
      if s.kind == "client" then
        local key = s.parent .. " " .. s.name:match("^(%S+)")
        if s.attempt > 0 then
          local prev = last[key]
          truthy(prev, "a retry follows an attempt")
          eq(prev.attempt, s.attempt - 1, "attempt numbers")
          eq(prev.parent, s.parent, "siblings")
          truthy(s.start >= prev.finish, "after the previous attempt ended (backoff)")
          truthy(prev.status ~= "ok", "only a failed attempt is retried")
          seen = seen + 1
        else
          truthy(last[key] == nil or s.parent ~= last[key].parent or
                 s.name:match("^(%S+)") ~= "client->api", "one first attempt per call")
        end
        last[key] = s
      end
    end
  end
  truthy(seen > 10, "retries seen: " .. seen)
end)

-- A crashed service: its request span ends when it goes down, and its
-- call's later retries are not traced (a crashed process sends nothing).
test("resilience/trace crash and unfinished", function()
  local r = lab.resilience.simulate{duration = 4, drain = 0.5, seed = 2,
    services = {
      {name = "api", workers = 10, latency = 0.01,
       calls = {{to = "db", timeout = 0.2, retries = 3, backoff = 0.5, cap = 1}}},
      {name = "db", workers = 2, latency = 0.3}},
    client = {rate = 20, timeout = 0.5},
    faults = {{service = "api", at = 2, ["until"] = 2.5, mode = "down"}},
    trace = {sample = 1, max = 1000}}
  local crashed, unfinished, inflight = 0, 0, 0
  for _, t in ipairs(r.traces) do
    local m = byid(t)
    for _, s in ipairs(t.spans) do
      if s.status == "crashed" then crashed = crashed + 1 end
      if s.status == "unfinished" then
        unfinished = unfinished + 1
        eq(s.finish, 4.5, "closed at the run's end")
      end
      if s.parent and m[s.parent].status == "crashed" then
        truthy(s.start <= m[s.parent].finish, "nothing starts after the crash")
        inflight = inflight + 1
      end
    end
  end
  truthy(crashed > 0, "requests inside api when it went down")
  truthy(inflight > 0, "calls in flight when api went down")
  truthy(unfinished > 0, "db still working for callers that gave up when the run ended")
  eq(#r.traces, r.requests - r.unfinished, "a request still open is not exported")
end)

test("resilience/trace waterfall of a run", function()
  local r = run(nil, {sample = 0.2})
  local slow = r.traces[1]
  for _, t in ipairs(r.traces) do if t.duration > slow.duration then slow = t end end
  local w = lab.trace.waterfall(slow.spans, {width = 30, digits = 3})
  truthy(w:find("request", 1, true), w)
  truthy(w:find("client->api", 1, true), w)
  local lines = 0
  for _ in w:gmatch("\n") do lines = lines + 1 end
  eq(lines, #slow.spans, "a line a span")
  local p = lab.trace.assemble(slow.spans).path
  truthy(#p > 0 and p[1].service, "the path names services")
end)
