-- feedback: does not run
-- a table that only pretends to hold the components
local comps = {
  {name = "api", kind = "app", calls = {{to = "jobs", async = true}}},
  {name = "jobs", kind = "queue"},
}
return setmetatable({}, {__index = comps, __len = function() return #comps end})
