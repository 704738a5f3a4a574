-- feedback: without passing `app`
-- A second app-kind component "app2" takes all traffic; "app" (the one that fails) gets none.
return {
  {name = "lb", kind = "lb", route = "one", calls = {{to = "app2", weight = 1000}, {to = "app", weight = 0.001}}},
  {name = "app2", kind = "app",
   calls = {{to = "timelines", ops = "read", timeout = 1},
            {to = "db", ops = "write", timeout = 1}}},
  {name = "app", kind = "app",
   calls = {{to = "timelines", ops = "read", timeout = 1},
            {to = "db", ops = "write", timeout = 1}}},
  {name = "timelines", kind = "cache", memory = 0.5, calls = {{to = "rebuild"}}},
  {name = "rebuild", kind = "rebuild", instances = 2, calls = {{to = "db", timeout = 1}}},
  {name = "db", kind = "db"},
}
