-- feedback: debug
local up = debug.getupvalue
return {}
