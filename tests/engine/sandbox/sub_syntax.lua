-- what: does not compile
-- expect: fail
-- feedback: sub_syntax.lua:5: unexpected symbol near 'return'
local M = {
return M
