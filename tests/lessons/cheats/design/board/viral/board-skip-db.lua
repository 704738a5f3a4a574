-- feedback: reached a database
-- The web tier answers everything itself; the shard is only listed.
return {
  {name = "web", kind = "app", instances = 6},
  {name = "shard1", kind = "db"},
}
