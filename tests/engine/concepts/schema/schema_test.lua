-- Lua tests of lab.schema (engine/concepts/schema/): textbook cases, and
-- closures, keys and decompositions checked by brute force on random
-- dependencies.

local S = lab.schema

test("schema/textbook_cases", function()
  eq(S.closure("A", {"A -> B", "B -> C"}), "ABC")
  eq(S.closure("D", {"A -> B"}), "D")
  same(S.keys("ABCD", {"AB -> C", "C -> D"}), {"AB"})
  same(S.keys("ABC", {"AB -> C", "C -> B"}), {"AB", "AC"})
  same({S.normal_form("ABCD", {"AB -> C", "A -> D"})}, {"1NF", "A -> D"}) -- partial dependency
  same({S.normal_form("ABCD", {"AB -> C", "C -> D"})}, {"2NF", "C -> D"}) -- transitive
  same({S.normal_form("ABC", {"AB -> C", "C -> B"})}, {"3NF", "C -> B"})  -- B is prime
  same({S.normal_form("ABC", {"A -> BC"})}, {"BCNF"})
  same(S.decompose("ABCD", {"AB -> C", "C -> D"}, "bcnf"), {"ABC", "CD"})
  same(S.decompose("ABC", {"AB -> C", "C -> B"}, "bcnf"), {"AC", "BC"})
  eq(S.preserving({"AB -> C", "C -> B"}, {"AC", "BC"}), false) -- AB -> C is lost
  same(S.decompose("ABC", {"AB -> C", "C -> B"}, "3nf"), {"ABC"})
  same(S.cover({"A -> BC", "B -> C", "A -> B", "AB -> C"}), {"A -> B", "B -> C"})
  eq(S.lossless("ABCD", {"AB -> C", "C -> D"}, {"ABC", "CD"}), true)
  eq(S.lossless("ABCD", {"AB -> C", "C -> D"}, {"ABC", "BD"}), false)
end)

test("schema/names", function()
  local fds = {"order_id -> customer_id, placed_at", "customer_id -> name, email",
    {"order_id, product", "qty"}}
  eq(S.closure("order_id", fds), "customer_id, email, name, order_id, placed_at")
  same(S.keys(fds), {"order_id, product"})
  same({S.normal_form(fds)}, {"1NF", "order_id -> customer_id, email, name, placed_at"})
  same(S.decompose(fds, "3nf"), {"customer_id, email, name", "customer_id, order_id, placed_at",
    "order_id, product, qty"})
  same(S.closure({"order_id"}, fds), S.closure("order_id", fds))
  raises(function() S.closure("A", {"A B"}) end, "written \"A %-> B\"")
  raises(function() S.closure("A", {"-> B"}) end, "empty side")
end)

-- Brute-force references over the subsets of a few letters.
local letters = {"A", "B", "C", "D", "E", "F"}
local function bits(set) local m = 0 for i, l in ipairs(letters) do if set:find(l) then m = m | (1 << (i - 1)) end end return m end
local function text(m) local t = {} for i, l in ipairs(letters) do if m & (1 << (i - 1)) ~= 0 then t[#t + 1] = l end end return table.concat(t) end
local function closure(m, fds)
  repeat
    local before = m
    for _, f in ipairs(fds) do if m & f[1] == f[1] then m = m | f[2] end end
  until m == before
  return m
end
local function random_fds(r, n)
  local fds, strs = {}, {}
  for _ = 1, r:int(1, 5) do
    local l, rr = r:int(1, (1 << n) - 1), r:int(1, (1 << n) - 1)
    fds[#fds + 1] = {l, rr}
    strs[#strs + 1] = text(l) .. " -> " .. text(rr)
  end
  return fds, strs
end

test("schema/random_closures_and_keys", function()
  local r = lab.rand.new(6)
  for _ = 1, 300 do
    local n = r:int(2, 6)
    local all = (1 << n) - 1
    local fds, strs = random_fds(r, n)
    local x = r:int(1, all)
    eq(S.closure(text(x), strs), text(closure(x, fds)), text(x) .. " under " .. table.concat(strs, "; "))
    local keys = {}
    for m = 1, all do
      if closure(m, fds) & all == all then
        local minimal = true
        for b = 0, n - 1 do
          local sub = m & ~(1 << b)
          if sub ~= m and closure(sub, fds) & all == all then minimal = false end
        end
        if minimal then keys[#keys + 1] = m end
      end
    end
    table.sort(keys, function(a, b)
      local ca, cb = 0, 0
      for i = 0, 5 do ca = ca + ((a >> i) & 1); cb = cb + ((b >> i) & 1) end
      if ca ~= cb then return ca < cb end
      return a < b
    end)
    local want = {}
    for i, k in ipairs(keys) do want[i] = text(k) end
    same(S.keys(text(all), strs), want)
  end
end)

test("schema/random_decompositions", function()
  local r = lab.rand.new(7)
  local rank = {["1NF"] = 1, ["2NF"] = 2, ["3NF"] = 3, BCNF = 4}
  for _ = 1, 200 do
    local n = r:int(2, 6)
    local all = text((1 << n) - 1)
    local _, strs = random_fds(r, n)
    local b = S.decompose(all, strs, "bcnf")
    eq(S.lossless(all, strs, b), true, "BCNF is lossless")
    for _, part in ipairs(b) do
      -- the dependencies that hold inside the part: project by closures
      local proj = {}
      local pm = bits(part)
      for m = 1, pm do
        if m & pm == m then
          local c = bits(S.closure(text(m), strs)) & pm & ~m
          if c ~= 0 then proj[#proj + 1] = text(m) .. " -> " .. text(c) end
        end
      end
      eq(S.normal_form(part, proj), "BCNF", part .. " of " .. all)
    end
    local t = S.decompose(all, strs, "3nf")
    eq(S.lossless(all, strs, t), true, "3NF is lossless")
    eq(S.preserving(strs, t), true, "3NF preserves dependencies")
    truthy(rank[S.normal_form(all, strs)] >= 1)
  end
end)
