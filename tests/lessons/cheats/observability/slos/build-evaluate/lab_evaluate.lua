-- feedback: lab.slo is not available
return {firing = function(series, rule, slo)
  local r = lab.slo.evaluate{slo = slo, series = series, rules = {rule}}.rules[1]
  local t = {}
  for _, f in ipairs(r.fired) do t[#t + 1] = f.from end
  return t
end}
