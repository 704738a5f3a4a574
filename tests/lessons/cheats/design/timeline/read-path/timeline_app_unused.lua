-- feedback: without passing `app`
-- app is listed but never called
return {
  {name = "lb", kind = "lb", calls = {{to = "front"}}},
  {name = "front", kind = "app", 
   calls = {{to = "timelines", ops = "read", timeout = 1},
            {to = "db", ops = "write", timeout = 1}}},
  {name = "timelines", kind = "cache", memory = 0.5, calls = {{to = "rebuild"}}},
  {name = "rebuild", kind = "rebuild", instances = 2, calls = {{to = "db", timeout = 1}}},
  {name = "db", kind = "db"},
  {name = "app", kind = "app"},
}
