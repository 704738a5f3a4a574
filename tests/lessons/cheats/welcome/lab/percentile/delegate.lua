-- feedback: is not available to your code
return function(xs, p)
  local v = lab.plot.bins(xs, {percentiles = {p}}).percentiles[p]
  return math.tointeger(v) or v
end
