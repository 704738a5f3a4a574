-- feedback: degraded success
-- the edge answers a degraded success whenever the origin is slow
return {
  {name = "edge", kind = "cdn", memory = 10, calls = {{to = "origin", timeout = 0.1, fallback = true}}},
  {name = "origin", kind = "origin", instances = 1},
}
