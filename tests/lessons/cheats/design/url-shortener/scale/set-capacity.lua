-- feedback: Your design does not run
-- a database with the workers and latency it would like
return {
  {name = "web", kind = "app", instances = 2, calls = {{to = "db"}}},
  {name = "db", kind = "db", workers = 1000, latency = 0.0001},
}
