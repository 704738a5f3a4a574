-- tests/bench/search_bench.lua — lab.search on a generated corpus of 10^5
-- documents (10 to 60 words each, Zipf over a 50,000-word vocabulary):
-- documents indexed per second, queries per second (2-term OR queries, a
-- 2-term AND, a phrase), and the index's memory.

print("search (lab.search, 10^5 generated documents)")

local N = 100000
local r = lab.rand.new(12)
local texts = {}
for d = 1, N do
  local words = {}
  for i = 1, r:int(10, 60) do words[i] = "w" .. r:zipf(50000, 1.0) end
  texts[d] = table.concat(words, " ")
end
local queries = {}
for i = 1, 200 do queries[i] = "w" .. r:zipf(50000, 1.0) .. " w" .. r:zipf(50000, 1.0) end

for _, opts in ipairs{{positions = true}, {positions = false}} do
  local idx
  local t = median_time(3, function()
    idx = lab.search.index(opts)
    for d = 1, N do idx:add(d, texts[d]) end
  end)
  local st = idx:stats()
  local label = opts.positions and "with positions" or "without positions"
  report("index 10^5 docs " .. label, N / t, "docs/s")
  report("  memory " .. label, st.bytes / 2^20, ("MiB (%d terms, %d postings)"):format(st.terms, st.postings))
  if opts.positions then
    local tq = median_time(3, function()
      for _, q in ipairs(queries) do idx:search(q, 10) end
    end)
    report("query: 2 terms OR, top 10", #queries / tq, "queries/s")
    tq = median_time(3, function()
      for _, q in ipairs(queries) do idx:search(q:gsub(" ", " AND "), 10) end
    end)
    report("query: 2 terms AND, top 10", #queries / tq, "queries/s")
    tq = median_time(3, function()
      for _, q in ipairs(queries) do idx:search('"' .. q .. '"', 10) end
    end)
    report("query: 2-term phrase, top 10", #queries / tq, "queries/s")
  end
end

print("trie (lab.trie, 10^5 words of a Zipf stream over 20,000 words)")
local words = {}
for i = 1, N do words[i] = ("%x"):format(r:zipf(20000, 1.0) * 2654435761 % 4294967296) end
local t
local ti = median_time(3, function()
  t = lab.trie.new()
  for i = 1, N do t:insert(words[i]) end
end)
local st = t:stats()
report("insert", N / ti, "words/s")
report("  memory", st.bytes / 2^20, ("MiB (%d words, %d nodes, %d as a radix tree)"):format(
  st.words, st.nodes, st.radix_nodes))
local prefixes = {}
for i = 1, 1000 do prefixes[i] = words[i]:sub(1, 2) end
local tc = median_time(3, function()
  for _, p in ipairs(prefixes) do t:complete(p, 10) end
end)
report("complete(2-char prefix, 10)", #prefixes / tc, "queries/s")
