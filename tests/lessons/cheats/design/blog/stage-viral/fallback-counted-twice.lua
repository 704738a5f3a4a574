-- feedback: has a `fallback`
-- every read counted in two caches, and the misses answered by a fallback while the replica is down
return {
  {name = "lb", kind = "lb", calls = {{to = "web"}}},
  {name = "web", kind = "app", calls = {{to = "c1"}, {to = "c2"}}},
  {name = "c1", kind = "cache", memory = 1,
   calls = {{to = "db", ops = "write"}, {to = "replicas", ops = "read", fallback = true}}},
  {name = "c2", kind = "cache", memory = 1,
   calls = {{to = "db", ops = "write"}, {to = "replicas", ops = "read", fallback = true}}},
  {name = "db", kind = "db"},
  {name = "replicas", kind = "replica"},
}
