-- feedback: cost
-- Buys capacity: a thousand rebuilders and no cache.
return {
  {name = "lb", kind = "lb", calls = {{to = "app"}}},
  {name = "app", kind = "app", instances = 20,
   calls = {{to = "rebuild", ops = "read", timeout = 1},
            {to = "db", ops = "write", timeout = 1}}},
  {name = "rebuild", kind = "rebuild", instances = 1000, calls = {{to = "db"}}},
  {name = "db", kind = "db"},
}
