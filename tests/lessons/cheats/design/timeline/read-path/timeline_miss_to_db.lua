-- feedback: without passing `rebuild`
-- cache then straight to db on miss (skips rebuild)
return {
  {name = "lb", kind = "lb", calls = {{to = "app"}}},
  {name = "app", kind = "app", instances = 2,
   calls = {{to = "timelines", ops = "read", timeout = 1},
            {to = "db", ops = "write", timeout = 1}}},
  {name = "timelines", kind = "cache", memory = 0.5, calls = {{to = "db"}}},
  {name = "db", kind = "db"},
}
