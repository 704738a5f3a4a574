-- feedback: does not run
-- A kind that is not in the catalog, with its own price.
return {
  {name = "web", kind = "supercomputer", price = 0,
   calls = {{to = "shard1"}}},
  {name = "shard1", kind = "db"},
}
