-- Lua tests of lab.metrics: the registry and its text, labels and
-- series counts, the parser's results and errors, rate()/increase(),
-- histogram_quantile from label text, native buckets, the HDR histogram.

test("metrics/registry_expose", function()
  local r = lab.metrics.registry()
  eq(r:counter{name = "req_total", help = "Requests."}, r)
  r:gauge{name = "temp"}
  r:histogram{name = "lat", buckets = {0.1, 1}}
  r:summary{name = "size", quantiles = {0.5, 1}}
  r:inc("req_total", {code = "200"})
  r:inc("req_total", {code = "200"}, 2)
  r:inc("req_total", {code = "500"})
  r:set("temp", -3.5)
  r:inc("temp", 1)
  for _, v in ipairs{0.05, 0.1, 0.5, 3} do r:observe("lat", v) end
  for v = 1, 10 do r:observe("size", v) end
  eq(r:get("req_total", {code = "200"}), 3)
  eq(r:get("req_total", {code = "404"}), nil)
  eq(r:get("temp"), -2.5)
  local h = r:get("lat")
  eq(h.count, 4); near(h.sum, 3.65, 1e-12)
  same(h.buckets, {{0.1, 2}, {1, 3}, {math.huge, 4}})
  local s = r:get("size")
  eq(s.quantiles[0.5], 5); eq(s.quantiles[1], 10)
  local text = r:expose()
  truthy(text:find('req_total{code="200"} 3\n', 1, true))
  truthy(text:find('lat_bucket{le="+Inf"} 4\n', 1, true))
  truthy(text:find('size{quantile="0.5"} 5\n', 1, true))
  truthy(text:find("# TYPE size summary\n", 1, true))
  -- series: 2 counter + 1 gauge + (2 bounds + Inf + sum + count) + (2 + sum + count)
  eq(r:series(), 2 + 1 + 5 + 4)
  eq(r:series("req_total"), 2)
  -- the exact text reads back as the same numbers
  local fams = lab.metrics.parse(text)
  eq(#fams, 4)
  eq(fams[1].name, "req_total"); eq(fams[1].type, "counter"); eq(fams[1].help, "Requests.")
  eq(#fams[3].samples, 5)
  eq(fams[3].samples[3].labels.le, "+Inf")
  eq(fams[3].samples[3].value, 4)
end)

test("metrics/refusals", function()
  local r = lab.metrics.registry()
  r:counter{name = "c"}; r:histogram{name = "h"}
  raises(function() r:inc("c", -1) end, "only goes up")
  raises(function() r:set("c", 1) end, "only a gauge")
  raises(function() r:observe("c", 1) end, "only a histogram or a summary")
  raises(function() r:inc("nope") end, "no metric named 'nope'")
  raises(function() r:counter{name = "c"} end, "already registered")
  raises(function() r:counter{name = "a-b"} end, "must match")
  raises(function() r:observe("h", {le = "1"}, 1) end, "'le' is the bucket label")
  raises(function() r:inc("c", {__x = "1"}) end, "reserved")
  raises(function() r:inc("c", {code = 200}) end, "table of strings")
  raises(function() r:histogram{name = "h2", buckets = {1, 0.5}} end, "strictly increasing")
  raises(function() r:histogram{name = "h3", schema = 9} end, "between %-4 and 8")
  raises(function() r:observe("h", 0 / 0) end, "NaN")
  raises(function() r:counter{nme = "x"} end, "did you mean 'name'")
end)

test("metrics/parse_errors", function()
  local fams, err = lab.metrics.parse('ok 1\nbad{x="1} 2\n')
  eq(fams, nil)
  eq(err, "line 2, column 12: the label value has no closing quote")
  fams, err = lab.metrics.parse("# TYPE a counter\na 1\n# TYPE a counter\n")
  eq(err, "line 3, column 8: a second TYPE line for this metric")
  fams, err = lab.metrics.parse("a 1\nb 1\na 2\n")
  eq(err, "line 3, column 1: the lines of this metric are not in one group")
  fams = lab.metrics.parse('# HELP a Two\\nlines \\\\ here\na{b="x\\"y\\n"} +Inf 1700000000000\n')
  eq(fams[1].help, "Two\nlines \\ here")
  eq(fams[1].samples[1].labels.b, 'x"y\n')
  eq(fams[1].samples[1].value, math.huge)
  eq(fams[1].samples[1].timestamp, 1700000000000)
  eq(fams[1].type, "untyped")
  -- no fixed buffer limits a value or a timestamp: a long spelling reads
  local long = lab.metrics.parse("a 0." .. ("0"):rep(100) .. "1 " .. ("0"):rep(40) .. "7\n")
  near(long[1].samples[1].value, 1e-101, 1e-110)
  eq(long[1].samples[1].timestamp, 7)
  eq(select(2, lab.metrics.parse("a 1e999\n")), "line 1, column 3: not a number")
end)

test("metrics/rate_increase", function()
  -- 1 per second, scraped every 15 s: rate 1, increase over [1m] 60
  local s = {}
  for t = 0, 300, 15 do s[#s + 1] = {t, t} end
  near(lab.metrics.rate(s, {range = 60}), 1, 1e-12)
  near(lab.metrics.increase(s, {range = 60, at = 200}), 60, 1e-9)
  -- a restart: 10, 20, 5, 15 increased by 25 over what the samples saw,
  -- extrapolated from 45 s to the 60 s window
  local r = {{5, 10}, {20, 20}, {35, 5}, {50, 15}}
  near(lab.metrics.increase(r, {range = 60, at = 60}), 25 * 60 / 45, 1e-9)
  near(lab.metrics.increase(r, {range = 60, at = 60, extrapolate = false}), 25, 1e-12)
  eq(lab.metrics.resets(r, {range = 60, at = 60}), 1)
  -- fewer than two samples in the window: NaN
  local v = lab.metrics.rate(r, {range = 10, at = 60})
  truthy(v ~= v)
  raises(function() lab.metrics.rate({{1, 1}, {1, 2}}, {range = 5}) end, "increasing")
  raises(function() lab.metrics.rate(r, {}) end, "option 'range' is required")
end)

test("metrics/histogram_quantile", function()
  local b = {{0.1, 50}, {0.2, 70}, {1, 110}, {"+Inf", 120}}
  near(lab.metrics.histogram_quantile(0.2, b), 0.048, 1e-12)
  near(lab.metrics.histogram_quantile(0.8, b), 0.72, 1e-12)
  eq(lab.metrics.histogram_quantile(1, b), 1)
  eq(lab.metrics.histogram_quantile(-0.1, b), -math.huge)
  -- equal bounds written differently are one bucket
  near(lab.metrics.histogram_quantile(0.5,
    {{"0.1", 10}, {"0.2", 10}, {"2e-1", 10}, {"2.0e-1", 10}, {"+Inf", 40}}), 0.15, 1e-12)
  local nan = lab.metrics.histogram_quantile(0.5, {{0.1, 1}, {1, 2}})
  truthy(nan ~= nan, "no +Inf bucket gives NaN")
  raises(function() lab.metrics.histogram_quantile(0.5, {{"x", 1}}) end, "le must be")
end)

test("metrics/native", function()
  local k, lo, hi = lab.metrics.native_bucket(1.5, 0)
  eq(k, 1); eq(lo, 1); eq(hi, 2)
  k, lo, hi = lab.metrics.native_bucket(-3, 1)
  eq(k, 4); near(lo, -4, 1e-12); near(hi, -2 ^ 1.5, 1e-12)
  local r = lab.metrics.registry()
  r:histogram{name = "n", buckets = {1}, schema = 3}
  for i = 1, 1000 do r:observe("n", i / 100) end
  r:observe("n", 0)
  local g = r:get("n")
  eq(g.native.schema, 3); eq(g.native.zero, 1)
  local total = g.native.zero
  for _, bk in ipairs(g.native.positive) do
    total = total + bk.count
    near(bk.upper / bk.lower, 2 ^ (1 / 8), 1e-12)
  end
  eq(total, 1001)
  -- the median of 0..10 in buckets 9 % wide lands within a bucket of 5
  local q = r:quantile("n", 0.5)
  truthy(q > 5 / 2 ^ (1 / 8) and q < 5 * 2 ^ (1 / 8), "native median " .. q)
  -- a classic histogram: the same rules as histogram_quantile
  r:histogram{name = "c", buckets = {0.1, 0.2, 1}}
  for _ = 1, 50 do r:observe("c", 0.05) end
  for _ = 1, 20 do r:observe("c", 0.15) end
  for _ = 1, 40 do r:observe("c", 0.5) end
  for _ = 1, 10 do r:observe("c", 5) end
  near(r:quantile("c", 0.5), 0.15, 1e-12)
end)

test("metrics/hdr", function()
  local h = lab.metrics.hdr()
  eq(h:layout().counts_len, 23552)
  for _ = 1, 10000 do h:record(1000) end
  h:record(100000000)
  eq(h:count(), 10001)
  eq(h:value_at(99), 1000)
  local top = h:value_at(99.999)
  truthy(math.abs(top - 1e8) <= 1e8 * 0.001)
  local c = lab.metrics.hdr()
  c:record(1000, 10000)
  c:record_corrected(100000000, 10000)
  eq(c:count(), 20000)
  truthy(math.abs(c:value_at(90) - 8e7) <= 8e7 * 0.001)
  local lo, hi = c:equivalent(100000000)
  truthy(lo <= 100000000 and hi >= 100000000 and (hi - lo) / lo < 0.001)
  raises(function() lab.metrics.hdr{sigfigs = 6} end, "between 1 and 5")
  raises(function() h:record(-1) end, "")
  raises(function() h:value_at(101) end, "between 0 and 100")
  eq(lab.metrics.hdr():min(), nil)
end)
