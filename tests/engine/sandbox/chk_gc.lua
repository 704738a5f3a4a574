-- what: a check that installs a finalizer that never returns
-- expect: fail check_error
setmetatable({}, {__gc = function() while true do end end})
