-- feedback: cost
-- A cache of 1 TB holds every board there is.
return {
  {name = "web", kind = "app", instances = 6,
   calls = {{to = "cache", timeout = 0.5}}},
  {name = "cache", kind = "cache", memory = 1000, route = "key",
   calls = {{to = "shard1", timeout = 0.5}, {to = "shard2", timeout = 0.5},
            {to = "shard3", timeout = 0.5}, {to = "shard4", timeout = 0.5}}},
  {name = "shard1", kind = "db"}, {name = "shard2", kind = "db"},
  {name = "shard3", kind = "db"}, {name = "shard4", kind = "db"},
}
