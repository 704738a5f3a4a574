-- feedback: stops there
-- Misses go to a second edge that answers them itself.
return {
  {name = "edge", kind = "cdn", memory = 0.5, calls = {{to = "shield", timeout = 1}}},
  {name = "shield", kind = "cdn", memory = 0.5},
  {name = "photos", kind = "blob", instances = 2},
}
