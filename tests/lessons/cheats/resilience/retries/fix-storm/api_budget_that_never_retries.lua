-- feedback: your retries no longer help enough
-- the api keeps "2 retries" but a budget that never pays for one
return {
  api = {timeout = 0.1, retries = 2, budget = 0.000001, budget_min = 1},
  client = {timeout = 0.5, retries = 3, backoff = 0.01, cap = 1, jitter = "full", budget = 0.1},
}
