-- feedback: makes no call for a write
-- reads from a replica, writes sent to the replica too (it refuses
-- them) and answered anyway by a route that reaches nothing for writes
return {
  {name = "web", kind = "app", calls = {{to = "cache"}}},
  {name = "cache", kind = "cache", memory = 0.5, calls = {{to = "replicas", ops = "read"}}},
  {name = "replicas", kind = "replica"},
}
