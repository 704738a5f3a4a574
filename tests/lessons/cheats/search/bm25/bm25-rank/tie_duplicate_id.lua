-- feedback: the reference returned
-- returns the best hit twice in place of its tied neighbour
local function terms(text)
  local out = {}
  for w in text:gmatch("[%w\128-\255]+") do out[#out + 1] = w:lower() end
  return out
end
return function(docs, query, n)
  local tf, dl, df, total = {}, {}, {}, 0
  for i, d in ipairs(docs) do
    local counts, list = {}, terms(d)
    for _, t in ipairs(list) do
      if not counts[t] then df[t] = (df[t] or 0) + 1 end
      counts[t] = (counts[t] or 0) + 1
    end
    tf[i], dl[i], total = counts, #list, total + #list
  end
  local N, k1, b = #docs, 1.2, 0.75
  local avgdl = total / N
  local hits = {}
  for i = 1, N do
    local score, matched = 0, false
    for _, t in ipairs(terms(query)) do
      local f = tf[i][t]
      if f then
        matched = true
        local idf = math.log(1 + (N - df[t] + 0.5) / (df[t] + 0.5))
        score = score + idf * f * (k1 + 1) / (f + k1 * (1 - b + b * dl[i] / avgdl))
      end
    end
    if matched then hits[#hits + 1] = {id = i, score = score} end
  end
  table.sort(hits, function(x, y)
    if x.score ~= y.score then return x.score > y.score end
    return x.id < y.id
  end)
  local out = {}
  for i = 1, math.min(n, #hits) do
    out[i] = hits[i]
    if i > 1 and hits[i].score == out[i - 1].score then out[i] = out[i - 1] end
  end
  return out
end
