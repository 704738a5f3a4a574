-- Lua tests of lab.search: scores equal the BM25 and TF-IDF formulas
-- computed here from the token lists (random corpora, many seeds); boolean
-- and phrase queries equal a brute-force evaluation; the analyzer, the
-- options, evaluate, and the errors.

-- A random corpus: ndocs documents of words drawn by Zipf from a vocabulary.
local function corpus(seed, ndocs, vocab)
  local r, docs = lab.rand.new(seed), {}
  for d = 1, ndocs do
    local words = {}
    for i = 1, r:int(1, 40) do words[i] = "w" .. r:zipf(vocab, 1.0) end
    docs[d] = words
  end
  return docs, r
end

-- The reference: BM25 (Lucene's idf) summed over the query's terms.
local function bm25(docs, query, k1, b)
  local N, total, df = #docs, 0, {}
  for _, words in ipairs(docs) do
    total = total + #words
    local seen = {}
    for _, w in ipairs(words) do
      if not seen[w] then seen[w] = true; df[w] = (df[w] or 0) + 1 end
    end
  end
  local avgdl, scores = total / N, {}
  for d, words in ipairs(docs) do
    local f = {}
    for _, w in ipairs(words) do f[w] = (f[w] or 0) + 1 end
    local s, hit = 0, false
    for _, t in ipairs(query) do
      if f[t] then
        hit = true
        local n = df[t]
        local idf = math.log(1 + (N - n + 0.5) / (n + 0.5))
        s = s + idf * f[t] * (k1 + 1) / (f[t] + k1 * (1 - b + b * #words / avgdl))
      end
    end
    if hit then scores[#scores + 1] = {id = d, score = s} end
  end
  table.sort(scores, function(a, c)
    if a.score ~= c.score then return a.score > c.score end
    return a.id < c.id
  end)
  return scores
end

local function same_ranking(got, want, n, tol, what)
  eq(#got, math.min(n, #want), what .. ": hits")
  for i = 1, #got do
    near(got[i].score, want[i].score, tol * math.max(1, want[i].score), what .. ": score " .. i)
    -- equal scores (to rounding) may swap places
    if got[i].id ~= want[i].id then
      near(got[i].score, want[i].score, 1e-9, what .. ": rank " .. i)
    end
  end
end

test("search/bm25_equals_formula_random_corpora", function()
  for seed = 1, 25 do
    local docs, r = corpus(seed, 60 + seed, 80)
    local k1, b = 1.2, 0.75
    local opts = nil
    if seed > 15 then k1, b = r:uniform(0, 3), r:uniform(0, 1); opts = {k1 = k1, b = b} end
    local idx = lab.search.index(opts)
    for d, words in ipairs(docs) do idx:add(d, table.concat(words, " ")) end
    for _ = 1, 10 do
      local q = {}
      for i = 1, r:int(1, 4) do q[i] = "w" .. r:int(1, 100) end
      local n = r:int(1, 30)
      same_ranking(idx:search(table.concat(q, " "), n), bm25(docs, q, k1, b), n, 1e-9,
        ("seed %d query %s"):format(seed, table.concat(q, " ")))
    end
  end
end)

test("search/tfidf_equals_formula", function()
  local docs = corpus(99, 50, 30)
  local idx = lab.search.index{scorer = "tfidf"}
  for d, words in ipairs(docs) do idx:add("d" .. d, table.concat(words, " ")) end
  local df = {}
  for _, words in ipairs(docs) do
    local seen = {}
    for _, w in ipairs(words) do
      if not seen[w] then seen[w] = true; df[w] = (df[w] or 0) + 1 end
    end
  end
  for _, hit in ipairs(idx:search("w1 w7", 50)) do
    local f = {}
    for _, w in ipairs(docs[tonumber(hit.id:sub(2))]) do f[w] = (f[w] or 0) + 1 end
    local want = 0
    for _, t in ipairs{"w1", "w7"} do
      if f[t] then want = want + (1 + math.log(f[t])) * math.log(50 / df[t]) end
    end
    near(hit.score, want, 1e-9, hit.id)
  end
  truthy(#idx:search("w1 w7", 50) > 5)
end)

-- Boolean and phrase queries against a brute force over the token lists.
test("search/boolean_and_phrase_brute_force", function()
  local docs, r = corpus(7, 120, 12)
  local idx = lab.search.index()
  for d, words in ipairs(docs) do idx:add(d, table.concat(words, " ")) end
  local function has(words, t) for _, w in ipairs(words) do if w == t then return true end end end
  local function phrase(words, a, c)
    local f = 0
    for i = 1, #words - 1 do if words[i] == a and words[i + 1] == c then f = f + 1 end end
    return f
  end
  local checked = 0
  for _ = 1, 60 do
    local a, c, e = "w" .. r:int(1, 12), "w" .. r:int(1, 12), "w" .. r:int(1, 12)
    local forms = {
      {("+%s +%s"):format(a, c), function(w) return has(w, a) and has(w, c) end},
      {("%s AND %s"):format(a, c), function(w) return has(w, a) and has(w, c) end},
      {("%s -%s"):format(a, c), function(w) return has(w, a) and not has(w, c) end},
      {("%s OR %s NOT %s"):format(a, c, e),
       function(w) return (has(w, a) or has(w, c)) and not has(w, e) end},
      {('"%s %s"'):format(a, c), function(w) return phrase(w, a, c) > 0 end},
      {('+%s "%s %s"'):format(e, a, c), function(w) return has(w, e) end},
    }
    for _, form in ipairs(forms) do
      local want = {}
      for d, words in ipairs(docs) do if form[2](words) then want[d] = true end end
      local got = {}
      for _, hit in ipairs(idx:search(form[1], 1000)) do got[hit.id] = true end
      for d = 1, #docs do eq(got[d] or false, want[d] or false, form[1] .. " doc " .. d) end
      checked = checked + 1
    end
    -- a phrase's frequency and idf, through explain
    for d, words in ipairs(docs) do
      local f = phrase(words, a, c)
      local x = idx:explain(('"%s %s"'):format(a, c), d)
      eq(x.clauses[1].freq, f, "phrase freq doc " .. d)
      eq(x.matched, f > 0)
    end
  end
  eq(checked, 360)
end)

test("search/phrase_scores_as_one_term", function()
  local idx = lab.search.index()
  idx:add("a", "new york is new york")
  idx:add("b", "york new")
  idx:add("c", "a new day in york")
  local x = idx:explain('"new york"', "a")
  local ny = idx:explain("new york", "a")
  eq(x.clauses[1].freq, 2)
  near(x.clauses[1].idf, ny.clauses[1].idf + ny.clauses[2].idf, 1e-12)
  local dl, avgdl = 5, 12 / 3
  near(x.score, x.clauses[1].idf * 2 * 2.2 / (2 + 1.2 * (0.25 + 0.75 * dl / avgdl)), 1e-12)
  eq(#idx:search('"new york"'), 1)
  eq(#idx:search('"york new"'), 1)
end)

test("search/analyzer", function()
  local idx = lab.search.index()
  same(idx:analyze("Don't STOP!  e-mail 42x café"), {"don", "t", "stop", "e", "mail", "42x", "café"})
  local en = lab.search.index{stopwords = true, stemmer = "porter"}
  same(en:analyze("The connections of the relational databases"), {"connect", "relat", "databas"})
  local mine = lab.search.index{stopwords = {"Foo", "bar"}}
  same(mine:analyze("foo BAR baz"), {"baz"})
  eq(lab.search.stem("caresses"), "caress")
  eq(lab.search.stem("hopping"), "hop")
  eq(lab.search.stem("generalizations"), "gener")
  -- a stopword in a query matches nothing, and a query of them has no hits
  en:add(1, "the cat")
  eq(#en:search("the"), 0)
  eq(#en:search("cats the"), 1)
end)

test("search/ties_and_limits", function()
  local idx = lab.search.index()
  for i = 1, 30 do idx:add(i, "same text") end
  local hits = idx:search("text")
  eq(#hits, 10)
  for i = 1, 10 do eq(hits[i].id, i) end
  eq(#idx:search("text", 0), 0)
  eq(#idx:search("text", 100), 30)
  eq(#idx:search("absent"), 0)
  eq(#idx:search(""), 0)
  eq(#idx:search("-text"), 0)
  eq(#idx, 30)
  local st = idx:stats()
  eq(st.docs, 30); eq(st.terms, 2); eq(st.tokens, 60); eq(st.postings, 60); eq(st.positions, 60)
  near(st.avgdl, 2, 0)
  truthy(st.bytes > 0)
  eq(lab.search.index{positions = false}:stats().positions, 0)
end)

test("search/lucene_norms", function()
  -- a 100-term document is scored as 96 terms long (Lucene's one byte)
  local words = {}
  for i = 1, 99 do words[i] = "x" end
  local a, b = lab.search.index{norms = "lucene"}, lab.search.index()
  for _, idx in ipairs{a, b} do
    idx:add(1, "t " .. table.concat(words, " "))
    idx:add(2, "y")
  end
  eq(a:explain("t", 1).dl, 96)
  eq(b:explain("t", 1).dl, 100)
  local avgdl = 101 / 2
  local idf = math.log(1 + (2 - 1 + 0.5) / (1 + 0.5))
  near(a:search("t")[1].score, idf * 2.2 / (1 + 1.2 * (0.25 + 0.75 * 96 / avgdl)), 1e-12)
  near(b:search("t")[1].score, idf * 2.2 / (1 + 1.2 * (0.25 + 0.75 * 100 / avgdl)), 1e-12)
end)

test("search/evaluate", function()
  local e = lab.search.evaluate({"a", "b", "c"}, {a = 3, c = 1, z = 2}, 3)
  near(e.dcg, 3.5, 1e-12)
  near(e.ndcg, 3.5 / (3.5 + 2 / math.log(3, 2)), 1e-12)
  near(e.precision, 2 / 3, 1e-12); near(e.recall, 2 / 3, 1e-12)
  eq(e.hits, 2); eq(e.relevant, 3); eq(e.k, 3)
  local idx = lab.search.index()
  idx:add("a", "cat"); idx:add("b", "dog")
  local r = lab.search.evaluate(idx:search("cat dog"), {b = true})
  eq(r.k, 2); near(r.precision, 0.5, 0); near(r.recall, 1, 0)
  raises(function() lab.search.evaluate({"a"}, {a = -1}) end, "grade")
  raises(function() lab.search.evaluate({1.5}, {}) end, "ranking%[1%]")
  raises(function() lab.search.evaluate({"a"}, {a = "high"}) end, "label")
end)

test("search/errors", function()
  local idx = lab.search.index{positions = false}
  idx:add("x", "hello world")
  raises(function() idx:add("x", "again") end, "added already")
  raises(function() idx:add(1.5, "t") end, "fraction")
  raises(function() idx:add({}, "t") end, "string or an integer")
  raises(function() idx:search('"hello world"') end, "positions")
  raises(function() idx:search('"hello') end, "closing quote")
  raises(function() idx:explain("hello", "nope") end, "no document")
  raises(function() idx:search("x", -1) end, "negative")
  raises(function() lab.search.index{scorer = "bm26"} end, "bm25")
  raises(function() lab.search.index{k1 = -1} end, "k1")
  raises(function() lab.search.index{stopwords = {"a", 3}} end, "stopwords%[2%]")
  raises(function() lab.search.index{stopwords = 3} end, "stopwords")
  local words = {}
  for i = 1, 65 do words[i] = "w" .. i end
  raises(function() lab.search.index():search('"' .. table.concat(words, " ") .. '"') end, "64")
  eq(#idx:search("hello"), 1)
end)

test("search/long_tokens", function()
  -- one token of a million bytes: stems in linear time, no recursion
  eq(#lab.search.stem(("y"):rep(1000000)), 1000000)
  -- step 2 (ational -> ate), then step 4 removes ate: m is large
  truthy(lab.search.stem(("ab"):rep(500000) .. "ational") == ("ab"):rep(500000), "long stem")
  local idx = lab.search.index{stemmer = "porter"}
  idx:add(1, ("x"):rep(200000) .. "ing and more")
  eq(#idx:search(("x"):rep(200000) .. "ing"), 1)
  eq(#idx:search(("x"):rep(200000)), 0)
  eq(lab.search.stem("sky"), "sky"); eq(lab.search.stem("happy"), "happi")
  eq(lab.search.stem("syzygy"), "syzygi"); eq(lab.search.stem("yyy"), "yyi")  -- y, then y after a consonant (a vowel)
end)

-- A model of segments in Lua: refresh, log merges of the last f segments
-- of one level, deletes visible at refresh and counted in N, n and avgdl
-- until a merge purges them. Scores compared with lab.search's.
local function model(f, manual)
  local m = {docs = {}, segs = {}, searchable = 0, pending = {}, merges = 0, merged = 0}
  local function level(n)
    local l, size = 0, f
    while size <= n do l = l + 1; size = size * f end
    return l
  end
  function m.refresh()
    local added = #m.docs - m.searchable
    for _, d in ipairs(m.pending) do
      if m.docs[d].state == "deleting" then m.docs[d].state = "deleted" end
    end
    m.pending = {}
    if added > 0 then
      m.segs[#m.segs + 1] = {start = m.searchable + 1, docs = added}
      m.searchable = #m.docs
      while #m.segs >= f do
        local first = #m.segs - f + 1
        local lv, same = level(m.segs[first].docs), true
        for i = first, #m.segs do if level(m.segs[i].docs) ~= lv then same = false end end
        if not same then break end
        local start = m.segs[first].start
        local stop = m.segs[#m.segs].start + m.segs[#m.segs].docs - 1
        for d = start, stop do
          if m.docs[d].state == "deleted" then m.docs[d].state = "purged" end
        end
        for i = #m.segs, first + 1, -1 do m.segs[i] = nil end
        m.segs[first].docs = stop - start + 1
        m.merges, m.merged = m.merges + 1, m.merged + stop - start + 1
      end
    end
    return added
  end
  function m.add(words)
    m.docs[#m.docs + 1] = {words = words, state = "live"}
    if not manual then m.refresh() end
  end
  function m.delete(d)
    if not m.docs[d] or m.docs[d].state ~= "live" then return false end
    m.docs[d].state = "deleting"
    m.pending[#m.pending + 1] = d
    if not manual then m.refresh() end
    return true
  end
  function m.search(q)
    local N, total, df = 0, 0, {}
    for d = 1, m.searchable do
      local doc = m.docs[d]
      if doc.state ~= "purged" then
        N, total = N + 1, total + #doc.words
        local seen = {}
        for _, w in ipairs(doc.words) do
          if not seen[w] then seen[w] = true; df[w] = (df[w] or 0) + 1 end
        end
      end
    end
    local hits = {}
    for d = 1, m.searchable do
      local doc = m.docs[d]
      if doc.state == "live" or doc.state == "deleting" then
        local f = {}
        for _, w in ipairs(doc.words) do f[w] = (f[w] or 0) + 1 end
        local s, hit = 0, false
        for _, t in ipairs(q) do
          if f[t] then
            hit = true
            local idf = math.log(1 + (N - df[t] + 0.5) / (df[t] + 0.5))
            s = s + idf * f[t] * 2.2 / (f[t] + 1.2 * (0.25 + 0.75 * #doc.words / (total / N)))
          end
        end
        if hit then hits[#hits + 1] = {id = d, score = s} end
      end
    end
    table.sort(hits, function(a, b)
      if a.score ~= b.score then return a.score > b.score end
      return a.id < b.id
    end)
    return hits, N
  end
  return m
end

test("search/segments_against_model", function()
  for seed = 1, 30 do
    local r = lab.rand.new(seed)
    local f, manual = r:int(2, 4), seed % 2 == 0
    local idx = lab.search.index{merge_factor = f, refresh = manual and "manual" or "auto"}
    local m = model(f, manual)
    for step = 1, 120 do
      local u = r:uniform()
      if u < 0.6 then
        local words = {}
        for i = 1, r:int(1, 8) do words[i] = "w" .. r:int(1, 10) end
        idx:add(#m.docs + 1, table.concat(words, " "))
        m.add(words)
      elseif u < 0.75 and #m.docs > 0 then
        local d = r:int(1, #m.docs)
        eq(idx:delete(d), m.delete(d), "delete " .. d)
      elseif u < 0.85 then
        eq(idx:refresh(), manual and m.refresh() or 0, "refresh")
      else
        local q = {"w" .. r:int(1, 10), "w" .. r:int(1, 10)}
        local want, N = m.search(q)
        local got = idx:search(table.concat(q, " "), 1000)
        eq(#got, #want, ("seed %d step %d hits"):format(seed, step))
        for i = 1, #want do
          eq(got[i].id, want[i].id)
          near(got[i].score, want[i].score, 1e-9)
        end
        eq(idx:stats().N, N, "N")
      end
      local segs = idx:segments()
      eq(#segs, #m.segs, ("seed %d step %d segments"):format(seed, step))
      for i = 1, #segs do eq(segs[i].docs, m.segs[i].docs) end
    end
    eq(idx:stats().merges, m.merges); eq(idx:stats().merged_docs, m.merged)
  end
end)

test("search/refresh_and_deletes", function()
  local idx = lab.search.index{refresh = "manual", merge_factor = 2}
  idx:add("a", "cat"); idx:add("b", "cat dog")
  eq(#idx:search("cat"), 0)                  -- not refreshed yet
  eq(idx:stats().searchable, 0)
  eq(idx:refresh(), 2)
  eq(#idx:search("cat"), 2)
  same(idx:segments(), {{docs = 2, deleted = 0}}) -- one refresh, one segment
  eq(idx:delete("a"), true); eq(idx:delete("a"), false); eq(idx:delete("zzz"), false)
  eq(#idx:search("cat"), 2)                  -- the delete waits for a refresh
  idx:refresh()
  eq(#idx:search("cat"), 1)
  eq(idx:explain("cat", "b").N, 2)           -- still counted until merged
  eq(idx:stats().deleted, 1)
  same(idx:segments(), {{docs = 2, deleted = 1}})
  idx:add("c", "bird"); idx:add("d", "fish"); idx:refresh()  -- 2 + 2: merged
  same(idx:segments(), {{docs = 4, deleted = 0}})
  eq(idx:explain("cat", "b").N, 3)           -- purged by the merge
  eq(idx:explain("cat", "a").matched, false)
  raises(function() lab.search.index{merge_factor = 1} end, "merge_factor")
  raises(function() lab.search.index{refresh = "never"} end, "refresh")
end)
