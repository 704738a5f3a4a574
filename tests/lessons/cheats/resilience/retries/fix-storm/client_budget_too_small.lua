-- feedback: your retries no longer help enough
-- a client budget of 3 %: fewer retries than a 5 % error rate needs
return {
  api = {timeout = 0.1, retries = 3, backoff = 0.01, cap = 1, jitter = "full", budget = 0.1},
  client = {timeout = 0.5, retries = 2, budget = 0.03, budget_min = 1},
}
