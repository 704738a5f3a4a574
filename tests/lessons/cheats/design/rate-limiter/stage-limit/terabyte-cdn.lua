-- feedback: p99 latency
-- a CDN of 1 TB in front of everything
return {
  {name = "edge", kind = "cdn", memory = 1000, calls = {{to = "lb"}}},
  {name = "lb", kind = "lb", calls = {{to = "gateways"}}},
  {name = "gateways", kind = "app", instances = 2,
   calls = {{to = "limiter"}, {to = "api"}}},
  {name = "limiter", kind = "limiter", limit = {rate = 1000, burst = 1000}},
  {name = "api", kind = "app", instances = 2},
}
