-- what: creates coroutines without end, each holding a suspended frame
-- expect: memory
local all = {}
while true do
	local co = coroutine.create(function() coroutine.yield() end)
	coroutine.resume(co)
	all[#all + 1] = co
end
