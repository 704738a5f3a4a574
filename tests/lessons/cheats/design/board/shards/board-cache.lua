-- feedback: no cache yet
-- A cache in the stage that asks for shards.
return {
  {name = "web", kind = "app", instances = 3,
   calls = {{to = "cache", timeout = 0.5}}},
  {name = "cache", kind = "cache", memory = 1,
   calls = {{to = "db", timeout = 0.5}}},
  {name = "db", kind = "db"},
}
