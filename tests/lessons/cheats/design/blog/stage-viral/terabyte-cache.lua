-- feedback: needs <= $1,600
-- a cache of 1 TB and one replica
return {
  {name = "lb", kind = "lb", calls = {{to = "web"}}},
  {name = "web", kind = "app", calls = {{to = "cache"}}},
  {name = "cache", kind = "cache", memory = 1000,
   calls = {{to = "db", ops = "write"}, {to = "replicas", ops = "read"}}},
  {name = "db", kind = "db"},
  {name = "replicas", kind = "replica", instances = 2},
}
