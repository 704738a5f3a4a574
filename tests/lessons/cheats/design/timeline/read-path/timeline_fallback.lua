-- feedback: with a `fallback`
-- One rebuilder, fallback on misses: slow or failed merges answer "degraded".
return {
  {name = "lb", kind = "lb", calls = {{to = "app"}}},
  {name = "app", kind = "app", instances = 2,
   calls = {{to = "timelines", ops = "read", timeout = 0.2, fallback = true},
            {to = "db", ops = "write", timeout = 1}}},
  {name = "timelines", kind = "cache", memory = 0.5, calls = {{to = "rebuild"}}},
  {name = "rebuild", kind = "rebuild", calls = {{to = "db"}}},
  {name = "db", kind = "db"},
}
