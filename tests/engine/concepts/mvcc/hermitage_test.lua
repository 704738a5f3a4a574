-- Hermitage (github.com/ept/hermitage) for lab.mvcc: the PostgreSQL
-- schedules replayed step by step, and the PostgreSQL rows of the anomaly
-- matrix reproduced level by level. See data/SOURCES.md.

local DATA = "tests/engine/concepts/mvcc/data/"

local function tsv(name)
  local rows = {}
  for line in io.lines(DATA .. name) do
    if not line:match("^#") and line ~= "" then
      local f = {}
      for field in (line .. "\t"):gmatch("([^\t]*)\t") do f[#f + 1] = field end
      rows[#rows + 1] = f
    end
  end
  return rows
end

-- The schedules: tests[name] = {anomaly, level, steps = {{txn, sql, outcome}}}
local tests, order = {}, {}
for _, f in ipairs(tsv("hermitage_postgres_schedules.tsv")) do
  local name = f[1]
  if not tests[name] then
    tests[name] = {anomaly = f[2], level = f[3], expect = f[4], steps = {}}
    order[#order + 1] = name
  end
  table.insert(tests[name].steps, {txn = f[7], sql = f[8], outcome = f[9]})
end

-- Runs one SQL statement of the schedules in transaction T. Returns "ok",
-- "rows:..." or "error".
local function rows_text(pairs_)
  if #pairs_ == 0 then return "rows:none" end
  local parts = {}
  for _, p in ipairs(pairs_) do parts[#parts + 1] = p[1] .. "=>" .. p[2] end
  return "rows:" .. table.concat(parts, ",")
end

local function statement(t, sql)
  local function write(k, v)
    local ok = t:write(k, v)
    return ok
  end
  local n, v, m, r, d
  if sql == "select * from test;" then
    return rows_text(t:scan())
  end
  n = sql:match("^select %* from test where id = (%d+);$")
  if n then
    local x = t:read(tonumber(n))
    return rows_text(x and {{tonumber(n), x}} or {})
  end
  if sql == "select * from test where id in (1,2);" then
    local out = {}
    for _, k in ipairs{1, 2} do local x = t:read(k) if x then out[#out + 1] = {k, x} end end
    return rows_text(out)
  end
  v = sql:match("^select %* from test where value = (%d+);$")
  if v then
    local out = {}
    for _, p in ipairs(t:scan()) do if p[2] == tonumber(v) then out[#out + 1] = p end end
    return rows_text(out)
  end
  m, r = sql:match("^select %* from test where value %% (%d+) = (%d+);$")
  if m then
    local out = {}
    for _, p in ipairs(t:scan()) do if p[2] % tonumber(m) == tonumber(r) then out[#out + 1] = p end end
    return rows_text(out)
  end
  v, n = sql:match("^update test set value = (%d+) where id = (%d+);$")
  if v then
    if t:read(tonumber(n)) and not write(tonumber(n), tonumber(v)) then return "error" end
    return "ok"
  end
  v, m = sql:match("^update test set value = (%d+) where value = (%d+);$")
  if v then
    for _, p in ipairs(t:scan()) do
      if p[2] == tonumber(m) and not write(p[1], tonumber(v)) then return "error" end
    end
    return "ok"
  end
  d = sql:match("^update test set value = value %+ (%d+);$")
  if d then
    for _, p in ipairs(t:scan()) do
      if not write(p[1], p[2] + tonumber(d)) then return "error" end
    end
    return "ok"
  end
  d, n = sql:match("^update test set value = value %+ (%d+) where id = (%d+);$")
  if d then
    local x = t:read(tonumber(n))
    if x and not write(tonumber(n), x + tonumber(d)) then return "error" end
    return "ok"
  end
  v = sql:match("^delete from test where value = (%d+);$")
  if v then
    for _, p in ipairs(t:scan()) do
      if p[2] == tonumber(v) and not write(p[1], nil) then return "error" end
    end
    return "ok"
  end
  n, v = sql:match("^insert into test %(id, value%) values%((%d+), (%d+)%);$")
  if n then
    return write(tonumber(n), tonumber(v)) and "ok" or "error"
  end
  error("statement not understood: " .. sql)
end

-- Replays test NAME with every transaction at LEVEL (nil: as written).
-- Returns the outcome of each step ("ok", "rows:...", "error").
local function replay(name, level)
  local db = lab.mvcc.new()
  local setup = db:begin()
  setup:write(1, 10)
  setup:write(2, 20)
  assert(setup:commit())
  local txs, got = {}, {}
  for i, s in ipairs(tests[name].steps) do
    local lv = s.sql:match("^begin; set transaction isolation level (.-);$")
    local out
    if lv then
      txs[s.txn] = db:begin(level or lv)
      out = "ok"
    elseif s.sql == "commit;" then
      out = txs[s.txn]:commit() and "ok" or "error"
    elseif s.sql == "abort;" then
      txs[s.txn]:abort()
      out = "ok"
    else
      local t = txs[s.txn]
      if t and t:status() == "aborted" then
        out = "error" -- PostgreSQL: commands ignored until the end of the block
      else
        -- after its commit a session runs statements in autocommit
        local autocommit = not t or t:status() == "committed"
        if autocommit then t = db:begin("read committed") end
        out = statement(t, s.sql)
        if autocommit then t:commit() end
      end
    end
    got[i] = out
  end
  return got
end

-- What PostgreSQL answered, with blocking mapped as documented.
local function expected(outcome)
  outcome = outcome:gsub("^blocks_until_step_%d+;", "")
  if outcome:match("^error:") then return "error" end
  return outcome
end

test("hermitage/postgres_schedules_step_by_step", function()
  eq(#order, 20)
  for _, name in ipairs(order) do
    local got = replay(name)
    for i, s in ipairs(tests[name].steps) do
      eq(got[i], expected(s.outcome), ("%s (%s at %s) step %d, %s %s"):format(name,
        tests[name].anomaly, tests[name].level, i, s.txn, s.sql))
    end
  end
end)

-- Whether the anomaly happened in a run (outcomes of the schedule's steps).
local happened = {
  G0 = function(o) return o[10] ~= "rows:1=>12,2=>22" and o[10] ~= "rows:1=>11,2=>21" end,
  G1a = function(o) return o[4]:find("101") or o[6]:find("101") end,
  G1b = function(o) return o[4]:find("101") ~= nil end,
  G1c = function(o) return o[5] == "rows:2=>22" and o[6] == "rows:1=>11" end,
  OTV = function(o) return o[8] == "rows:1=>12" or o[10] == "rows:2=>18" end,
  PMP = function(o) return o[6] == "rows:3=>30" end,
  P4 = function(o) return o[7] == "ok" and o[8] == "ok" and o[6] == "ok" end,
  ["G-single"] = function(o) return o[3] == "rows:1=>10" and o[9] == "rows:2=>18" end,
  ["G2-item"] = function(o) return o[7] == "ok" and o[8] == "ok" end,
  G2 = function(o) return o[7] == "ok" and o[8] == "ok" end,
}
-- The schedule each anomaly is judged on.
local schedule = {G0 = "pg01", G1a = "pg02", G1b = "pg03", G1c = "pg04", OTV = "pg05",
  PMP = "pg06", P4 = "pg10", ["G-single"] = "pg12", ["G2-item"] = "pg16", G2 = "pg18"}

test("hermitage/postgres_matrix_level_by_level", function()
  local matrix = tsv("hermitage_matrix.tsv")
  local header = matrix[1]
  local levels = {["read committed (default)"] = "read committed",
    ["repeatable read"] = "repeatable read", serializable = "serializable"}
  local checked = 0
  for r = 2, #matrix do
    local row = matrix[r]
    local level = row[1] == "PostgreSQL" and levels[row[2]]
    if level then
      for c = 4, #header do
        local anomaly = header[c]
        local got = happened[anomaly](replay(schedule[anomaly], level)) and "possible" or "prevented"
        eq(got, row[c], ("%s at %s"):format(anomaly, level))
        checked = checked + 1
      end
    end
  end
  eq(checked, 30)
end)

-- Read uncommitted is MySQL's, not PostgreSQL's: dirty reads happen; dirty
-- writes do not (writes are buffered).
test("hermitage/read_uncommitted", function()
  truthy(happened.G1a(replay("pg02", "read uncommitted")), "G1a aborted read")
  truthy(happened.G1b(replay("pg03", "read uncommitted")), "G1b intermediate read")
  truthy(happened.G1c(replay("pg04", "read uncommitted")), "G1c circular flow")
  truthy(not happened.G0(replay("pg01", "read uncommitted")), "G0 prevented")
end)
