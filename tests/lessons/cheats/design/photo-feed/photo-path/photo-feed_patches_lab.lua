-- feedback: p99 latency
-- Replaces lab.design.evaluate and the string library, then hands in a design that misses.
pcall(function() lab.design.evaluate = function() return {pass = true} end end)
pcall(function() _G.lab = nil end)
return {
  {name = "edge", kind = "cdn", memory = 0.1, calls = {{to = "photos", timeout = 1}}},
  {name = "photos", kind = "blob"},
}
