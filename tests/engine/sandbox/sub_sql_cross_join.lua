-- what: a cross join of cross joins (10^16 rows), its error swallowed
-- expect: timeout
local db = lab.sql.open()
db:exec("CREATE TABLE t(a); WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 " ..
  "FROM c WHERE x < 10000) INSERT INTO t SELECT x FROM c")
for _ = 1, 3 do
  pcall(db.query, db, "SELECT count(*) AS n FROM t a, t b, t c, t d")
end
local M = {}
function M.add(a, b) return a + b end
function M.range(n) local t = {} for i = 1, n do t[i] = i end return t end
return M
