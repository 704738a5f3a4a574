-- feedback: has a fallback
-- failed reads answered "degraded", which counts as success
return {
  {name = "web", kind = "app", instances = 2,
   calls = {{to = "db", timeout = 0.02, fallback = true}}},
  {name = "db", kind = "db"},
}
