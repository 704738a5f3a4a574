-- feedback: cost $22,000 a month, needs <= $2,500
-- a cache that holds every segment
return {
  {name = "edge", kind = "cdn", memory = 1000, calls = {{to = "origin"}}},
  {name = "origin", kind = "origin", instances = 2},
}
