-- feedback: would share one bucket that no store
-- two gateways that hold "one" bucket between them, with no store to ask
return {
  {name = "lb", kind = "lb", calls = {{to = "gateways"}}},
  {name = "gateways", kind = "limiter", instances = 2,
   limit = {rate = 1000, burst = 1000}, calls = {{to = "api"}}},
  {name = "api", kind = "app", instances = 2},
}
