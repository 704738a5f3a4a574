-- what: a to-be-closed variable whose __close never returns
-- expect: timeout
do
	local x <close> = setmetatable({}, {__close = function()
		while true do pcall(function() while true do end end) end
	end})
end
return {}
