-- feedback: would share one bucket that no store
-- no gateways: the balancer calls the limiter, nothing of kind app fails
return {
  {name = "lb", kind = "lb", calls = {{to = "limiter", timeout = 0.05}}},
  {name = "limiter", kind = "limiter", instances = 2,
   limit = {rate = 3000, burst = 3000}, calls = {{to = "api"}}},
  {name = "api", kind = "app"},
}
