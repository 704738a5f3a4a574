-- feedback: not `photos`
-- The misses go to another object store; `photos`, the one that fails, is never called.
return {
  {name = "edge", kind = "cdn", memory = 1,
   calls = {{to = "other", timeout = 1}}},
  {name = "other", kind = "blob"},
  {name = "photos", kind = "blob"},
}
