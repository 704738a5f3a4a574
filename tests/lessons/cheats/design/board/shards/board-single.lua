-- feedback: Bottleneck: db
-- One database for everything.
return {
  {name = "web", kind = "app", instances = 20,
   calls = {{to = "db", timeout = 0.5}}},
  {name = "db", kind = "db"},
}
