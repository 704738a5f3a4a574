-- what: loops inside a coroutine (hooks are per thread), swallowing errors
-- expect: timeout
local co = coroutine.wrap(function()
	while true do pcall(function() while true do end end) end
end)
while true do pcall(co) end
