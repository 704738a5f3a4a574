-- feedback: has a metatable
-- a design whose fields appear only through __index
local real = {
  {name = "lb", kind = "lb", calls = {{to = "api"}}},
  {name = "api", kind = "app", instances = 2},
}
return setmetatable({}, {__index = real, __len = function() return 2 end})
