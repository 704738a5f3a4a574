-- feedback: A design is plain data
-- Hides a function in the design, to run inside the check.
return {
  {name = "lb", kind = "lb", calls = {{to = "app"}}, hook = function() return true end},
  {name = "app", kind = "app", instances = 2, calls = {{to = "db"}}},
  {name = "db", kind = "db"},
}
