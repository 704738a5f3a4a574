-- feedback: with a `fallback`
-- One origin, tiny edge, and a fallback: failed or slow fetches answer "degraded".
return {
  {name = "edge", kind = "cdn", memory = 0.1,
   calls = {{to = "photos", timeout = 0.1, fallback = true}}},
  {name = "photos", kind = "blob"},
}
