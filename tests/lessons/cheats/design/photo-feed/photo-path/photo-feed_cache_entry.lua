-- feedback: make it a `cdn`
-- A cheaper, faster in-memory cache in the data centre instead of the edge.
return {
  {name = "mem", kind = "cache", memory = 2, calls = {{to = "photos", timeout = 1}}},
  {name = "photos", kind = "blob", instances = 2},
}
