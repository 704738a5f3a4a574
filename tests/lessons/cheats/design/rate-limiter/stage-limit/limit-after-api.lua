-- feedback: the limit must stand before the API
-- the API works on every request; the limiter refuses afterwards
return {
  {name = "lb", kind = "lb", calls = {{to = "gateways"}}},
  {name = "gateways", kind = "app", instances = 2,
   calls = {{to = "api"}, {to = "limiter"}}},
  {name = "api", kind = "app", instances = 2},
  {name = "limiter", kind = "limiter", limit = {rate = 1000, burst = 1000}},
}
