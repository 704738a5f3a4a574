-- what: an endless result set pulled into Lua
-- expect: memory timeout
local db = lab.sql.open()
local rows = db:query("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) " ..
  "SELECT x, printf('%0100d', x) AS pad FROM c")
local M = {}
function M.add(a, b) return a + b end
function M.range(n) local t = {} for i = 1, n do t[i] = i end return t end
return M
