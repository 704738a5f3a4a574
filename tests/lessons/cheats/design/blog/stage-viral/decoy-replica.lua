-- feedback: success
-- a decoy replica to take the failure: but every replica component fails
return {
  {name = "lb", kind = "lb", calls = {{to = "web"}}},
  {name = "web", kind = "app", calls = {{to = "cache"}}},
  {name = "cache", kind = "cache", memory = 1,
   calls = {{to = "db", ops = "write"}, {to = "real", ops = "read"}}},
  {name = "db", kind = "db"},
  {name = "real", kind = "replica"},
  {name = "replicas", kind = "replica"},
}
