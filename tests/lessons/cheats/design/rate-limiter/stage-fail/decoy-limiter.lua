-- feedback: success
-- a decoy named `limiter` takes the failure; the real one has 1 instance
return {
  {name = "lb", kind = "lb", calls = {{to = "gateways"}}},
  {name = "gateways", kind = "app", instances = 2,
   calls = {{to = "real", timeout = 0.05}, {to = "api"}}},
  {name = "real", kind = "limiter", limit = {rate = 3000, burst = 3000}},
  {name = "limiter", kind = "limiter", limit = {rate = 3000, burst = 3000}},
  {name = "api", kind = "app"},
}
