-- feedback: cost
-- Buys capacity: a thousand web servers and shards of a thousand instances.
return {
  {name = "web", kind = "app", instances = 1000, route = "key",
   calls = {{to = "shard1", timeout = 0.5}, {to = "shard2", timeout = 0.5},
            {to = "shard3", timeout = 0.5}, {to = "shard4", timeout = 0.5}}},
  {name = "shard1", kind = "db", instances = 1000},
  {name = "shard2", kind = "db", instances = 1000},
  {name = "shard3", kind = "db", instances = 1000},
  {name = "shard4", kind = "db", instances = 1000},
}
