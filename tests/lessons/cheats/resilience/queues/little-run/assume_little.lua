-- feedback: L is
-- Little's law assumed rather than measured: L from lambda and W
return function(reqs, from, to)
  local n, stay = 0, 0
  for _, r in ipairs(reqs) do
    if r.arrive >= from and r.arrive <= to then n = n + 1; stay = stay + r.leave - r.arrive end
  end
  local lambda = n / (to - from)
  return lambda * (n > 0 and stay / n or 0), lambda, n > 0 and stay / n or 0
end
