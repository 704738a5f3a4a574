-- feedback: without reaching `api`
-- the limiter answers, and the API is there for show
return {
  {name = "lb", kind = "lb", calls = {{to = "limiter"}}},
  {name = "limiter", kind = "limiter", limit = {rate = 1000, burst = 1000}},
  {name = "api", kind = "app"},
}
