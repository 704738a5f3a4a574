-- What a learner reads off lab.plot (issue 10): a histogram has the number
-- of bins asked for, a log axis starts at the data, several series are told
-- apart along their lines.

-- Whether S holds a Braille pattern with dots (U+2801..U+28FF).
local function braille(s)
  for _, c in utf8.codes(s) do
    if c >= 0x2801 and c <= 0x28FF then return true end
  end
  return false
end

local function samples(n, seed, base)
  local r = lab.rand.new(seed or 1)
  local t = {}
  for i = 1, n do t[i] = (base or 0) + r:exponential(0.1) end
  return t
end

test("plot/histogram_has_the_bins_asked_for", function()
  for _, bins in ipairs{1, 3, 7, 10, 16, 20, 33} do
    for seed = 1, 4 do
      local x = samples(500, seed, seed * 3.7)
      local b = lab.plot.bins(x, {bins = bins})
      eq(#b.counts, bins)
      local n = 0
      for _, c in ipairs(b.counts) do n = n + c end
      eq(n, 500)
      truthy(b.edges[1] <= b.min and b.edges[#b.edges] >= b.max, "the edges cover the samples")
    end
  end
  -- and the drawing: 16 columns of bars, 16 + 1 edges on the axis
  local s = lab.plot.histogram(samples(2000, 1, 5), {bins = 16, width = 70})
  local axis = s:match("\n%s*0 (└[^\n]*)")
  truthy(axis, "an axis line")
  local ticks = select(2, axis:gsub("┬", ""))
  eq(ticks, 17)
end)

test("plot/log_axis_starts_at_the_data", function()
  local y = samples(300, 2, 5) -- from a little above 5
  local s = lab.plot.lines{series = {{name = "lat", y = y}}, logy = true, width = 60, height = 8}
  -- the lowest row is labelled 5 or has data near it; never 1
  truthy(not s:find("\n%s*1 ┤"), "the axis does not go down to 1:\n" .. s)
  local rows = {}
  for line in s:gmatch("[^\n]+") do rows[#rows + 1] = line end
  local bottom -- the last row of the plotting area (before the axis line)
  for i, line in ipairs(rows) do if line:find("└") then bottom = rows[i - 1] end end
  truthy(bottom and (braille(bottom) or bottom:find("●")), "data on the bottom row:\n" .. s)
end)

test("plot/series_told_apart", function()
  local xs, a, b = {}, {}, {}
  for i = 1, 60 do xs[i] = i; a[i] = i * i; b[i] = 3600 - i * 50 end
  for _, ascii in ipairs{false, true} do
    local s = lab.plot.lines{series = {{name = "up", x = xs, y = a}, {name = "down", x = xs, y = b}},
      width = 70, height = 12, ascii = ascii}
    local m1, m2 = ascii and "%*" or "●", ascii and "o" or "■"
    local body = s
    local n1, n2 = select(2, body:gsub(m1, "")), select(2, body:gsub(m2, ""))
    -- each line is drawn with its own mark along its length, not only at points
    truthy(n1 >= 40 and n2 >= 40, ("marks: %d and %d\n%s"):format(n1, n2, s))
    truthy(not braille(body), "no anonymous Braille dots:\n" .. s)
  end
end)
