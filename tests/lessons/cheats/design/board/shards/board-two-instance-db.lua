-- feedback: one database server
-- A single database of two instances: no sharding, twice the workers.
return {
  {name = "web", kind = "app", instances = 3,
   calls = {{to = "db", timeout = 0.5}}},
  {name = "db", kind = "db", instances = 2},
}
