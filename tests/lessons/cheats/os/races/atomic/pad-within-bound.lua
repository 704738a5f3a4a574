-- feedback: end wrong
-- Pads the racy version with local steps (under max_steps): the explorer
-- still visits every state of two threads and finds the race.
return function(w)
  local t = {}
  for i = 1, 40 do t[#t + 1] = {"add", "pad", 1} end
  for _, s in ipairs{{"read", "count", "c"}, {"add", "c", 1}, {"write", "count", "c"},
    {"read", "total", "t"}, {"add", "t", w}, {"write", "total", "t"}} do t[#t + 1] = s end
  for i = 1, 40 do t[#t + 1] = {"add", "pad", 1} end
  return t
end
