-- what: lab.sql writes its database to a file with VACUUM INTO
-- expect: fail
-- feedback: VACUUM is not allowed
local db = lab.sql.open()
db:exec("CREATE TABLE t(a); INSERT INTO t VALUES (1)")
db:exec("/* sneaky */ VACUUM INTO '@CREATE@'")
local M = {}
function M.add(a, b) return a + b end
function M.range(n) local t = {} for i = 1, n do t[i] = i end return t end
return M
