-- feedback: needs <= $1,800
-- a cache of 1 TB in front of one database
return {
  {name = "web", kind = "app", instances = 2, calls = {{to = "cache"}}},
  {name = "cache", kind = "cache", memory = 1000,
   calls = {{to = "primary", ops = "write"}, {to = "replicas", ops = "read"}}},
  {name = "primary", kind = "db"},
  {name = "replicas", kind = "replica", instances = 2},
}
