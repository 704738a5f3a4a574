-- Lua tests of lab.trie: counts, prefix listing, top-k completion and the
-- node counts against a brute force over a plain table of words, through
-- random inserts and removes over many seeds.

local function brute_complete(words, p, k)
  local list = {}
  for w, c in pairs(words) do
    if w:sub(1, #p) == p then list[#list + 1] = {word = w, count = c} end
  end
  table.sort(list, function(a, b)
    if a.count ~= b.count then return a.count > b.count end
    return a.word < b.word
  end)
  local out = {}
  for i = 1, math.min(k, #list) do out[i] = list[i] end
  return out, #list
end

local function brute_nodes(words)
  local prefixes, nexts = {[""] = true}, {}
  for w in pairs(words) do
    for i = 1, #w do
      local p = w:sub(1, i)
      prefixes[p] = true
      local parent = w:sub(1, i - 1)
      nexts[parent] = nexts[parent] or {}
      nexts[parent][w:sub(i, i)] = true
    end
  end
  local nodes, radix = 0, 0
  for p in pairs(prefixes) do
    nodes = nodes + 1
    local forks = 0
    for _ in pairs(nexts[p] or {}) do forks = forks + 1 end
    if p == "" or words[p] or forks ~= 1 then radix = radix + 1 end
  end
  return nodes, radix
end

test("trie/against_brute_force", function()
  for seed = 1, 20 do
    local r = lab.rand.new(seed)
    local t, words = lab.trie.new(), {}
    local letters = {"a", "b", "c", "d"}
    local function word()
      local s = {}
      for i = 1, r:int(0, 6) do s[i] = letters[r:zipf(4, 1)] end
      return table.concat(s)
    end
    for step = 1, 400 do
      local w = word()
      if r:uniform() < 0.25 then
        eq(t:remove(w), words[w] or 0, "remove " .. w)
        words[w] = nil
      else
        local weight = r:int(1, 5)
        words[w] = (words[w] or 0) + weight
        eq(t:insert(w, weight), words[w], "insert " .. w)
      end
      if step % 40 == 0 then
        local n = 0
        for _ in pairs(words) do n = n + 1 end
        eq(#t, n)
        local nodes, radix = brute_nodes(words)
        local st = t:stats()
        eq(st.nodes, nodes, "nodes"); eq(st.radix_nodes, radix, "radix nodes")
        for _, p in ipairs{"", "a", "ab", "ba", "ccc", "dddd"} do
          local k = r:int(1, 8)
          local want, all = brute_complete(words, p, k)
          same(t:complete(p, k), want, ("seed %d complete %q %d"):format(seed, p, k))
          local sorted = {}
          for w in pairs(words) do if w:sub(1, #p) == p then sorted[#sorted + 1] = w end end
          table.sort(sorted)
          same(t:prefix(p), sorted, "prefix " .. p)
          eq(#t:prefix(p, 2), math.min(2, all))
        end
        for _, w in ipairs{"a", "abc", "", "dd"} do eq(t:count(w), words[w] or 0, w) end
      end
    end
  end
end)

test("trie/autocomplete_example", function()
  local t = lab.trie.new()
  for _, w in ipairs{"car", "cart", "cat", "car", "dog", "cat", "car"} do t:insert(w) end
  same(t:complete("ca"), {{word = "car", count = 3}, {word = "cat", count = 2},
                          {word = "cart", count = 1}})
  same(t:complete("x"), {})
  same(t:complete("ca", 0), {})
  eq(t:stats().total, 7)
  eq(tostring(t), "lab.trie(4 words, 9 nodes)")
end)

test("trie/errors", function()
  local t = lab.trie.new()
  raises(function() t:insert(5) end, "must be a string")
  raises(function() t:insert("a", 0) end, "weight")
  raises(function() t:insert(("x"):rep(5000)) end, "4096")
  raises(function() t:complete("a", -1) end, "negative")
  eq(t:remove("nothing"), 0)
end)
