-- feedback: the database holds posts, not timelines
-- Reads go straight to the database: 5 ms instead of a 50 ms merge.
return {
  {name = "lb", kind = "lb", calls = {{to = "app"}}},
  {name = "app", kind = "app", instances = 2, calls = {{to = "db", timeout = 1}}},
  {name = "db", kind = "db"},
}
