-- feedback: needs <= $800
-- a database the size of a data centre
return {
  {name = "lb", kind = "lb", calls = {{to = "web"}}},
  {name = "web", kind = "app", calls = {{to = "db"}}},
  {name = "db", kind = "db", instances = 100},
}
