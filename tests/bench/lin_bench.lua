-- tests/bench/lin_bench.lua — lab.lin on Porcupine's test histories: the
-- time to check each (parsed once), the largest last, and configurations
-- explored per second.

print("lab.lin: linearizability checks of Porcupine's histories (median of 5)")
local DATA = "tests/engine/concepts/lin/data/"
local function slurp(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("a")
  f:close()
  return s
end
local rows = {}
for line in slurp(DATA .. "verdicts.tsv"):gmatch("[^\n]+") do
  local file, model = line:match("^([^#]%S*)\t(%S+)\t")
  if file then
    local text = slurp(DATA .. file)
    local h = lab.lin.parse_jepsen(text)
    local ok, st
    local t = median_time(5, function() ok, st = lab.lin.check{model = model, history = h} end)
    rows[#rows + 1] = {file = file, n = #h, t = t, ok = ok, explored = st.explored, bytes = #text}
  end
end
table.sort(rows, function(a, b) return a.bytes < b.bytes end)
local total_ops, total_t = 0, 0
for _, r in ipairs(rows) do
  total_ops, total_t = total_ops + r.explored, total_t + r.t
end
for i = math.max(1, #rows - 3), #rows do
  local r = rows[i]
  print(string.format("  %-22s %5d ops  %-5s %8.2f ms  %7d configurations",
    r.file, r.n, tostring(r.ok), r.t * 1e3, r.explored))
end
report("all 20 histories, configurations explored", total_ops / total_t, "/s")
