-- tests/bench/db_bench.lua — the database engines through Lua, beside
-- pure-Lua equivalents: a B+tree (the algorithm of databases/indexes'
-- split exercise, inserts and gets) and an LSM tree (memtable, sorted runs,
-- tiered merges, no Bloom filters), on the same keys.

print("databases (through Lua, beside pure Lua)")

local N = 200000
local r = lab.rand.new(42)
local keys = {}
for i = 1, N do keys[i] = r:int(1, 1 << 40) end

-- A pure-Lua B+tree with lab.btree's split rules.
local function lua_btree(order)
  local function child(n, k)
    local lo, hi = 1, #n.keys + 1
    while lo < hi do
      local mid = (lo + hi) // 2
      if n.keys[mid] <= k then lo = mid + 1 else hi = mid end
    end
    return lo
  end
  local function split_leaf(n)
    local m = order // 2
    local right = {leaf = true, keys = {}, vals = {}, next = n.next}
    for i = m + 1, #n.keys do
      right.keys[#right.keys + 1] = n.keys[i]
      right.vals[#right.vals + 1] = n.vals[i]
    end
    for i = #n.keys, m + 1, -1 do n.keys[i] = nil; n.vals[i] = nil end
    n.next = right
    return right.keys[1], right
  end
  local function split_internal(n)
    local m = order // 2
    local sep = n.keys[m + 1]
    local right = {leaf = false, keys = {}, kids = {}}
    for i = m + 2, #n.keys do right.keys[#right.keys + 1] = n.keys[i] end
    for i = m + 2, #n.kids do right.kids[#right.kids + 1] = n.kids[i] end
    for i = #n.keys, m + 1, -1 do n.keys[i] = nil end
    for i = #n.kids, m + 2, -1 do n.kids[i] = nil end
    return sep, right
  end
  local function insert(n, k, v)
    if n.leaf then
      local lo, hi = 1, #n.keys + 1
      while lo < hi do
        local mid = (lo + hi) // 2
        if n.keys[mid] < k then lo = mid + 1 else hi = mid end
      end
      if n.keys[lo] == k then n.vals[lo] = v return end
      table.insert(n.keys, lo, k)
      table.insert(n.vals, lo, v)
      if #n.keys >= order then return split_leaf(n) end
      return
    end
    local c = child(n, k)
    local sep, right = insert(n.kids[c], k, v)
    if sep ~= nil then
      table.insert(n.keys, c, sep)
      table.insert(n.kids, c + 1, right)
      if #n.keys >= order then return split_internal(n) end
    end
  end
  local t = {root = {leaf = true, keys = {}, vals = {}}}
  function t:insert(k, v)
    local sep, right = insert(self.root, k, v)
    if sep ~= nil then self.root = {leaf = false, keys = {sep}, kids = {self.root, right}} end
  end
  function t:get(k)
    local n = self.root
    while not n.leaf do n = n.kids[child(n, k)] end
    local lo, hi = 1, #n.keys + 1
    while lo < hi do
      local mid = (lo + hi) // 2
      if n.keys[mid] < k then lo = mid + 1 else hi = mid end
    end
    if n.keys[lo] == k then return n.vals[lo] end
  end
  return t
end

for _, order in ipairs{16, 64} do
  compare(("btree order %d insert"):format(order), N,
    function() local t = lab.btree.new{order = order} for i = 1, N do t:insert(keys[i], i) end end,
    function() local t = lua_btree(order) for i = 1, N do t:insert(keys[i], i) end end)
  local lt, pt = lab.btree.new{order = order}, lua_btree(order)
  for i = 1, N do lt:insert(keys[i], i); pt:insert(keys[i], i) end
  compare(("btree order %d get"):format(order), N,
    function() for i = 1, N do lt:get(keys[i]) end end,
    function() for i = 1, N do pt:get(keys[i]) end end)
end

-- A pure-Lua LSM tree: a memtable (a Lua table), flushed sorted as a run to
-- level 1; `ratio` runs at a level are merged into one at the next.
local function lua_lsm(memtable, ratio)
  local t = {mem = {}, nmem = 0, levels = {}}
  local TOMB = {}
  local function merge(runs) -- newest first
    local out, pos = {}, {}
    for i = 1, #runs do pos[i] = 1 end
    while true do
      local best
      for i = 1, #runs do
        local e = runs[i][pos[i]]
        if e and (not best or e[1] < runs[best][pos[best]][1]) then best = i end
      end
      if not best then return out end
      local win = runs[best][pos[best]]
      for i = 1, #runs do
        local e = runs[i][pos[i]]
        if e and e[1] == win[1] then pos[i] = pos[i] + 1 end
      end
      out[#out + 1] = win
    end
  end
  local function flush()
    local run = {}
    for k, v in pairs(t.mem) do run[#run + 1] = {k, v} end
    table.sort(run, function(a, b) return a[1] < b[1] end)
    t.mem, t.nmem = {}, 0
    local level = 1
    table.insert(t.levels[1] or {}, 1, run)
    t.levels[1] = t.levels[1] or {run}
    while t.levels[level] and #t.levels[level] >= ratio do
      local merged = merge(t.levels[level])
      t.levels[level] = {}
      t.levels[level + 1] = t.levels[level + 1] or {}
      table.insert(t.levels[level + 1], 1, merged)
      level = level + 1
    end
  end
  function t:put(k, v)
    if self.mem[k] == nil then self.nmem = self.nmem + 1 end
    self.mem[k] = v == nil and TOMB or v
    if self.nmem >= memtable then flush() end
  end
  function t:get(k)
    local v = self.mem[k]
    if v == nil then
      for _, level in ipairs(self.levels) do
        for _, run in ipairs(level) do
          local lo, hi = 1, #run + 1
          while lo < hi do
            local mid = (lo + hi) // 2
            if run[mid][1] < k then lo = mid + 1 else hi = mid end
          end
          if run[lo] and run[lo][1] == k then v = run[lo][2] break end
        end
        if v ~= nil then break end
      end
    end
    if v == TOMB then return nil end
    return v
  end
  return t
end

compare("lsm tiered put (memtable 1024, ratio 10)", N,
  function()
    local db = lab.lsm.new{memtable = 1024, policy = "tiered", ratio = 10, bloom_bits = 0}
    for i = 1, N do db:put(keys[i], i) end
  end,
  function()
    local db = lua_lsm(1024, 10)
    for i = 1, N do db:put(keys[i], i) end
  end)
local ldb = lab.lsm.new{memtable = 1024, policy = "tiered", ratio = 10, bloom_bits = 0}
local pdb = lua_lsm(1024, 10)
for i = 1, N do ldb:put(keys[i], i); pdb:put(keys[i], i) end
compare("lsm tiered get (no Bloom filters)", N,
  function() for i = 1, N do ldb:get(keys[i]) end end,
  function() for i = 1, N do pdb:get(keys[i]) end end)

-- The 10^6-operation LSM workload through Lua, per policy.
for _, policy in ipairs{"leveled", "tiered"} do
  local n, db, st = 1000000
  local t = median_time(3, function()
    db = lab.lsm.new{memtable = 1024, policy = policy, ratio = 10}
    local g = lab.rand.new(7)
    for i = 1, n do
      local k, x = keys[(i - 1) % N + 1] % 500000, g:int(1, 16)
      if x <= 9 then db:put(k, i) elseif x <= 12 then db:delete(k) else db:get(k) end
    end
    st = db:stats()
  end)
  report(("lsm %s, 10^6 ops through Lua"):format(policy), n / t, "ops/s")
  print(("    write amplification %.2f, read amplification %.2f, space %.2f"):format(
    st.write_amp, st.read_amp, st.space_amp))
end
