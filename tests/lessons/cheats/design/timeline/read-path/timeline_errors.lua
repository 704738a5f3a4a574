-- feedback: Your design does not run
-- Sets a component's speed itself.
return {
  {name = "lb", kind = "lb", calls = {{to = "app"}}},
  {name = "app", kind = "app", instances = 2, latency = 0.0001,
   calls = {{to = "timelines", ops = "read", timeout = 1},
            {to = "db", ops = "write", timeout = 1}}},
  {name = "timelines", kind = "cache", memory = 0.5, calls = {{to = "rebuild"}}},
  {name = "rebuild", kind = "rebuild", instances = 2, calls = {{to = "db"}}},
  {name = "db", kind = "db"},
}
