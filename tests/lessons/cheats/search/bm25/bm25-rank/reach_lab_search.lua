-- feedback: lab.search is not available to your code
return function(docs, query, n)
  local idx = lab.search.index()
  for i, d in ipairs(docs) do idx:add(i, d) end
  return idx:search(query, n)
end
