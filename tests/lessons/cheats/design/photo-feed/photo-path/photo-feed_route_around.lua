-- feedback: not `photos`
-- A second object store, one instance, takes 99 % of the misses; `photos` barely sees the failure.
return {
  {name = "edge", kind = "cdn", memory = 1, route = "one",
   calls = {{to = "photos", timeout = 1, weight = 1}, {to = "other", timeout = 1, weight = 99}}},
  {name = "photos", kind = "blob"},
  {name = "other", kind = "blob"},
}
