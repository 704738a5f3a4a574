-- feedback: is never read
-- shard1 is listed but called by nobody: the failure hits nothing.
return {
  {name = "web", kind = "app", instances = 6,
   calls = {{to = "cache", timeout = 0.5}}},
  {name = "cache", kind = "cache", memory = 1, route = "key",
   calls = {{to = "s2", timeout = 0.5}, {to = "s3", timeout = 0.5},
            {to = "s4", timeout = 0.5}, {to = "s5", timeout = 0.5}}},
  {name = "shard1", kind = "db"},
  {name = "s2", kind = "db"}, {name = "s3", kind = "db"},
  {name = "s4", kind = "db"}, {name = "s5", kind = "db"},
}
