-- feedback: has a metatable
-- a component that shows one thing to a raw read and another to a lookup
local real = {name = "db", kind = "db"}
return {
  {name = "web", kind = "app", calls = {{to = "db"}}},
  setmetatable({}, {__index = real, __len = function() return 0 end}),
}
