-- feedback: needs <= $1,800
-- buy capacity: a thousand app servers and ten replica instances
return {
  {name = "web", kind = "app", instances = 1000,
   calls = {{to = "primary", ops = "write"}, {to = "replicas", ops = "read"}}},
  {name = "primary", kind = "db"},
  {name = "replicas", kind = "replica", instances = 10},
}
