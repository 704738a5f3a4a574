-- what: returns nothing (the common mistake), so the check indexes nil
-- expect: fail
-- feedback: expected a table, got `nil`.
local M = {}
function M.add(a, b) return a + b end
