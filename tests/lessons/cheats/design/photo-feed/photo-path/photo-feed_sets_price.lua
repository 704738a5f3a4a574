-- feedback: Your design does not run
-- Names its own price for the object store.
return {
  {name = "edge", kind = "cdn", memory = 1, calls = {{to = "photos", timeout = 1}}},
  {name = "photos", kind = "blob", instances = 2, price = 0},
}
