-- feedback: needs <= $1,600
-- 1000 replicas: no failure can hurt
return {
  {name = "lb", kind = "lb", calls = {{to = "web"}}},
  {name = "web", kind = "app",
   calls = {{to = "db", ops = "write"}, {to = "replicas", ops = "read"}}},
  {name = "db", kind = "db"},
  {name = "replicas", kind = "replica", instances = 1000},
}
