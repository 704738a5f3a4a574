-- feedback: fallback
-- A failed call answers "degraded": boards shown empty count as answered.
return {
  {name = "web", kind = "app", instances = 6,
   calls = {{to = "cache", timeout = 0.5}}},
  {name = "cache", kind = "cache", memory = 1,
   calls = {{to = "shard1", timeout = 0.5, fallback = true}}},
  {name = "shard1", kind = "db"},
}
