-- feedback: stored before it is acknowledged
-- Posts sent async to the db
return {
  {name = "lb", kind = "lb", calls = {{to = "app"}}},
  {name = "app", kind = "app", instances = 2,
   calls = {{to = "timelines", ops = "read", timeout = 1},
            {to = "db", ops = "write", async = true}}},
  {name = "timelines", kind = "cache", memory = 0.5, calls = {{to = "rebuild"}}},
  {name = "rebuild", kind = "rebuild", instances = 2, calls = {{to = "db", timeout = 1}}},
  {name = "db", kind = "db"},
}
