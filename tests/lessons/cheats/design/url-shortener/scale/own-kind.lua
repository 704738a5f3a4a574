-- feedback: Your design does not run
-- a kind of its own, fast and free
return {
  {name = "web", kind = "app", instances = 2, calls = {{to = "db"}}},
  {name = "db", kind = "superdb"},
}
