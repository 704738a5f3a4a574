-- feedback: makes no call for a read
-- writes go to the database, reads are answered by the app itself
return {
  {name = "web", kind = "app", instances = 2, calls = {{to = "primary", ops = "write"}}},
  {name = "primary", kind = "db"},
}
