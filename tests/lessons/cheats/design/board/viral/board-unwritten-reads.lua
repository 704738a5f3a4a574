-- feedback: is never read
-- Saves go to the shards, reads to another database nobody writes to.
return {
  {name = "web", kind = "app", instances = 6,
   calls = {{to = "cache", timeout = 0.5}}},
  {name = "cache", kind = "cache", memory = 1, route = "key",
   calls = {{to = "shard1", ops = "write"}, {to = "shard2", ops = "write"},
            {to = "shard3", ops = "write"}, {to = "shard4", ops = "write"},
            {to = "r1", ops = "read"}}},
  {name = "shard1", kind = "db"}, {name = "shard2", kind = "db"},
  {name = "shard3", kind = "db"}, {name = "shard4", kind = "db"},
  {name = "r1", kind = "db"},
}
