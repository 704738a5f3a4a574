-- what: xpcall whose message handler loops and retries
-- expect: timeout
local function again()
	xpcall(function() while true do end end, function() again() end)
end
while true do pcall(again) end
