-- feedback: is a function
-- a kind computed when read
return {
  {name = "web", kind = "app", calls = {{to = "db"}}},
  {name = "db", kind = function() return "cache" end},
}
