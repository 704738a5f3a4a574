-- feedback: async
-- Reads do not wait for the shard: fast, and empty.
return {
  {name = "web", kind = "app", instances = 6,
   calls = {{to = "cache", timeout = 0.5}}},
  {name = "cache", kind = "cache", memory = 1, route = "key",
   calls = {{to = "shard1", ops = "read", async = true},
            {to = "shard2", ops = "read", async = true},
            {to = "shard1", ops = "write"}, {to = "shard2", ops = "write"}}},
  {name = "shard1", kind = "db"}, {name = "shard2", kind = "db"},
}
