-- feedback: needs <= $450
-- a limiter of 40 instances
return {
  {name = "lb", kind = "lb", calls = {{to = "gateways"}}},
  {name = "gateways", kind = "app", instances = 2,
   calls = {{to = "limiter", timeout = 0.05}, {to = "api"}}},
  {name = "limiter", kind = "limiter", instances = 40,
   limit = {rate = 3000, burst = 3000}},
  {name = "api", kind = "app"},
}
