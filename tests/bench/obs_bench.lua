-- Module 11's loops through Lua: the exposition parser (MB/s), HDR
-- recording and percentile walks, PromQL's increase() against the lesson's
-- pure-Lua solution, SLO evaluation (steps per second, three rules), trace
-- assembly with its critical path, and logfmt parsing.

-- a registry of 200 series (40 counters x 5 codes) and a histogram per route
local r = lab.metrics.registry()
r:counter{name = "http_requests_total", help = "Requests."}
r:histogram{name = "http_request_duration_seconds", help = "Latency."}
for i = 1, 40 do
  for _, c in ipairs{"200", "201", "404", "500", "503"} do
    r:inc("http_requests_total", {route = "/r" .. i, code = c}, i)
  end
  r:observe("http_request_duration_seconds", {route = "/r" .. i}, i / 100)
end
local text = r:expose()
local n = 50
local t = median_time(5, function() for _ = 1, n do lab.metrics.parse(text) end end)
report(("metrics: parse the text format (%d kB)"):format(#text // 1000), #text * n / 1e6 / t, "MB/s")

local h = lab.metrics.hdr()
t = median_time(5, function() for v = 1, 1e6 do h:record(v) end end)
report("metrics: hdr record", 1e6 / t, "values/s")
t = median_time(5, function() for _ = 1, 100 do h:value_at(99.9) end end)
report("metrics: hdr value_at (23552 counters)", 100 / t, "queries/s")

local s = {}
for i = 1, 10000 do s[i] = {i * 15, i * 30 - (i % 500 == 0 and 100 or 0)} end
local function lua_increase(samples, range, at)
  local w = {}
  for _, p in ipairs(samples) do if p[1] > at - range and p[1] <= at then w[#w + 1] = p end end
  if #w < 2 then return 0 / 0 end
  local raw = w[#w][2] - w[1][2]
  for i = 2, #w do if w[i][2] < w[i - 1][2] then raw = raw + w[i - 1][2] end end
  local covered = w[#w][1] - w[1][1]
  local avg = covered / (#w - 1)
  local a, b = w[1][1] - (at - range), at - w[#w][1]
  if a >= 1.1 * avg then a = avg / 2 end
  if raw > 0 and w[1][2] >= 0 then a = math.min(a, covered * w[1][2] / raw) end
  if b >= 1.1 * avg then b = avg / 2 end
  return raw * (covered + a + b) / covered
end
-- lab reads the 10,000 {t, v} tables on every call: that is most of its time
compare("metrics: increase() over 10,000 samples", 20,
  function() for _ = 1, 20 do lab.metrics.increase(s, {range = 3600, at = 100000}) end end,
  function() for _ = 1, 20 do lua_increase(s, 3600, 100000) end end)

local series = lab.slo.series{rate = 100, step = 10, duration = 30 * 86400,
  incidents = {{at = 10 * 86400, duration = 3600, error_rate = 0.1}}}
t = median_time(3, function() lab.slo.evaluate{slo = 0.999, series = series} end)
report(("slo: evaluate 3 rules over %d steps"):format(#series.total), #series.total / t, "steps/s")

-- the same month as counters scraped every 60 s, evaluated every 60 s:
-- each window is an increase() over the samples it holds (3 days: 4,320)
local c = {step = 60, t = {0}, requests = {0}, errors = {0}}
local req, err = 0, 0
for i = 1, #series.total do
  req, err = req + series.total[i], err + series.bad[i]
  if i % 6 == 0 then
    c.t[#c.t + 1], c.requests[#c.requests + 1], c.errors[#c.errors + 1] = i * 10, req, err
  end
end
t = median_time(3, function() lab.slo.evaluate{slo = 0.999, series = c} end)
report(("slo: evaluate 3 rules over counters, %d samples"):format(#c.t), (#c.t - 1) / t, "steps/s")

local spans = {{id = "0", start = 0, finish = 100000}}
for i = 1, 20000 do
  spans[#spans + 1] = {id = tostring(i), parent = tostring(i // 8), start = i, duration = 50}
end
t = median_time(3, function() lab.trace.assemble(spans) end)
report("trace: assemble 20,001 spans + critical path", 20001 / t, "spans/s")

local logs = lab.logs.generate{n = 20000, seed = 1}
t = median_time(3, function() lab.logs.parse(logs) end)
report(("logs: parse logfmt (%d kB)"):format(#logs // 1000), #logs / 1e6 / t, "MB/s")
