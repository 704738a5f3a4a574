-- feedback: end wrong (runaway)
-- Pads the racy version with local steps, hoping the explorer must sample
-- (past max_steps every schedule is a runaway instead).
return function(w)
  local t = {}
  for i = 1, 400 do t[#t + 1] = {"add", "pad", 1} end
  for _, s in ipairs{{"read", "count", "c"}, {"add", "c", 1}, {"write", "count", "c"},
    {"read", "total", "t"}, {"add", "t", w}, {"write", "total", "t"}} do t[#t + 1] = s end
  for i = 1, 400 do t[#t + 1] = {"add", "pad", 1} end
  return t
end
