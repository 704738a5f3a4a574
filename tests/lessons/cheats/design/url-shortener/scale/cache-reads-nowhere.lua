-- feedback: makes no call for a read
-- a cache whose misses have no eligible call: they reply with nothing
return {
  {name = "web", kind = "app", instances = 2, calls = {{to = "cache"}}},
  {name = "cache", kind = "cache", memory = 0.5,
   calls = {{to = "primary", ops = "write"}}},
  {name = "primary", kind = "db"},
}
