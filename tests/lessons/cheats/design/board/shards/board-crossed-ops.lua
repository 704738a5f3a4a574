-- feedback: same shard
-- Reads and saves of a board routed by key to different shards: reads go straight to shard1, shard2; saves through two relays in the other order.
return {
  {name = "web", kind = "app", instances = 2, route = "key",
   calls = {{to = "shard1", ops = "read", timeout = 0.5},
            {to = "shard2", ops = "read", timeout = 0.5},
            {to = "wa", ops = "write", timeout = 0.5},
            {to = "wb", ops = "write", timeout = 0.5}}},
  {name = "wa", kind = "lb", calls = {{to = "shard2", timeout = 0.5}}},
  {name = "wb", kind = "lb", calls = {{to = "shard1", timeout = 0.5}}},
  {name = "shard1", kind = "db"},
  {name = "shard2", kind = "db"},
}
