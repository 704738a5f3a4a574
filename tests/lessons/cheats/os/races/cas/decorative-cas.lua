-- feedback: end wrong
-- a decorative cas, then a plain racy increment: the explorer must find the race
return function(var)
  return {{"cas", var, -1, -1, "ok"}, {"read", var, "r"}, {"add", "r", 1}, {"write", var, "r"}}
end
