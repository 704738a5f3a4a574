-- feedback: does not run
-- sets a component's workers itself
return {
  {name = "lb", kind = "lb", calls = {{to = "gateways"}}},
  {name = "gateways", kind = "app", instances = 2,
   calls = {{to = "limiter"}, {to = "api"}}},
  {name = "limiter", kind = "limiter", limit = {rate = 1000, burst = 1000}},
  {name = "api", kind = "app", workers = 100000},
}
