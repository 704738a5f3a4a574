-- feedback: asynchronously
-- Answers the fetch before the origin sends the bytes.
return {
  {name = "edge", kind = "cdn", memory = 0.1, calls = {{to = "photos", async = true}}},
  {name = "photos", kind = "blob", instances = 2},
}
