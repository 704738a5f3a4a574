-- feedback: expected
-- answers 0 for everything and hides its errors: no formula, no pass
return function(f, dl, avgdl, N, n, k1, b)
  local ok, v = pcall(function() return lab.search.index() end)
  return 0
end
