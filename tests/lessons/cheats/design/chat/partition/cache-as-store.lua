-- feedback: never reach a store
-- "stores" messages in a cache that calls nothing
return {
  {name = "gateways", kind = "gateway", instances = 4,
   calls = {{to = "cache", timeout = 0.3}}},
  {name = "cache", kind = "cache", memory = 1},
}
