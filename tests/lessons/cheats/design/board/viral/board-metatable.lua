-- feedback: has a metatable
-- A component whose fields come from a metatable.
local fast = setmetatable({name = "web", kind = "app"},
  {__index = {instances = 6}})
return {
  fast,
  {name = "shard1", kind = "db"},
}
