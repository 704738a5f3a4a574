-- feedback: not above the factor 2
-- near miss: >= on the short window only
local function firing(series, rule, slo)
  local pt, pb = {[0] = 0}, {[0] = 0}
  for i = 1, #series.total do
    pt[i] = pt[i - 1] + series.total[i]
    pb[i] = pb[i - 1] + series.bad[i]
  end
  local function burn(i, k)
    local j = math.max(i - k, 0)
    local t = pt[i] - pt[j]
    if t <= 0 then return 0 end
    return (pb[i] - pb[j]) / t / (1 - slo)
  end
  local kl = math.floor(rule.long / series.step + 0.5)
  local ks = math.floor(rule.short / series.step + 0.5)
  local times = {}
  for i = 1, #series.total do
    if burn(i, kl) > rule.factor and burn(i, ks) >= rule.factor then
      times[#times + 1] = i * series.step
    end
  end
  return times
end

return {firing = firing}
