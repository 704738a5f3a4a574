-- Lua tests of lab.cms: never below the true count; above it by more than
-- epsilon * N for at most about a delta share of keys, over many seeds;
-- heavy hitters; merge; sizes and errors.

local function stream(seed, n, keys, s)
  local r, xs = lab.rand.new(seed), {}
  for i = 1, n do xs[i] = r:zipf(keys, s) end
  return xs
end

test("cms/bound_over_seeds", function()
  local eps, delta, n = 0.01, 0.05, 20000
  local over, queries = 0, 0
  for seed = 1, 40 do
    local c = lab.cms.new{epsilon = eps, delta = delta, seed = seed}
    local truth = {}
    for _, x in ipairs(stream(100 + seed, n, 5000, 0.8)) do
      c:add(x); truth[x] = (truth[x] or 0) + 1
    end
    for x = 1, 5000 do
      local e, t = c:estimate(x), truth[x] or 0
      if e < t then error(("seed %d key %d: estimate %d below %d"):format(seed, x, e, t)) end
      if e - t > eps * n then over = over + 1 end
      queries = queries + 1
    end
  end
  -- the bound allows delta = 5 %; count-min does far better in practice
  truthy(over / queries <= delta, ("%d of %d over the bound"):format(over, queries))
end)

test("cms/top_and_merge", function()
  local xs = stream(7, 30000, 1000, 1.2)
  local a = lab.cms.new{width = 2000, depth = 4, top = 5, seed = 3}
  local b = lab.cms.new{width = 2000, depth = 4, top = 5, seed = 3}
  local whole = lab.cms.new{width = 2000, depth = 4, top = 5, seed = 3}
  for i, x in ipairs(xs) do
    (i % 2 == 0 and a or b):add(x); whole:add(x)
  end
  eq(a:merge(b), a)
  eq(a:stats().total, 30000)
  for x = 1, 50 do eq(a:estimate(x), whole:estimate(x)) end
  local top = whole:top()
  eq(#top, 5)
  for i = 1, 5 do eq(top[i].key, i) end   -- Zipf: 1 is the most frequent
  truthy(top[1].estimate >= top[2].estimate)
  local mt = a:top()
  for i = 1, 3 do eq(mt[i].key, i); eq(mt[i].estimate, a:estimate(i)) end
  -- keys: strings and integers are distinct
  local c = lab.cms.new{width = 64, depth = 2, top = 2}
  eq(c:add("1", 5), 5); eq(c:estimate(1) <= 5, true)
  eq(c:add(2.0), c:estimate(2))
  eq(c:top()[1].key, "1")
end)

test("cms/sizes_and_errors", function()
  local w, d = lab.cms.size(0.001, 0.01)
  eq(w, 2719); eq(d, 5)
  local s = lab.cms.new{epsilon = 0.001, delta = 0.01}:stats()
  eq(s.width, 2719); eq(s.depth, 5); eq(s.bytes, 2719 * 5 * 8)
  raises(function() lab.cms.new{} end, "give width and depth, or epsilon and delta")
  raises(function() lab.cms.new{width = 10, epsilon = 0.1, delta = 0.1} end, "give width")
  raises(function() lab.cms.new{width = 10, depht = 2} end, "did you mean 'depth'")
  local c = lab.cms.new{width = 10, depth = 2}
  raises(function() c:add(0.5) end, "a fraction")
  raises(function() c:add("x", 0) end, "")
  raises(function() c:merge(lab.cms.new{width = 10, depth = 2, seed = 9}) end, "differ")
  eq(#c:top(), 0)
end)
