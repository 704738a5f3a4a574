-- what: a check that swallows its own timeout with pcall, forever
-- expect: timeout
while true do pcall(function() while true do end end) end
