-- what: lab.sql reads the canary through ATTACH, then through a dataset path
-- expect: fail
local db = lab.sql.open()
local ok = pcall(db.exec, db, "ATTACH '@CANARY@' AS c")
assert(not ok, "ATTACH should have been refused")
local ok2 = pcall(lab.sql.open, "../../../../../..@CANARY@")
assert(not ok2, "a path as a dataset name should have been refused")
db:query("SELECT * FROM pragma_database_list WHERE file LIKE '%canary%'")
db:exec("PRAGMA temp_store_directory = '@CREATE@'")
local M = {}
function M.add(a, b) return a + b end
function M.range(n) local t = {} for i = 1, n do t[i] = i end return t end
return M
