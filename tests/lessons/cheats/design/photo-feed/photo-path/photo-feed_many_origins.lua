-- feedback: cost
-- Buys headroom: nine object-store instances.
return {
  {name = "edge", kind = "cdn", memory = 1, calls = {{to = "photos", timeout = 1}}},
  {name = "photos", kind = "blob", instances = 9},
}
