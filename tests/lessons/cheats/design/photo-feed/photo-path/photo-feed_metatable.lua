-- feedback: has a metatable
-- Components that change between the check's reading and the run's.
local edge = setmetatable({name = "edge", kind = "cdn", memory = 1,
  calls = {{to = "photos", timeout = 1}}}, {__index = function() return 1 end})
return {edge, {name = "photos", kind = "blob", instances = 2}}
