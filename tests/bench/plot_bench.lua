-- lab.plot through the binding against straightforward pure-Lua charts of
-- the same size: a histogram of 10^5 samples (20 bins, p50/p99 by sorting,
-- block-element columns) and a 4-series line plot (Braille canvas, 1000
-- points per series, x on a log scale).

local N, NPTS = 100000, 1000
local r = lab.rand.new(1)
local samples = {}
for i = 1, N do samples[i] = r:exponential(0.05) + (r:uniform() < 0.01 and 100 or 0) end
local xs, ys = {}, {{}, {}, {}, {}}
for i = 1, NPTS do
  xs[i] = 10 ^ (1 + 3 * (i - 1) / NPTS)
  for k = 1, 4 do ys[k][i] = (1 - math.exp(-xs[i] / (1000 * k))) * (0.9 + 0.02 * k) end
end

local blocks = {" ", "\u{2581}", "\u{2582}", "\u{2583}", "\u{2584}", "\u{2585}", "\u{2586}",
  "\u{2587}", "\u{2588}"}

local function lua_histogram(x, bins, height)
  local lo, hi = math.huge, -math.huge
  for i = 1, #x do
    local v = x[i]
    if v < lo then lo = v end
    if v > hi then hi = v end
  end
  local counts, w = {}, (hi - lo) / bins
  for b = 1, bins do counts[b] = 0 end
  for i = 1, #x do
    local b = math.floor((x[i] - lo) / w) + 1
    if b > bins then b = bins end
    counts[b] = counts[b] + 1
  end
  local sorted = table.move(x, 1, #x, 1, {})
  table.sort(sorted)
  local p50, p99 = sorted[math.ceil(0.5 * #x)], sorted[math.ceil(0.99 * #x)]
  local top = 0
  for b = 1, bins do if counts[b] > top then top = counts[b] end end
  local rows = {}
  for row = height - 1, 0, -1 do
    local line = {}
    for b = 1, bins do
      local e = math.floor(counts[b] / top * height * 8 + 0.5) - row * 8
      local cell = blocks[math.max(0, math.min(8, e)) + 1]
      line[#line + 1] = cell .. cell .. cell
    end
    rows[#rows + 1] = string.format("%6d |", row) .. table.concat(line)
  end
  rows[#rows + 1] = string.format("p50=%g p99=%g", p50, p99)
  return table.concat(rows, "\n")
end

local function lua_lines(series, width, height)
  local xlo, xhi, ylo, yhi = math.huge, -math.huge, math.huge, -math.huge
  for _, s in ipairs(series) do
    for i = 1, #s.x do
      local x, y = math.log(s.x[i], 10), s.y[i]
      xlo, xhi = math.min(xlo, x), math.max(xhi, x)
      ylo, yhi = math.min(ylo, y), math.max(yhi, y)
    end
  end
  local pw, ph = width * 2, height * 4
  local dots = {}
  for c = 1, width * height do dots[c] = 0 end
  local bit = {{0x01, 0x08}, {0x02, 0x10}, {0x04, 0x20}, {0x40, 0x80}}
  local function dot(px, py)
    local c = (py // 4) * width + px // 2 + 1
    dots[c] = dots[c] | bit[py % 4 + 1][px % 2 + 1]
  end
  for _, s in ipairs(series) do
    local px0, py0
    for i = 1, #s.x do
      local px = math.floor((math.log(s.x[i], 10) - xlo) / (xhi - xlo) * (pw - 1) + 0.5)
      local py = math.floor((yhi - s.y[i]) / (yhi - ylo) * (ph - 1) + 0.5)
      if px0 then
        local steps = math.max(math.abs(px - px0), math.abs(py - py0), 1)
        for k = 0, steps do
          dot(px0 + (px - px0) * k // steps, py0 + (py - py0) * k // steps)
        end
      end
      px0, py0 = px, py
    end
  end
  local rows = {}
  for row = 0, height - 1 do
    local line = {}
    for col = 1, width do
      local b = dots[row * width + col]
      line[col] = b == 0 and " " or utf8.char(0x2800 + b)
    end
    rows[#rows + 1] = "|" .. table.concat(line)
  end
  return table.concat(rows, "\n")
end

local series = {}
for k = 1, 4 do series[k] = {name = "s" .. k, x = xs, y = ys[k]} end

print("lab.plot (through Lua; a chart is one op)")
local reps = 20
compare("histogram, 10^5 samples, p50/p99", reps, function()
  for _ = 1, reps do lab.plot.histogram(samples, {percentiles = true}) end
end, function()
  for _ = 1, reps do lua_histogram(samples, 20, 10) end
end)
local t = median_time(5, function() lab.plot.histogram(samples, {percentiles = true}) end)
report("histogram, 10^5 samples (ms per chart)", t * 1000, "ms")
compare("lines, 4 series x 1000 points", reps, function()
  for _ = 1, reps do lab.plot.lines{series = series, logx = true, width = 72} end
end, function()
  for _ = 1, reps do lua_lines(series, 68, 15) end
end)
t = median_time(5, function() lab.plot.lines{series = series, logx = true, width = 72} end)
report("lines, 4 x 1000 points (ms per chart)", t * 1000, "ms")
