-- feedback: is not available to your code
-- Tries to reach the explorer from the file.
local r = lab.interleave.explore{threads = {{}}}
return function(var) return {} end
