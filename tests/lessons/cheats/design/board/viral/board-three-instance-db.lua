-- feedback: one database server
-- One database of three instances behind a cache: the fault takes one instance, not the data.
return {
  {name = "web", kind = "app", instances = 6,
   calls = {{to = "cache", timeout = 0.5}}},
  {name = "cache", kind = "cache", memory = 1, 
   calls = {{to = "shard1", timeout = 0.5}}},
  {name = "shard1", kind = "db", instances = 3},
}
