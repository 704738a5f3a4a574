-- feedback: asynchronously
-- the page is answered before the replica read it
return {
  {name = "lb", kind = "lb", calls = {{to = "web"}}},
  {name = "web", kind = "app",
   calls = {{to = "db", ops = "write"},
            {to = "replicas", ops = "read", async = true}}},
  {name = "db", kind = "db"},
  {name = "replicas", kind = "replica", instances = 2},
}
