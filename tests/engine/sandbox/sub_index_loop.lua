-- what: the module's __index loops when the check looks up a function
-- expect: timeout
return setmetatable({}, {__index = function() while true do end end})
