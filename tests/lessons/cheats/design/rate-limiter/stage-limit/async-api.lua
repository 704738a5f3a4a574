-- feedback: asynchronously
-- answers before the API has worked
return {
  {name = "lb", kind = "lb", calls = {{to = "gateways"}}},
  {name = "gateways", kind = "app", instances = 2,
   calls = {{to = "limiter"}, {to = "api", async = true}}},
  {name = "limiter", kind = "limiter", limit = {rate = 1000, burst = 1000}},
  {name = "api", kind = "app", instances = 2},
}
