-- feedback: cost
-- A third database that only receives saves: refused by the budget (and by
-- "is never read" when a budget allows it, as in the viral stage).
return {
  {name = "web", kind = "app", instances = 3, route = "key",
   calls = {{to = "shard1", timeout = 0.5}, {to = "shard2", timeout = 0.5},
            {to = "sink", ops = "write"}}},
  {name = "shard1", kind = "db"},
  {name = "shard2", kind = "db"},
  {name = "sink", kind = "db"},
}
