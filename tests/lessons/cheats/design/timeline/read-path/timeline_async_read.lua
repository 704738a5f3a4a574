-- feedback: asynchronously on the read path
-- Answers reads before the timeline is fetched.
return {
  {name = "lb", kind = "lb", calls = {{to = "app"}}},
  {name = "app", kind = "app", instances = 2,
   calls = {{to = "rebuild", ops = "read", async = true},
            {to = "db", ops = "write", timeout = 1}}},
  {name = "rebuild", kind = "rebuild", calls = {{to = "db"}}},
  {name = "db", kind = "db"},
}
