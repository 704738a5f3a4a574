-- feedback: Your design does not run
-- Buys capacity: a thousand object-store instances behind a large edge.
return {
  {name = "edge", kind = "cdn", memory = 5, calls = {{to = "photos", timeout = 1}}},
  {name = "photos", kind = "blob", instances = 1000},
}
