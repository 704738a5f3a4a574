-- Lua tests of lab.mvcc (engine/concepts/mvcc/mvcc_lua.c): the API, and
-- random histories checked for serializability by brute force.

local M = lab.mvcc

test("mvcc/api", function()
  local db = M.new{isolation = "repeatable read"}
  local t1 = db:begin()
  eq(t1:level(), "repeatable read")
  eq(t1:write("a", 1), true)
  eq(t1:read("a"), 1)
  eq(db:read("a"), nil)
  eq(t1:commit(), true)
  eq(db:read("a"), 1)
  eq(tostring(t1), "T1 (repeatable read, committed)")
  local t2, t3 = db:begin(), db:begin("serializable")
  eq(t2:write("a", 2), true)
  local ok, why = t3:write("a", 3)
  eq(ok, false)
  truthy(why:find("T2 has an uncommitted write to key 'a'"), why)
  eq(t3:status(), "aborted")
  eq(t3:commit(), false)
  raises(function() t3:read("a") end, "T3 was aborted")
  eq(t2:commit(), true)
  same(db:versions("a"), {{value = 1, tx = 1, ts = 1}, {value = 2, tx = 2, ts = 2}})
  local t4 = db:begin("read committed")
  t4:write("a", nil)
  eq(t4:read("a"), nil)
  t4:write("b", "x")
  same(t4:scan(), {{"b", "x"}})
  t4:abort()
  eq(t4:status(), "aborted")
  eq(db:read("a"), 2)
  local s = db:stats()
  eq(s.begins, 4)
  eq(s.commits, 2)
  eq(s.aborts, 2)
  eq(s.write_conflicts, 1)
  raises(function() M.new{isolation = "snapshot"} end, "must be")
  raises(function() db:begin("serialisable") end, "must be")
  raises(function() M.new{level = "serializable"} end, "only option is isolation")
end)

test("mvcc/snapshot_and_first_committer", function()
  local db = M.new{isolation = "repeatable read"}
  local setup = db:begin() setup:write(1, 10) setup:commit()
  local a, b = db:begin(), db:begin()
  eq(a:read(1), 10)
  eq(b:write(1, 11), true)
  eq(b:commit(), true)
  eq(a:read(1), 10) -- its snapshot
  local ok, why = a:write(1, 12)
  eq(ok, false)
  truthy(why:find("committed a newer version of key 1"), why)
  -- read committed sees the new value at once, and writes over it
  local c = db:begin("read committed")
  eq(c:read(1), 11)
end)

-- Random histories of small transactions, interleaved; the committed ones
-- must have a serial order that gives every read the value it saw.
local function history(level, r)
  local db = M.new{isolation = level}
  local setup = db:begin()
  for k = 1, 3 do setup:write(k, 0) end
  setup:commit()
  local txs = {}
  for i = 1, r:int(2, 5) do
    local ops = {}
    for _ = 1, r:int(2, 4) do
      local x = r:uniform()
      if x < 0.45 then ops[#ops + 1] = {"read", r:int(1, 3)}
      elseif x < 0.6 then ops[#ops + 1] = {"scan"}
      else ops[#ops + 1] = {"write", r:int(1, 3), r:int(1, 99)} end
    end
    txs[i] = {ops = ops, at = 0, log = {}}
  end
  local live = #txs
  while live > 0 do
    local i = r:int(1, #txs)
    local t = txs[i]
    if not t.done then
      if not t.tx then t.tx = db:begin() end
      t.at = t.at + 1
      local op = t.ops[t.at]
      if not op then
        t.committed = t.tx:commit()
        t.done = true
        live = live - 1
      elseif op[1] == "read" then
        t.log[#t.log + 1] = {"read", op[2], t.tx:read(op[2])}
      elseif op[1] == "scan" then
        local seen = {}
        for _, p in ipairs(t.tx:scan()) do seen[#seen + 1] = p[1] .. "=" .. p[2] end
        t.log[#t.log + 1] = {"scan", table.concat(seen, ",")}
      else
        if t.tx:write(op[2], op[3]) then
          t.log[#t.log + 1] = {"write", op[2], op[3]}
        else
          t.done = true
          live = live - 1
        end
      end
    end
  end
  local committed = {}
  for _, t in ipairs(txs) do if t.committed then committed[#committed + 1] = t end end
  local final = {}
  for k = 1, 3 do final[k] = db:read(k) end
  return committed, final
end

local function replays(order, final)
  local state = {0, 0, 0}
  for _, t in ipairs(order) do
    for _, e in ipairs(t.log) do
      if e[1] == "read" then
        if state[e[2]] ~= e[3] then return false end
      elseif e[1] == "scan" then
        local seen = {}
        for k = 1, 3 do seen[#seen + 1] = k .. "=" .. state[k] end
        if table.concat(seen, ",") ~= e[2] then return false end
      else
        state[e[2]] = e[3]
      end
    end
  end
  for k = 1, 3 do if state[k] ~= final[k] then return false end end
  return true
end

local function serializable(txs, final)
  local n, perm, used = #txs, {}, {}
  local function try(depth)
    if depth > n then return replays(perm, final) end
    for i = 1, n do
      if not used[i] then
        used[i], perm[depth] = true, txs[i]
        if try(depth + 1) then return true end
        used[i] = false
      end
    end
    return false
  end
  return try(1)
end

test("mvcc/serializable_histories_are_serializable", function()
  local r = lab.rand.new(11)
  local aborted = 0
  for h = 1, 400 do
    local committed, final = history("serializable", r)
    truthy(serializable(committed, final), "history " .. h .. " is not serializable")
    aborted = aborted + (5 - #committed)
  end
end)

test("mvcc/snapshot_isolation_allows_write_skew", function()
  local r, found = lab.rand.new(11), 0
  for _ = 1, 400 do
    local committed, final = history("repeatable read", r)
    if not serializable(committed, final) then found = found + 1 end
  end
  truthy(found > 0, "some snapshot-isolation history is not serializable")
end)
