-- feedback: a design holds only tables
-- A field that is code: it could run inside the check.
return {
  {name = "web", kind = "app", instances = 6,
   calls = {{to = "shard1", timeout = function() return 0 end}}},
  {name = "shard1", kind = "db"},
}
