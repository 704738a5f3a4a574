-- feedback: never reach a store
-- a load balancer with 20,000 workers standing in for the store
return {
  {name = "gateways", kind = "gateway", instances = 4,
   calls = {{to = "fast", timeout = 0.3}}},
  {name = "fast", kind = "lb"},
}
