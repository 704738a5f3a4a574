-- what: a check that raises an error object whose __tostring never returns
-- expect: check_error
error(setmetatable({}, {__tostring = function() while true do end end}))
