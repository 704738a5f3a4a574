-- feedback: is async
-- reads sent async: the app answers before the database has looked
return {
  {name = "web", kind = "app", instances = 2,
   calls = {{to = "primary", ops = "write"}, {to = "replicas", ops = "read", async = true}}},
  {name = "primary", kind = "db"},
  {name = "replicas", kind = "replica", instances = 2},
}
