-- feedback: fails open on every over-limit request
-- fail open through a breaker and a fallback
return {
  {name = "lb", kind = "lb", calls = {{to = "gateways"}}},
  {name = "gateways", kind = "app", instances = 2,
   calls = {{to = "limiter", timeout = 0.05, breaker = true,
             fallback = true}, {to = "api"}}},
  {name = "limiter", kind = "limiter",
   limit = {rate = 3000, burst = 3000}},
  {name = "api", kind = "app"},
}
