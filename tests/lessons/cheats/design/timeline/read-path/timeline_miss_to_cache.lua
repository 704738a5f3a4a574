-- feedback: without passing `rebuild`
-- A second, tiny cache takes the misses and reads the database: no merge.
return {
  {name = "lb", kind = "lb", calls = {{to = "app"}}},
  {name = "app", kind = "app", instances = 2,
   calls = {{to = "timelines", ops = "read", timeout = 1},
            {to = "db", ops = "write", timeout = 1}}},
  {name = "timelines", kind = "cache", memory = 0.5, calls = {{to = "fake"}}},
  {name = "fake", kind = "cache", memory = 0.01, calls = {{to = "db"}}},
  {name = "db", kind = "db"},
}
