-- feedback: the storm goes on
-- a budget that starts with a billion tokens bounds nothing
return {
  api = {timeout = 0.1, retries = 3, backoff = 0.01, cap = 1, jitter = "full",
         budget = 0.1, budget_min = 1e9},
  client = {timeout = 0.5, retries = 3, backoff = 0.01, cap = 1, jitter = "full",
            budget = 0.1, budget_min = 1e9},
}
