-- feedback: same shard
-- The cache routes reads by key straight to the shards, saves through relays in another order.
return {
  {name = "web", kind = "app", instances = 6,
   calls = {{to = "cache", timeout = 0.5}}},
  {name = "cache", kind = "cache", memory = 1, route = "key",
   calls = {{to = "shard1", ops = "read", timeout = 0.5}, {to = "shard2", ops = "read", timeout = 0.5},
            {to = "shard3", ops = "read", timeout = 0.5}, {to = "shard4", ops = "read", timeout = 0.5},
            {to = "w4", ops = "write", timeout = 0.5}, {to = "w3", ops = "write", timeout = 0.5},
            {to = "w2", ops = "write", timeout = 0.5}, {to = "w1", ops = "write", timeout = 0.5}}},
  {name = "w1", kind = "lb", calls = {{to = "shard1", timeout = 0.5}}},
  {name = "w2", kind = "lb", calls = {{to = "shard2", timeout = 0.5}}},
  {name = "w3", kind = "lb", calls = {{to = "shard3", timeout = 0.5}}},
  {name = "w4", kind = "lb", calls = {{to = "shard4", timeout = 0.5}}},
  {name = "shard1", kind = "db"},
  {name = "shard2", kind = "db"},
  {name = "shard3", kind = "db"},
  {name = "shard4", kind = "db"},
}
