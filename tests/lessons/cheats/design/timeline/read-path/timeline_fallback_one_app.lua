-- feedback: with a `fallback`
-- One app, the lb falls back when it is down.
return {
  {name = "lb", kind = "lb", calls = {{to = "app", timeout = 0.2, fallback = true}}},
  {name = "app", kind = "app",
   calls = {{to = "timelines", ops = "read", timeout = 1},
            {to = "db", ops = "write", timeout = 1}}},
  {name = "timelines", kind = "cache", memory = 0.5, calls = {{to = "rebuild"}}},
  {name = "rebuild", kind = "rebuild", calls = {{to = "db"}}},
  {name = "db", kind = "db"},
}
