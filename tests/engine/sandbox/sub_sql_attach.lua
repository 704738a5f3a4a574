-- what: lab.sql ATTACHes a file to create it and write a table into it
-- expect: fail
-- feedback: opens no file
local db = lab.sql.open()
db:exec("ATTACH '@CREATE@' AS x; CREATE TABLE x.t(a); INSERT INTO x.t VALUES (1)")
local M = {}
function M.add(a, b) return a + b end
function M.range(n) local t = {} for i = 1, n do t[i] = i end return t end
return M
