-- Lua tests of lab.plot (engine/concepts/plot/plot_lua.c). The drawings
-- themselves are specified by the golden files of test_plot.c; these tests
-- are about the binding: argument forms, options, errors, results.

local function lines_of(s)
  local t = {}
  for line in (s .. "\n"):gmatch("(.-)\n") do t[#t + 1] = line end
  return t
end

-- every line at most WIDTH columns (all glyphs lab.plot draws are one
-- column wide, and the labels here are ASCII), no trailing space, no final
-- newline; pure ASCII when ASCII is set
local function well_formed(s, width, ascii)
  truthy(type(s) == "string", "a chart is a string")
  truthy(s:sub(-1) ~= "\n", "no final newline")
  for i, line in ipairs(lines_of(s)) do
    local w = utf8.len(line)
    truthy(w, "line " .. i .. " is not UTF-8")
    truthy(w <= width, string.format("line %d is %d columns, more than %d: %s", i, w, width, line))
    truthy(not line:find(" $"), "line " .. i .. " ends in a space")
    if ascii then truthy(not line:find("[\128-\255]"), "line " .. i .. " is not ASCII: " .. line) end
  end
  return s
end

local function samples(n, seed)
  local r = lab.rand.new(seed or 1)
  local t = {}
  for i = 1, n do t[i] = r:exponential(0.1) end
  return t
end

test("plot/config_defaults", function()
  same(lab.plot.config(), {width = 72, utf8 = true})
  local s = well_formed(lab.plot.bars{ {"a", 1} }, 72)
  truthy(s:find("\u{2588}"), "UTF-8 blocks by default")
  -- the default width is used in full by a bar chart
  eq(utf8.len(lines_of(lab.plot.bars{ {"a", 1} })[1]), 72)
end)

test("plot/bars_forms", function()
  local pairs_form = lab.plot.bars{ {"lru", 0.61}, {"lfu", 0.66} }
  local named_form = lab.plot.bars{ {label = "lru", value = 0.61}, {label = "lfu", value = 0.66} }
  eq(named_form, pairs_form)
  local l = lines_of(pairs_form)
  eq(#l, 2)
  truthy(l[1]:find("^lru ") and l[1]:find("0%.61$"), l[1])
  truthy(l[2]:find("^lfu ") and l[2]:find("0%.66$"), l[2])
  -- a map is drawn in label order, whatever the hash order
  local m = lines_of(lab.plot.bars{zeta = 1, alpha = 2, mid = 3})
  truthy(m[1]:find("^alpha") and m[2]:find("^mid") and m[3]:find("^zeta"))
  -- or by value, largest first, ties by label
  local v = lines_of(lab.plot.bars({b = 1, a = 1, c = 5, d = 0/0, e = 0/0}, {sort = "value"}))
  truthy(v[1]:find("^c") and v[2]:find("^a") and v[3]:find("^b"))
  eq(v[4], "note: 2 non-finite values skipped")
  -- a plain list of numbers: labelled by position
  local n = lines_of(lab.plot.bars{5, 7})
  truthy(n[1]:find("^1 ") and n[2]:find("^2 "))
  -- numbers as labels
  truthy(lab.plot.bars{ {100, 0.5} }:find("^100 "))
end)

test("plot/bars_options", function()
  local s = well_formed(lab.plot.bars({lru = 0.61}, {format = "percent", max = 1, width = 30,
    title = "hit ratio"}), 30)
  local l = lines_of(s)
  eq(l[1], "hit ratio")
  truthy(l[2]:find("61%.0%%$"), l[2])
  truthy(lab.plot.bars({a = 2}, {format = "%.3f"}):find("2%.000$"))
  truthy(lab.plot.bars({a = 2.6}, {format = "%d req/s"}):find("3 req/s$"))
  -- half of max: half of the bar columns (width 24: "a " + 18 + " " + "0.5")
  local half = lines_of(lab.plot.bars({a = 0.5}, {max = 1, width = 24}))[1]
  eq(half, "a " .. string.rep("\u{2588}", 9) .. string.rep(" ", 10) .. "0.5")
  local ascii = well_formed(lab.plot.bars({a = 0.5, b = -1}, {ascii = true, width = 30}), 30, true)
  truthy(ascii:find("#") and ascii:find("|"), ascii)
  -- NaN values are left out, with a note
  local nan = lines_of(lab.plot.bars{ {"a", 0/0}, {"b", 1} })
  eq(#nan, 2)
  truthy(nan[2]:find("^note: 1 non%-finite value skipped"))
  eq(lab.plot.bars{}, "(no data)")
end)

test("plot/bars_errors", function()
  raises(function() lab.plot.bars() end, "table expected")
  raises(function() lab.plot.bars{ {"a"} } end, "item 1 needs a number value")
  raises(function() lab.plot.bars{ true } end, "item 1 must be a {label, value} pair")
  raises(function() lab.plot.bars{a = "x"} end, "the value of 'a' must be a number")
  raises(function() lab.plot.bars({a = 1}, {format = "%s"}) end, "option 'format'")
  raises(function() lab.plot.bars({a = 1}, {min = 2, max = 1}) end, "min < max")
  raises(function() lab.plot.bars({a = 1}, {width = 10}) end, "option 'width' must be between 16")
  raises(function() lab.plot.bars({a = 1}, {wdith = 40}) end, "unknown option 'wdith'")
  raises(function() lab.plot.bars({a = 1}, {sort = "none"}) end, "option 'sort'")
  raises(function() lab.plot.bars({a = 1}, {width = "wide"}) end, "option 'width' must be an integer, not string")
end)

test("plot/histogram", function()
  local x = samples(5000)
  local s = well_formed(lab.plot.histogram(x, {percentiles = true, title = "latency",
    xlabel = "ms"}), 72)
  local l = lines_of(s)
  eq(l[1], "latency")
  truthy(s:find("\u{25b2}p50") and s:find("\u{25b2}p99"), "percentile markers")
  truthy(l[#l]:find("^n=5000  min=") and l[#l]:find("p99="), l[#l])
  -- horizontal, ASCII, narrow
  local h = well_formed(lab.plot.histogram(x, {horizontal = true, ascii = true, width = 40,
    bins = 5, percentiles = {50}}), 40, true)
  truthy(h:find("< p50"), h)
  -- deterministic
  eq(lab.plot.histogram(x, {log = true}), lab.plot.histogram(x, {log = true}))
  -- degenerate input
  truthy(lab.plot.histogram{}:find("%(no data%)"))
  truthy(lab.plot.histogram{0/0, 1/0}:find("not binned: 2 non%-finite"))
  well_formed(lab.plot.histogram({5}, {width = 16}), 16)
  well_formed(lab.plot.histogram({1e300, -1e300, 1e308}, {width = 16, height = 2}), 16)
end)

test("plot/histogram_errors", function()
  raises(function() lab.plot.histogram({1}, {bins = 0}) end, "option 'bins' must be between 1")
  raises(function() lab.plot.histogram({1}, {height = 1}) end, "option 'height'")
  raises(function() lab.plot.histogram({1}, {percentiles = {101}}) end, "not in %(0, 100%]")
  raises(function() lab.plot.histogram({1}, {percentiles = "p99"}) end, "option 'percentiles'")
  raises(function() lab.plot.histogram({1}, {range = {3, 1}}) end, "option 'range' must have lo < hi")
  raises(function() lab.plot.histogram({1}, {range = {0, 1}, log = true}) end, "above 0")
  raises(function() lab.plot.histogram({1}, {range = 5}) end, "option 'range' must be a table")
  raises(function() lab.plot.histogram({1}, {range = {1}}) end, "pair of numbers")
  raises(function() lab.plot.histogram({1, "x"}) end, "samples%[2%] is a string")
  raises(function() lab.plot.histogram({1}, {bns = 3}) end, "unknown option 'bns'")
end)

test("plot/bins", function()
  local b = lab.plot.bins({0, 0.5, 1, 1, 2.999, 3, 4, 0/0}, {bins = 4, percentiles = {50, 100}})
  same(b.edges, {0, 1, 2, 3, 4})
  same(b.counts, {2, 2, 1, 2})
  eq(b.n, 8)
  eq(b.used, 7)
  eq(b.nonfinite, 1)
  eq(b.min, 0)
  eq(b.max, 4)
  eq(b.percentiles[50], 1)
  eq(b.percentiles[100], 4)
  local r = lab.plot.bins({-1, 5, 11}, {range = {0, 10}, bins = 2})
  same(r.edges, {0, 5, 10})
  same(r.counts, {0, 1})
  eq(r.below, 1)
  eq(r.above, 1)
  local e = lab.plot.bins({})
  same(e.edges, {})
  eq(e.min, nil)
  -- the counts always add up
  local x = samples(10000, 3)
  local big = lab.plot.bins(x, {bins = 37, exact = true})
  eq(#big.counts, 37)
  local total = 0
  for _, c in ipairs(big.counts) do total = total + c end
  eq(total, 10000)
  eq(big.edges[1], big.min)
  eq(big.edges[38], big.max)
end)

test("plot/sparkline", function()
  local s = lab.plot.sparkline({1, 2, 3, 4, 5, 6, 7, 8})
  eq(s, "\u{2581}\u{2582}\u{2583}\u{2584}\u{2585}\u{2586}\u{2587}\u{2588}  min 1  max 8")
  eq(lab.plot.sparkline({1, 2, 3, 4, 5, 6, 7, 8}, {ascii = true}), " .:-=+*#  min 1  max 8")
  eq(lab.plot.sparkline({4, 4}, {title = "flat"}), "flat \u{2584}\u{2584}  min 4  max 4")
  eq(lab.plot.sparkline({0, 0/0, 10}, {ascii = true}), "  #  min 0  max 10")
  eq(lab.plot.sparkline({5}, {min = 0, max = 10, ascii = true}), "=  min 5  max 5")
  eq(lab.plot.sparkline({}), "(no data)")
  local long = {}
  for i = 1, 1000 do long[i] = math.sin(i / 50) end
  local l = well_formed(lab.plot.sparkline(long, {width = 50}), 50)
  eq(#lines_of(l), 1)
  raises(function() lab.plot.sparkline({1}, {min = 2, max = 1}) end, "min < max")
  raises(function() lab.plot.sparkline("1 2 3") end, "list of numbers")
end)

test("plot/lines_forms", function()
  local sizes, ratios = {1, 10, 100, 1000}, {0.1, 0.3, 0.6, 0.9}
  local spec = lab.plot.lines{series = { {name = "lru", x = sizes, y = ratios} }, logx = true,
    width = 50}
  well_formed(spec, 50)
  eq(lab.plot.lines({ {name = "lru", x = sizes, y = ratios} }, {logx = true, width = 50}), spec)
  eq(lab.plot.lines{x = sizes, y = ratios, name = "lru", logx = true, width = 50}, spec)
  eq(lab.plot.lines({lru = {x = sizes, y = ratios}}, {logx = true, width = 50}), spec)
  -- a plain list: x is 1..n, no legend
  local plain = lab.plot.lines({3, 1, 4, 1, 5}, {width = 40, height = 6})
  well_formed(plain, 40)
  local pl = lines_of(plain)
  truthy(pl[#pl]:find("^ +1 +2 +3 +4 +5$"), "one unnamed series has no legend: " .. pl[#pl])
  -- a map of series is drawn in name order, with markers in the legend
  local m = lab.plot.lines{series = {zeta = {1, 2}, alpha = {2, 1}}, width = 40, height = 5}
  local l = lines_of(m)
  eq(l[#l], "\u{25cf} alpha  \u{25a0} zeta")
  local a = lab.plot.lines{series = {zeta = {1, 2}, alpha = {2, 1}}, width = 40, height = 5,
    ascii = true}
  well_formed(a, 40, true)
  eq(lines_of(a)[#lines_of(a)], "* alpha  o zeta")
end)

test("plot/lines_options", function()
  local s = lab.plot.lines{series = { {name = "a", y = {0.2, 0.4}} }, ylim = {0, 1}, height = 5,
    xlabel = "size", ylabel = "ratio", title = "T", width = 40}
  local l = lines_of(well_formed(s, 40))
  eq(l[1], "T")
  eq(l[2], "ratio")
  truthy(l[3]:find("^1 \u{2524}"), l[3])
  truthy(s:find("size"))
  -- points outside the limits are counted in a note
  local o = lab.plot.lines{series = { {1, 5, 9} }, ylim = {0, 4}, width = 40, height = 4}
  truthy(o:find("note: points not shown: 2 outside the\nlimits"), o) -- wrapped at 40
  local g = lab.plot.lines{series = { {1, 0/0, 3} }, logy = true, width = 40, height = 4}
  truthy(g:find("1 non%-finite"), g)
  local z = lab.plot.scatter{series = { {name = "p", x = {0, 1, 10}, y = {1, 2, 3}} }, logx = true,
    width = 60, height = 4}
  truthy(z:find("1 <= 0 on a log axis"), z)
  well_formed(lab.plot.scatter({x = {1, 2, 3}, y = {3, 1, 2}}, nil), 72)
end)

test("plot/lines_errors", function()
  raises(function() lab.plot.lines{series = { {x = {1, 2}, y = {1}} }} end,
    "series 1 x has 2 values but y has 1")
  raises(function() lab.plot.lines{series = { {name = "lru", y = {1, "a"}} }} end,
    "series 'lru' y%[2%] is a string")
  raises(function() lab.plot.lines{series = {5}} end, "series 1 must be a list")
  raises(function() lab.plot.lines{series = 5} end, "option 'series'")
  raises(function() lab.plot.lines({true}) end, "series 1 must be")
  raises(function() lab.plot.lines("x") end, "table expected")
  raises(function() lab.plot.lines({1, 2}, {xlim = {1, 1}}) end, "option 'xlim' must have lo < hi")
  raises(function() lab.plot.lines({1, 2}, {logx = true, xlim = {0, 1}}) end, "above 0")
  raises(function() lab.plot.lines({1, 2}, {height = 500}) end, "option 'height'")
  raises(function() lab.plot.lines({1, 2}, {hieght = 5}) end, "unknown option 'hieght'")
  local many = {}
  for i = 1, 35 do many[i] = {i} end
  raises(function() lab.plot.lines{series = many} end, "too many series")
end)

test("plot/ticks", function()
  same(lab.plot.ticks(0, 1), {0, 0.2, 0.4, 0.6, 0.8, 1})
  same(lab.plot.ticks(0, 1, {max = 5}), {0, 0.25, 0.5, 0.75, 1})
  same(lab.plot.ticks(1, 1e4, {log = true}), {1, 10, 100, 1000, 10000})
  raises(function() lab.plot.ticks(1, 0) end, "lo < hi")
  raises(function() lab.plot.ticks(0, 1, {log = true}) end, "above 0")
end)

test("plot/help_and_registry", function()
  truthy(lab.help():find("lab%.plot"))
  truthy(lab.help("plot"):find("lab%.plot%.histogram"))
end)
