-- what: a finalizer that never returns (it would run with hooks off)
-- expect: fail
-- feedback: __gc
setmetatable({}, {__gc = function() while true do end end})
collectgarbage()
return {}
