-- feedback: with a `fallback`
-- One origin and a fallback for its failure.
return {
  {name = "edge", kind = "cdn", memory = 1,
   calls = {{to = "photos", timeout = 1, fallback = true}}},
  {name = "photos", kind = "blob"},
}
